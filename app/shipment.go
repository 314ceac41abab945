package app

import (
	"strings"
	"time"
)

func arrangePickup(c *change) (Status, error) {
	o, a := c.order, c.cmd.Args
	c.kind = KindShipment
	if !shipmentOpen(o.Shipment.State) {
		return "", c.refuse("a shipment is already arranged (%s)", o.Shipment.State)
	}
	if a.PickupFrom.IsZero() {
		return "", FieldError("Pickup time", "is required")
	}
	if a.PickupFrom.Before(c.now.Add(-time.Minute)) {
		return "", FieldError("Pickup time", "%s is in the past", a.PickupFrom)
	}
	to := a.PickupTo
	if to.IsZero() {
		to = a.PickupFrom.Add(2 * time.Hour)
	}
	if !to.After(a.PickupFrom) {
		return "", FieldError("Pickup window end", "must be after its start")
	}
	addr := strings.TrimSpace(a.PickupAddress)
	if addr == "" {
		addr = c.pol.ShopAddress
	}
	if addr == "" {
		return "", FieldError("Pickup address", "is required (no shop address is set)")
	}
	o.Shipment = Shipment{Method: ShipPickup, State: ShipmentSearching, PickupFrom: a.PickupFrom.UTC(), PickupTo: to.UTC(),
		PickupAddress: addr, Courier: CourierName(a.Courier), Service: strings.TrimSpace(a.Service), ArrangedAt: c.now}
	c.note = Text("Pickup %s–%s at %s", a.PickupFrom, to.Format("15:04"), addr)
	return c.from, nil
}

func arrangeDropoff(c *change) (Status, error) {
	o, a := c.order, c.cmd.Args
	c.kind = KindShipment
	if !shipmentOpen(o.Shipment.State) {
		return "", c.refuse("a shipment is already arranged (%s)", o.Shipment.State)
	}
	o.Shipment = Shipment{Method: ShipDropoff, State: ShipmentSearching, Courier: CourierName(a.Courier),
		Service: strings.TrimSpace(a.Service), ArrangedAt: c.now}
	c.note = Text("Drop-off at the courier")
	if o.Shipment.Courier != "" {
		c.note = Text("Drop-off at the courier (%s)", o.Shipment.Courier)
	}
	return c.from, nil
}

func assignCourier(c *change) (Status, error) {
	o, a := c.order, c.cmd.Args
	c.kind = KindShipment
	if o.Shipment.State != ShipmentSearching && o.Shipment.State != ShipmentFailed {
		return "", c.refuse("no courier is being searched for")
	}
	if err := ValidateTrackingID(a.TrackingID); err != nil {
		return "", err
	}
	courier := CourierName(a.Courier)
	if courier == "" {
		courier = o.Shipment.Courier
	}
	if courier == "" {
		return "", FieldError("Courier", "is required")
	}
	s := &o.Shipment
	s.State, s.Courier, s.TrackingID, s.FailReason = ShipmentAssigned, courier, strings.TrimSpace(a.TrackingID), ""
	if a.Service != "" {
		s.Service = strings.TrimSpace(a.Service)
	}
	s.PickupDeadline = a.PickupDeadline.UTC()
	if a.PickupDeadline.IsZero() {
		s.PickupDeadline = time.Time{}
	}
	c.note = Text("%s assigned, tracking %s", courier, s.TrackingID)
	return c.from, nil
}

func courierHeading(c *change) (Status, error) {
	c.kind = KindShipment
	if c.order.Shipment.State != ShipmentAssigned {
		return "", c.refuse("no courier is assigned")
	}
	c.order.Shipment.State = ShipmentHeading
	c.note = Text("%s is heading to pickup", c.order.Shipment.Courier)
	return c.from, nil
}

func pickedUp(c *change) (Status, error) {
	c.kind = KindShipment
	s := &c.order.Shipment
	if s.State != ShipmentAssigned && s.State != ShipmentHeading {
		return "", c.refuse("no courier is assigned")
	}
	s.State, s.PickedUpAt = ShipmentPickedUp, c.now
	c.note = Text("Picked up by %s", s.Courier)
	return StatusInDelivery, nil
}

func deliveryFailed(c *change) (Status, error) {
	c.kind = KindShipment
	s := &c.order.Shipment
	if c.from == StatusReadyToShip && (s.State == ShipmentNone || s.State == ShipmentFailed) {
		return "", c.refuse("no pickup is arranged")
	}
	reason := strings.TrimSpace(c.cmd.Args.Reason)
	if reason == "" {
		reason = Text("The courier reported a failure").String()
	}
	s.State, s.FailReason = ShipmentFailed, reason
	if c.from == StatusReadyToShip {
		c.note = Text("Pickup failed: %s; arrange it again", reason)
	} else {
		c.note = Text("Delivery failed: %s", reason)
	}
	return c.from, nil
}

// ship is manual shipping, and Qashier's "mark shipped": staff type the
// courier and tracking ID; the buyer hears of it through a notice.
func ship(c *change) (Status, error) {
	o, a := c.order, c.cmd.Args
	c.kind = KindShipment
	if err := ValidateTrackingID(a.TrackingID); err != nil {
		return "", err
	}
	courier := CourierName(a.Courier)
	if courier == "" {
		courier = o.Shipment.Courier
	}
	if courier == "" {
		return "", FieldError("Courier", "is required to mark an order shipped")
	}
	if o.Shipment.State != ShipmentNone && o.Shipment.State != ShipmentFailed {
		return "", c.refuse("a courier shipment is already under way (%s)", o.Shipment.State)
	}
	o.Shipment = Shipment{Method: ShipManual, State: ShipmentPickedUp, Courier: courier, Service: strings.TrimSpace(a.Service),
		TrackingID: strings.TrimSpace(a.TrackingID), ArrangedAt: c.now, PickedUpAt: c.now}
	c.note = Text("Shipped with %s, tracking %s", courier, o.Shipment.TrackingID)
	return StatusInDelivery, nil
}

func deliver(c *change) (Status, error) {
	c.kind = KindShipment
	c.order.Shipment.State = ShipmentDelivered
	c.order.Shipment.DeliveredAt = c.now
	c.note = Text("Delivered to the buyer")
	return StatusDelivered, nil
}
