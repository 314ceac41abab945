package app

import (
	"strings"
	"time"
)

// Incoming is what a channel's webhook said about one of its orders.
type Incoming struct {
	Channel    Channel `json:"channel"`
	ExternalID string  `json:"external_id"`
	// ChannelStatus is the channel's own status code; empty means "as placed".
	ChannelStatus string `json:"channel_status,omitempty"`
	// Order is the whole order when the push carries it (Tokopedia, WooCommerce, our web store).
	Order *Order `json:"order,omitempty"`
	// Line is one order line, for channels that push one message per line (Lazada).
	Line *Line `json:"line,omitempty"`
	// Created marks a push announcing the order's creation (WooCommerce
	// order.created). Delivered late, after an update, its status is old
	// news: for an order already known it never moves channel_status.
	Created bool `json:"created,omitempty"`
	// UpdatedAt is the platform's own time of this update (Shopee's
	// update_time). Pushes arrive out of order; one older than the newest
	// applied never moves channel_status, though its details still merge.
	// Zero falls back to Order.ChannelUpdatedAt, then to arrival order.
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// CancelRequested says the buyer asked the platform to cancel an order
	// the shop has, in a push of its own that names no status (TikTok's
	// cancellation status change): it opens the request on a Ready to Ship
	// order once, for the shop to approve or decline.
	CancelRequested bool `json:"cancel_requested,omitempty"`
}

// updatedAt is the platform's time of the push, from the push or the order it carries.
func (in Incoming) updatedAt() time.Time {
	if in.UpdatedAt.IsZero() && in.Order != nil {
		return in.Order.ChannelUpdatedAt.UTC()
	}
	return in.UpdatedAt.UTC()
}

// Validate checks the push before any order is touched.
func (in Incoming) Validate() error {
	if !in.Channel.Valid() || in.Channel == ChannelInStore || in.Channel == ChannelManual {
		return Errorf(EInvalid, "%s does not send webhooks", in.Channel)
	}
	if err := ValidateExternalID(in.Channel, "external_id", in.ExternalID); err != nil {
		return err
	}
	if in.ChannelStatus != "" {
		if err := checkKey("channel_status", in.ChannelStatus, MaxCodeLen); err != nil {
			return err
		}
		if _, err := StatusFromChannel(in.Channel, in.ChannelStatus); err != nil {
			return err
		}
	}
	if in.Order != nil {
		// The order as Ingest will place it: the channel's id, and the
		// shop's currency when the push names none (amounts are checked alike).
		o := *in.Order
		o.Channel, o.ExternalID, o.ID = in.Channel, in.ExternalID, ""
		o.Lines = lineStatuses(in.Channel, o.Lines)
		if o.Currency == "" {
			o.Currency = IDR
		}
		o.DetailsPending = o.DetailsPending || len(o.Lines) == 0
		if err := o.Validate(); err != nil {
			return err
		}
	}
	if in.Line != nil {
		if err := in.Line.validate("line"); err != nil {
			return err
		}
	}
	return nil
}

// Ingest creates or updates the order a channel told us about, exactly as
// the life cycle allows. Pushes for the same external id merge into one
// order; a status update for an order never seen creates it, marked
// "details pending". A push that changes nothing returns a nil Result.
func Ingest(tx Tx, pol Policy, in Incoming, now time.Time) (*Result, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	actor := ChannelActor(string(in.Channel))
	cur, err := tx.OrderByExternalID(in.Channel, in.ExternalID)
	if err != nil && ErrorCode(err) != ENotFound {
		return nil, err
	}
	if in.CancelRequested {
		return cancelRequested(tx, pol, cur, in, actor, now)
	}
	at := in.updatedAt()
	if cur == nil {
		o := &Order{Channel: in.Channel, ExternalID: in.ExternalID, Currency: pol.Currency, DetailsPending: true}
		if in.Order != nil {
			o = in.Order.Clone()
			o.Channel, o.ExternalID, o.ID = in.Channel, in.ExternalID, ""
			o.Lines = lineStatuses(in.Channel, o.Lines)
			o.DetailsPending = len(o.Lines) == 0
		}
		o.ChannelUpdatedAt = at
		if o.Shipment.TrackingID != "" && o.Shipment.State == ShipmentNone {
			o.Shipment.State = ShipmentAssigned
		}
		if in.Line != nil && len(o.Lines) == 0 {
			o.Lines = []Line{pushedLine(in)}
		}
		if code := firstLineCode(in); code != "" {
			st, _ := StatusFromChannel(in.Channel, code)
			o.Status, o.ChannelStatus = st, code
		}
		if o.Status == StatusPaymentReview || o.Status == "" {
			if o.PaymentMethod == "" {
				o.PaymentMethod = PayMarketplace
			}
		}
		return Execute(tx, pol, Command{Action: ActionPlace, Args: Args{Order: o}}, actor, now)
	}
	details := in.Order
	if in.Line != nil {
		details = &Order{Lines: []Line{pushedLine(in)}}
	}
	code := in.ChannelStatus
	stale := !at.IsZero() && at.Before(cur.ChannelUpdatedAt)
	if code == "" || in.Created || stale {
		code = cur.ChannelStatus
	}
	if stale {
		at = time.Time{}
	}
	if code == "" {
		code, _ = StatusToChannel(in.Channel, cur.Status)
	}
	code = lineCode(cur, in, code)
	if code == cur.ChannelStatus && !addsTo(cur, details) {
		// A redelivery or a push that repeats what we know changes nothing,
		// so it makes no new version and no history entry.
		return nil, nil
	}
	return Execute(tx, pol, Command{Action: ActionChannelUpdate, OrderID: cur.ID, Args: Args{ChannelStatus: code, ChannelUpdatedAt: at, Order: details}}, actor, now)
}

