package app

// A booking whose answer was lost: the cloud sent the create to Shipper or
// Biteship, and no answer said whether the order was made (a timeout after
// the request left, a broken connection, a 5xx, a cloud killed mid-call).
// Neither provider documents a way to look an order up by our reference or
// to make a repeated create harmless, so the cloud never creates again by
// itself. The shipment waits, "may have been booked", until the provider's
// first push names our reference (the booking is then recognised), or staff
// check the provider's dashboard and book again.

// ActionBookAgain makes a booking whose answer was lost once more, under a
// new reference, after staff checked the provider's dashboard.
const ActionBookAgain Action = "book_again"

// BookingNotice is what the order detail shows staff about the shipment's
// booking with a provider, or a zero Message when there is nothing to say.
func BookingNotice(s Shipment) Message {
	if !s.Provider.Books() {
		return Message{}
	}
	label := s.Provider.Label()
	switch s.Booking {
	case BookingUncertain:
		return Text("Booking with %s may have been made: the answer was lost. Check %s's dashboard for reference %s, then Book again or wait", label, label, s.Reference)
	case BookingPending, BookingSending:
		return Text("Booking with %s pending (reference %s)", label, s.Reference)
	}
	return Message{}
}

// BookAgainQuestion is what staff confirm before booking again: the lost
// booking may still exist, and only the provider's dashboard can tell.
func BookAgainQuestion(s Shipment) Message {
	label := s.Provider.Label()
	return Text("Book with %s again? Do it only if %s's dashboard shows no order with reference %s: otherwise two couriers come", label, label, s.Reference)
}

// canBookAgain reports whether staff may book the shipment again.
func canBookAgain(s Shipment) bool {
	return s.Provider.Books() && s.Booking == BookingUncertain && s.ProviderOrderID == "" && s.State == ShipmentSearching
}

// bookAgain withdraws the booking whose answer was lost (it is cancelled if
// the provider ever reports it) and queues a new one with the same courier,
// service and pickup, under the next reference. Who did it is in the history.
func bookAgain(c *change) (Status, error) {
	s := &c.order.Shipment
	c.kind = KindShipment
	if !canBookAgain(*s) {
		return "", c.refuse("only a booking whose answer was lost can be booked again")
	}
	lost := s.Reference
	s.Withdrawn = withdrawn(*s)
	s.Bookings++
	s.Reference = bookingReference(c.order, s.Bookings)
	s.Booking = BookingPending
	label := s.Provider.Label()
	c.note = Text("Booking with %s made again after checking %s's dashboard: reference %s (the lost booking %s is cancelled if %s reports it)",
		label, label, s.Reference, lost, label)
	return c.from, nil
}
