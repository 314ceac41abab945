package client_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/web"
)

// TestOwnerSetsAccountsFromTheTerminal: the owner signed in at a terminal
// lists and sets the shop's accounts in the cloud and sees them masked; a
// cashier, and a request without the owner's signature, are refused.
func TestOwnerSetsAccountsFromTheTerminal(t *testing.T) {
	st, err := bolt.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	acc, err := cloud.OpenAccounts(st, bytes.Repeat([]byte{5}, 32))
	if err != nil {
		t.Fatal(err)
	}
	srv := cloud.NewServer(st, cloud.Options{Logger: quietLog(), Accounts: acc})
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = web.Serve(ctx, srv, "127.0.0.1:0", "", "", func(a string) { ready <- a })
	}()
	defer func() { cancel(); <-done; st.Close() }()
	url := "http://" + <-ready
	shop, err := cloud.AddShop(st, "Toko Kopi", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tc := &testCloud{url: url, store: st, srv: srv, shop: shop}
	id, tok := tc.token(t)
	tm := newTerminal(t, url, id, tok)
	tc.signInOwner(t, tm)
	list, err := srv.AddStaff(shop.ID, "Kasir", app.RoleCashier, "0000")
	if err != nil {
		t.Fatal(err)
	}
	cashier := tm.signIn(t, list, "0000")
	owner := app.Actor{Staff: "Owner", Role: app.RoleOwner}
	bg := context.Background()

	got, err := tm.client.SetAccount(bg, owner, app.AccountStore, map[string]string{"webhook_secret": "web-store-secret-0123456789"})
	if err != nil || got.Kind != app.AccountStore || got.Fields["webhook_secret"] != "••••6789" {
		t.Fatalf("set: %+v %v", got, err)
	}
	views, err := tm.client.Accounts(bg, owner)
	if err != nil || len(views) != 1 || strings.Contains(views[0].Fields["webhook_secret"], "0123") {
		t.Fatalf("list: %+v %v", views, err)
	}
	// A field the kind does not have is refused, naming it.
	if _, err := tm.client.SetAccount(bg, owner, app.AccountStore, map[string]string{"webhook_secret": "x0123456789abc", "colour": "red"}); err == nil || !strings.Contains(err.Error(), "Colour is not a store credential field") {
		t.Fatalf("unknown field: %v", err)
	}
	// A cashier's own signature does not make them the owner.
	if _, err := tm.client.Accounts(bg, app.Actor{Staff: cashier.Name, Role: app.RoleOwner}); app.ErrorCode(err) != app.EForbidden {
		t.Fatalf("cashier: %v", err)
	}
	// The owner signed out: nothing to sign with.
	tm.svc.Keys.Forget("Owner")
	if _, err := tm.client.Accounts(bg, owner); app.ErrorCode(err) != app.EForbidden {
		t.Fatalf("owner signed out: %v", err)
	}
}
