package app

import "testing"

func TestBillSourceNamesWhoIssuesTheParcelsBill(t *testing.T) {
	cases := []struct {
		name string
		o    Order
		want string
	}{
		{"shopee waiting for shipment", Order{Channel: ChannelShopee}, BillShopee},
		{"lazada with its tracking", Order{Channel: ChannelLazada, Shipment: Shipment{TrackingID: "LXAD-1"}}, BillLazada},
		{"tiktok pickup", Order{Channel: ChannelTikTok, Shipment: Shipment{Method: ShipPickup, State: ShipmentSearching}}, BillTikTok},
		{"tokopedia dropoff", Order{Channel: ChannelTokopedia, Shipment: Shipment{Method: ShipDropoff}}, BillTokopedia},
		{"marketplace shipped by hand", Order{Channel: ChannelShopee, Shipment: Shipment{Method: ShipManual, TrackingID: "JNE1"}}, ""},
		{"marketplace with the shop's courier", Order{Channel: ChannelTokopedia, Shipment: Shipment{Method: ShipPickup, Provider: ProviderLogistics}}, ""},
		{"web store booked with shipper", Order{Channel: ChannelStore, Shipment: Shipment{Method: ShipPickup, Provider: ProviderShipper, Booking: BookingBooked}}, BillShipper},
		{"woocommerce pending at shipper", Order{Channel: ChannelWooCommerce, Shipment: Shipment{Provider: ProviderShipper, Booking: BookingPending}}, BillShipper},
		{"shipper refused", Order{Channel: ChannelManual, Shipment: Shipment{Provider: ProviderShipper, Booking: BookingRefused}}, ""},
		{"biteship", Order{Channel: ChannelManual, Shipment: Shipment{Provider: ProviderBiteship, Booking: BookingBooked}}, ""},
		{"own courier", Order{Channel: ChannelManual, Shipment: Shipment{Provider: ProviderLogistics}}, ""},
		{"in store", Order{Channel: ChannelInStore}, ""},
	}
	for _, c := range cases {
		if got := BillSource(&c.o); got != c.want {
			t.Errorf("%s: BillSource = %q, want %q", c.name, got, c.want)
		}
	}
	if BillSource(nil) != "" {
		t.Error("a nil order has a bill source")
	}
}

func TestBillReadyOnceTheTrackingNumberArrives(t *testing.T) {
	cases := []struct {
		name string
		o    Order
		code string
	}{
		{"shopee without tracking", Order{Channel: ChannelShopee, Status: StatusReadyToShip}, EConflict},
		{"shopee with tracking", Order{Channel: ChannelShopee, Status: StatusReadyToShip, Shipment: Shipment{TrackingID: "SPXID1"}}, ""},
		{"cancelled", Order{Channel: ChannelShopee, Status: StatusCancelled, Shipment: Shipment{TrackingID: "SPXID1"}}, EConflict},
		{"no platform bill", Order{Channel: ChannelManual}, ENotFound},
		{"shipper not booked", Order{Channel: ChannelStore, Shipment: Shipment{Provider: ProviderShipper, Booking: BookingPending}}, EConflict},
		{"shipper booked, no waybill", Order{Channel: ChannelStore, Shipment: Shipment{Provider: ProviderShipper, Booking: BookingBooked, ProviderOrderID: "26A1"}}, EConflict},
		{"shipper with waybill", Order{Channel: ChannelStore, Shipment: Shipment{Provider: ProviderShipper, Booking: BookingBooked, ProviderOrderID: "26A1", AWB: "JT1", TrackingID: "JT1"}}, ""},
	}
	for _, c := range cases {
		err := BillReady(&c.o)
		if got := ErrorCode(err); got != c.code {
			t.Errorf("%s: BillReady = %v (code %q), want code %q", c.name, err, got, c.code)
		}
	}
	err := BillReady(&Order{Channel: ChannelTikTok, Status: StatusReadyToShip})
	if want := "TikTok Shop's airway bill is not ready: the order has no tracking number yet"; ErrorMessage(err) != want {
		t.Errorf("message = %q, want %q", ErrorMessage(err), want)
	}
	if id := ErrorMessageIn(err, Indonesian); id == ErrorMessage(err) {
		t.Errorf("the message is not translated: %q", id)
	}
}

func TestBillDotsAreBounded(t *testing.T) {
	for _, n := range []int{MinBillDots, 384, 576, 832, MaxBillDots} {
		if err := ValidateBillDots(n); err != nil {
			t.Errorf("%d dots: %v", n, err)
		}
	}
	for _, n := range []int{-1, 0, MinBillDots - 1, MaxBillDots + 1, 1 << 20} {
		if ErrorCode(ValidateBillDots(n)) != EInvalid {
			t.Errorf("%d dots accepted", n)
		}
	}
}
