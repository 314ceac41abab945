package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/kasir/pos/terminal"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/web"
	"github.com/kasir/pos/courier/shipper/shippertest"
)

// TestOrdersRatesAsksThePairedCloud: `pos orders rates` lists what the
// cloud's Shipper account answers for the order, cheapest and fastest marked.
func TestOrdersRatesAsksThePairedCloud(t *testing.T) {
	fake := shippertest.New("shp-key-1")
	defer fake.Close()
	st, err := bolt.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	acc, err := cloud.OpenAccounts(st, bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	srv := cloud.NewServer(st, cloud.Options{Accounts: acc})
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = web.Serve(ctx, srv, "127.0.0.1:0", "", "", func(a string) { ready <- a })
	}()
	defer func() { cancel(); <-done; st.Close() }()
	base := "http://" + <-ready
	shop, err := cloud.AddShop(st, "Toko Kopi", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acc.Set(shop.ID, app.AccountShipper, []byte(`{"api_key":"shp-key-1","webhook_url":"https://c.example.id/v1/couriers/shipper/push","origin_area_id":"4711","contact_phone":"081211112222","api_base":"`+fake.URL+`"}`), time.Now()); err != nil {
		t.Fatal(err)
	}
	_, tok, err := cloud.AddTerminal(st, shop.ID, "tablet", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	o := &app.Order{Channel: app.ChannelStore, Status: app.StatusReadyToShip, Number: "W-77", Currency: app.IDR,
		Buyer: app.Buyer{Name: "Rina", Phone: "081234567890", Address: app.Address{Street: "Jl. Melati 3", City: "Bandung", PostalCode: "40115"}},
		Lines: []app.Line{{SKU: "K", Name: "Kopi", Qty: 1, UnitPrice: 85000}}, Total: 85000, PaymentMethod: app.PayTransfer}
	res, err := srv.Execute(shop.ID, app.Command{Action: app.ActionPlace, Args: app.Args{Order: o}}, app.Actor{Staff: "Ayu", Role: app.RoleOwner}, time.Now())
	if err != nil {
		t.Fatal(err)
	}

	// The terminal has the same order (as sync would bring it) and is paired with this cloud.
	dir := t.TempDir()
	term, err := terminal.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := term.DB.Update(func(tx app.Tx) error { return tx.PutOrder(res.Order) }); err != nil {
		t.Fatal(err)
	}
	if err := term.DB.PutSetting(app.SettingCloud, app.CloudSetting{URL: base, Token: tok}); err != nil {
		t.Fatal(err)
	}
	term.Close()

	out, errs, code := pos(t, dir, "orders", "rates", "W-77", "--provider", "shipper")
	if code != 0 || !strings.Contains(out, "AnterAja") || !strings.Contains(out, "cheapest") || !strings.Contains(out, "fastest") {
		t.Fatalf("rates: %d\n%s\n%s", code, out, errs)
	}
	t.Log(out)
	out, _, code = pos(t, dir, "orders", "rates", "W-77", "--provider", "shipper", "--json")
	var reply cloud.RatesReply
	if code != 0 || json.Unmarshal([]byte(out), &reply) != nil || len(reply.Rates) != 4 {
		t.Fatalf("rates --json: %d %s", code, out)
	}
	fake.OutOfCoverage[4812] = true
	if _, errs, code := pos(t, dir, "orders", "rates", "W-77", "--provider", "shipper"); code == 0 || !strings.Contains(errs, "out of coverage (code 42220)") {
		t.Fatalf("refusal: %d %s", code, errs)
	}
}
