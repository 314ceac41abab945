package cloud

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
)

// Embedded is a cloud running inside bin/pos for a one-tablet shop.
type Embedded struct {
	BaseURL    string
	ShopID     string
	TerminalID string
	Token      string
	Secrets    Secrets
	Server     *Server

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
func StartEmbedded(ctx context.Context, open BoltOpener, dataDir, addr string) (*Embedded, error) {
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
	key, err := LoadSecretsKey("", dir, log)
	if err != nil {
		st.Close()
		return nil, err
	}
	accounts, err := OpenAccounts(st, key)
	if err != nil {
		st.Close()
		return nil, err
	}
	srv := NewServer(st, Options{Logger: log, Accounts: accounts, Followers: []Follower{NewNotices(), NewCouriers(), NewChannels()}})
	e := &Embedded{ShopID: shop.ID, TerminalID: creds.Terminal, Token: creds.Token, Secrets: shop.Secrets, Server: srv, done: make(chan struct{})}
	ready := make(chan string, 1)
	go func() {
		defer close(e.done)
		defer st.Close()
		// Wait promises the store is closed and the admin socket gone, so the
		// data directory can be removed or reopened right after.
		actx, stopAdmin := context.WithCancel(ctx)
		adminDone := make(chan struct{})
		go func() { defer close(adminDone); _ = srv.ServeAdmin(actx, dir) }()
		e.err = srv.Serve(ctx, addr, "", "", func(a string) { ready <- a })
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

func ensureEmbedded(st Backend, dir string) (*embeddedCreds, *Shop, error) {
	path := filepath.Join(dir, "embedded.json")
	var c embeddedCreds
	if data, err := os.ReadFile(path); err == nil && json.Unmarshal(data, &c) == nil {
		shop, serr := st.Shop(c.Shop)
		t, terr := st.TerminalByToken(HashToken(c.Token))
		if serr == nil && terr == nil && !t.Revoked && t.ID == c.Terminal {
			return &c, shop, nil
		}
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, nil, err
	}
	now := time.Now()
	shop, err := AddShop(st, "My shop", now)
	if err != nil {
		return nil, nil, err
	}
	t, tok, err := AddTerminal(st, shop.ID, "This tablet", now)
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
