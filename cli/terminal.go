package cli

import (
	"os"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/store"
)

// Settings keys the terminal keeps in its store.
const (
	SettingPolicy   = store.SettingPolicy
	SettingTerminal = "terminal_name"
	// SettingUI is the terminal's screen preferences; the language staff chose is in it.
	SettingUI = "ui"
)

// Language is the language staff chose on this terminal, English if none.
func (t *Terminal) Language() app.Lang {
	var prefs struct {
		Language string `json:"language"`
	}
	if ok, _ := t.DB.GetSetting(SettingUI, &prefs); ok {
		if l, err := app.ParseLang(prefs.Language); err == nil {
			return l
		}
	}
	return app.English
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

// OpenTerminal opens the store in dir and loads the shop's policy.
func OpenTerminal(dir string) (*Terminal, error) {
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
	if ok, _ := db.GetSetting(SettingTerminal, &saved); ok && saved != "" {
		name = saved
	}
	pol.Terminal = name
	svc := app.NewService(db, pol)
	svc.Now = func() time.Time { return time.Now().UTC() }
	// Every change made here, even with no sync running, waits in the outbox
	// for the cloud: the terminal never holds a change the cloud will not hear of.
	svc.Journal = func(tx app.Tx, j app.Journaled) error {
		_, err := store.AppendJournaled(tx, j)
		return err
	}
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