// mergeDetails fills an order known only from status pushes with what a
// later push carried; its lines merge as mergeLines says.
func mergeDetails(c *change, d *Order) error {
	o := c.order
	if d == nil {
		return nil
	}
	if o.DetailsPending && d.Buyer.Name != "" {
		o.Buyer = d.Buyer
	}
	if o.DetailsPending && d.Number != "" {
		o.Number = d.Number
	}
	if d.Total > 0 && o.DetailsPending {
		o.Total, o.ShippingFee, o.Discount, o.Tax = d.Total, d.ShippingFee, d.Discount, d.Tax
		if d.PaymentMethod != "" {
			o.PaymentMethod = d.PaymentMethod
		}
	}
	if !d.ShipBy.IsZero() {
		o.ShipBy = d.ShipBy.UTC()
	}
	if err := trackingFrom(c, d.Shipment); err != nil {
		return err
	}
	lc, err := mergeLines(c, d)
	if err != nil {
		return err
	}
	c.lines = lc
	if len(o.Lines) > 0 && d.Buyer.Name != "" && !undescribed(o) {
		o.DetailsPending = false
	}
	return nil
}

// addsTo reports whether pushed details carry anything the order lacks:
// the buyer or totals of an order known only from status pushes, or a line
// it does not have yet while lines can still be added.
func addsTo(o *Order, d *Order) bool {
	if d == nil {
		return false
	}
	if o.DetailsPending && (d.Buyer.Name != "" || d.Total > 0 || d.Number != "") {
		return true
	}
	if t := strings.TrimSpace(d.Shipment.TrackingID); t != "" && t != o.Shipment.TrackingID {
		return true
	}
	if !d.ShipBy.IsZero() && !d.ShipBy.Equal(o.ShipBy) {
		return true
	}
	return addsLines(o, d)
}

// trackingFrom takes the courier and tracking ID the platform gave the
// parcel (Shopee's tracking number push, a fetched order's package), in
// any status: the platform's logistics, not the shop, books marketplace
// parcels, so its number is the one the label must carry.
func trackingFrom(c *change, s Shipment) error {
	id := strings.TrimSpace(s.TrackingID)
	if id == "" || id == c.order.Shipment.TrackingID {
		return nil
	}
	if err := ValidateTrackingID(id); err != nil {
		return err
	}
	sh := &c.order.Shipment
	sh.TrackingID = id
	if courier := CourierName(s.Courier); courier != "" {
		sh.Courier = courier
	}
	// A number given before the shop arranged the handover (Lazada's, at
	// pack) leaves the shipment for the shop to arrange; the arrangement keeps it.
	if sh.State == ShipmentSearching || sh.State == ShipmentFailed {
		sh.State, sh.FailReason = ShipmentAssigned, ""
	}
	return nil
}

// trackingNote is what the history says of a tracking ID the platform gave.
func trackingNote(o *Order) Message {
	if o.Shipment.Courier != "" {
		return Text("%s gave the tracking ID %s (%s)", o.Channel, o.Shipment.TrackingID, o.Shipment.Courier)
	}
	return Text("%s gave the tracking ID %s", o.Channel, o.Shipment.TrackingID)
}

// pushedLine is the line a push named, with the push's status as the
// line's own where the channel's statuses are per line.
func pushedLine(in Incoming) Line {
	l := *in.Line
	if in.Channel.LineStatuses() && in.ChannelStatus != "" {
		l.ChannelStatus = in.ChannelStatus
		l.Cancelled = cancelsLine(in.Channel, in.ChannelStatus)
	}
	return l
}

// cancelRequested opens the buyer's cancel request a platform pushed. An
// order the cloud has not seen, one already asked, or one past shipping
// has nothing to open: the platform's status pushes say the rest.
func cancelRequested(tx Tx, pol Policy, cur *Order, in Incoming, actor Actor, now time.Time) (*Result, error) {
	if cur == nil || cur.CancelRequest != nil || cur.Status != StatusReadyToShip {
		return nil, nil
	}
	reason := Text("Buyer asked %s to cancel", in.Channel).String()
	return Execute(tx, pol, Command{Action: ActionRequestCancel, OrderID: cur.ID, Args: Args{Reason: reason}}, actor, now)
}
