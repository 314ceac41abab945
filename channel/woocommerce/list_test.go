package woocommerce_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/kasir/pos/channel/woocommerce/wootest"
)

// Updated lists the orders modified in the window, page by page (150
// orders: two pages of List all orders), and ParseDetails reads Retrieve
// an order as a webhook's order; a wrong key is WooCommerce's refusal.
func TestUpdatedListsTheWindowPageByPage(t *testing.T) {
	s := wootest.New("ck_test", "cs_test")
	defer s.Close()
	now := time.Now().UTC()
	for i := range 150 {
		s.PutOrder(int64(2000+i), "processing", now.Add(-time.Duration(i+1)*time.Minute), map[string]any{"number": strconv.Itoa(2000 + i),
			"currency": "IDR", "total": "50000.00", "line_items": []map[string]any{{"id": 1, "name": "Kaos", "quantity": 1, "sku": "SKU-001", "price": 50000}}})
	}
	s.PutOrder(9, "completed", now.Add(-48*time.Hour), map[string]any{"number": "9"})
	a := adapter()
	ids, err := a.Updated(context.Background(), fields(s), now.Add(-24*time.Hour), now)
	if err != nil || len(ids) != 150 || ids[0] != "2149" || ids[149] != "2000" {
		t.Fatalf("%d ids (%v…), %v", len(ids), ids[:min(3, len(ids))], err)
	}
	if n := s.Calls("GET /wp-json/wc/v3/orders"); n != 2 {
		t.Fatalf("%d pages", n)
	}
	raw, err := a.Details(context.Background(), fields(s), "2000")
	if err != nil {
		t.Fatal(err)
	}
	o, status, err := a.ParseDetails(raw)
	if err != nil || status != "processing" || o.Number != "WC-2000" || len(o.Lines) != 1 || o.Lines[0].SKU != "SKU-001" {
		t.Fatalf("%+v %s %v", o, status, err)
	}
	f := fields(s)
	f["consumer_secret"] = "wrong"
	if _, err := a.Updated(context.Background(), f, now.Add(-time.Hour), now); err == nil {
		t.Fatal("a wrong secret listed orders")
	}
}
