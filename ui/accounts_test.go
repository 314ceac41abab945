package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// cloudAccounts is a test double of the cloud's account requests: it keeps
// what was set, answers masked as the cloud does, and records every call.
type cloudAccounts struct {
	views   []app.AccountView
	set     map[string]string
	who     []string
	refuse  error
	synced  []app.AccountKind
	removed []string
}

func (c *cloudAccounts) List(owner app.Actor) ([]app.AccountView, error) {
	c.who = append(c.who, owner.Staff)
	return c.views, nil
}

func (c *cloudAccounts) Set(owner app.Actor, kind app.AccountKind, fields map[string]string) (*app.AccountView, error) {
	c.who = append(c.who, owner.Staff)
	if c.refuse != nil {
		return nil, c.refuse
	}
	c.set = fields
	v := app.AccountView{Kind: kind, Fields: app.MaskAccount(kind, fields)}
	c.views = append(c.views, v)
	return &v, nil
}

func (c *cloudAccounts) ConnectLink(owner app.Actor, kind app.AccountKind) (string, error) {
	return "https://partner.example/authorize?state=s", nil
}

func (c *cloudAccounts) Remove(owner app.Actor, kind app.AccountKind, storeURL string) ([]app.AccountView, error) {
	c.who = append(c.who, owner.Staff)
	c.removed = append(c.removed, storeURL)
	var left []app.AccountView
	for _, v := range c.views {
		if v.Kind != kind || v.Fields["store_url"] != storeURL {
			left = append(left, v)
		}
	}
	c.views = left
	return left, nil
}

func (c *cloudAccounts) Sync(owner app.Actor, kind app.AccountKind, days int) (*app.ChannelSync, error) {
	c.synced = append(c.synced, kind)
	return &app.ChannelSync{Kind: kind, Listed: 3, Created: 1, Updated: 1, Unchanged: 1}, nil
}

// labelled reports whether a label under o contains text.
func labelled(o fyne.CanvasObject, text string) bool {
	return drawn(o, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && strings.Contains(l.Text, text)
	})
}

// TestOwnerSetsAnAccountInSettings: the owner sees the shop's accounts as
// the cloud returns them, masked, with their state; sets one from the
// kind's own fields; and syncs a channel.
func TestOwnerSetsAnAccountInSettings(t *testing.T) {
	f := newFixture(t, "Owner")
	exp := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	ca := &cloudAccounts{views: []app.AccountView{{Kind: app.AccountShopee,
		Fields: map[string]string{"partner_id": "2001234", "partner_key": "••••9a0b", "shop_id": "778899"},
		Status: app.AccountStatus{Connection: app.ConnConnected, ExpiresAt: exp}}}}
	f.m.d.Accounts = ca
	ac := newAccountsCard(f.m)
	card := ac.buildUI()
	test.NewTempWindow(t, card)
	if !labelled(card, "shopee · connected, token expires at 2026-12-01 09:30") || !labelled(card, "partner_key: ••••9a0b") {
		t.Fatal("the account is not listed with its state and masked key")
	}
	drawn(card, func(o fyne.CanvasObject) bool {
		if s, ok := o.(*widget.Select); ok && s.PlaceHolder == "Account" {
			s.SetSelected("woocommerce")
			return true
		}
		return false
	})
	for name, v := range map[string]string{"store_url": "https://toko.example.id", "consumer_key": "ck_0123456789abcdef",
		"consumer_secret": "cs_0123456789abcdef", "webhook_secret": "whsec_0123456789"} {
		e, ok := ac.fields[name]
		if !ok {
			t.Fatalf("no entry for %s", name)
		}
		if e.Password != (name != "store_url") {
			t.Errorf("%s: password %v", name, e.Password)
		}
		test.Type(e, v)
	}
	test.Tap(button(card, "Save account"))
	if ca.set["consumer_key"] != "ck_0123456789abcdef" || len(ca.set) != 4 {
		t.Fatalf("sent %v", ca.set)
	}
	if ac.status.Text != "woocommerce account saved" || !labelled(card, "consumer_key: ••••cdef") {
		t.Fatalf("status %q", ac.status.Text)
	}
	ca.refuse = app.FieldError("consumer_key", "WooCommerce refused consumer_key and consumer_secret: %s", "Sorry, you cannot list resources.")
	test.Tap(button(card, "Save account"))
	if !strings.HasPrefix(ac.status.Text, "Not saved: ") || !strings.Contains(ac.status.Text, "Sorry, you cannot list resources.") {
		t.Fatalf("refusal %q", ac.status.Text)
	}
	test.Tap(button(card, "Sync now"))
	if len(ca.synced) != 1 || ca.synced[0] != app.AccountShopee || !strings.Contains(ac.status.Text, "3 orders listed: 1 created, 1 moved on, 1 already in step") {
		t.Fatalf("sync %v %q", ca.synced, ac.status.Text)
	}
	for _, who := range ca.who {
		if who != "Owner" {
			t.Fatalf("asked as %s", who)
		}
	}
}

