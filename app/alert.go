package app

// BuyerCancelAlert says in words that the buyer cancelled the order through
// its channel, or asked to cancel one the shop already accepted; zero when
// neither. Staff see it as a banner, since a parcel packed for a cancelled
// order is a parcel lost.
func BuyerCancelAlert(o *Order) Message {
	if o == nil {
		return Message{}
	}
	switch {
	case BuyerCancelled(o):
		return Text("The buyer cancelled order %s on %s: do not ship it", o.Number, o.Channel)
	case OpenCancelRequest(o):
		return Text("The buyer asked to cancel order %s on %s: approve or decline it", o.Number, o.Channel)
	}
	return Message{}
}

// OpenCancelRequest reports whether the buyer asked to cancel an order the
// shop accepted and staff have not yet approved or declined it; the Online
// tab's cancel badge counts these.
func OpenCancelRequest(o *Order) bool {
	return o != nil && o.CancelRequest != nil && o.Status == StatusReadyToShip
}

// BuyerCancelled reports whether the buyer cancelled the order through its
// channel; staff need only see it, so the badge counts it until they open it.
func BuyerCancelled(o *Order) bool {
	return o != nil && o.Status == StatusCancelled && o.CancelReason == CancelByBuyer
}
