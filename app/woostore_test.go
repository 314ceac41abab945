package app

import "testing"

func TestWooStoreKey(t *testing.T) {
	for in, want := range map[string]string{
		"https://Toko.Example.ID/":       "toko.example.id",
		"http://toko.example.id":         "toko.example.id",
		"https://toko.example.id/shop//": "toko.example.id/shop",
		"http://127.0.0.1:8080":          "127.0.0.1:8080",
	} {
		if got, err := WooStoreKey("store_url", in); err != nil || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "toko.example.id", "ftp://toko.example.id", "https:///shop"} {
		if _, err := WooStoreKey("store_url", bad); err == nil {
			t.Errorf("%q was taken", bad)
		}
	}
}

func TestWooExternalID(t *testing.T) {
	id := WooExternalID("toko2.example.id", "1001")
	if id != "toko2.example.id/1001" || WooExternalID("", "1001") != "1001" {
		t.Fatal(id)
	}
	if s, n := SplitWooExternalID(id); s != "toko2.example.id" || n != "1001" {
		t.Fatal(s, n)
	}
	for _, ok := range []string{"1001", id, "127.0.0.1:8080/7"} {
		if err := ValidateExternalID(ChannelWooCommerce, "id", ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"toko/", "/1001", "Toko.example/1", "a b/1", "toko/x1", "toko//1"} {
		if err := ValidateExternalID(ChannelWooCommerce, "id", bad); err == nil {
			t.Errorf("%q was taken", bad)
		}
	}
	if err := ValidateExternalID(ChannelTokopedia, "id", id); err == nil {
		t.Error("a Tokopedia id with a store was taken")
	}
}