// TestOnlyTheOwnerSeesAccounts: a cashier's Settings has no accounts card;
// the owner's has.
func TestOnlyTheOwnerSeesAccounts(t *testing.T) {
	f := newFixture(t, "Kasir")
	f.m.d.Accounts = &cloudAccounts{}
	f.m.settings.onShown()
	if labelled(f.m.settings.root, "Kept in the cloud") || drawn(f.m.settings.root, func(o fyne.CanvasObject) bool {
		c, ok := o.(*widget.Card)
		return ok && c.Title == "Channel and courier accounts"
	}) {
		t.Fatal("a cashier sees the shop's accounts")
	}
	f.m.signedIn(f.staff["Owner"])
	f.m.settings.onShown()
	if !drawn(f.m.settings.root, func(o fyne.CanvasObject) bool {
		c, ok := o.(*widget.Card)
		return ok && c.Title == "Channel and courier accounts"
	}) {
		t.Fatal("the owner does not see the accounts")
	}
}

// TestOwnerRemovesAWooCommerceStore: each of the shop's WooCommerce stores
// is listed by its store, with Remove store; confirming removes that store
// only, and the list is read again.
func TestOwnerRemovesAWooCommerceStore(t *testing.T) {
	f := newFixture(t, "Owner")
	ca := &cloudAccounts{views: []app.AccountView{
		{Kind: app.AccountWooCommerce, Store: "toko.example.id", Fields: map[string]string{"store_url": "https://toko.example.id", "consumer_key": "••••cdef"}},
		{Kind: app.AccountWooCommerce, Store: "toko2.example.id", Fields: map[string]string{"store_url": "https://toko2.example.id", "consumer_key": "••••1234"}},
	}}
	f.m.d.Accounts = ca
	ac := newAccountsCard(f.m)
	card := ac.buildUI()
	f.m.Window().SetContent(card)
	if !labelled(card, "woocommerce toko.example.id") || !labelled(card, "woocommerce toko2.example.id") {
		t.Fatal("the stores are not listed by their store")
	}
	var removes []*widget.Button
	drawn(card, func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == "Remove store" {
			removes = append(removes, b)
		}
		return false
	})
	if len(removes) != 2 {
		t.Fatalf("%d Remove store buttons", len(removes))
	}
	test.Tap(removes[1])
	yes := topButton(f, "Yes")
	if yes == nil {
		t.Fatal("no confirmation")
	}
	test.Tap(yes)
	if len(ca.removed) != 1 || ca.removed[0] != "https://toko2.example.id" {
		t.Fatalf("removed %v", ca.removed)
	}
	if ac.status.Text != "WooCommerce store https://toko2.example.id removed" {
		t.Fatalf("status %q", ac.status.Text)
	}
	if labelled(ac.list, "woocommerce toko2.example.id") || !labelled(ac.list, "woocommerce toko.example.id") {
		t.Fatal("the list was not read again")
	}
}
