package woocommerce_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/kasir/pos/channel/woocommerce"
	"github.com/kasir/pos/channel/woocommerce/wootest"
)

func TestWooCommerceListings(t *testing.T) {
	s := wootest.New("ck_1", "cs_1")
	defer s.Close()
	// 120 simple products: more than one page of 100.
	for i := int64(1); i <= 120; i++ {
		q := int(i)
		s.AddListing(wootest.Product{ID: i, Name: "Kaos " + strconv.FormatInt(i, 10), SKU: "KAOS-" + strconv.FormatInt(i, 10), Price: "75000", Stock: &q})
	}
	neg := -3
	s.AddListing(wootest.Product{ID: 500, Name: "Sandal", Type: "variable"})
	s.AddListing(wootest.Product{ID: 501, ParentID: 500, SKU: "SANDAL-40", Price: "50000.00", Stock: &neg})
	s.AddListing(wootest.Product{ID: 502, ParentID: 500, Name: "Sandal 41", Price: "52500"})
	f := map[string]string{"store_url": s.URL, "consumer_key": "ck_1", "consumer_secret": "cs_1"}
	ls, err := woocommerce.New().Listings(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 122 {
		t.Fatalf("%d listings", len(ls))
	}
	if l := ls[0]; l.ID != "1" || l.SKU != "KAOS-1" || l.Name != "Kaos 1" || l.Price != 75000 || l.Qty != 1 {
		t.Fatalf("first %+v", l)
	}
	// A variable product is not a listing; each variation is, with its own SKU.
	v1, v2 := ls[120], ls[121]
	if v1.ID != "501" || v1.SKU != "SANDAL-40" || v1.Name != "Sandal" || v1.Price != 50000 || v1.Qty != 0 {
		t.Fatalf("variation %+v", v1)
	}
	if v2.ID != "502" || v2.SKU != "" || v2.Name != "Sandal 41" || v2.Price != 52500 {
		t.Fatalf("variation without SKU %+v", v2)
	}
}

func TestWooCommerceListingsWrongKey(t *testing.T) {
	s := wootest.New("ck_1", "cs_1")
	defer s.Close()
	f := map[string]string{"store_url": s.URL, "consumer_key": "ck_1", "consumer_secret": "wrong"}
	if _, err := woocommerce.New().Listings(context.Background(), f); err == nil {
		t.Fatal("listed with a wrong secret")
	}
}
