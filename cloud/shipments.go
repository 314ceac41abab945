package cloud

import "github.com/kasir/pos/app"

// ShipmentIndex finds the order a courier provider's push is about without
// reading every order: both backends keep, in the order's own transaction,
// the provider's order id, our reference and the tracking id / AWB of every
// shipment a provider books.
type ShipmentIndex interface {
	// ShipmentOrder is the id of the order whose shipment with provider p
	// carries id as kind, or "" when none does. An order re-arranged since
	// may still be named by an old id; the caller checks the order's shipment.
	ShipmentOrder(shop string, p app.CourierProvider, kind ShipmentKey, id string) (string, error)
}

// ShipmentKey is which of a shipment's ids a lookup names.
type ShipmentKey string

// The ids a provider's push may name a shipment by.
const (
	ShipmentByOrderID   ShipmentKey = "o" // the provider's order id
	ShipmentByTracking  ShipmentKey = "t" // the tracking id or the AWB
	ShipmentByReference ShipmentKey = "r" // our external id (the order number, -2, -3… for later bookings)
)

// ShipmentID is one id of a shipment under which the index finds its order.
type ShipmentID struct {
	Provider app.CourierProvider
	Kind     ShipmentKey
	ID       string
}

// ShipmentIDs are the ids the index keeps for o: its shipment's, when a
// provider books it, and the references of bookings it replaced.
func ShipmentIDs(o *app.Order) []ShipmentID {
	s := o.Shipment
	var out []ShipmentID
	add := func(k ShipmentKey, id string) {
		if id != "" && s.Provider.Books() {
			out = append(out, ShipmentID{s.Provider, k, id})
		}
	}
	add(ShipmentByOrderID, s.ProviderOrderID)
	add(ShipmentByReference, s.Reference)
	add(ShipmentByTracking, s.AWB)
	if s.TrackingID != s.AWB {
		add(ShipmentByTracking, s.TrackingID)
	}
	for _, w := range s.Withdrawn {
		// A replaced booking whose create answer was lost is recognised by
		// the reference its first push carries, so it can be cancelled.
		if w.Provider.Books() && w.Reference != "" {
			out = append(out, ShipmentID{w.Provider, ShipmentByReference, w.Reference})
		}
	}
	return out
}
