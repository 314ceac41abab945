package app

import (
	"slices"
	"testing"
	"time"
)

func searchedOrder() *Order {
	return &Order{ID: "shopee:2401", Number: "SHP-2401", ExternalID: "2401", Status: StatusNew,
		Buyer:    Buyer{Name: "Siti Rahma", Phone: "0812-3456-789"},
		Shipment: Shipment{TrackingID: "JNE123"},
		Lines:    []Line{{SKU: "KAOS-HTM", Name: "Kaos polos hitam", Qty: 1, UnitPrice: 50000}}}
}

// A status change, the sweep's thousand rejects, keeps the text a store
// compares to skip working the words out again.
func TestOrderSearchTextStaysWhenOnlyStatusMoves(t *testing.T) {
	a, b := searchedOrder(), searchedOrder()
	b.Status, b.Version, b.UpdatedAt, b.AcceptBy = StatusCancelled, 7, time.Now(), time.Now()
	b.PaymentStatus, b.Total, b.Lines[0].Qty = PaymentPaid, 99, 3
	if OrderSearchText(a) != OrderSearchText(b) {
		t.Fatalf("text moved with the status: %q vs %q", OrderSearchText(a), OrderSearchText(b))
	}
	if !slices.Equal(OrderSearchWords(a), OrderSearchWords(b)) {
		t.Fatal("words moved with the status")
	}
}

// Every text the words are made of moves the search text, so a store never
// keeps stale words for a changed order.
func TestOrderSearchTextMovesWithEveryWordSource(t *testing.T) {
	edits := map[string]func(o *Order){
		"number":    func(o *Order) { o.Number = "SHP-2402" },
		"external":  func(o *Order) { o.ExternalID = "2402" },
		"buyer":     func(o *Order) { o.Buyer.Name = "Siti Rahmi" },
		"phone":     func(o *Order) { o.Buyer.Phone = "0813-3456-789" },
		"tracking":  func(o *Order) { o.Shipment.TrackingID = "JNE124" },
		"line sku":  func(o *Order) { o.Lines[0].SKU = "KAOS-PTH" },
		"line name": func(o *Order) { o.Lines[0].Name = "Kaos polos putih" },
		"new line":  func(o *Order) { o.Lines = append(o.Lines, Line{SKU: "TOPI", Name: "Topi"}) },
	}
	base := searchedOrder()
	for name, edit := range edits {
		o := searchedOrder()
		edit(o)
		if OrderSearchText(o) == OrderSearchText(base) {
			t.Errorf("%s: the search text did not move", name)
		}
		if slices.Equal(OrderSearchWords(o), OrderSearchWords(base)) {
			t.Errorf("%s: the words did not move", name)
		}
	}
	// Text moved from one field to the next is a different order's text.
	a, b := searchedOrder(), searchedOrder()
	a.Number, a.ExternalID = "SHP2401", ""
	b.Number, b.ExternalID = "SHP", "2401"
	if OrderSearchText(a) == OrderSearchText(b) {
		t.Error("a boundary between texts was lost")
	}
}

// The order's own words are its words without its lines'.
func TestOrderOwnSearchWordsLeaveLinesOut(t *testing.T) {
	o := searchedOrder()
	own := OrderOwnSearchWords(o)
	for _, w := range []string{"shp-2401", "2401", "siti", "rahma", "8123456789", "jne123"} {
		if !slices.Contains(own, w) {
			t.Errorf("own words %v lack %q", own, w)
		}
	}
	for _, w := range []string{"kaos", "kaos-htm"} {
		if slices.Contains(own, w) {
			t.Errorf("own words %v hold the line's %q", own, w)
		}
		if !slices.Contains(OrderSearchWords(o), w) {
			t.Errorf("words lack the line's %q", w)
		}
	}
}
