package app

import "testing"

func TestNotInCatalogue(t *testing.T) {
	has := func(sku string) bool { return sku == "KAOS-1" || sku == "TOPI-1" }
	ls := []Listing{
		{ID: "1", SKU: "KAOS-1"},                       // in the catalogue
		{ID: "2", SKU: ""},                             // no SKU at the platform
		{ID: "3", SKU: "KAOS-XL"},                      // a SKU the shop does not have
		{ID: "4", SKU: "KAOS-XL", LinkedSKU: "TOPI-1"}, // linked by the owner
		{ID: "5", SKU: " TOPI-1 "},
	}
	got := NotInCatalogue(ls, has)
	if len(got) != 2 || got[0].ID != "2" || got[1].ID != "3" {
		t.Fatalf("not in POS: %+v", got)
	}
	p, err := ProductFromListing(Listing{Name: "Kaos XL", Currency: IDR, Price: 90000, Qty: 4}, "KAOS-XL")
	if err != nil || p.SKU != "KAOS-XL" || p.Price != 90000 || p.OnHand != 4 {
		t.Fatalf("imported: %+v %v", p, err)
	}
	if _, err := ProductFromListing(Listing{Name: "Kaos XL", Currency: IDR}, " "); ErrorCode(err) != EInvalid {
		t.Fatalf("no SKU: %v", err)
	}
}
