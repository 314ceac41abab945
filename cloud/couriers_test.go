package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/courier"
	"github.com/kasir/pos/courier/biteship/biteshiptest"
	"github.com/kasir/pos/courier/shipper"
	"github.com/kasir/pos/courier/shipper/shippertest"
)

// courierCloud is a cloud with the couriers follower running and its public API on loopback.
type courierCloud struct {
	srv  *Server
	st   Backend
	api  *httptest.Server
	shop *Shop
	stop func()
}

const shipperHookURL = "https://cloud.example.id/v1/couriers/shipper/push"

func startCourierCloud(t testing.TB, dir string, provider app.CourierProvider, base string) *courierCloud {
	t.Helper()
	return startCourierCloudWith(t, dir, provider, base, Options{})
}

// startCourierCloudWith is startCourierCloud with the edge options of opt.
func startCourierCloudWith(t testing.TB, dir string, provider app.CourierProvider, base string, opt Options) *courierCloud {
	t.Helper()
	st, err := OpenBolt(dir)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := OpenAccounts(st, noticeKey)
	if err != nil {
		t.Fatal(err)
	}
	opt.Logger, opt.Followers, opt.Accounts = quiet(), []Follower{NewCouriers()}, acc
	s := NewServer(st, opt)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.follow.run(ctx) }()
	api := httptest.NewServer(s.Handler())
	cc := &courierCloud{srv: s, st: st, api: api}
	var once sync.Once
	cc.stop = func() { once.Do(func() { api.Close(); cancel(); <-done; st.Close() }) }
	t.Cleanup(cc.stop)
	shops, _ := st.Shops()
	if len(shops) > 0 {
		cc.shop = shops[0]
		return cc
	}
	if cc.shop, err = AddShop(st, "Toko Kopi", time.Now()); err != nil {
		t.Fatal(err)
	}
	var cred string
	switch provider {
	case app.ProviderShipper:
		cred = fmt.Sprintf(`{"api_key":"shp-key-1","webhook_url":%q,"api_base":%q,"origin_area_id":"4711","contact_phone":"081211112222"}`, shipperHookURL, base)
	case app.ProviderBiteship:
		cred = fmt.Sprintf(`{"api_key":"biteship_test.key","webhook_header":"X-Kasir-Hook","webhook_secret":"hook-secret-1","api_base":%q,"origin_postal_code":"12440","contact_phone":"081211112222"}`, base)
	}
	if _, err := acc.Set(cc.shop.ID, app.AccountKind(provider), []byte(cred), time.Now()); err != nil {
		t.Fatal(err)
	}
	pol := app.DefaultPolicy()
	pol.ShopAddress, pol.CourierProvider = "Jl. Braga 1, Bandung", provider
	if err := st.Update(cc.shop.ID, func(tx ShopTx) error { return tx.PutPolicy(pol) }); err != nil {
		t.Fatal(err)
	}
	return cc
}

