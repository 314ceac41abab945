package ui

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/web"
	"github.com/kasir/pos/courier/shipper/shippertest"
	"github.com/kasir/pos/sync/client"
)

// ownOrder places a web-store order ready to ship, with the shop's default
// provider set to p, and opens it.
func ownOrder(f *fixture, p app.CourierProvider) *app.Order {
	f.t.Helper()
	pol := f.svc.CurrentPolicy()
	pol.CourierProvider = p
	if _, err := f.svc.SharePolicy(pol, f.owner); err != nil {
		f.t.Fatal(err)
	}
	o := f.place(app.ChannelStore, "W-77", "Rina", 0)
	if o.Status == app.StatusNew {
		f.do(app.ActionAccept, o.ID, app.Args{})
	}
	f.m.Refresh()
	f.m.online.openOrder(o.ID)
	return o
}

var offers = []app.RateOffer{
	{ShipmentRate: app.ShipmentRate{Courier: "jne", CourierName: "JNE", Service: "Regular", ServiceName: "REG", Price: 18000, MinDays: 2, MaxDays: 3, RateID: "11"}},
	{ShipmentRate: app.ShipmentRate{Courier: "jne", CourierName: "JNE", Service: "Express", ServiceName: "YES", Price: 36000, MinDays: 1, MaxDays: 1, RateID: "12"}, Fastest: true},
	{ShipmentRate: app.ShipmentRate{Courier: "anteraja", CourierName: "AnterAja", Service: "Regular", ServiceName: "Reguler", Price: 16000, MinDays: 3, MaxDays: 5, RateID: "31"}, Cheapest: true},
}

// TestArrangeListsTheProvidersRates: the dialog says the order is booked
// with the shop's default provider (preselected), asks for rates with the
// parcel typed, lists each courier and service with price and ETA and the
// cheapest and fastest marked; the chosen rate and the typed weight are on
// the order after Arrange.
func TestArrangeListsTheProvidersRates(t *testing.T) {
	f := newFixture(t, "Owner")
	o := ownOrder(f, app.ProviderShipper)
	var asked []app.RateParcel
	f.m.d.Rates = func(id string, p app.CourierProvider, parcel app.RateParcel) ([]app.RateOffer, error) {
		if id != o.ID || p != app.ProviderShipper {
			t.Errorf("rates asked for %s with %q", id, p)
		}
		asked = append(asked, parcel)
		return offers, nil
	}
	f.m.online.detail.onAction(app.ActionArrangePickup)
	a := f.m.arranging
	if a == nil || a.chosen() != app.ProviderShipper || !strings.Contains(a.way.Text, "Booked with Shipper") {
		t.Fatalf("the dialog does not book with the shop's default: %+v", a)
	}
	if len(a.rates.Options) != 3 || len(asked) != 1 {
		t.Fatalf("rates listed: %q (asked %d times)", a.rates.Options, len(asked))
	}
	if !strings.Contains(a.rates.Options[2], "AnterAja Reguler · Rp 16.000 · 3-5 days") || !strings.Contains(a.rates.Options[2], "cheapest") ||
		!strings.Contains(a.rates.Options[1], "fastest") || strings.Contains(a.rates.Options[0], "★") {
		t.Fatalf("rates listed: %q", a.rates.Options)
	}
	if a.rates.Selected != a.rates.Options[2] {
		t.Fatalf("the cheapest is not chosen first: %q", a.rates.Selected)
	}
	a.weight.SetText("2500")
	a.length.SetText("30")
	a.width.SetText("20")
	a.height.SetText("10")
	test.Tap(a.ask)
	if len(asked) != 2 || asked[1] != (app.RateParcel{WeightGrams: 2500, LengthCm: 30, WidthCm: 20, HeightCm: 10}) {
		t.Fatalf("the typed parcel was not asked for: %+v", asked)
	}
	a.rates.SetSelected(a.rates.Options[1])
	f.m.Window().Canvas().Capture()
	test.Tap(topButton(f, "Arrange"))
	got, _ := f.svc.Order(o.ID)
	s := got.Shipment
	if s.Provider != app.ProviderShipper || s.Rate == nil || s.Rate.RateID != "12" || s.Booking != app.BookingPending {
		t.Fatalf("after Arrange: %+v", s)
	}
	if len(got.Parcels) != 1 || got.Parcels[0].WeightGrams != 2500 || got.Parcels[0].LengthCm != 30 {
		t.Fatalf("the typed parcel is not on the order: %+v", got.Parcels)
	}
}

