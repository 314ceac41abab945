package app

import (
	"strconv"
	"strings"
	"time"
)

// CourierProvider is who books the courier for a shipment: an aggregator the
// cloud calls (Shipper, Biteship), or nobody (staff, or the shop's own
// courier through the generic logistics webhook).
type CourierProvider string

// Courier providers.
const (
	ProviderNone      CourierProvider = ""
	ProviderShipper   CourierProvider = "shipper"
	ProviderBiteship  CourierProvider = "biteship"
	ProviderLogistics CourierProvider = "logistics"
)

// CourierProviders lists the providers a shop may choose, the generic webhook first.
var CourierProviders = []CourierProvider{ProviderLogistics, ProviderShipper, ProviderBiteship}

// Label is the provider as staff read it.
func (p CourierProvider) Label() string {
	switch p {
	case ProviderShipper:
		return "Shipper"
	case ProviderBiteship:
		return "Biteship"
	case ProviderLogistics:
		return "the shop's courier"
	}
	return "staff"
}

// Books reports whether the cloud books this provider's courier itself.
func (p CourierProvider) Books() bool { return p == ProviderShipper || p == ProviderBiteship }

// ParseCourierProvider reads a provider's name; "" is the shop's default.
func ParseCourierProvider(s string) (CourierProvider, error) {
	p := CourierProvider(strings.ToLower(strings.TrimSpace(s)))
	switch p {
	case ProviderNone, ProviderShipper, ProviderBiteship, ProviderLogistics:
		return p, nil
	}
	return "", FieldError("Courier provider", "%q is not one of logistics, shipper or biteship", shown(s))
}

// ShipmentRate is the rate staff chose for a shipment.
type ShipmentRate struct {
	Courier     string `json:"courier"`
	CourierName string `json:"courier_name,omitempty"`
	Service     string `json:"service"`
	ServiceName string `json:"service_name,omitempty"`
	Price       Money  `json:"price"`
	MinDays     int    `json:"min_days,omitempty"`
	MaxDays     int    `json:"max_days,omitempty"`
	// RateID is the provider's id of the offer (Shipper books by it).
	RateID string `json:"rate_id,omitempty"`
}

func (r *ShipmentRate) validate() error {
	if r == nil {
		return nil
	}
	if strings.TrimSpace(r.Courier) == "" {
		return FieldError("Rate courier", "is required")
	}
	if r.Price < 0 {
		return FieldError("Rate price", "must not be negative")
	}
	for f, v := range map[string]string{"Rate courier": r.Courier, "Rate service": r.Service, "Rate id": r.RateID, "Rate courier name": r.CourierName, "Rate service name": r.ServiceName} {
		if len(v) > 100 {
			return FieldError(f, "is longer than %d characters", 100)
		}
	}
	return nil
}

// Driver is the courier's person, as providers report once assigned.
type Driver struct {
	Name  string `json:"name,omitempty"`
	Phone string `json:"phone,omitempty"`
	Plate string `json:"plate,omitempty"`
}

// BookingState is where the cloud's booking with a provider stands.
type BookingState string

// Booking states.
const (
	BookingNone    BookingState = ""
	BookingPending BookingState = "pending"
	// BookingSending is recorded before the create call leaves, so a cloud
	// killed during the call finds it and does not create a second order.
	BookingSending BookingState = "sending"
	// BookingUncertain is a create whose answer was lost: the order may
	// exist at the provider. Nothing books it again by itself (courier_lost.go).
	BookingUncertain BookingState = "uncertain"
	BookingBooked    BookingState = "booked"
	BookingRefused   BookingState = "refused"
	BookingCancelled BookingState = "cancelled"
)

// BookingRecord is what the cloud's courier follower records on an order:
// the booking is pending, made, refused, or cancelled at the provider.
type BookingRecord struct {
	Provider CourierProvider `json:"provider"`
	// Reference is our external id the booking was made under.
	Reference  string       `json:"reference"`
	State      BookingState `json:"state"`
	OrderID    string       `json:"order_id,omitempty"`
	TrackingID string       `json:"tracking_id,omitempty"`
	AWB        string       `json:"awb,omitempty"`
	Price      Money        `json:"price,omitempty"`
	// Message and Code are the provider's words for a refusal or a fault.
	Message string `json:"message,omitempty"`
	Code    string `json:"code,omitempty"`
}

