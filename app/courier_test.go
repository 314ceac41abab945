package app

import "testing"

func TestCourierSpellingsShareOneCode(t *testing.T) {
	for name, want := range map[string]Courier{
		"J&T": CourierJNT, "J&T Express": CourierJNT, "jnt": CourierJNT, "J&T EZ": CourierJNT, "JT Express": CourierJNT,
		"JNE": CourierJNE, "JNE REG": CourierJNE, "jne yes": CourierJNE,
		"SiCepat": CourierSiCepat, "SICEPAT HALU": CourierSiCepat, "Shopee Xpress": CourierSPX, "SPX Express": CourierSPX,
		"AnterAja": CourierAnterAja, "Anter Aja": CourierAnterAja, "Ninja Van": CourierNinja, "Ninja Xpress": CourierNinja,
		"Lion Parcel": CourierLionParcel, "GoSend Instant": CourierGoSend, "Grab Express": CourierGrabExpress,
		"Pos Indonesia": CourierPosIndonesia, "POS Kilat Khusus": CourierPosIndonesia, "LEX ID": CourierLEX,
		"J&T Cargo": CourierJNTCargo,
	} {
		got, ok := ParseCourier(name)
		if !ok || got != want {
			t.Errorf("ParseCourier(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
	if c, ok := ParseCourier("Kurir Toko Sebelah"); ok || c != "kurirtokosebelah" {
		t.Errorf("an unknown courier: %q %v", c, ok)
	}
	if c, ok := ParseCourier("  "); ok || c != "" {
		t.Errorf("no courier: %q %v", c, ok)
	}
	if !SameCourier("J&T", "J&T Express") || SameCourier("JNE", "J&T") || SameCourier("", "") {
		t.Error("SameCourier matches by company")
	}
	if CourierName("jnt") != "J&T Express" || CourierName("Kurir Toko") != "Kurir Toko" {
		t.Errorf("display names: %q %q", CourierName("jnt"), CourierName("Kurir Toko"))
	}
	seen := map[Courier]bool{}
	for _, c := range Couriers() {
		if seen[c] || c.Label() == string(c) {
			t.Errorf("courier %q is listed twice or has no display name", c)
		}
		seen[c] = true
		if back, ok := ParseCourier(c.Label()); !ok || back != c {
			t.Errorf("the display name %q does not read back as %q", c.Label(), c)
		}
	}
}

func TestStaffAndChannelsWriteOneCourierName(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	in := sampleOrder(ChannelTokopedia)
	in.Shipment.Courier = "jnt"
	o := mustPlace(t, tx, in)
	if o.Shipment.Courier != "J&T Express" {
		t.Fatalf("a channel's courier is stored as %q", o.Shipment.Courier)
	}
	o = run(t, tx, o.ID, ActionAccept, Args{}, t0)
	o = run(t, tx, o.ID, ActionShip, Args{Courier: "sicepat reg", TrackingID: "SC123"}, t0)
	if o.Shipment.Courier != "SiCepat" {
		t.Fatalf("staff's courier is stored as %q", o.Shipment.Courier)
	}
}
