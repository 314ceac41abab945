package cloud

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

// checkSalePage: a sale rung up at a counter, offline, with the token the
// tablet made reaches the cloud as a terminal's change would; /o/{token}
// shows its items, total and payment; a made-up token of the same form is
// 404; revoking replaces the token and the old link stops working.
func checkSalePage(t *testing.T, st Backend) {
	s := NewServer(st, Options{Logger: quiet()})
	shop, err := AddShop(st, "Toko Kopi", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tok := app.NewSaleToken()
	sale := &app.Order{Channel: app.ChannelInStore, Status: app.StatusCompleted, Currency: app.IDR, Number: "POS-1-0001",
		Lines: []app.Line{{SKU: "KOPI-1", Name: "Kopi Susu", Qty: 2, UnitPrice: 25000}}, Total: 50000, Paid: 50000,
		PaymentStatus: app.PaymentPaid, PaymentMethod: app.PayQRIS, PageToken: tok,
		Payments: []app.Payment{{Method: app.PayQRIS, Amount: 30000, Ref: "QR-1"}, {Method: app.PayCash, Amount: 20000}},
		Sale:     &app.SaleInfo{ShiftID: "shift-1", Terminal: "Counter"}}
	res, err := s.Execute(shop.ID, app.Command{Action: app.ActionPlace, Args: app.Args{Order: sale}},
		app.Actor{Staff: "Owner", Role: app.RoleOwner, Terminal: "Counter"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if res.Order.PageToken != tok {
		t.Fatalf("the sale's token was not kept: %q", res.Order.PageToken)
	}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	code, body := get(t, hs.URL+"/o/"+tok)
	if code != http.StatusOK {
		t.Fatalf("the sale's page: %d %s", code, body)
	}
	for _, want := range []string{"Toko Kopi", "POS-1-0001", "Kopi Susu", "Rp 50.000", "lunas", "QRIS Rp 30.000", "Tunai Rp 20.000"} {
		if !strings.Contains(body, want) {
			t.Errorf("the sale's page lacks %q", want)
		}
	}
	if strings.Contains(body, "QR-1") || strings.Contains(body, "shift-1") {
		t.Error("the page shows the payment's reference or the shift")
	}
	if code, _ := get(t, hs.URL+"/o/"+app.NewSaleToken()); code != http.StatusNotFound {
		t.Fatalf("a made-up sale token: %d", code)
	}
	link, err := s.RevokePage(shop.ID, res.Order.ID)
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := get(t, hs.URL+"/o/"+tok); code != http.StatusNotFound {
		t.Fatalf("the revoked sale token still opens the page: %d", code)
	}
	if code, _ := get(t, hs.URL+"/o/"+link.Token); code != http.StatusOK {
		t.Fatalf("the new link: %d", code)
	}
}

func TestSalePageBolt(t *testing.T) {
	st, err := OpenBolt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	checkSalePage(t, st)
}
