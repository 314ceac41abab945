package app

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// NewID mints an order id that sorts by creation time and cannot collide
// between terminals that create orders offline.
func NewID(now time.Time) string {
	var r [5]byte
	_, _ = rand.Read(r[:])
	return fmt.Sprintf("%011x%s", now.UnixMilli(), hex.EncodeToString(r[:]))
}

// ChannelOrderID is the id of a channel's order: the same on every terminal
// and in the cloud, so two deliveries of one webhook name one order.
func ChannelOrderID(ch Channel, externalID string) string {
	return string(ch) + ":" + externalID
}

// place validates a new order, links its lines to products, and puts it in
// its channel's entry status with that status's stock effects.
func (c *change) place() error {
	o := c.cmd.Args.Order.Clone()
	o.History = nil
	if o.Currency == "" {
		o.Currency = c.pol.Currency
	}
	if err := o.Validate(); err != nil {
		return err
	}
	o.Number = strings.TrimSpace(o.Number)
	o.ExternalID = strings.TrimSpace(o.ExternalID)
	o.Shipment.Courier = CourierName(o.Shipment.Courier)
	if o.ExternalID != "" {
		if _, err := c.tx.OrderByExternalID(o.Channel, o.ExternalID); err == nil {
			return Errorf(EConflict, "%s order %s already exists", o.Channel, o.ExternalID)
		} else if ErrorCode(err) != ENotFound {
			return err
		}
	}
	if o.ID == "" {
		if o.ExternalID != "" {
			o.ID = ChannelOrderID(o.Channel, o.ExternalID)
		} else {
			o.ID = NewID(c.now)
		}
	}
	if _, err := c.tx.Order(o.ID); err == nil {
		return Errorf(EConflict, "Order %s already exists", o.ID)
	} else if ErrorCode(err) != ENotFound {
		return err
	}
	if o.Number == "" {
		o.Number = defaultNumber(o, c.now)
	}
	if o.CreatedAt.IsZero() {
		o.CreatedAt = c.now
	}
	o.CreatedAt = o.CreatedAt.UTC()
	if o.CreatedBy == "" {
		o.CreatedBy = c.actor.Staff
	}
	for i := range o.Lines {
		l := &o.Lines[i]
		l.SKU, l.Name = strings.TrimSpace(l.SKU), strings.TrimSpace(l.Name)
		l.Linked = false
		if l.SKU == "" {
			continue
		}
		p, err := c.stock.product(l.SKU)
		if err != nil {
			return err
		}
		if p != nil {
			l.Linked = true
			if l.Name == "" {
				l.Name = p.Name
			}
			if l.UnitCost == 0 {
				l.UnitCost = p.Cost
			}
		}
	}
	if o.PageToken != "" {
		if err := ValidatePageToken(o.PageToken); err != nil {
			return err
		}
	}
	if err := c.checkSale(o); err != nil {
		return err
	}
	if o.Total == 0 {
		o.Total = o.ComputedTotal()
	}
	if len(o.Lines) > 0 {
		o.Parcels = onlyParcel(o)
	}
	if o.PaymentStatus == "" {
		o.PaymentStatus = PaymentUnpaid
	}
	if o.DeliveryStatus == "" {
		o.DeliveryStatus = DeliveryUnsent
	}
	to := o.Status
	if to == "" {
		to = o.Channel.Rule().Entry
		if o.Channel != ChannelInStore && o.PaymentMethod == PayTransfer && o.PaymentStatus == PaymentUnpaid && !o.Channel.Rule().Marketplace {
			to = StatusPaymentReview
		}
	}
	if !legal(noStatus, ActionPlace, to) {
		return Errorf(EInvalid, "An order cannot start as %s", to)
	}
	if to == StatusNew {
		o.AcceptBy = o.CreatedAt.Add(c.pol.AcceptWindowFor(o.Channel))
	}
	o.Status = ""
	o.Version = 0
	c.order, c.from = o, noStatus
	if err := c.move(to); err != nil {
		return err
	}
	c.note = Text("Order placed via %s", o.Channel)
	if n := unlinkedCount(o); n > 0 {
		c.note = Text("Order placed via %s; %d unlinked line(s) move no stock", o.Channel, n)
	}
	return nil
}

func unlinkedCount(o *Order) int {
	n := 0
	for _, l := range o.Lines {
		if !l.Linked {
			n++
		}
	}
	return n
}

func defaultNumber(o *Order, now time.Time) string {
	prefix := map[Channel]string{ChannelManual: "WA", ChannelInStore: "POS", ChannelStore: "WEB"}[o.Channel]
	if prefix == "" {
		prefix = strings.ToUpper(string(o.Channel[:3]))
	}
	if o.ExternalID != "" {
		return prefix + "-" + o.ExternalID
	}
	return prefix + "-" + now.Format("060102") + "-" + strings.ToUpper(o.ID[len(o.ID)-4:])
}
