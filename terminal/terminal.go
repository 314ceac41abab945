// Package terminal is the running terminal: one opened data directory (the
// store and the use cases over it, Open) and, at work, its sync with the
// cloud (embedded or remote), its print station and its screens' news
// (StartRuntime). The command line (cli/) and the window (main.go) stand on
// it; the demo shop (demo/) is seeded through it.
package terminal

import (
	"os"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/printer"
	"github.com/kasir/pos/store"
)

// Settings keys the terminal keeps in its store.
const (
	SettingPolicy = store.SettingPolicy
)

// Language is the language staff chose on this terminal, English if none.
func (t *Terminal) Language() app.Lang {
	var prefs app.Prefs
	_, _ = t.DB.GetSetting(app.SettingPrefs, &prefs)
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
}

// Open opens the store in dir and loads the shop's policy.
func Open(dir string) (*Terminal, error) {
	db, err := store.Open(dir)
	if err != nil {
		return nil, err
	}
	pol := app.DefaultPolicy()
	if _, err := db.GetSetting(SettingPolicy, &pol); err != nil {
		db.Close()
		return nil, err
	}
	name, _ := os.Hostname()
	var saved string
	if ok, _ := db.GetSetting(app.SettingTerminalName, &saved); ok && saved != "" {
		name = saved
	}
	pol.Terminal = name
	// Every change made here, even with no sync running, waits in the outbox
	// for the cloud: the terminal never holds a change the cloud will not hear of.
	svc := store.NewService(db, pol, app.WithClock(func() time.Time { return time.Now().UTC() }))
	return &Terminal{DataDir: dir, DB: db, Service: svc, Name: name}, nil
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
	return t.DB.PutSetting(SettingPolicy, next.Shared())
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
// jobs an earlier run left behind.
func OpenStation(t *Terminal, onError func(printer.Job, error)) (*printer.Station, error) {
	return printer.NewStation(t.Service, t.DB, t.DB.PrintJobs(), onError)
}
