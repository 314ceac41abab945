package backoffice_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/backoffice"
	"github.com/kasir/pos/cloud"
)

func TestOrderAcceptAndShipThroughTheRules(t *testing.T) {
	eachBackend(t, func(t *testing.T, tc *testCloud) {
		email := tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner)
		id := postWoo(t, tc.url, tc.shop, 5001, 150000)
		b := newBrowser(t, tc.url)
		b.signIn(email)
		list := "/backoffice/shops/" + tc.shop.ID + "/orders?tab=new&q=5001"
		code, _, body := b.do("GET", list, nil)
		if code != 200 || !strings.Contains(body, ">WC-5001<") {
			t.Fatalf("search: %d %s", code, body)
		}
		page := "/backoffice/shops/" + tc.shop.ID + "/orders/" + url.PathEscape(id)
		tok := b.csrf(page)
		// Shipping before acceptance: the rule's own message, nothing changes.
		code, _, body = b.do("POST", page, url.Values{"csrf": {tok}, "action": {"ship"}, "courier": {"JNE"}, "tracking_id": {"JNE123"}})
		if code != http.StatusConflict || !strings.Contains(body, "form-error") {
			t.Fatalf("ship while New: %d %s", code, body)
		}
		code, loc, body := b.do("POST", page, url.Values{"csrf": {tok}, "action": {"accept"}})
		if code != http.StatusSeeOther {
			t.Fatalf("accept: %d %s %s", code, loc, body)
		}
		// A missing tracking ID names the field.
		code, _, body = b.do("POST", page, url.Values{"csrf": {tok}, "action": {"ship"}, "courier": {"JNE"}})
		if code != http.StatusBadRequest || !strings.Contains(body, "tracking_id") {
			t.Fatalf("ship without tracking: %d %s", code, body)
		}
		code, _, body = b.do("POST", page, url.Values{"csrf": {tok}, "action": {"ship"}, "courier": {"JNE"}, "tracking_id": {"JNE123456"}})
		if code != http.StatusSeeOther {
			t.Fatalf("ship: %d %s", code, body)
		}
		o, err := tc.store.OrderByRef(tc.shop.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		if o.Status != app.StatusInDelivery || o.Shipment.TrackingID != "JNE123456" || o.Shipment.Courier != "JNE" {
			t.Fatalf("after ship: %s %+v", o.Status, o.Shipment)
		}
		last := o.History[len(o.History)-1]
		if last.Actor.Staff != email || last.Action != app.ActionShip {
			t.Fatalf("history records %+v", last)
		}
		code, _, body = b.do("GET", page+"/label.png", nil)
		if code != 200 || !strings.HasPrefix(body, "\x89PNG") {
			t.Fatalf("label: %d %.40q", code, body)
		}
		code, _, body = b.do("GET", page+"/slip.png", nil)
		if code != 200 || !strings.HasPrefix(body, "\x89PNG") {
			t.Fatalf("slip: %d %.40q", code, body)
		}
		for _, doc := range []string{"label", "slip"} {
			_, _, pngBody := b.do("GET", page+"/"+doc+".png", nil)
			checkPDFHoldsRaster(t, b, page+"/"+doc+".pdf", pngBody)
		}
	})
}

func TestFormWithoutCSRFTokenIsRefused(t *testing.T) {
	tc := startCloud(t)
	email := tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner)
	id := postWoo(t, tc.url, tc.shop, 5002, 100000)
	b := newBrowser(t, tc.url)
	b.signIn(email)
	page := "/backoffice/shops/" + tc.shop.ID + "/orders/" + url.PathEscape(id)
	for _, tok := range []string{"", "forged"} {
		code, _, _ := b.do("POST", page, url.Values{"csrf": {tok}, "action": {"accept"}})
		if code != http.StatusForbidden {
			t.Fatalf("token %q: %d, want 403", tok, code)
		}
	}
	if o, _ := tc.store.OrderByRef(tc.shop.ID, id); o.Status != app.StatusNew {
		t.Fatalf("a refused form changed the order to %s", o.Status)
	}
}

