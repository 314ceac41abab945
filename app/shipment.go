package app

import (
	"strings"
	"time"
)

func arrangePickup(c *change) (Status, error) {
	o, a := c.order, c.cmd.Args
	c.kind = KindShipment
	if err := c.refuseHeld(); err != nil {
		return "", err
	}
	changing := shipmentChangeable(o.Shipment)
	if !shipmentOpen(o.Shipment.State) && !changing {
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
	prev := o.Shipment
	o.Shipment = Shipment{Method: ShipPickup, State: ShipmentSearching, PickupFrom: a.PickupFrom.UTC(), PickupTo: to.UTC(),
		PickupAddress: addr, Courier: CourierName(a.Courier), Service: strings.TrimSpace(a.Service), ArrangedAt: c.now}
	keepPlatformTracking(&o.Shipment, prev)
	c.note = Text("Pickup %s–%s at %s", a.PickupFrom, to.Format("15:04"), addr)
	if changing {
		c.note = Text("Pickup changed to %s–%s at %s", a.PickupFrom, to.Format("15:04"), addr)
	}
	return c.from, c.chooseProvider(prev)
}

// keepPlatformTracking carries the tracking ID the platform gave before
// anything was arranged (Lazada assigns it when the package is made) into
// the arrangement, so the label still carries the platform's number.
func keepPlatformTracking(s *Shipment, prev Shipment) {
	if prev.State != ShipmentNone || prev.TrackingID == "" {
		return
	}
	s.TrackingID = prev.TrackingID
	if s.Courier == "" {
		s.Courier = prev.Courier
	}
}

// cancelShipment withdraws a pickup or drop-off while no courier has taken
// it, so staff can arrange another or ship by hand.
func cancelShipment(c *change) (Status, error) {
	o := c.order
	c.kind = KindShipment
	if !shipmentChangeable(o.Shipment) {
		if shipmentOpen(o.Shipment.State) {
			return "", c.refuse("no pickup or drop-off is arranged")
		}
		return "", c.refuse("a courier has already taken it (%s)", o.Shipment.State)
	}
	if o.Shipment.Method == ShipDropoff {
		c.note = Text("Drop-off cancelled")
	} else {
		c.note = Text("Pickup cancelled")
	}
	// The count stays, so a later booking never reuses a withdrawn reference.
	o.Shipment = Shipment{Withdrawn: withdrawn(o.Shipment), Bookings: o.Shipment.Bookings}
	return c.from, nil
}

// PickupSlot is a window in which a courier comes for the parcels.
type PickupSlot struct {
	From, To time.Time
}

// pickupSlotStarts are the hours the daily two-hour courier windows start.
var pickupSlotStarts = []int{9, 11, 13, 15, 17}

// pickupLead is how long before a window starts it can still be booked.
const pickupLead = 30 * time.Minute

// NextPickupSlots lists the next n windows that can still be booked at now,
// in the shop's time zone: never one that has begun, so the first is the default.
func NextPickupSlots(now time.Time, zone *time.Location, n int) []PickupSlot {
	if zone == nil {
		zone = time.UTC
	}
	local := now.In(zone)
	var out []PickupSlot
	for day := 0; len(out) < n && day < 14; day++ {
		d := local.AddDate(0, 0, day)
		for _, h := range pickupSlotStarts {
			from := time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, zone)
			if from.Before(local.Add(pickupLead)) {
				continue
			}
			out = append(out, PickupSlot{From: from, To: from.Add(2 * time.Hour)})
			if len(out) == n {
				break
			}
		}
	}
	return out
}

func arrangeDropoff(c *change) (Status, error) {
	o, a := c.order, c.cmd.Args
	c.kind = KindShipment
	if err := c.refuseHeld(); err != nil {
		return "", err
	}
	if !shipmentOpen(o.Shipment.State) {
		return "", c.refuse("a shipment is already arranged (%s)", o.Shipment.State)
	}
	if strings.TrimSpace(a.Courier) == "" && a.Rate == nil {
		// A drop-off is at a courier's counter; without one no courier will ever be found.
		return "", FieldError("courier", "is required for a drop-off: choose the courier whose counter takes the parcel")
	}
	prev := o.Shipment
	o.Shipment = Shipment{Method: ShipDropoff, State: ShipmentSearching, Courier: CourierName(a.Courier),
		Service: strings.TrimSpace(a.Service), ArrangedAt: c.now}
	keepPlatformTracking(&o.Shipment, prev)
	c.note = Text("Drop-off at the courier")
	if o.Shipment.Courier != "" {
		c.note = Text("Drop-off at the courier (%s)", o.Shipment.Courier)
	}
	return c.from, c.chooseProvider(prev)
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
	if err := c.refuseHeld(); err != nil {
		return "", err
	}
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
	if c.pol.RequirePacked && !allPacked(o) {
		return "", c.refuse("the shop requires every parcel verified packed first; %s", unpackedText(o))
	}
	at := c.now
	if !a.ShippedAt.IsZero() {
		at = a.ShippedAt.UTC()
		if at.After(c.now.Add(time.Minute)) {
			return "", FieldError("Shipping date", "%s is in the future", a.ShippedAt)
		}
		if at.Before(o.CreatedAt) {
			return "", FieldError("Shipping date", "%s is before the order was made", a.ShippedAt)
		}
	}
	remark := strings.TrimSpace(a.Note)
	// Bookings a provider may still hold stay to be cancelled, and the count
	// stays so no later booking reuses their reference.
	o.Shipment = Shipment{Method: ShipManual, State: ShipmentPickedUp, Courier: courier, Service: strings.TrimSpace(a.Service),
		TrackingID: strings.TrimSpace(a.TrackingID), ArrangedAt: c.now, PickedUpAt: at, Remark: remark,
		Withdrawn: o.Shipment.Withdrawn, Bookings: o.Shipment.Bookings}
	switch {
	case remark != "" && !a.ShippedAt.IsZero():
		c.note = Text("Shipped with %s on %s, tracking %s; note to the buyer: %s", courier, at, o.Shipment.TrackingID, remark)
	case remark != "":
		c.note = Text("Shipped with %s, tracking %s; note to the buyer: %s", courier, o.Shipment.TrackingID, remark)
	case !a.ShippedAt.IsZero():
		c.note = Text("Shipped with %s on %s, tracking %s", courier, at, o.Shipment.TrackingID)
	default:
		c.note = Text("Shipped with %s, tracking %s", courier, o.Shipment.TrackingID)
	}
	return StatusInDelivery, nil
}

// UnpackedParcels lists the parcels (1-based) not yet verified packed, so a
// screen can ask before an order ships with a box nobody checked.
func (o *Order) UnpackedParcels() []int {
	var out []int
	for i, p := range o.Parcels {
		if !p.Packed {
			out = append(out, i+1)
		}
	}
	return out
}

// unpackedText names the parcels not verified packed.
func unpackedText(o *Order) Message {
	nums := o.UnpackedParcels()
	parts := make([]string, len(nums))
	for i, n := range nums {
		parts[i] = itoa(n)
	}
	return Text("parcel %s of %d is not verified packed", strings.Join(parts, ", "), len(o.Parcels))
}

func deliver(c *change) (Status, error) {
	c.kind = KindShipment
	c.order.Shipment.State = ShipmentDelivered
	c.order.Shipment.DeliveredAt = c.now
	c.note = Text("Delivered to the buyer")
	return StatusDelivered, nil
}