// TestArrangeOfflineLetsStaffNameTheCourier: when rates cannot be asked the
// dialog says so in words and still arranges, with the courier staff name;
// another provider may be chosen for this order.
func TestArrangeOfflineLetsStaffNameTheCourier(t *testing.T) {
	f := newFixture(t, "Owner")
	o := ownOrder(f, app.ProviderBiteship)
	f.m.d.Rates = func(string, app.CourierProvider, app.RateParcel) ([]app.RateOffer, error) {
		return nil, app.Errorf(app.EUnreachable, "The tablet is offline: rates cannot be asked now")
	}
	f.m.online.detail.onAction(app.ActionArrangeDropoff)
	a := f.m.arranging
	if !a.offline || !strings.Contains(a.status.Text, "offline") || !strings.Contains(a.status.Text, "queued") {
		t.Fatalf("offline is not said: %q", a.status.Text)
	}
	f.m.Window().Canvas().Capture()
	test.Tap(topButton(f, "Arrange"))
	if got, _ := f.svc.Order(o.ID); got.Shipment.State != app.ShipmentNone {
		t.Fatalf("arranged without a courier: %+v", got.Shipment)
	}
	a.courier.SetSelected("JNE")
	a.service.SetText("REG")
	test.Tap(topButton(f, "Arrange"))
	got, _ := f.svc.Order(o.ID)
	if got.Shipment.Provider != app.ProviderBiteship || got.Shipment.Rate == nil || got.Shipment.Rate.Courier != "JNE" || got.Shipment.Booking != app.BookingPending {
		t.Fatalf("offline arrange: %+v", got.Shipment)
	}
	// The shop's own courier, chosen for another order, books nothing.
	o2 := f.place(app.ChannelManual, "", "Sari", 0)
	if o2.Status == app.StatusNew {
		f.do(app.ActionAccept, o2.ID, app.Args{})
	}
	f.m.online.openOrder(o2.ID)
	f.m.online.detail.onAction(app.ActionArrangeDropoff)
	a = f.m.arranging
	a.provider.SetSelectedIndex(0)
	if a.chosen() != app.ProviderLogistics || !strings.Contains(a.way.Text, "Your own courier") {
		t.Fatalf("own courier: %q %q", a.chosen(), a.way.Text)
	}
	a.courier.SetSelected("SiCepat")
	f.m.Window().Canvas().Capture()
	test.Tap(topButton(f, "Arrange"))
	if got, _ := f.svc.Order(o2.ID); got.Shipment.Provider != app.ProviderLogistics || got.Shipment.Booking != app.BookingNone {
		t.Fatalf("own courier arrange: %+v", got.Shipment)
	}
}

// TestArrangeSaysMarketplaceLogistics: a marketplace order's dialog says the
// marketplace books its courier and offers no provider.
func TestArrangeSaysMarketplaceLogistics(t *testing.T) {
	f := newFixture(t, "Owner")
	readyToShip(f)
	f.m.online.detail.onAction(app.ActionArrangePickup)
	a := f.m.arranging
	if a.provider != nil || !strings.Contains(a.way.Text, "Tokopedia's own logistics") {
		t.Fatalf("marketplace: %q", a.way.Text)
	}
}

// BenchmarkRatesShownInDialog times opening the Arrange dialog until the
// rates are listed, asked of a real cloud on loopback that asks a local
// fake Shipper: p99 in ms.
func BenchmarkRatesShownInDialog(b *testing.B) {
	fake := shippertest.New("shp-key-1")
	defer fake.Close()
	st, err := bolt.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	acc, err := cloud.OpenAccounts(st, make([]byte, 32))
	if err != nil {
		b.Fatal(err)
	}
	srv := cloud.NewServer(st, cloud.Options{Accounts: acc})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	go func() { _ = web.Serve(ctx, srv, "127.0.0.1:0", "", "", func(a string) { ready <- a }) }()
	base := "http://" + <-ready
	shop, err := cloud.AddShop(st, "Toko Kopi", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	if _, err := acc.Set(shop.ID, app.AccountKind(app.ProviderShipper), []byte(`{"api_key":"shp-key-1","webhook_url":"https://x.example/push","api_base":"`+fake.URL+`","origin_area_id":"4711","contact_phone":"081211112222"}`), time.Now()); err != nil {
		b.Fatal(err)
	}
	_, tok, err := cloud.AddTerminal(st, shop.ID, "tablet", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	res, err := srv.Execute(shop.ID, app.Command{Action: app.ActionPlace, Args: app.Args{Order: &app.Order{Channel: app.ChannelStore, Number: "WEB-1", Currency: app.IDR,
		Status: app.StatusReadyToShip, Buyer: app.Buyer{Name: "Rina", Phone: "0812", Address: app.Address{Street: "Jl. Melati 3", City: "Bandung", PostalCode: "40115"}},
		Lines: []app.Line{{SKU: "K", Name: "Kopi", Qty: 1, UnitPrice: 85000}}}}}, app.Actor{Staff: "Owner", Role: app.RoleOwner}, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	cloudOrder := res.Order.ID

	f := newFixture(b, "Owner")
	ownOrder(f, app.ProviderShipper)
	f.m.d.Rates = func(_ string, p app.CourierProvider, parcel app.RateParcel) ([]app.RateOffer, error) {
		return client.AskRates(ctx, base, tok, cloudOrder, p, parcel)
	}
	var lats []time.Duration
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		for i := 0; i < 100; i++ {
			start := time.Now()
			f.m.online.detail.onAction(app.ActionArrangePickup)
			if n := len(f.m.arranging.rates.Options); n != 4 {
				b.Fatalf("%d rates shown: %s", n, f.m.arranging.status.Text)
			}
			lats = append(lats, time.Since(start))
			f.m.Window().Canvas().Overlays().Top().Hide()
			f.m.Window().Canvas().Overlays().Remove(f.m.Window().Canvas().Overlays().Top())
		}
	}
	b.StopTimer()
	sort.Slice(lats, func(i, j int) bool { return lats[i] < lats[j] })
	b.ReportMetric(float64(lats[len(lats)*99/100].Microseconds())/1000, "ms/p99")
	b.ReportMetric(float64(lats[len(lats)/2].Microseconds())/1000, "ms/p50")
}