// TestAnotherShopsOwnerReachesNothing tries every route of one shop with a second shop's session.
func TestAnotherShopsOwnerReachesNothing(t *testing.T) {
	eachBackend(t, func(t *testing.T, tc *testCloud) {
		tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner)
		id := postWoo(t, tc.url, tc.shop, 5003, 100000)
		other, err := cloudAddShop(tc)
		if err != nil {
			t.Fatal(err)
		}
		intruder := tc.addOwner(t, "other@toko.test", other, backoffice.RoleOwner)
		tm, _, err := cloud.AddTerminal(tc.store, tc.shop.ID, "tablet", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		term := tm.ID
		if err := tc.srv.ImportProducts(tc.shop.ID, []*app.Product{{SKU: "KAOS-1", Name: "Kaos", Currency: app.IDR, Price: 75000, OnHand: 12}}); err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, tc.url)
		b.signIn(intruder)
		tok := b.csrf("/backoffice/shops/" + other + "/orders")
		base := "/backoffice/shops/" + tc.shop.ID
		oid := url.PathEscape(id)
		routes := []struct{ method, path string }{
			{"GET", base + "/orders"}, {"GET", base + "/orders/" + oid}, {"POST", base + "/orders/" + oid},
			{"GET", base + "/orders/" + oid + "/label.png"}, {"GET", base + "/orders/" + oid + "/slip.png"},
			{"GET", base + "/orders/" + oid + "/label.pdf"}, {"GET", base + "/orders/" + oid + "/slip.pdf"},
			{"GET", base + "/events"}, {"GET", base + "/products"}, {"POST", base + "/products/import"},
			{"GET", base + "/report"}, {"GET", base + "/report.csv"},
			{"POST", base + "/products/KAOS-1"}, {"POST", base + "/orders/bulk"},
			{"GET", base + "/products/KAOS-1"}, {"POST", base + "/products/KAOS-1/stock"},
			{"POST", base + "/settings/shop"}, {"POST", base + "/settings/staff"}, {"POST", base + "/settings/staff/remove"},
			{"POST", base + "/settings/accounts/woocommerce"}, {"POST", base + "/settings/accounts/shopee/connect"},
			{"GET", base + "/settings/notices"}, {"POST", base + "/settings/notices/shipped"},
			{"GET", base + "/listings"}, {"POST", base + "/listings/read"},
			{"POST", base + "/listings/woocommerce/L1/link"}, {"POST", base + "/listings/woocommerce/L1/import"}, {"POST", base + "/listings/woocommerce/L1/unlink"},
			{"GET", base + "/settings"}, {"POST", base + "/settings/terminals"}, {"POST", base + "/settings/terminals/" + term + "/revoke"},
			// Nor does the intruder's own shop revoke the first shop's terminal.
			{"POST", "/backoffice/shops/" + other + "/settings/terminals/" + term + "/revoke"},
			// The intruder's own shop in the path does not open the first shop's order either.
			{"GET", "/backoffice/shops/" + other + "/orders/" + oid}, {"POST", "/backoffice/shops/" + other + "/orders/" + oid},
		}
		for _, r := range routes {
			var form url.Values
			if r.method == "POST" {
				form = url.Values{"csrf": {tok}, "action": {"accept"}, "reason": {"received"}, "quantity": {"5"}, "price": {"1"}, "cost": {"1"}, "reorder_level": {"1"}, "name": {"x"}, "role": {"owner"}, "pin": {"9999"}, "address": {"diambil alih"}, "store_url": {"https://x.id"}, "subject_id": {"x"}, "channel": {"woocommerce"}, "sku": {"KAOS-1"}}
			}
			code, _, body := b.do(r.method, r.path, form)
			if code != http.StatusNotFound {
				t.Errorf("%s %s: %d, want 404: %.200s", r.method, r.path, code, body)
			}
		}
		if o, _ := tc.store.OrderByRef(tc.shop.ID, id); o.Status != app.StatusNew {
			t.Fatalf("the intruder changed the order to %s", o.Status)
		}
		_ = tc.store.View(tc.shop.ID, func(tx cloud.ShopTx) error {
			if p, err := tx.Product("KAOS-1"); err != nil || p.OnHand != 12 || p.Price != 75000 {
				t.Errorf("the intruder changed the first shop's product: %+v %v", p, err)
			}
			return nil
		})
		if list, _ := cloud.ShopStaff(tc.store, tc.shop.ID); len(list) != 0 {
			t.Errorf("the intruder added staff to the first shop: %+v", list)
		}
		_ = tc.store.View(tc.shop.ID, func(tx cloud.ShopTx) error {
			if p, _ := tx.Policy(); p != nil {
				t.Errorf("the intruder changed the first shop's settings: %+v", p)
			}
			return nil
		})
		if got, _ := tc.store.Terminal(term); got.Revoked {
			t.Fatal("the intruder revoked the first shop's terminal")
		}
		if list, _ := tc.store.Terminals(tc.shop.ID); len(list) != 1 {
			t.Fatalf("the intruder paired a terminal to the first shop: %d terminals", len(list))
		}
	})
}

