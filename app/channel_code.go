package app

// codeRule is what one of a channel's own status codes means beyond the
// status it maps to: the per-channel semantics that real pushes exposed,
// kept as data so that no channel has a branch of its own in Execute.
type codeRule struct {
	// CancelRequest: the code says the buyer asked the platform to cancel
	// an order the shop already has (Shopee IN_CANCEL).
	CancelRequest bool
	// HoldsShipment: while that request waits for the shop's decision, no
	// shipment may be arranged (Shopee refuses ship_order in IN_CANCEL).
	HoldsShipment bool
	// CancelReason is why the platform cancelled, when the code says it.
	CancelReason CancelReason
	// WithdrawsPickup: the platform's cancel also ends a pickup or drop-off
	// the shop arranged and a courier has not taken yet.
	WithdrawsPickup bool
	// AssignsTracking: the platform's own logistics gives the parcel its
	// tracking number at this code, and says so only in the order's
	// details (Lazada's package): an order without one is fetched again.
	AssignsTracking bool
}

// channelCodeRules are the codes whose meaning goes beyond their status.
// Sources: Shopee Open Platform v2 order_status (IN_CANCEL: the buyer's
// cancellation awaits the seller, v2.order.handle_buyer_cancellation;
// CANCELLED: the logistics request is cancelled with the order);
// Tokopedia order status codes (3 and 6: cancelled for stock, 15: by the buyer);
// Lazada order statuses (Pack answers the package's tracking_number, which
// GetOrderItems then gives as tracking_code: packed onward).
var channelCodeRules = map[Channel]map[string]codeRule{
	ChannelShopee: {
		"IN_CANCEL": {CancelRequest: true, HoldsShipment: true},
		"CANCELLED": {WithdrawsPickup: true},
	},
	ChannelLazada: {
		"packed":        {AssignsTracking: true},
		"repacked":      {AssignsTracking: true},
		"ready_to_ship": {AssignsTracking: true},
		"shipped":       {AssignsTracking: true},
	},
	ChannelTokopedia: {
		"3":  {CancelReason: CancelOutOfStock},
		"6":  {CancelReason: CancelOutOfStock},
		"15": {CancelReason: CancelByBuyer},
	},
}

// codeRuleOf is the rule of a channel's code; the zero rule when it has none.
func codeRuleOf(c Channel, code string) codeRule {
	return channelCodeRules[c][normaliseCode(c, code)]
}

// ShipmentHeld reports whether the order's shipment must wait: the buyer
// asked the platform to cancel, and the platform will not ship until the
// shop approves or declines.
func ShipmentHeld(o *Order) bool {
	return o != nil && o.CancelRequest != nil && codeRuleOf(o.Channel, o.ChannelStatus).HoldsShipment
}

// pickupOpen reports whether an arranged pickup or drop-off has not been
// handed to a courier yet, so the platform's cancel still ends it.
func pickupOpen(s ShipmentState) bool {
	return s == ShipmentSearching || s == ShipmentAssigned || s == ShipmentHeading || s == ShipmentAwaitingDropoff
}

// refuseHeld refuses arranging a shipment the platform holds for the buyer's cancel request.
func (c *change) refuseHeld() error {
	if ShipmentHeld(c.order) {
		return c.refuse("the buyer asked %s to cancel: approve or decline the request first", c.order.Channel)
	}
	return nil
}