// CourierStage is what a provider's status means for the shipment.
type CourierStage string

// Courier stages, forward order first; StageInfo is a status that moves nothing.
const (
	StageInfo      CourierStage = ""
	StageSearching CourierStage = "searching"
	StageAssigned  CourierStage = "assigned"
	StageHeading   CourierStage = "heading_to_pickup"
	StagePickedUp  CourierStage = "picked_up"
	StageDelivered CourierStage = "delivered"
	StageFailed    CourierStage = "failed"
	StageReturned  CourierStage = "returned"
	StageCancelled CourierStage = "cancelled"
)

// ShipperStage maps Shipper's external_status.code onto a stage, by
// Shipper's list of external statuses
// (https://logistics-docs.shipper.id/docs/shipper-external-status; the
// table is in docs/couriers.md): 1000 the package is being prepared and
// 1001 pickup requested (Shipper looks for an agent); 1010 waiting for
// pickup (an agent took it); 1020 being picked up and 1030 pickup in
// progress; 1040 ready to ship through 1190 arrived in the destination city
// (picked up, on the way); 1310 wrong address, 1320 delivery again and 1330
// nobody to receive are kept in the history only (still on the way); 1340
// and 1410–1420 the package goes back to the shop; 1370 delivery failed and
// 1380 lost or damaged are final failures; 2000 delivered; 999 cancelled.
// A code between the listed ones counts with the list entry below it, so a
// new code Shipper adds inside a range moves the shipment the same way.
func ShipperStage(code int) CourierStage {
	switch {
	case code == 999:
		return StageCancelled
	case code >= 1000 && code < 1010:
		return StageSearching
	case code >= 1010 && code < 1020:
		return StageAssigned
	case code >= 1020 && code < 1040:
		return StageHeading
	case code >= 1040 && code < 1300:
		return StagePickedUp
	case code >= 1340 && code < 1370, code >= 1400 && code < 1500:
		return StageReturned
	case code >= 1370 && code < 1400:
		return StageFailed
	case code >= 2000 && code < 3000:
		return StageDelivered
	}
	return StageInfo // 1300–1339 (a delivery problem, still on the way) and codes outside the list
}

// BiteshipStage maps Biteship's order status names
// (https://biteship.com/docs/api/orders/overview, and the same list as
// https://biteship.com/en/docs/api/trackings/status spells it) onto a stage.
func BiteshipStage(status string) CourierStage {
	// The orders API spells them picking_up, the tracking list pickingUp.
	switch strings.ReplaceAll(strings.ToLower(strings.TrimSpace(status)), "_", "") {
	case "confirmed", "scheduled":
		return StageSearching
	case "allocated":
		return StageAssigned
	case "pickingup":
		return StageHeading
	case "picked", "droppingoff":
		return StagePickedUp
	case "delivered":
		return StageDelivered
	case "couriernotfound", "rejected":
		return StageFailed
	case "returnintransit", "returned":
		return StageReturned
	case "cancelled", "disposed":
		return StageCancelled
	}
	return StageInfo // on_hold and statuses added later are recorded only
}

// ProviderStatus is one status a provider pushed for a shipment, raw code and text kept.
type ProviderStatus struct {
	Provider   CourierProvider `json:"provider"`
	Code       string          `json:"code"`
	Text       string          `json:"text,omitempty"`
	Stage      CourierStage    `json:"stage,omitempty"`
	AWB        string          `json:"awb,omitempty"`
	TrackingID string          `json:"tracking_id,omitempty"`
	Courier    string          `json:"courier,omitempty"`
	Driver     Driver          `json:"driver,omitzero"`
	At         time.Time       `json:"at,omitzero"`
	// OrderID is the provider's order id and Reference our external id as
	// the push names them, so a booking whose answer was lost is recognised.
	OrderID   string `json:"order_id,omitempty"`
	Reference string `json:"reference,omitempty"`
}