func TestSettingsAreTheOwnersNotTheManagers(t *testing.T) {
	tc := startCloud(t)
	owner := tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner)
	manager := tc.addOwner(t, "manager@toko.test", tc.shop.ID, backoffice.RoleManager)
	settings := "/backoffice/shops/" + tc.shop.ID + "/settings"

	m := newBrowser(t, tc.url)
	m.signIn(manager)
	tok := m.csrf("/backoffice/shops/" + tc.shop.ID + "/orders")
	if code, _, _ := m.do("GET", settings, nil); code != http.StatusForbidden {
		t.Fatalf("manager opens settings: %d", code)
	}
	if code, _, _ := m.do("POST", settings+"/terminals", url.Values{"csrf": {tok}, "name": {"kasir 2"}}); code != http.StatusForbidden {
		t.Fatalf("manager pairs a terminal: %d", code)
	}

	o := newBrowser(t, tc.url)
	o.signIn(owner)
	tok = o.csrf(settings)
	code, _, body := o.do("POST", settings+"/terminals", url.Values{"csrf": {tok}, "name": {"kasir 2"}})
	if code != 200 || !strings.Contains(body, `id="token"`) {
		t.Fatalf("owner pairs a terminal: %d %s", code, body)
	}
	list, _ := tc.store.Terminals(tc.shop.ID)
	if len(list) != 1 || list[0].Name != "kasir 2" {
		t.Fatalf("terminals after pairing: %+v", list)
	}
	if code, _, _ := o.do("POST", settings+"/terminals/"+list[0].ID+"/revoke", url.Values{"csrf": {tok}}); code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", code)
	}
	if got, _ := tc.store.Terminal(list[0].ID); !got.Revoked {
		t.Fatal("the terminal is not revoked")
	}
	// A terminal needs a name, and the page says which field.
	if code, _, body := o.do("POST", settings+"/terminals", url.Values{"csrf": {tok}}); code != http.StatusBadRequest || !strings.Contains(body, "name") {
		t.Fatalf("pair without a name: %d", code)
	}
}

func TestBruteForcedSignInIsSlowedThenRefused(t *testing.T) {
	tc := startCloud(t)
	email := tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner)
	b := newBrowser(t, tc.url)
	var first, later time.Duration
	for i := range 10 {
		start := time.Now()
		code, _, _ := b.do("POST", "/backoffice/signin", url.Values{"email": {email}, "password": {"wrong password " + string(rune('a'+i))}})
		took := time.Since(start)
		if code != http.StatusUnauthorized {
			t.Fatalf("try %d: %d", i, code)
		}
		if i == 0 {
			first = took
		}
		if i == 6 {
			later = took
		}
	}
	// After 6 failures the next try waits 2 s before the password is even checked.
	if later < 2*time.Second {
		t.Fatalf("the 7th wrong password took %s (the first %s): not slowed", later, first)
	}
	code, _, body := b.do("POST", "/backoffice/signin", url.Values{"email": {email}, "password": {testPassword}})
	if code != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed sign-ins") {
		t.Fatalf("after 10 failures even the right password must wait: %d", code)
	}
}

func TestExpiredSessionKeepsTheForm(t *testing.T) {
	tc := startCloud(t)
	email := tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner)
	id := postWoo(t, tc.url, tc.shop, 5004, 100000)
	b := newBrowser(t, tc.url)
	page := "/backoffice/shops/" + tc.shop.ID + "/orders/" + url.PathEscape(id)
	code, _, body := b.do("POST", page, url.Values{"csrf": {"old"}, "action": {"reject"}, "reason": {"stok habis di gudang"}})
	if code != http.StatusUnauthorized || !strings.Contains(html.UnescapeString(body), "stok+habis+di+gudang") {
		t.Fatalf("signed out POST: %d %s", code, body)
	}
	kept := body[strings.Index(body, `name="kept" value="`)+len(`name="kept" value="`):]
	kept = kept[:strings.Index(kept, `"`)]
	kept = html.UnescapeString(kept)
	code, _, body = b.do("POST", "/backoffice/signin", url.Values{"email": {email}, "password": {testPassword}, "next": {page}, "kept": {kept}})
	if code != 200 || !strings.Contains(body, `value="stok habis di gudang"`) || !strings.Contains(body, `action="`+page+`"`) {
		t.Fatalf("after sign-in the form is not shown again: %d %s", code, body)
	}
}

