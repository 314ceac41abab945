package client_test

import (
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/store"
	"github.com/kasir/pos/sync/client"
)

// The owner's acceptance window, set on one tablet, is what the cloud gives
// channel orders, and every other tablet gets the same rules.
func TestOwnersAcceptWindowReachesCloudAndTerminals(t *testing.T) {
	tc := startCloud(t)
	idA, tokA := tc.token(t)
	idB, tokB := tc.token(t)
	a := newTerminal(t, tc.url, idA, tokA)
	b := newTerminal(t, tc.url, idB, tokB)
	var got app.Policy
	b.stop()
	b.startWith(func(c *client.Client) { c.OnPolicy = func(p app.Policy) { b.mu.Lock(); got = p; b.mu.Unlock() } })
	for _, tm := range []*terminal{a, b} {
		waitFor(t, 5*time.Second, "terminal online", func() bool { return tm.client.State().Status == client.Online })
	}
	tc.signInOwner(t, a)
	rules := app.DefaultPolicy()
	rules.AcceptWindow = map[app.Channel]time.Duration{app.ChannelWooCommerce: 6 * time.Hour}
	rules.ShopAddress = "Jl. Braga 21, Bandung"
	cashier := app.Actor{Staff: "Kasir", Role: app.RoleCashier}
	if _, err := a.svc.SharePolicy(rules, cashier); app.ErrorCode(err) != app.EForbidden {
		t.Fatalf("a cashier changed the shop's rules: %v", err)
	}
	bad := rules
	bad.AcceptWindow = map[app.Channel]time.Duration{app.ChannelWooCommerce: time.Minute}
	if _, err := a.svc.SharePolicy(bad, app.Actor{Staff: "Owner", Role: app.RoleOwner}); app.ErrorCode(err) != app.EInvalid {
		t.Fatalf("a one-minute window: %v", err)
	}
	if _, err := a.svc.SharePolicy(rules, app.Actor{Staff: "Owner", Role: app.RoleOwner}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "the rules in terminal B", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return got.ShopAddress == rules.ShopAddress
	})
	var stored app.Policy
	if ok, _ := b.db.GetSetting(store.SettingPolicy, &stored); !ok || stored.AcceptWindow[app.ChannelWooCommerce] != 6*time.Hour {
		t.Fatalf("terminal B stored %+v", stored)
	}
	id := postWoo(t, tc.url, tc.shop, 31)
	waitFor(t, 5*time.Second, "the order in B", func() bool { return b.has(id) })
	o := b.order(t, id)
	if o.Status != app.StatusNew || o.AcceptBy.Sub(o.CreatedAt) != 6*time.Hour {
		t.Fatalf("the cloud gave %s a window of %s", o.Number, o.AcceptBy.Sub(o.CreatedAt))
	}
}