// Validate checks a pushed status at the edge.
func (p *ProviderStatus) Validate() error {
	if p == nil {
		return FieldError("args.provider_status", "is required")
	}
	if !p.Provider.Books() {
		return FieldError("Courier provider", "%q does not push statuses", shown(string(p.Provider)))
	}
	for f, v := range map[string]string{"status code": p.Code, "status text": p.Text, "courier": p.Courier,
		"driver name": p.Driver.Name, "driver phone": p.Driver.Phone, "driver plate": p.Driver.Plate} {
		if len(v) > MaxReasonLen {
			return FieldError(f, "is longer than %d characters", MaxReasonLen)
		}
	}
	for _, id := range []string{p.AWB, p.TrackingID} {
		if id != "" {
			if err := ValidateTrackingID(id); err != nil {
				return err
			}
		}
	}
	if len(p.OrderID) > 100 || len(p.Reference) > 100 {
		return FieldError("provider order id", "is longer than %d characters", 100)
	}
	return nil
}

func (r *BookingRecord) validate() error {
	if r == nil {
		return FieldError("args.booking", "is required")
	}
	if !r.Provider.Books() {
		return FieldError("Courier provider", "%q does not book couriers", shown(string(r.Provider)))
	}
	switch r.State {
	case BookingPending, BookingSending, BookingUncertain, BookingBooked, BookingRefused, BookingCancelled:
	default:
		return FieldError("booking state", "%q is unknown", shown(string(r.State)))
	}
	if r.State == BookingBooked && strings.TrimSpace(r.OrderID) == "" {
		return FieldError("provider order id", "is required for a booking that was made")
	}
	for _, id := range []string{r.AWB, r.TrackingID} {
		if id != "" {
			if err := ValidateTrackingID(id); err != nil {
				return err
			}
		}
	}
	if len(r.Message) > MaxReasonLen || len(r.OrderID) > 100 || len(r.Code) > 100 {
		return FieldError("booking", "has a field that is too long")
	}
	return nil
}

// BookingRef names a booking made at a provider.
type BookingRef struct {
	Provider  CourierProvider `json:"provider"`
	Reference string          `json:"reference"`
	OrderID   string          `json:"order_id,omitempty"`
	// MayExist is a create whose answer was lost (or still under way): its
	// order id is unknown, so it is cancelled once a push or a late answer
	// names it, and never looked for (no provider documents a look-up).
	MayExist bool `json:"may_exist,omitempty"`
}

// withdrawn is what must still be cancelled at providers once s is replaced:
// its own booking, when one was made or may have been, and those before it.
// A booking still pending was never sent (the cloud records "sending" before
// every create), so nothing of it exists to cancel.
func withdrawn(s Shipment) []BookingRef {
	out := append([]BookingRef(nil), s.Withdrawn...)
	if !s.Provider.Books() {
		return out
	}
	switch {
	case s.Booking == BookingBooked || s.ProviderOrderID != "":
		out = append(out, BookingRef{Provider: s.Provider, Reference: s.Reference, OrderID: s.ProviderOrderID})
	case s.Booking == BookingSending || s.Booking == BookingUncertain:
		out = append(out, BookingRef{Provider: s.Provider, Reference: s.Reference, MayExist: true})
	}
	return out
}

// bookingReference is our external id for the n-th booking of an order: its
// number, then -2, -3…
func bookingReference(o *Order, n int) string {
	ref := o.Number
	if ref == "" {
		ref = o.ID
	}
	if n > 1 {
		ref += "-" + strconv.Itoa(n)
	}
	return ref
}

