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
	case o.Status == StatusCancelled && o.CancelReason == CancelByBuyer:
		return Text("The buyer cancelled order %s on %s: do not ship it", o.Number, o.Channel)
	case o.CancelRequest != nil && o.Status == StatusReadyToShip:
		return Text("The buyer asked to cancel order %s on %s: approve or decline it", o.Number, o.Channel)
	}
	return Message{}
}