// readyOrder places a web-store order to Bandung (40115) and accepts it.
func readyOrder(t testing.TB, cc *courierCloud, cod bool) *app.Order {
	t.Helper()
	o := &app.Order{Channel: app.ChannelStore, Status: app.StatusNew, Number: "WEB-" + fmt.Sprint(time.Now().UnixNano()%1e7), Currency: app.IDR,
		Buyer: app.Buyer{Name: "Rina", Phone: "081234567890", Address: app.Address{Street: "Jl. Melati 3", City: "Bandung", PostalCode: "40115"}},
		Lines: []app.Line{{SKU: "KOPI-1", Name: "Kopi Gayo", Qty: 2, UnitPrice: 85000}}, Total: 170000, PaymentMethod: app.PayTransfer}
	if cod {
		o.PaymentMethod = app.PayCOD
	}
	res, err := cc.srv.Execute(cc.shop.ID, app.Command{Action: app.ActionPlace, Args: app.Args{Order: o}}, cloudOwner, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	step(t, cc.srv, cc.shop.ID, app.Command{Action: app.ActionAccept, OrderID: res.Order.ID})
	return res.Order
}

// arrange asks for rates and confirms a pickup with the cheapest.
func arrange(t testing.TB, cc *courierCloud, o *app.Order, before ...func()) courier.Rate {
	t.Helper()
	rates, err := cc.srv.Rates(context.Background(), cc.shop.ID, o.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	var pick courier.Rate
	for _, r := range rates {
		if r.Cheapest {
			pick = r
		}
	}
	if pick.Courier == "" {
		t.Fatalf("no cheapest rate in %+v", rates)
	}
	for _, f := range before {
		f()
	}
	from := time.Now().Add(3 * time.Hour).Truncate(time.Hour)
	step(t, cc.srv, cc.shop.ID, app.Command{Action: app.ActionArrangePickup, OrderID: o.ID, Args: app.Args{PickupFrom: from,
		Rate: &app.ShipmentRate{Courier: pick.Courier, CourierName: pick.CourierName, Service: pick.Service, ServiceName: pick.ServiceName,
			Price: app.Money(pick.Price), MinDays: pick.MinDays, MaxDays: pick.MaxDays, RateID: pick.RateID}}})
	return pick
}

func order(t testing.TB, cc *courierCloud, id string) *app.Order {
	t.Helper()
	o, err := cc.st.OrderByRef(cc.shop.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func waitFor(t testing.TB, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func post(t testing.TB, url string, header http.Header, body any) (int, string) {
	t.Helper()
	var b []byte
	switch v := body.(type) {
	case string:
		b = []byte(v)
	default:
		b, _ = json.Marshal(v)
	}
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(resp.Body)
	return resp.StatusCode, out.String()
}

func shipperPush(orderID, awb string, code int, name string) shipper.Push {
	p := shipper.Push{Auth: shipper.PushAuth("shp-key-1", shipperHookURL), OrderID: orderID, AWB: awb}
	p.ExternalStatus.Code, p.ExternalStatus.Name = code, name
	return p
}

// TestShipperEndToEnd: rates → book (create order + pickup request) →
// Shipper's pushes → the AWB on the shipment → delivered → completed; a
// late push changes nothing, a wrong auth is 401 and writes nothing, an
// unknown shipment is 200 "ignored".
func TestShipperEndToEnd(t *testing.T) {
	fake := shippertest.New("shp-key-1")
	defer fake.Close()
	cc := startCourierCloud(t, t.TempDir(), app.ProviderShipper, fake.URL)
	o := readyOrder(t, cc, true)
	arrange(t, cc, o)
	waitFor(t, "the booking", func() bool { return order(t, cc, o.ID).Shipment.Booking == app.BookingBooked })
	got := order(t, cc, o.ID)
	orders := fake.Orders()
	if fake.Creates != 1 || len(fake.Pickups) != 1 || len(orders) != 1 || orders[0].ExternalID != o.Number || got.Shipment.ProviderOrderID != orders[0].OrderID {
		t.Fatalf("creates %d pickups %d orders %+v shipment %+v", fake.Creates, len(fake.Pickups), orders, got.Shipment)
	}
	if !orders[0].Courier.COD {
		t.Fatal("a COD order was booked without COD")
	}
	url := cc.api.URL + "/v1/couriers/shipper/push"
	pid := got.Shipment.ProviderOrderID

	bad := shipperPush(pid, "", 1020, "Driver assigned")
	bad.Auth = shipper.PushAuth("other-key", shipperHookURL)
	before := len(order(t, cc, o.ID).History)
	if code, _ := post(t, url, nil, bad); code != http.StatusUnauthorized {
		t.Fatalf("wrong auth: %d", code)
	}
	if len(order(t, cc, o.ID).History) != before {
		t.Fatal("a push with a wrong auth wrote to the order")
	}
	if code, body := post(t, url, nil, shipperPush("NO-SUCH-ORDER", "", 1020, "x")); code != 200 || !strings.Contains(body, "ignored") {
		t.Fatalf("unknown shipment: %d %s", code, body)
	}
	if code, _ := post(t, url, nil, ""); code != 200 {
		t.Fatalf("empty probe: %d", code)
	}
	// Shipper's payload names its order id tracking_id and its object id
	// order_id (https://logistics-docs.shipper.id/docs/payload).
	asDocumented := shipperPush("60af69a2d48465d30e2b5b85", "", 1310, "Salah Alamat Tujuan")
	asDocumented.TrackingID = pid
	if code, body := post(t, url, nil, asDocumented); code != 200 || !strings.Contains(body, o.ID) {
		t.Fatalf("push naming the order by tracking_id: %d %s", code, body)
	}
	for _, p := range []shipper.Push{
		shipperPush(pid, "JNE00112233", 1010, "Tunggu Penjemputan"),
		shipperPush(pid, "", 1020, "Sedang Dijemput"),
		shipperPush(pid, "", 1050, "Sampai di HUB"),
		shipperPush(pid, "", 1010, "Tunggu Penjemputan"), // late
	} {
		if code, body := post(t, url, nil, p); code != 200 {
			t.Fatalf("push %d: %d %s", p.ExternalStatus.Code, code, body)
		}
	}
	got = order(t, cc, o.ID)
	if got.Status != app.StatusInDelivery || got.Shipment.State != app.ShipmentPickedUp || got.Shipment.AWB != "JNE00112233" || got.Shipment.TrackingID != "JNE00112233" {
		t.Fatalf("after pickup: %s %s %+v", got.Status, got.Shipment.State, got.Shipment)
	}
	h := history(t, cc.st, cc.shop.ID, o.ID)
	if !strings.Contains(h, "Shipper status 1010 Tunggu Penjemputan (kept") || !strings.Contains(h, "waybill JNE00112233") {
		t.Fatalf("history:\n%s", h)
	}
	if code, _ := post(t, url, nil, shipperPush("", "JNE00112233", 2000, "Delivered")); code != 200 {
		t.Fatal("delivered push refused")
	}
	if got = order(t, cc, o.ID); got.Status != app.StatusDelivered {
		t.Fatalf("not delivered: %s", got.Status)
	}
	step(t, cc.srv, cc.shop.ID, app.Command{Action: app.ActionComplete, OrderID: o.ID})
	if got = order(t, cc, o.ID); got.Status != app.StatusCompleted || fake.Creates != 1 {
		t.Fatalf("completed: %s, creates %d", got.Status, fake.Creates)
	}
}

// TestBiteshipEndToEnd: rates → book → Biteship's order.status pushes
// (allocated with the driver, picking_up, picked, delivered) → completed.
func TestBiteshipEndToEnd(t *testing.T) {
	fake := biteshiptest.New("biteship_test.key")
	defer fake.Close()
	cc := startCourierCloud(t, t.TempDir(), app.ProviderBiteship, fake.URL)
	o := readyOrder(t, cc, false)
	arrange(t, cc, o)
	waitFor(t, "the booking", func() bool { return order(t, cc, o.ID).Shipment.Booking == app.BookingBooked })
	got := order(t, cc, o.ID)
	if fake.Creates != 1 || got.Shipment.ProviderOrderID == "" {
		t.Fatalf("creates %d shipment %+v", fake.Creates, got.Shipment)
	}
	url := cc.api.URL + "/v1/couriers/biteship/push"
	hdr := http.Header{"X-Kasir-Hook": {"hook-secret-1"}}
	if code, _ := post(t, url, nil, ""); code != 200 {
		t.Fatalf("probe without a body: %d", code)
	}
	if code, _ := post(t, url, http.Header{"X-Kasir-Hook": {"wrong"}}, map[string]string{"event": "order.status", "order_id": got.Shipment.ProviderOrderID, "status": "delivered"}); code != 401 {
		t.Fatalf("wrong header: %d", code)
	}
	push := func(status string, extra map[string]string) {
		m := map[string]string{"event": "order.status", "order_id": got.Shipment.ProviderOrderID, "status": status}
		for k, v := range extra {
			m[k] = v
		}
		if code, body := post(t, url, hdr, m); code != 200 {
			t.Fatalf("%s: %d %s", status, code, body)
		}
	}
	push("allocated", map[string]string{"courier_waybill_id": "JT0099887766", "courier_driver_name": "Agus", "courier_driver_phone": "0812999", "courier_driver_plate_number": "D 1234 AB"})
	if s := order(t, cc, o.ID).Shipment; s.State != app.ShipmentAssigned || s.AWB != "JT0099887766" || s.Driver == nil || s.Driver.Plate != "D 1234 AB" {
		t.Fatalf("allocated: %+v", s)
	}
	push("picking_up", nil)
	push("picked", nil)
	push("allocated", nil) // late
	if got := order(t, cc, o.ID); got.Status != app.StatusInDelivery || got.Shipment.State != app.ShipmentPickedUp {
		t.Fatalf("picked: %s %s", got.Status, got.Shipment.State)
	}
	push("delivered", nil)
	step(t, cc.srv, cc.shop.ID, app.Command{Action: app.ActionComplete, OrderID: o.ID})
	if got := order(t, cc, o.ID); got.Status != app.StatusCompleted || fake.Creates != 1 {
		t.Fatalf("completed: %s creates %d", got.Status, fake.Creates)
	}
}

// TestBookingSurvivesFaults: 500s on the look-ups before the create, or a
// 503 on the create itself, leave "pending … retrying" and a later attempt
// books once; a create that times out after Shipper made the order is
// "may have been made" and never sent again, until Shipper's push with our
// external_id attaches it; a refusal is shown with the provider's words and
// code and the order stays Ready to Ship.
func TestBookingSurvivesFaults(t *testing.T) {
	fake := shippertest.New("shp-key-1")
	defer fake.Close()
	old := courierHTTP
	courierHTTP = &http.Client{Timeout: 300 * time.Millisecond}
	defer func() { courierHTTP = old }()
	cc := startCourierCloud(t, t.TempDir(), app.ProviderShipper, fake.URL)

	o := readyOrder(t, cc, false)
	arrange(t, cc, o, func() { fake.Fail500(3) })
	waitFor(t, "the booking after 500s", func() bool { return order(t, cc, o.ID).Shipment.Booking == app.BookingBooked })
	if h := history(t, cc.st, cc.shop.ID, o.ID); !strings.Contains(h, "Booking with Shipper pending: service unreachable, retrying") {
		t.Fatalf("history:\n%s", h)
	}
	if n := fake.CreateCount(); n != 1 {
		t.Fatalf("creates %d after 500s", n)
	}

	o1 := readyOrder(t, cc, false)
	arrange(t, cc, o1, func() { fake.FailCreate(http.StatusServiceUnavailable, false) })
	waitFor(t, "the booking after a 503", func() bool { return order(t, cc, o1.ID).Shipment.Booking == app.BookingBooked })
	if n := fake.CreateCount(); n != 2 {
		t.Fatalf("creates %d after a 503", n)
	}

	o2 := readyOrder(t, cc, false)
	arrange(t, cc, o2, func() { fake.HangAfterCreate(2 * time.Second) })
	waitFor(t, "the lost answer", func() bool { return order(t, cc, o2.ID).Shipment.Booking == app.BookingUncertain })
	time.Sleep(time.Second) // a retry would have created again by now
	if n := fake.CreateCount(); n != 3 {
		t.Fatalf("a timed-out booking was created %d times", n-2)
	}
	if h := history(t, cc.st, cc.shop.ID, o2.ID); !strings.Contains(h, "Booking with Shipper may have been made: the answer was lost. Check Shipper's dashboard, then Book again or wait") {
		t.Fatalf("history:\n%s", h)
	}
	var made shipper.OrderData
	for _, x := range fake.Orders() {
		if x.ExternalID == o2.Number {
			made = x
		}
	}
	p := shipperPush(made.OrderID, "", 1000, "Paket sedang dipersiapkan")
	p.ExternalID = o2.Number
	if code, body := post(t, cc.api.URL+"/v1/couriers/shipper/push", nil, p); code != 200 {
		t.Fatalf("push: %d %s", code, body)
	}
	if s := order(t, cc, o2.ID).Shipment; s.Booking != app.BookingBooked || s.ProviderOrderID != made.OrderID || fake.CreateCount() != 3 {
		t.Fatalf("recognised: %+v creates %d", s, fake.CreateCount())
	}

	o3 := readyOrder(t, cc, false)
	fake.OutOfCoverage[4812] = true
	_, err := cc.srv.Rates(context.Background(), cc.shop.ID, o3.ID, "")
	if ref := courier.Refusal(err); ref == nil || ref.Code != "42220" {
		t.Fatalf("rates out of coverage: %v", err)
	}
	from := time.Now().Add(3 * time.Hour).Truncate(time.Hour)
	step(t, cc.srv, cc.shop.ID, app.Command{Action: app.ActionArrangePickup, OrderID: o3.ID, Args: app.Args{PickupFrom: from,
		Rate: &app.ShipmentRate{Courier: "jne", Service: "Regular", Price: 9000, RateID: "11"}}})
	waitFor(t, "the refusal", func() bool { return order(t, cc, o3.ID).Shipment.Booking == app.BookingRefused })
	got := order(t, cc, o3.ID)
	if got.Status != app.StatusReadyToShip || !strings.Contains(history(t, cc.st, cc.shop.ID, o3.ID), "Shipper refused the booking: destination area is out of coverage (code 42220)") {
		t.Fatalf("refused: %s\n%s", got.Status, history(t, cc.st, cc.shop.ID, o3.ID))
	}
}

// TestCancelAndRescheduleCancelAtTheProvider: a booked pickup that is
// rescheduled is cancelled at Shipper and booked again under a new
// reference; a shipment withdrawn before pickup is cancelled there too.
func TestCancelAndRescheduleCancelAtTheProvider(t *testing.T) {
	fake := shippertest.New("shp-key-1")
	defer fake.Close()
	cc := startCourierCloud(t, t.TempDir(), app.ProviderShipper, fake.URL)
	o := readyOrder(t, cc, false)
	pick := arrange(t, cc, o)
	waitFor(t, "the booking", func() bool { return order(t, cc, o.ID).Shipment.Booking == app.BookingBooked })
	first := order(t, cc, o.ID).Shipment.ProviderOrderID

	later := time.Now().Add(27 * time.Hour).Truncate(time.Hour)
	step(t, cc.srv, cc.shop.ID, app.Command{Action: app.ActionArrangePickup, OrderID: o.ID, Args: app.Args{PickupFrom: later,
		Rate: &app.ShipmentRate{Courier: pick.Courier, Service: pick.Service, Price: app.Money(pick.Price), RateID: pick.RateID}}})
	waitFor(t, "the new booking", func() bool {
		s := order(t, cc, o.ID).Shipment
		return s.Booking == app.BookingBooked && len(s.Withdrawn) == 0
	})
	s := order(t, cc, o.ID).Shipment
	if len(fake.Cancels) != 1 || fake.Cancels[0] != first || s.ProviderOrderID == first || s.Reference != o.Number+"-2" || fake.Creates != 2 {
		t.Fatalf("cancels %v creates %d shipment %+v", fake.Cancels, fake.Creates, s)
	}

	step(t, cc.srv, cc.shop.ID, app.Command{Action: app.ActionCancelShipment, OrderID: o.ID})
	waitFor(t, "the cancel", func() bool { return len(fake.Cancels) == 2 && len(order(t, cc, o.ID).Shipment.Withdrawn) == 0 })
	if fake.Cancels[1] != s.ProviderOrderID {
		t.Fatalf("cancelled %v", fake.Cancels)
	}
}

// TestRatesForATerminal: GET /v1/orders/{id}/rates answers a terminal's
// token with each courier and service, cheapest and fastest marked; no
// token is 401; a provider's refusal is 422 with its words and code.
func TestRatesForATerminal(t *testing.T) {
	fake := shippertest.New("shp-key-1")
	defer fake.Close()
	cc := startCourierCloud(t, t.TempDir(), app.ProviderShipper, fake.URL)
	o := readyOrder(t, cc, false)
	_, tok, err := AddTerminal(cc.st, cc.shop.ID, "tablet", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	get := func(token, id string, query ...string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, cc.api.URL+"/v1/orders/"+id+"/rates?"+strings.Join(query, "&"), nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	if code, _ := get("", o.ID); code != 401 {
		t.Fatalf("no token: %d", code)
	}
	code, body := get(tok, o.Number)
	var reply RatesReply
	if code != 200 || json.Unmarshal([]byte(body), &reply) != nil || len(reply.Rates) != 4 || reply.Provider != app.ProviderShipper {
		t.Fatalf("rates: %d %s", code, body)
	}
	var cheap, fast int
	for _, r := range reply.Rates {
		if r.Cheapest {
			cheap++
		}
		if r.Fastest {
			fast++
		}
	}
	if cheap != 1 || fast != 1 {
		t.Fatalf("marks: %s", body)
	}
	// The weight typed in the Arrange dialog prices the parcel: 3 kg.
	code, body = get(tok, o.ID, "weight_g=3000", "length_cm=30", "width_cm=20", "height_cm=10")
	reply = RatesReply{}
	if code != 200 || json.Unmarshal([]byte(body), &reply) != nil {
		t.Fatalf("rates for 3 kg: %d %s", code, body)
	}
	for _, r := range reply.Rates {
		if r.Courier == "jne" && r.Service == "Regular" && r.Price != 27000 {
			t.Fatalf("JNE REG for 3 kg: %d", r.Price)
		}
	}
	if code, body := get(tok, o.ID, "weight_g=abc"); code != 400 || !strings.Contains(body, "Weight") {
		t.Fatalf("a weight that is not a number: %d %s", code, body)
	}
	if code, body := get(tok, o.ID, "weight_g=60000"); code != 422 || !strings.Contains(body, "over the 50 kg limit") {
		t.Fatalf("60 kg: %d %s", code, body)
	}
	fake.OutOfCoverage[4812] = true
	if code, body := get(tok, o.ID); code != 422 || !strings.Contains(body, "out of coverage (code 42220)") {
		t.Fatalf("refusal: %d %s", code, body)
	}
}

// TestOfflineArrangedBookingTakesTheNamedCourier: a pickup arranged on a
// tablet that was offline names a courier and service without a quote; the
// cloud books the provider's offer for them (JNE YES is rate 12).
func TestOfflineArrangedBookingTakesTheNamedCourier(t *testing.T) {
	fake := shippertest.New("shp-key-1")
	defer fake.Close()
	cc := startCourierCloud(t, t.TempDir(), app.ProviderShipper, fake.URL)
	o := readyOrder(t, cc, false)
	from := time.Now().Add(3 * time.Hour).Truncate(time.Hour)
	step(t, cc.srv, cc.shop.ID, app.Command{Action: app.ActionArrangePickup, OrderID: o.ID, Args: app.Args{PickupFrom: from,
		Rate: &app.ShipmentRate{Courier: "JNE", Service: "YES"}}})
	waitFor(t, "the booking", func() bool { return order(t, cc, o.ID).Shipment.Booking == app.BookingBooked })
	orders := fake.Orders()
	if len(orders) != 1 || orders[0].Courier.RateID != 12 {
		t.Fatalf("booked %+v", orders)
	}
	o2 := readyOrder(t, cc, false)
	step(t, cc.srv, cc.shop.ID, app.Command{Action: app.ActionArrangePickup, OrderID: o2.ID, Args: app.Args{PickupFrom: from,
		Rate: &app.ShipmentRate{Courier: "Paxel"}}})
	waitFor(t, "the refusal", func() bool { return order(t, cc, o2.ID).Shipment.Booking == app.BookingRefused })
	if h := history(t, cc.st, cc.shop.ID, o2.ID); !strings.Contains(h, "Shipper refused the booking: Shipper offers no Paxel service for this parcel (code rate)") {
		t.Fatalf("history:\n%s", h)
	}
}

// TestBookAgainAfterALostAnswer, for each provider: a create answered 500
// (Shipper) or 502 (Biteship) may have been made, so it is not sent again
// and "Book again" is offered; staff book again, which makes exactly one
// more create under the next reference. When the provider's push then names
// the lost order, the cloud cancels it there.
func TestBookAgainAfterALostAnswer(t *testing.T) {
	type provider struct {
		name     app.CourierProvider
		base     string
		failOnce func(status int)
		creates  func() int
		cancels  func() []string
		orders   func() map[string]string // reference → provider order id
		push     func(cc *courierCloud, orderID, reference string)
	}
	shp := shippertest.New("shp-key-1")
	defer shp.Close()
	bite := biteshiptest.New("biteship_test.key")
	defer bite.Close()
	for _, p := range []provider{
		{name: app.ProviderShipper, base: shp.URL, failOnce: func(st int) { shp.FailCreate(st, true) }, creates: shp.CreateCount,
			cancels: shp.CancelList,
			orders: func() map[string]string {
				m := map[string]string{}
				for _, o := range shp.Orders() {
					m[o.ExternalID] = o.OrderID
				}
				return m
			},
			push: func(cc *courierCloud, id, ref string) {
				p := shipperPush(id, "", 1000, "Paket sedang dipersiapkan")
				p.ExternalID = ref
				if code, body := post(t, cc.api.URL+"/v1/couriers/shipper/push", nil, p); code != 200 {
					t.Fatalf("push: %d %s", code, body)
				}
			}},
		{name: app.ProviderBiteship, base: bite.URL, failOnce: func(st int) { bite.FailCreate(st, true) }, creates: bite.CreateCount,
			cancels: bite.CancelList,
			orders: func() map[string]string {
				m := map[string]string{}
				for _, o := range bite.Orders() {
					m[o.ReferenceID] = o.ID
				}
				return m
			},
			// Biteship's order.status names the order by its id only; the
			// cloud reads its reference_id with GET /v1/orders/:id.
			push: func(cc *courierCloud, id, _ string) {
				body := map[string]string{"event": "order.status", "order_id": id, "status": "confirmed"}
				if code, out := post(t, cc.api.URL+"/v1/couriers/biteship/push", http.Header{"X-Kasir-Hook": {"hook-secret-1"}}, body); code != 200 {
					t.Fatalf("push: %d %s", code, out)
				}
			}},
	} {
		t.Run(string(p.name), func(t *testing.T) {
			cc := startCourierCloud(t, t.TempDir(), p.name, p.base)
			o := readyOrder(t, cc, false)
			before := p.creates()
			status := http.StatusInternalServerError
			if p.name == app.ProviderBiteship {
				status = http.StatusBadGateway
			}
			arrange(t, cc, o, func() { p.failOnce(status) })
			waitFor(t, "the lost answer", func() bool { return order(t, cc, o.ID).Shipment.Booking == app.BookingUncertain })
			time.Sleep(500 * time.Millisecond)
			got := order(t, cc, o.ID)
			if n := p.creates() - before; n != 1 {
				t.Fatalf("creates %d before staff acted", n)
			}
			if acts := app.StaffActions(got); len(acts) == 0 || acts[0] != app.ActionBookAgain {
				t.Fatalf("staff actions %v", acts)
			}
			if _, err := cc.srv.Execute(cc.shop.ID, app.Command{Action: app.ActionBookAgain, OrderID: o.ID},
				app.Actor{Staff: "Dewi", Role: app.RolePacker, Terminal: "tablet-1"}, time.Now()); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the second booking", func() bool { return order(t, cc, o.ID).Shipment.Booking == app.BookingBooked })
			time.Sleep(300 * time.Millisecond)
			got = order(t, cc, o.ID)
			if n := p.creates() - before; n != 2 || got.Shipment.Reference != o.Number+"-2" {
				t.Fatalf("creates %d, shipment %+v", n, got.Shipment)
			}
			h := history(t, cc.st, cc.shop.ID, o.ID)
			var who string
			for _, e := range got.History {
				if e.Action == app.ActionBookAgain {
					who = e.Actor.String()
				}
			}
			if who != "Dewi @ tablet-1" || !strings.Contains(h, "made again after checking") {
				t.Fatalf("book again by %q:\n%s", who, h)
			}
			// The lost create did make an order: its push names it, and it is cancelled.
			lost := p.orders()[o.Number]
			p.push(cc, lost, o.Number)
			waitFor(t, "the lost order cancelled", func() bool {
				c := p.cancels()
				return len(c) > 0 && c[len(c)-1] == lost && len(order(t, cc, o.ID).Shipment.Withdrawn) == 0
			})
			if s := order(t, cc, o.ID).Shipment; s.Booking != app.BookingBooked || s.ProviderOrderID == lost || p.creates()-before != 2 {
				t.Fatalf("after the lost order's push: %+v", s)
			}
		})
	}
}

// TestBiteshipLostAnswerRecognisedByItsPush: Biteship made the order but
// its answer timed out; the booking is not sent again, and Biteship's
// order.status push — which names the order by its id only — is read back
// with GET /v1/orders/:id for our reference_id and attaches the booking.
func TestBiteshipLostAnswerRecognisedByItsPush(t *testing.T) {
	fake := biteshiptest.New("biteship_test.key")
	defer fake.Close()
	old := courierHTTP
	courierHTTP = &http.Client{Timeout: 300 * time.Millisecond}
	defer func() { courierHTTP = old }()
	cc := startCourierCloud(t, t.TempDir(), app.ProviderBiteship, fake.URL)
	o := readyOrder(t, cc, true)
	arrange(t, cc, o, func() { fake.HangAfterCreate(2 * time.Second) })
	waitFor(t, "the lost answer", func() bool { return order(t, cc, o.ID).Shipment.Booking == app.BookingUncertain })
	time.Sleep(time.Second)
	orders := fake.Orders()
	if n := fake.CreateCount(); n != 1 || len(orders) != 1 {
		t.Fatalf("creates %d", n)
	}
	hdr := http.Header{"X-Kasir-Hook": {"hook-secret-1"}}
	body := map[string]string{"event": "order.status", "order_id": orders[0].ID, "status": "allocated", "courier_driver_name": "Agus"}
	if code, out := post(t, cc.api.URL+"/v1/couriers/biteship/push", hdr, body); code != 200 || !strings.Contains(out, o.ID) {
		t.Fatalf("push: %d %s", code, out)
	}
	s := order(t, cc, o.ID).Shipment
	if s.Booking != app.BookingBooked || s.ProviderOrderID != orders[0].ID || s.State != app.ShipmentAssigned || fake.CreateCount() != 1 {
		t.Fatalf("recognised: %+v creates %d", s, fake.CreateCount())
	}
	// A push for an order Kasir never booked is still ignored.
	body["order_id"] = "not-ours"
	if code, out := post(t, cc.api.URL+"/v1/couriers/biteship/push", hdr, body); code != 200 || !strings.Contains(out, "ignored") {
		t.Fatalf("unknown order: %d %s", code, out)
	}
}
