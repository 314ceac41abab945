package app_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/kasir/pos/app"
)

// TestSaleCarriesItsOwnPageToken: a sale rung up at the counter carries a
// page token made on the tablet, 128 random bits, different for every
// sale, so its receipt links to its page before the cloud knows the sale;
// a token a terminal sends that is too short or not URL-safe is refused.
func TestSaleCarriesItsOwnPageToken(t *testing.T) {
	svc, db, _ := newService(t)
	reg := app.NewRegister(svc, db)
	owner := app.Actor{Staff: "Owner", Role: app.RoleOwner, Terminal: "Counter"}
	if _, err := reg.OpenShift(100000, owner); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i := 0; i < 3; i++ {
		o, _, err := reg.Sell(app.Cart{Lines: []app.CartLine{{SKU: "SKU-001", Name: "Produk 1", Qty: 1, UnitPrice: 10000}},
			Payments: []app.Payment{{Method: app.PayCash, Amount: 10000}}}, owner)
		if err != nil {
			t.Fatal(err)
		}
		tok := o.PageToken
		raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(tok, app.SaleTokenPrefix))
		if !app.IsSaleToken(tok) || err != nil || len(raw) != 16 || seen[tok] {
			t.Fatalf("sale %d's token %q (%d random bytes, %v)", i, tok, len(raw), err)
		}
		seen[tok] = true
		if got, _ := svc.Order(o.ID); got.PageToken != tok {
			t.Fatalf("the stored sale lost its token: %q", got.PageToken)
		}
	}
	bad := &app.Order{Channel: app.ChannelManual, Status: app.StatusNew, Currency: app.IDR, PageToken: "s-short",
		Lines: []app.Line{{SKU: "SKU-001", Name: "Produk 1", Qty: 1, UnitPrice: 10000}}}
	if _, err := svc.Place(bad, owner); err == nil || !strings.Contains(err.Error(), "page token must be 20") {
		t.Fatalf("a short page token was taken: %v", err)
	}
}
