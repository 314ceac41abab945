package app

import "testing"

func TestLinkLines(t *testing.T) {
	catalogue := map[string]bool{"KAOS-HTM-L": true, "KAOS-MRH-M": true}
	has := func(sku string) bool { return catalogue[sku] }
	listings := []Listing{
		{Channel: ChannelShopee, ID: "300:400", LinkedSKU: "KAOS-MRH-M"},
		{Channel: ChannelShopee, ID: "300:401", SKU: "MERAH-L", LinkedSKU: "KAOS-MRH-M"},
		{Channel: ChannelShopee, ID: "100:200", SKU: "KAOS-HTM-L", LinkedSKU: "KAOS-MRH-M"},
		{Channel: ChannelLazada, ID: "9:9", SKU: "LZ-1", LinkedSKU: "KAOS-HTM-L"},
		{Channel: ChannelShopee, ID: "500:0", SKU: "TOPI"},
	}
	lines := []Line{
		{Listing: "300:400"},                    // linked by id
		{SKU: "MERAH-L"},                        // by the listing's seller SKU
		{SKU: "KAOS-HTM-L", Listing: "100:200"}, // the catalogue has its SKU: kept
		{SKU: "LZ-1"},                           // another platform's link
		{SKU: "TOPI", Listing: "500:0"},         // listed, not linked
		{Listing: "999:1"},                      // not listed
	}
	if n := LinkLines(ChannelShopee, lines, listings, has); n != 2 {
		t.Fatalf("linked %d", n)
	}
	want := []string{"KAOS-MRH-M", "KAOS-MRH-M", "KAOS-HTM-L", "LZ-1", "TOPI", ""}
	for i, l := range lines {
		if l.SKU != want[i] {
			t.Errorf("line %d: SKU %q, want %q", i, l.SKU, want[i])
		}
	}
	// 100:200's own SKU is a catalogue product: it gets that product's figure.
	if got := LinkedTo(listings, "KAOS-MRH-M", has); len(got) != 2 || got[0].ID != "300:400" || got[1].ID != "300:401" {
		t.Fatalf("linked to KAOS-MRH-M: %+v", got)
	}
}
