package cloud

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/courier/shipper"
)

// bookedOrder places, accepts and arranges a web-store order with Shipper,
// then records the booking Shipper answered: order id, and AWB when given.
func bookedOrder(t testing.TB, s *Server, shop, number, providerOrder, awb string) *app.Order {
	t.Helper()
	o := &app.Order{Channel: app.ChannelStore, Status: app.StatusNew, Number: number, Currency: app.IDR,
		Buyer: app.Buyer{Name: "Rina", Phone: "081234567890", Address: app.Address{Street: "Jl. Melati 3", City: "Bandung", PostalCode: "40115"}},
		Lines: []app.Line{{SKU: "KOPI-1", Name: "Kopi Gayo", Qty: 1, UnitPrice: 85000}}, Total: 85000, PaymentMethod: app.PayTransfer}
	res, err := s.Execute(shop, app.Command{Action: app.ActionPlace, Args: app.Args{Order: o}}, cloudOwner, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	id := res.Order.ID
	step(t, s, shop, app.Command{Action: app.ActionAccept, OrderID: id})
	step(t, s, shop, app.Command{Action: app.ActionArrangePickup, OrderID: id, Args: app.Args{Provider: app.ProviderShipper,
		PickupFrom: time.Now().Add(3 * time.Hour).Truncate(time.Hour), PickupAddress: "Jl. Braga 1, Bandung", Rate: &app.ShipmentRate{Courier: "jne", Service: "reg", Price: 18000, RateID: "58"}}})
	_, err = s.Execute(shop, app.Command{Action: app.ActionRecordBooking, OrderID: id, Args: app.Args{Booking: &app.BookingRecord{
		Provider: app.ProviderShipper, Reference: number, State: app.BookingBooked, OrderID: providerOrder, AWB: awb}}},
		app.ChannelActor("shipper"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return res.Order
}

// checkShipmentIndex: every id of a booked shipment finds its order through
// the index, another provider's or an unknown id finds nothing, and the push
// lookup takes the order only while its shipment still carries the id.
func checkShipmentIndex(t *testing.T, st Backend) {
	s := NewServer(st, Options{Logger: quiet()})
	shop, err := AddShop(st, "Toko Kopi", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	a := bookedOrder(t, s, shop.ID, "WEB-A1", "SHP-ORDER-A", "AWBA0001")
	b := bookedOrder(t, s, shop.ID, "WEB-B2", "SHP-ORDER-B", "")
	for _, c := range []struct {
		kind ShipmentKey
		id   string
		want string
	}{
		{ShipmentByOrderID, "SHP-ORDER-A", a.ID}, {ShipmentByTracking, "AWBA0001", a.ID}, {ShipmentByReference, "WEB-A1", a.ID},
		{ShipmentByOrderID, "SHP-ORDER-B", b.ID}, {ShipmentByReference, "WEB-B2", b.ID},
		{ShipmentByTracking, "SHP-ORDER-A", ""}, {ShipmentByOrderID, "nope", ""},
	} {
		got, err := st.ShipmentOrder(shop.ID, app.ProviderShipper, c.kind, c.id)
		if err != nil || got != c.want {
			t.Errorf("%s %s: %q %v, want %q", c.kind, c.id, got, err, c.want)
		}
	}
	if got, _ := st.ShipmentOrder(shop.ID, app.ProviderBiteship, ShipmentByOrderID, "SHP-ORDER-A"); got != "" {
		t.Errorf("Biteship's lookup found Shipper's shipment %q", got)
	}
	o, err := s.findShipment(shop.ID, pushMatch{provider: app.ProviderShipper, trackingID: "AWBA0001"})
	if err != nil || o == nil || o.ID != a.ID {
		t.Fatalf("push by AWB: %v %v", o, err)
	}
	// Re-arranged: the old booking's ids no longer name the order's shipment.
	step(t, s, shop.ID, app.Command{Action: app.ActionArrangePickup, OrderID: b.ID, Args: app.Args{Provider: app.ProviderShipper,
		PickupFrom: time.Now().Add(5 * time.Hour).Truncate(time.Hour), PickupAddress: "Jl. Braga 1, Bandung", Rate: &app.ShipmentRate{Courier: "jnt", Service: "ez", Price: 17000, RateID: "59"}}})
	if o, err := s.findShipment(shop.ID, pushMatch{provider: app.ProviderShipper, orderID: "SHP-ORDER-B"}); err != nil || o != nil {
		t.Fatalf("a withdrawn booking's id still found %v (%v)", o, err)
	}
	if o, err := s.findShipment(shop.ID, pushMatch{provider: app.ProviderShipper, externalID: "WEB-B2-2"}); err != nil || o == nil || o.ID != b.ID {
		t.Fatalf("the new booking's reference: %v %v", o, err)
	}
	// The replaced booking's reference still names the order, so its pushes
	// are recorded there (and a lost create's order gets cancelled).
	if o, err := s.findShipment(shop.ID, pushMatch{provider: app.ProviderShipper, externalID: "WEB-B2"}); err != nil || o == nil || o.ID != b.ID {
		t.Fatalf("the replaced booking's reference: %v %v", o, err)
	}
}

func TestShipmentIndexBolt(t *testing.T) {
	st, err := OpenBolt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	checkShipmentIndex(t, st)
}

// TestCourierPushesAreRateLimited: the courier webhooks share the channel
// webhooks' limits: per address before anything is read or checked, and per
// shop once the push is matched to one.
func TestCourierPushesAreRateLimited(t *testing.T) {
	cc := startCourierCloudWith(t, t.TempDir(), app.ProviderBiteship, "http://127.0.0.1:1", Options{WebhookRate: Rate{PerSecond: 0.001, Burst: 3}})
	var codes []int
	for i := 0; i < 4; i++ {
		code, _ := post(t, cc.api.URL+"/v1/couriers/shipper/push", nil, shipper.Push{Auth: "wrong", OrderID: fmt.Sprint(i)})
		codes = append(codes, code)
	}
	if codes[2] != http.StatusUnauthorized || codes[3] != http.StatusTooManyRequests {
		t.Fatalf("Shipper pushes from one address: %v", codes)
	}
	if code, _ := post(t, cc.api.URL+"/v1/couriers/biteship/push", nil, `{"event":"order.status"}`); code != http.StatusTooManyRequests {
		t.Fatalf("a Biteship push from the same address: %d", code)
	}
	// From four addresses with the shop's header: the shop's fourth is refused.
	port := strings.TrimPrefix(cc.api.URL, "http://127.0.0.1")
	codes = codes[:0]
	for i := 0; i < 4; i++ {
		client := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
			LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(20+i))}}).DialContext}}
		req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1"+port+"/v1/couriers/biteship/push",
			strings.NewReader(`{"event":"order.status","order_id":"nobody","status":"allocated"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Kasir-Hook", "hook-secret-1")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
	}
	if codes[2] != http.StatusOK || codes[3] != http.StatusTooManyRequests {
		t.Fatalf("one shop from four addresses: %v", codes)
	}
}
