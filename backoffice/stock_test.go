package backoffice_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/backoffice"
	"github.com/kasir/pos/cloud"
)

func TestAdjustStockWritesTheHistory(t *testing.T) {
	eachBackend(t, func(t *testing.T, tc *testCloud) {
		email := tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner)
		if err := tc.srv.ImportProducts(tc.shop.ID, []*app.Product{{SKU: "KAOS-1", Name: "Kaos", Currency: app.IDR, Price: 75000, Cost: 40000, OnHand: 12}}); err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, tc.url)
		b.signIn(email)
		page := "/backoffice/shops/" + tc.shop.ID + "/products/KAOS-1"
		tok := b.csrf(page)
		for _, bad := range []struct {
			form  url.Values
			field string
		}{
			{url.Values{"reason": {"damage"}, "quantity": {"20"}}, "more than the 12 on the shelf"},
			{url.Values{"reason": {"damage"}, "quantity": {"dua"}}, "quantity"},
			{url.Values{"reason": {"stolen"}, "quantity": {"1"}}, "reason"},
			{url.Values{"reason": {"received"}, "quantity": {"0"}}, "quantity"},
		} {
			bad.form.Set("csrf", tok)
			code, _, body := b.do("POST", page+"/stock", bad.form)
			if code != http.StatusBadRequest || !strings.Contains(body, bad.field) {
				t.Fatalf("%v: %d, want 400 naming %q: %s", bad.form, code, bad.field, body)
			}
		}
		head := tc.srv.HeadOf(tc.shop.ID)
		for _, f := range []url.Values{
			{"reason": {"stock_take"}, "quantity": {"10"}, "note": {"counted Monday"}},
			{"reason": {"damage"}, "quantity": {"1"}},
			{"reason": {"received"}, "quantity": {"6"}},
		} {
			f.Set("csrf", tok)
			if code, loc, body := b.do("POST", page+"/stock", f); code != http.StatusSeeOther || !strings.Contains(loc, "adjusted=1") {
				t.Fatalf("%v: %d %s %s", f, code, loc, body)
			}
		}
		var p *app.Product
		var moves []app.StockMove
		if err := tc.store.View(tc.shop.ID, func(tx cloud.ShopTx) error {
			var err error
			if p, err = tx.Product("KAOS-1"); err != nil {
				return err
			}
			moves, err = tx.StockMoves("KAOS-1", 0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if p.OnHand != 15 {
			t.Fatalf("on hand %d after 12 → counted 10 → 1 damaged → 6 received, want 15", p.OnHand)
		}
		want := []struct {
			r             app.StockReason
			before, after int
		}{{app.StockReceived, 9, 15}, {app.StockDamage, 10, 9}, {app.StockTake, 12, 10}}
		if len(moves) != len(want) {
			t.Fatalf("history has %d lines, want %d (the refused ones leave none): %+v", len(moves), len(want), moves)
		}
		for i, w := range want {
			m := moves[i]
			if m.Reason != w.r || m.Before != w.before || m.After != w.after || m.Actor.Staff != email || m.At.IsZero() {
				t.Fatalf("history line %d is %+v, want %s %d→%d by %s", i, m, w.r, w.before, w.after, email)
			}
		}
		if moves[2].Note != "counted Monday" {
			t.Fatalf("the stock take's note is %q", moves[2].Note)
		}
		// Each adjustment is a change in the log, carrying the product to every terminal.
		items, newHead, _, err := tc.store.ChangesAfter(tc.shop.ID, head, 10)
		if err != nil {
			t.Fatal(err)
		}
		if newHead != head+3 || len(items) != 3 {
			t.Fatalf("the log moved from %d to %d with %d changes, want 3", head, newHead, len(items))
		}
		var last struct {
			Products []*app.Product `json:"products"`
		}
		if err := json.Unmarshal(items[2], &last); err != nil || len(last.Products) != 1 || last.Products[0].OnHand != 15 {
			t.Fatalf("the last change carries %s", items[2])
		}
		code, _, body := b.do("GET", page, nil)
		if code != 200 || strings.Count(body, "<tr><td data-label=\"When\">") != 3 || !strings.Contains(body, "received goods") {
			t.Fatalf("the product's page: %d %s", code, body)
		}
		if code, _, _ := b.do("POST", "/backoffice/shops/"+tc.shop.ID+"/products/NOPE/stock", url.Values{"csrf": {tok}, "reason": {"received"}, "quantity": {"1"}}); code != http.StatusNotFound {
			t.Fatalf("an unknown product: %d", code)
		}
	})
}