// chooseProvider sets who books the shipment just arranged: the order's
// override, else the shop's default. prev is the shipment it replaces, so
// a second booking of the same order gets a reference of its own.
func (c *change) chooseProvider(prev Shipment) error {
	a, s := c.cmd.Args, &c.order.Shipment
	p, err := ParseCourierProvider(string(a.Provider))
	if err != nil {
		return err
	}
	s.Withdrawn = withdrawn(prev)
	// The count survives an arrangement no provider books, so a later
	// booking never reuses a reference a provider may still know.
	s.Bookings = prev.Bookings
	if p == ProviderNone && !c.order.Channel.Rule().Marketplace {
		p = c.pol.CourierProvider
	}
	if err := a.Rate.validate(); err != nil {
		return err
	}
	if !p.Books() {
		s.Provider = p
		return nil
	}
	if c.order.Channel.Rule().Marketplace {
		return FieldError("Courier provider", "marketplace orders ship with the marketplace's own logistics, not %s", p.Label())
	}
	if a.Rate == nil {
		return FieldError("Rate", "choose a courier and service from %s's rates", p.Label())
	}
	rate := *a.Rate
	s.Provider, s.Rate, s.Booking = p, &rate, BookingPending
	s.Courier = CourierName(firstNonEmpty(rate.CourierName, rate.Courier))
	s.Service = firstNonEmpty(rate.ServiceName, rate.Service)
	s.Bookings = prev.Bookings + 1
	s.Reference = bookingReference(c.order, s.Bookings)
	c.note = Text("%s; booking with %s (%s %s, %s)", c.note, p.Label(), s.Courier, s.Service, rate.Price)
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// recordBooking applies what the cloud's courier follower learnt from the provider.
func recordBooking(c *change) (Status, error) {
	r := c.cmd.Args.Booking
	if err := r.validate(); err != nil {
		return "", err
	}
	c.kind = KindShipment
	s := &c.order.Shipment
	if s.Provider != r.Provider || s.Reference != r.Reference {
		return recordReplaced(c, r)
	}
	label := r.Provider.Label()
	switch r.State {
	case BookingPending:
		if s.Booking != BookingPending && s.Booking != BookingSending {
			return "", Errorf(EConflict, "%s booking %s is %s, not waiting to be sent", label, r.Reference, s.Booking)
		}
		s.Booking = BookingPending
		c.note = Text("Booking with %s pending: service unreachable, retrying", label)
	case BookingSending:
		// The claim before a create: only a booking waiting to be sent may
		// be sent, so a cloud that restarts mid-call never sends it twice.
		if s.Booking != BookingPending {
			return "", Errorf(EConflict, "%s booking %s is %s, not waiting to be sent", label, r.Reference, s.Booking)
		}
		s.Booking = BookingSending
		c.note = Text("Booking with %s: sending the order (reference %s)", label, r.Reference)
	case BookingUncertain:
		if s.Booking == BookingBooked {
			c.kind = KindNote
			c.note = Text("%s booking %s was already recognised (order %s); nothing changed", label, r.Reference, s.ProviderOrderID)
			return c.from, nil
		}
		s.Booking = BookingUncertain
		c.note = Text("Booking with %s may have been made: the answer was lost. Check %s's dashboard, then Book again or wait (%s)", label, label, r.Message)
	case BookingBooked:
		s.Booking, s.ProviderOrderID = BookingBooked, strings.TrimSpace(r.OrderID)
		if r.AWB != "" {
			s.AWB, s.TrackingID = r.AWB, r.AWB
		} else if r.TrackingID != "" && s.TrackingID == "" {
			s.TrackingID = r.TrackingID
		}
		c.note = Text("Booked with %s: order %s; %s is searching for a courier", label, s.ProviderOrderID, label)
	case BookingRefused:
		s.Booking, s.State = BookingRefused, ShipmentFailed
		why := Text("%s refused the booking: %s (code %s)", label, r.Message, r.Code)
		s.FailReason = why.String()
		c.note = why
	case BookingCancelled:
		s.Booking = BookingCancelled
		c.note = Text("Booking %s cancelled at %s", s.ProviderOrderID, label)
	}
	return c.from, nil
}

// recordReplaced applies a record about a booking the order no longer
// carries (re-arranged, cancelled or booked again since): a cancel done, or
// a late answer naming the order a lost create made, so it gets cancelled.
func recordReplaced(c *change, r *BookingRecord) (Status, error) {
	s := &c.order.Shipment
	label := r.Provider.Label()
	for i, w := range s.Withdrawn {
		if w.Provider != r.Provider || w.Reference != r.Reference {
			continue
		}
		switch {
		case r.State == BookingCancelled:
			s.Withdrawn = append(s.Withdrawn[:i:i], s.Withdrawn[i+1:]...)
			c.note = Text("Booking %s cancelled at %s", firstNonEmpty(r.OrderID, w.OrderID), label)
			if firstNonEmpty(r.OrderID, w.OrderID) == "" {
				// Nothing was called: the booking never reached the provider.
				c.note = Text("%s booking %s withdrawn before it was sent; nothing to cancel", label, w.Reference)
			}
			return c.from, nil
		case r.State == BookingBooked && w.OrderID == "":
			s.Withdrawn[i].OrderID, s.Withdrawn[i].MayExist = strings.TrimSpace(r.OrderID), false
			c.note = Text("%s booking %s was made (order %s) after it was replaced; cancelling it at %s", label, r.Reference, r.OrderID, label)
			return c.from, nil
		case r.State == BookingUncertain && w.OrderID == "":
			s.Withdrawn[i].MayExist = true
			c.note = Text("%s booking %s may have been made after it was replaced: the answer was lost; it is cancelled when %s reports it", label, r.Reference, label)
			return c.from, nil
		}
	}
	c.kind = KindNote
	c.note = Text("%s booking %s (%s) is not the order's current shipment; nothing changed", label, r.Reference, r.State)
	return c.from, nil
}

// recognised reports whether a push names, by our reference, the current
// booking whose provider order id is not known yet.
func recognised(s *Shipment, p *ProviderStatus) bool {
	return s.ProviderOrderID == "" && strings.TrimSpace(p.OrderID) != "" && p.Reference != "" && p.Reference == s.Reference &&
		(s.Booking == BookingPending || s.Booking == BookingSending || s.Booking == BookingUncertain)
}

// recogniseReplaced takes the provider's order id for a replaced booking
// whose create answer was lost, from a push that names its reference, so
// the cloud cancels it. done is true when the push was about such a booking.
func recogniseReplaced(s *Shipment, p *ProviderStatus) (bool, Message) {
	if p.Reference == "" || (p.Provider == s.Provider && p.Reference == s.Reference) {
		return false, Message{}
	}
	label := p.Provider.Label()
	for i, w := range s.Withdrawn {
		if w.Provider != p.Provider || w.Reference != p.Reference {
			continue
		}
		if w.OrderID == "" && strings.TrimSpace(p.OrderID) != "" {
			s.Withdrawn[i].OrderID, s.Withdrawn[i].MayExist = strings.TrimSpace(p.OrderID), false
			return true, Text("%s status %s %s names the replaced booking %s: it was made (order %s); cancelling it at %s", label, p.Code, p.Text, w.Reference, p.OrderID, label)
		}
		return true, Text("%s status %s %s for the replaced booking %s; nothing changed", label, p.Code, p.Text, w.Reference)
	}
	return false, Message{}
}

// stageRank orders where a shipment stands, so a late status is never applied.
func stageRank(st Status, s ShipmentState) int {
	switch st {
	case StatusDelivered, StatusCompleted, StatusComplained, StatusReturned, StatusRefunded:
		return 5
	case StatusCancelled:
		return 9
	}
	switch s {
	case ShipmentSearching:
		return 1
	case ShipmentAssigned:
		return 2
	case ShipmentHeading:
		return 3
	case ShipmentPickedUp, ShipmentReturned:
		return 4
	case ShipmentDelivered:
		return 5
	}
	if st == StatusInDelivery {
		return 4
	}
	return 0
}

var stageRanks = map[CourierStage]int{StageSearching: 1, StageAssigned: 2, StageHeading: 3, StagePickedUp: 4, StageDelivered: 5}

// providerStatus moves the shipment forward by a provider's push, and only
// forward: a late or repeated status is kept in the history, nothing more.
func providerStatus(c *change) (Status, error) {
	p := c.cmd.Args.ProviderStatus
	if err := p.Validate(); err != nil {
		return "", err
	}
	c.kind = KindShipment
	s := &c.order.Shipment
	if done, note := recogniseReplaced(s, p); done {
		c.note = note
		return c.from, nil
	}
	if s.Provider != p.Provider {
		c.kind = KindNote
		c.note = Text("%s status %s %s for a shipment not booked with it; nothing changed", p.Provider.Label(), p.Code, p.Text)
		return c.from, nil
	}
	label := p.Provider.Label()
	raw := Text("%s status %s %s", label, p.Code, p.Text)
	if recognised(s, p) {
		// The push names our reference: the create whose answer was lost
		// (or is still awaited) was made, and this is its order.
		s.Booking, s.ProviderOrderID = BookingBooked, strings.TrimSpace(p.OrderID)
		raw = Text("Booked with %s: order %s, recognised by our reference %s in its status; %s", label, s.ProviderOrderID, s.Reference, raw)
	}
	if p.AWB != "" && p.AWB != s.AWB {
		s.AWB, s.TrackingID = p.AWB, p.AWB
		raw = Text("%s; waybill %s", raw, p.AWB)
	} else if p.TrackingID != "" && s.TrackingID == "" {
		s.TrackingID = p.TrackingID
	}
	if p.Driver != (Driver{}) {
		d := p.Driver
		s.Driver = &d
	}
	if p.Courier != "" && s.Courier == "" {
		s.Courier = CourierName(p.Courier)
	}
	cur := stageRank(c.from, s.State)
	to := c.from
	switch p.Stage {
	case StageSearching, StageAssigned, StageHeading, StagePickedUp, StageDelivered:
		if stageRanks[p.Stage] <= cur {
			c.note = Text("%s (kept: the shipment is already %s)", raw, s.State)
			return c.from, nil
		}
	case StageFailed, StageReturned, StageCancelled:
		if cur >= 5 || (p.Stage == StageCancelled && cur >= 4) {
			c.note = Text("%s (kept: the shipment is already %s)", raw, s.State)
			return c.from, nil
		}
	default:
		c.note = raw
		return c.from, nil
	}
	switch p.Stage {
	case StageSearching:
		s.State = ShipmentSearching
		c.note = Text("%s: searching for a courier", raw)
	case StageAssigned:
		s.State, s.FailReason = ShipmentAssigned, ""
		c.note = Text("%s: courier assigned", raw)
		if s.Driver != nil && s.Driver.Name != "" {
			c.note = Text("%s: courier assigned (%s, %s, %s)", raw, s.Driver.Name, s.Driver.Phone, s.Driver.Plate)
		}
	case StageHeading:
		s.State = ShipmentHeading
		c.note = Text("%s: courier heading to pickup", raw)
	case StagePickedUp:
		s.State, s.PickedUpAt, to = ShipmentPickedUp, c.now, StatusInDelivery
		c.note = Text("%s: picked up", raw)
	case StageDelivered:
		if s.PickedUpAt.IsZero() {
			s.PickedUpAt = c.now
		}
		s.State, s.DeliveredAt, to = ShipmentDelivered, c.now, StatusDelivered
		c.note = Text("%s: delivered to the buyer", raw)
	case StageFailed:
		s.State, s.FailReason = ShipmentFailed, firstNonEmpty(p.Text, p.Code)
		c.note = Text("%s: failed", raw)
	case StageReturned:
		s.State, s.FailReason = ShipmentReturned, firstNonEmpty(p.Text, p.Code)
		c.note = Text("%s: returned to the shop", raw)
	case StageCancelled:
		s.State, s.Booking, s.FailReason = ShipmentFailed, BookingCancelled, firstNonEmpty(p.Text, p.Code)
		c.note = Text("%s: cancelled by %s; arrange it again", raw, label)
	}
	return to, nil
}
