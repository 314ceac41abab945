package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/demo"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/terminal"
)

func (c *command) seed(args []string) error {
	fs := c.flags("seed")
	withDemo := fs.Bool("demo", false, "fill an empty store with a demo shop")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if !*withDemo {
		return usagef("seed takes --demo")
	}
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	var pairing app.CloudSetting
	if _, err := app.LoadSetting(t.DB, &pairing); err != nil {
		return err
	}
	if remote := pairing.Remote(); remote != "" {
		return app.Errorf(app.EConflict, "this terminal is paired with the cloud at %s; demo data is only for the embedded cloud", remote)
	}
	empty, err := t.IsEmpty()
	if err != nil {
		return err
	}
	if !empty {
		return app.Errorf(app.EConflict, "the store in %s is not empty; seed a new --data directory", t.DataDir)
	}
	// The embedded cloud is the authority: the shop is seeded there, and this
	// terminal receives it by sync like any other tablet would.
	ctx, cancel := context.WithCancel(c.env.Ctx)
	defer cancel()
	rt, err := terminal.Start(ctx, t, terminal.StartOptions{Seed: demo.SeedEmbedded, Log: c.env.Stdout})
	if err != nil {
		return err
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = rt.Sync.Run(ctx) }()
	err = waitCaughtUp(ctx, rt, 10*time.Second)
	cancel()
	<-done
	rt.Close()
	return err
}

// waitCaughtUp waits until the terminal applied every change the cloud has.
func waitCaughtUp(ctx context.Context, rt *terminal.Runtime, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		st := rt.Sync.State()
		if st.Status == client.Online && st.Pending == 0 && st.Cursor >= rt.Cloud.Head() {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	st := rt.Sync.State()
	return fmt.Errorf("the terminal did not catch up with the embedded cloud within %s (sync %s, cursor %d of %d, %d pending, %s)",
		limit, st.Status, st.Cursor, rt.Cloud.Head(), st.Pending, st.LastError)
}

// pinFromEnv is the PIN scripts give in POS_PIN, for commands run without --pin.
func pinFromEnv() string { return os.Getenv("POS_PIN") }
