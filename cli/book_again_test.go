package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/terminal"
)

// TestOrdersBookAgainAfterALostAnswer: `pos orders show` says a booking may
// have been made when its answer was lost; `pos orders book-again` books
// once more under the next reference, naming who did it; on a booking that
// is only pending it is refused in words.
func TestOrdersBookAgainAfterALostAnswer(t *testing.T) {
	dir := t.TempDir()
	term, err := terminal.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	o := &app.Order{ID: "o-lost", Channel: app.ChannelStore, Status: app.StatusReadyToShip, Number: "W-78", Currency: app.IDR,
		Buyer: app.Buyer{Name: "Rina", Phone: "081234567890", Address: app.Address{Street: "Jl. Melati 3", City: "Bandung", PostalCode: "40115"}},
		Lines: []app.Line{{SKU: "K", Name: "Kopi", Qty: 1, UnitPrice: 85000}}, Total: 85000, PaymentMethod: app.PayTransfer, CreatedAt: time.Now(),
		Shipment: app.Shipment{Method: app.ShipPickup, State: app.ShipmentSearching, Provider: app.ProviderShipper, Reference: "W-78", Bookings: 1,
			Booking: app.BookingUncertain, Courier: "JNE", Service: "REG", Rate: &app.ShipmentRate{Courier: "jne", Service: "Regular", Price: 9000, RateID: "11"}}}
	pending := *o
	pending.ID, pending.Number = "o-pending", "W-79"
	pending.Shipment.Reference, pending.Shipment.Booking = "W-79", app.BookingPending
	if err := term.DB.Update(func(tx app.Tx) error {
		if err := tx.PutOrder(o); err != nil {
			return err
		}
		return tx.PutOrder(&pending)
	}); err != nil {
		t.Fatal(err)
	}
	term.Close()

	out, errs, code := pos(t, dir, "orders", "show", "W-78")
	if code != 0 || !strings.Contains(out, "Booking with Shipper may have been made: the answer was lost. Check Shipper's dashboard for reference W-78") {
		t.Fatalf("show: %d\n%s\n%s", code, out, errs)
	}
	if out, errs, code := pos(t, dir, "orders", "book-again", "W-79"); code == 0 || !strings.Contains(out+errs, "only a booking whose answer was lost can be booked again") {
		t.Fatalf("pending booking booked again: %d %s %s", code, out, errs)
	}
	if out, errs, code := pos(t, dir, "orders", "book-again", "W-78", "--staff", "Dewi"); code != 0 {
		t.Fatalf("book-again: %d\n%s\n%s", code, out, errs)
	}
	term, err = terminal.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	got, err := term.Service.Order("o-lost")
	if err != nil {
		t.Fatal(err)
	}
	s := got.Shipment
	if s.Reference != "W-78-2" || s.Booking != app.BookingPending || len(s.Withdrawn) != 1 || !s.Withdrawn[0].MayExist {
		t.Fatalf("shipment %+v", s)
	}
	last := got.History[len(got.History)-1]
	if last.Action != app.ActionBookAgain || last.Actor.Staff != "Dewi" || !strings.Contains(last.Note, "reference W-78-2") {
		t.Fatalf("history %+v", last)
	}
}
