// Package terminal is the running terminal: one opened data directory (the
// store and the use cases over it, Open) and, at work, its sync with the
// cloud (embedded or remote), its print station and its screens' news
// (StartRuntime). The command line (cli/) and the window (main.go) stand on
// it; the demo shop (demo/) is seeded through it.
package terminal

import (
	"context"
	"os"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/printer"
	"github.com/kasir/pos/store"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

// Language is the language staff chose on this terminal, English if none.
func (t *Terminal) Language() app.Lang {
	var prefs app.Prefs
	_, _ = app.LoadSetting(t.DB, &prefs)
	return prefs.Lang()
}

// Terminal is one opened data directory: the store and the use cases over it.
type Terminal struct {
	DataDir string
	DB      *store.DB
	Service *app.Service
	Name    string
	// Staff is who signed in with --pin, holding their signing key; nil otherwise.
	Staff *app.Staff
	// SetAside says which stored settings no longer held when the terminal
	// opened and gave way to their defaults; the window and the command
	// line tell staff, and saving the setting again clears it.
	SetAside []error
}

// Open opens the store in dir and loads the shop's policy.
func Open(dir string) (*Terminal, error) {
	db, err := store.Open(dir)
	if err != nil {
		return nil, err
	}
	// Each setting is read as its type; one that no longer holds gives way
	// to its defaults rather than keeping the terminal from opening.
	host, _ := os.Hostname()
	pol, name := app.DefaultPolicy(), app.TerminalName(host)
	prefs, cloud, printing := app.Prefs{}, app.CloudSetting{}, app.DefaultPrinting()
	var setAside []error
	for _, read := range []func() (error, error){
		func() (error, error) { return app.LoadSetting(db, &pol) },
		func() (error, error) { return app.LoadSetting(db, &name) },
		func() (error, error) { return app.LoadSetting(db, &prefs) },
		func() (error, error) { return app.LoadSetting(db, &cloud) },
		func() (error, error) { return app.LoadSetting(db, &printing) },
	} {
		bad, err := read()
		if err != nil {
			db.Close()
			return nil, err
		}
		if bad != nil {
			setAside = append(setAside, bad)
		}
	}
	if name == "" {
		name = app.TerminalName(host)
	}
	pol.Terminal = string(name)
	// Every change made here, even with no sync running, waits in the outbox
	// for the cloud: the terminal never holds a change the cloud will not hear of.
	svc := store.NewService(db, pol, app.WithClock(func() time.Time { return time.Now().UTC() }))
	return &Terminal{DataDir: dir, DB: db, Service: svc, Name: string(name), SetAside: setAside}, nil
}

// Close releases the data directory.
func (t *Terminal) Close() error { return t.DB.Close() }

// SavePolicy shares the shop's new rules with the cloud (through the
// outbox) and keeps them here. Owner only.
func (t *Terminal) SavePolicy(p app.Policy, actor app.Actor) error {
	next, err := t.Service.SharePolicy(p, actor)
	if err != nil {
		return err
	}
	return app.SaveSetting(t.DB, next.Shared())
}

// IsEmpty reports whether the terminal has no products and no orders yet.
func (t *Terminal) IsEmpty() (bool, error) {
	ps, err := t.DB.Products()
	if err != nil {
		return false, err
	}
	page, err := t.Service.Find(app.Filter{Limit: 1})
	if err != nil {
		return false, err
	}
	return len(ps) == 0 && page.Total == 0, nil
}

// OpenStation starts the print queue over the terminal's store, resuming
// jobs an earlier run left behind. bills fetches the platforms' airway
// bills (the sync client); nil for a command that does not reach the
// cloud: a bill it queues waits for the running terminal to fetch it.
func OpenStation(t *Terminal, bills printer.Bills, onError func(printer.Job, error)) (*printer.Station, error) {
	return printer.NewStation(t.Service, t.DB, t.DB.PrintJobs(), bills, onError)
}

// PairedBills asks the remote cloud this terminal is paired with for the
// platforms' airway bills, for a command that prints without the running
// terminal; nil when the terminal runs its cloud in-process (a bill such a
// command queues waits for the running terminal to fetch it).
func PairedBills(t *Terminal) printer.Bills {
	var p app.CloudSetting
	if _, err := app.LoadSetting(t.DB, &p); err != nil || p.Remote() == "" {
		return nil
	}
	return pairedBills{base: p.Remote(), token: p.Token}
}

type pairedBills struct{ base, token string }

func (b pairedBills) Bill(ctx context.Context, orderID string, dots int) (*wire.Bill, error) {
	return client.AskBill(ctx, b.base, b.token, orderID, dots)
}