func TestSignOutEndsTheSession(t *testing.T) {
	eachBackend(t, func(t *testing.T, tc *testCloud) {
		email := tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner)
		b := newBrowser(t, tc.url)
		b.signIn(email)
		orders := "/backoffice/shops/" + tc.shop.ID + "/orders"
		tok := b.csrf(orders)
		if code, _, _ := b.do("POST", "/backoffice/signout", url.Values{"csrf": {tok}}); code != http.StatusSeeOther {
			t.Fatalf("sign out: %d", code)
		}
		if code, loc, _ := b.do("GET", orders, nil); code != http.StatusSeeOther || !strings.HasPrefix(loc, "/backoffice/signin") {
			t.Fatalf("after sign out: %d %s", code, loc)
		}
	})
}

func TestResetLinkWorksOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, tc *testCloud) {
		email := tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner)
		secret, err := backoffice.ResetLink(tc.owners, email, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, tc.url)
		form := url.Values{"password": {"a brand new secret"}}
		if code, _, body := b.do("POST", "/backoffice/reset/"+secret, form); code != http.StatusSeeOther {
			t.Fatalf("reset: %d %s", code, body)
		}
		if code, _, _ := b.do("POST", "/backoffice/reset/"+secret, form); code != http.StatusBadRequest {
			t.Fatalf("second use: %d", code)
		}
		if _, err := backoffice.Authenticate(tc.owners, email, "a brand new secret"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestEditPriceCostAndReorderLevel(t *testing.T) {
	tc := startCloud(t)
	email := tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner)
	if err := tc.srv.ImportProducts(tc.shop.ID, []*app.Product{{SKU: "KAOS-1", Name: "Kaos", Currency: app.IDR, Price: 75000, Cost: 40000, OnHand: 12}}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, tc.url)
	b.signIn(email)
	products := "/backoffice/shops/" + tc.shop.ID + "/products"
	tok := b.csrf(products)
	code, _, body := b.do("POST", products+"/KAOS-1", url.Values{"csrf": {tok}, "price": {"80000"}, "cost": {"abc"}, "reorder_level": {"3"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "cost") {
		t.Fatalf("a bad cost: %d", code)
	}
	if code, _, body := b.do("POST", products+"/KAOS-1", url.Values{"csrf": {tok}, "price": {"80000"}, "cost": {"42000"}, "reorder_level": {"3"}}); code != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", code, body)
	}
	var p *app.Product
	_ = tc.store.View(tc.shop.ID, func(tx cloud.ShopTx) error {
		var err error
		p, err = tx.Product("KAOS-1")
		return err
	})
	if p.Price != 80000 || p.Cost != 42000 || p.ReorderLevel != 3 || p.OnHand != 12 {
		t.Fatalf("after the edit: %+v", p)
	}
	if code, _, _ := b.do("POST", products+"/NOPE", url.Values{"csrf": {tok}, "price": {"1"}, "cost": {"1"}, "reorder_level": {"0"}}); code != http.StatusNotFound {
		t.Fatalf("an unknown product: %d", code)
	}
}

func TestBulkAcceptEachWithItsOutcome(t *testing.T) {
	tc := startCloud(t)
	email := tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner)
	a, b2, c := postWoo(t, tc.url, tc.shop, 6001, 100000), postWoo(t, tc.url, tc.shop, 6002, 100000), postWoo(t, tc.url, tc.shop, 6003, 100000)
	if _, err := tc.srv.Execute(tc.shop.ID, app.Command{Action: app.ActionAccept, OrderID: c}, app.Actor{Staff: "Sari", Role: app.RoleOwner}, time.Now()); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, tc.url)
	b.signIn(email)
	orders := "/backoffice/shops/" + tc.shop.ID + "/orders"
	tok := b.csrf(orders)
	code, _, body := b.do("POST", orders+"/bulk", url.Values{"csrf": {tok}, "action": {"accept"}, "tab": {"new"}, "id": {a, b2, c}})
	if code != 200 || strings.Count(body, "s-completed") != 2 || !strings.Contains(body, `class="error"`) {
		t.Fatalf("bulk accept: %d %s", code, body)
	}
	for _, id := range []string{a, b2} {
		if o, _ := tc.store.OrderByRef(tc.shop.ID, id); o.Status != app.StatusReadyToShip {
			t.Fatalf("%s is %s after bulk accept", id, o.Status)
		}
	}
	if code, _, _ := b.do("POST", orders+"/bulk", url.Values{"csrf": {tok}, "action": {"ship"}, "id": {a}}); code != http.StatusBadRequest {
		t.Fatalf("bulk ship (needs a tracking ID each): %d", code)
	}
}
