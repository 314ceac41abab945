package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// Embedded is a cloud running inside bin/pos for a one-tablet shop.
type Embedded struct {
	BaseURL    string
	ShopID     string
	TerminalID string
	Token      string
	Secrets    cloud.Secrets
	Server     *cloud.Server

	done chan struct{}
	err  error
}

// embeddedCreds is kept in dataDir/cloud/embedded.json (mode 0600) so a
// restart reuses the same shop and terminal instead of pairing anew.
type embeddedCreds struct {
	Shop     string `json:"shop"`
	Terminal string `json:"terminal"`
	Token    string `json:"token"`
}

// StartEmbedded opens the cloud store in dataDir/cloud with open (the
// terminal wires cloud/bolt's), makes sure one shop and one terminal exist,
// and serves on addr (default 127.0.0.1:0) until ctx ends. Wait reports how
// the server stopped.
func StartEmbedded(ctx context.Context, open cloud.BoltOpener, dataDir, addr string) (*Embedded, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	dir := filepath.Join(dataDir, "cloud")
	st, err := open(dir)
	if err != nil {
		return nil, err
	}
	creds, shop, err := ensureEmbedded(st, dir)
	if err != nil {
		st.Close()
		return nil, err
	}
	log := slog.Default().With("component", "cloud")
	// Like pos-cloud serve without --secrets-key-file: the key lives in the
	// cloud's data directory, created on first start.
	key, err := cloud.LoadSecretsKey("", dir, log)
	if err != nil {
		st.Close()
		return nil, err
	}
	accounts, err := cloud.OpenAccounts(st, key)
	if err != nil {
		st.Close()
		return nil, err
	}
	srv := cloud.NewServer(st, cloud.Options{Logger: log, Accounts: accounts, Followers: []cloud.Follower{cloud.NewNotices(), cloud.NewCouriers(), cloud.NewChannels()}})
	e := &Embedded{ShopID: shop.ID, TerminalID: creds.Terminal, Token: creds.Token, Secrets: shop.Secrets, Server: srv, done: make(chan struct{})}
	ready := make(chan string, 1)
	go func() {
		defer close(e.done)
		defer st.Close()
		// Wait promises the store is closed and the admin socket gone, so the
		// data directory can be removed or reopened right after.
		actx, stopAdmin := context.WithCancel(ctx)
		adminDone := make(chan struct{})
		go func() { defer close(adminDone); _ = ServeAdmin(actx, srv, dir) }()
		e.err = Serve(ctx, srv, addr, "", "", func(a string) { ready <- a })
		stopAdmin()
		<-adminDone
	}()
	select {
	case a := <-ready:
		e.BaseURL = "http://" + a
		return e, nil
	case <-e.done:
		return nil, fmt.Errorf("embedded cloud on %s: %w", addr, e.err)
	}
}

// Wait blocks until the server stopped and the store is closed.
func (e *Embedded) Wait() error {
	<-e.done
	return e.err
}

// ImportProducts loads the shop's catalogue, so the cloud allocates stock the
// same way the terminal does.
func (e *Embedded) ImportProducts(ps []*app.Product) error {
	return e.Server.ImportProducts(e.ShopID, ps)
}

func ensureEmbedded(st cloud.Backend, dir string) (*embeddedCreds, *cloud.Shop, error) {
	path := filepath.Join(dir, "embedded.json")
	var c embeddedCreds
	if data, err := os.ReadFile(path); err == nil && json.Unmarshal(data, &c) == nil {
		shop, serr := st.Shop(c.Shop)
		t, terr := st.TerminalByToken(cloud.HashToken(c.Token))
		if serr == nil && terr == nil && !t.Revoked && t.ID == c.Terminal {
			return &c, shop, nil
		}
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, nil, err
	}
	now := time.Now()
	shop, err := cloud.AddShop(st, "My shop", now)
	if err != nil {
		return nil, nil, err
	}
	t, tok, err := cloud.AddTerminal(st, shop.ID, "This tablet", now)
	if err != nil {
		return nil, nil, err
	}
	c = embeddedCreds{Shop: shop.ID, Terminal: t.ID, Token: tok}
	data, _ := json.MarshalIndent(c, "", "  ")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return nil, nil, err
	}
	return &c, shop, nil
}

// Execute applies a command as the cloud itself — demo seeding and support
// tools — under the same rules as every other change: it lands in the shop's
// change log and reaches every terminal. at is the time the history records.
func (e *Embedded) Execute(cmd app.Command, actor app.Actor, at time.Time) (*app.Result, error) {
	return e.Server.Execute(e.ShopID, cmd, actor, at)
}

// Head is the newest sequence of the embedded shop's change log.
func (e *Embedded) Head() uint64 { return e.Server.HeadOf(e.ShopID) }

// AddStaff adds a member to the embedded shop with the salt the caller
// chose, so the caller can derive the same signing key (the demo seed).
func (e *Embedded) AddStaff(c app.StaffChange) error { return e.Server.AddStaffMember(e.ShopID, c) }

// AdoptStaff gives the embedded shop the terminal's own staff list while it
// has none (see cloud.Server.AdoptStaff). It returns how many were taken.
func (e *Embedded) AdoptStaff(local []app.Staff) (int, error) {
	return e.Server.AdoptStaff(e.ShopID, local)
}

// EmbeddedToken is the token of the embedded cloud's terminal in dataDir,
// or "" when none was made yet.
func EmbeddedToken(dataDir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dataDir, "cloud", "embedded.json"))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var c embeddedCreds
	if err := json.Unmarshal(data, &c); err != nil {
		return "", fmt.Errorf("embedded cloud credentials: %w", err)
	}
	return c.Token, nil
}
