package app

import (
	"strings"
	"time"
)

// Order is one sale: an online order from a channel, a manual (WhatsApp)
// order, or an in-store sale. Its status only changes through Execute.
type Order struct {
	ID         string  `json:"id"`
	Shop       string  `json:"shop,omitempty"`
	Channel    Channel `json:"channel"`
	ExternalID string  `json:"external_id,omitempty"`
	Number     string  `json:"number"`
	Status     Status  `json:"status"`
	// ChannelStatus is the last status code the channel itself reported.
	ChannelStatus string `json:"channel_status,omitempty"`
	// ChannelUpdatedAt is the platform's update time of the newest push
	// applied; an older push never moves the order back (Ingest).
	ChannelUpdatedAt time.Time `json:"channel_updated_at,omitzero"`
	// DetailsPending marks an order known only from a status push; a connector fills it in.
	DetailsPending bool `json:"details_pending,omitempty"`

	Buyer Buyer  `json:"buyer,omitzero"`
	Lines []Line `json:"lines"`
	Note  string `json:"note,omitempty"`

	Currency      Currency      `json:"currency"`
	ShippingFee   Money         `json:"shipping_fee"`
	Discount      Money         `json:"discount"`
	Tax           Money         `json:"tax"`
	Total         Money         `json:"total"`
	PaymentMethod PaymentMethod `json:"payment_method,omitempty"`
	PaymentStatus PaymentStatus `json:"payment_status"`
	Paid          Money         `json:"paid,omitempty"`
	// TaxIncluded says the line prices already hold Tax (PPN inclusive).
	TaxIncluded bool `json:"tax_included,omitempty"`
	// Payments are the tenders of an in-store sale; a split payment has several.
	Payments []Payment `json:"payments,omitempty"`
	// Sale holds what only an in-store sale records.
	Sale *SaleInfo `json:"sale,omitempty"`
	// Refunds are money and goods given back on an in-store sale.
	Refunds        []Refund        `json:"refunds,omitempty"`
	PaymentReceipt *PaymentReceipt `json:"payment_receipt,omitempty"`
	Invoice        Invoice         `json:"invoice,omitzero"`

	DeliveryStatus DeliveryStatus `json:"delivery_status"`
	Parcels        []Parcel       `json:"parcels"`
	Shipment       Shipment       `json:"shipment,omitzero"`

	CancelReason  CancelReason   `json:"cancel_reason,omitempty"`
	CancelNote    string         `json:"cancel_note,omitempty"`
	CancelRequest *CancelRequest `json:"cancel_request,omitempty"`
	Complaint     *Complaint     `json:"complaint,omitempty"`
	Prints        Prints         `json:"prints,omitzero"`
	// Notices are what the shop told the buyer and where each stands (notice.go).
	Notices []Notice `json:"notices,omitempty"`
	// ChannelCalls are the register's decisions told to the platform that sold the order, and where each stands (channel_call.go).
	ChannelCalls []ChannelCall `json:"channel_calls,omitempty"`
	// PageToken opens the order's public page (/o/{token}); replacing it revokes the old link.
	PageToken string `json:"page_token,omitempty"`

	// AcceptBy is when a New order is rejected automatically.
	AcceptBy time.Time `json:"accept_by,omitzero"`
	// ShipBy is the platform's deadline for handing the parcel over
	// (Shopee's ship_by_date); zero when the platform gives none.
	ShipBy    time.Time `json:"ship_by,omitzero"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// CompletedAt is when the order first completed: an online order's sale
	// counts in the report from that day.
	CompletedAt time.Time `json:"completed_at,omitzero"`
	// Version rises by one with every change; sync uses it as a precondition.
	Version int64 `json:"version"`
	// StaffName is who created the order (the cashier of an in-store sale).
	CreatedBy string `json:"created_by,omitempty"`

	// History is filled in by the store for a detail view; it is not part of the record.
	History []Event `json:"history,omitempty"`
}

// Buyer is who receives the order.
type Buyer struct {
	Name    string  `json:"name"`
	Phone   string  `json:"phone,omitempty"`
	Email   string  `json:"email,omitempty"`
	Address Address `json:"address"`
	// Lang is the language the buyer reads notices in; Indonesian when unset.
	Lang Lang `json:"lang,omitempty"`
}

// Address is a shipping address in the shape Indonesian couriers want.
type Address struct {
	Street     string `json:"street,omitempty"`
	District   string `json:"district,omitempty"`
	City       string `json:"city,omitempty"`
	Province   string `json:"province,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"`
}

// String is the address on one line, empty parts left out.
func (a Address) String() string {
	var parts []string
	for _, p := range []string{a.Street, a.District, a.City, a.Province, a.PostalCode, a.Country} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// Line is one product on an order. An unlinked line names a SKU the shop's
// product list does not have: it is flagged and moves no stock.
type Line struct {
	SKU       string `json:"sku"`
	Name      string `json:"name"`
	Qty       int    `json:"qty"`
	UnitPrice Money  `json:"unit_price"`
	UnitCost  Money  `json:"unit_cost,omitempty"`
	// Discount is taken off this line's amount (an in-store line discount).
	Discount Money `json:"discount,omitempty"`
	Linked   bool  `json:"linked"`
	// ExternalID is the channel's own id of the line (Lazada pushes one per line).
	ExternalID string `json:"external_id,omitempty"`
	// Listing is the platform's id of the listing the line was sold from,
	// as the platform's listings are read (app.Listing.ID), so an owner's
	// link finds the line; empty when the adapter does not say.
	Listing string `json:"listing,omitempty"`
	// ChannelStatus is the channel's own status of this line, for channels
	// whose statuses are per line (Lazada).
	ChannelStatus string `json:"channel_status,omitempty"`
	// Cancelled is a line the channel cancelled on an order that goes on:
	// it stays on the order for the record, counts for nothing and moves no stock.
	Cancelled bool `json:"cancelled,omitempty"`
}

// Amount is quantity times unit price, less the line's discount; nothing for a cancelled line.
func (l Line) Amount() Money {
	if l.Cancelled {
		return 0
	}
	return Money(l.Qty)*l.UnitPrice - l.Discount
}

// PaymentReceipt is the transfer slip a buyer uploaded for review.
type PaymentReceipt struct {
	ImageURL   string    `json:"image_url"`
	UploadedAt time.Time `json:"uploaded_at"`
	// Message is what the shop told the buyer when it denied the receipt.
	Message string `json:"message,omitempty"`
}

// Invoice is the DealPOS invoice view of an accepted order.
type Invoice struct {
	Number    string        `json:"number,omitempty"`
	Status    InvoiceStatus `json:"status,omitempty"`
	CreatedAt time.Time     `json:"created_at,omitzero"`
}

// Parcel is one box of an order; its items are quantities of the order's lines.
type Parcel struct {
	Items       []ParcelItem `json:"items"`
	WeightGrams int          `json:"weight_grams,omitempty"`
	LengthCm    int          `json:"length_cm,omitempty"`
	WidthCm     int          `json:"width_cm,omitempty"`
	HeightCm    int          `json:"height_cm,omitempty"`
	// Packed locks the parcel's contents once staff verified them.
	Packed   bool      `json:"packed,omitempty"`
	PackedAt time.Time `json:"packed_at,omitzero"`
	PackedBy string    `json:"packed_by,omitempty"`
}

// ParcelItem is a quantity of one order line inside a parcel.
type ParcelItem struct {
	Line int    `json:"line"`
	SKU  string `json:"sku"`
	Qty  int    `json:"qty"`
}

// Qty is the number of pieces in the parcel.
func (p Parcel) Qty() int {
	n := 0
	for _, it := range p.Items {
		n += it.Qty
	}
	return n
}

// Shipment is how the order travels to the buyer.
type Shipment struct {
	Method         ShipMethod    `json:"method,omitempty"`
	State          ShipmentState `json:"state,omitempty"`
	PickupFrom     time.Time     `json:"pickup_from,omitzero"`
	PickupTo       time.Time     `json:"pickup_to,omitzero"`
	PickupAddress  string        `json:"pickup_address,omitempty"`
	Courier        string        `json:"courier,omitempty"`
	Service        string        `json:"service,omitempty"`
	TrackingID     string        `json:"tracking_id,omitempty"`
	PickupDeadline time.Time     `json:"pickup_deadline,omitzero"`
	ArrangedAt     time.Time     `json:"arranged_at,omitzero"`
	PickedUpAt     time.Time     `json:"picked_up_at,omitzero"`
	DeliveredAt    time.Time     `json:"delivered_at,omitzero"`
	FailReason     string        `json:"fail_reason,omitempty"`
	// Remark is staff's note to the buyer about the shipment ("sent in two boxes").
	Remark string `json:"remark,omitempty"`
	// Provider books the courier (courier_booking.go); Reference is our
	// external id there, ProviderOrderID the provider's, AWB the waybill.
	Provider        CourierProvider `json:"provider,omitempty"`
	Reference       string          `json:"reference,omitempty"`
	ProviderOrderID string          `json:"provider_order_id,omitempty"`
	AWB             string          `json:"awb,omitempty"`
	Rate            *ShipmentRate   `json:"rate,omitempty"`
	Driver          *Driver         `json:"driver,omitempty"`
	Booking         BookingState    `json:"booking,omitempty"`
	// Bookings counts the order's bookings, so each has its own reference.
	Bookings int `json:"bookings,omitempty"`
	// Withdrawn are bookings replaced or cancelled that the cloud still has
	// to cancel at their provider.
	Withdrawn []BookingRef `json:"withdrawn,omitempty"`
}

// ShipMethod is how the parcel reaches the courier.
type ShipMethod string

// Shipping methods.
const (
	ShipPickup  ShipMethod = "pickup"
	ShipDropoff ShipMethod = "dropoff"
	ShipManual  ShipMethod = "manual"
)

// ShipmentState is the sub-state of a shipment while the order is Ready to Ship or In Delivery.
type ShipmentState string

// Shipment sub-states, in the order a courier pickup goes through them.
const (
	ShipmentNone            ShipmentState = ""
	ShipmentSearching       ShipmentState = "searching_courier"
	ShipmentAssigned        ShipmentState = "courier_assigned"
	ShipmentHeading         ShipmentState = "heading_to_pickup"
	ShipmentAwaitingDropoff ShipmentState = "awaiting_dropoff"
	ShipmentPickedUp        ShipmentState = "picked_up"
	ShipmentDelivered       ShipmentState = "delivered"
	ShipmentFailed          ShipmentState = "failed"
	ShipmentReturned        ShipmentState = "returned"
)

var shipmentStateLabels = map[ShipmentState]string{
	ShipmentNone: "Not arranged", ShipmentSearching: "Searching courier", ShipmentAssigned: "Courier assigned",
	ShipmentHeading: "Courier heading to pickup", ShipmentAwaitingDropoff: "Awaiting drop-off",
	ShipmentPickedUp: "Picked up", ShipmentDelivered: "Delivered", ShipmentFailed: "Pickup or delivery failed", ShipmentReturned: "Returned to the shop",
}

// Label is the shipment's state as staff read it.
func (s ShipmentState) Label() string {
	if l, ok := shipmentStateLabels[s]; ok {
		return l
	}
	return string(s)
}

// CancelRequest is a buyer's request to cancel an order the shop already accepted.
type CancelRequest struct {
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// Complaint is a buyer's complaint or return request on a finished order.
type Complaint struct {
	Reason     string     `json:"reason"`
	At         time.Time  `json:"at"`
	Resolution Resolution `json:"resolution,omitempty"`
	ResolvedAt time.Time  `json:"resolved_at,omitzero"`
}

// Resolution ends a complaint.
type Resolution string

// Ways to resolve a complaint.
const (
	ResolveReturn Resolution = "return"
	ResolveRefund Resolution = "refund"
	ResolveReject Resolution = "reject"
)

// Prints records what was printed for the order; "label printed" is a filter.
type Prints struct {
	LabelAt      time.Time `json:"label_at,omitzero"`
	LabelCount   int       `json:"label_count,omitempty"`
	ReceiptAt    time.Time `json:"receipt_at,omitzero"`
	ReceiptCount int       `json:"receipt_count,omitempty"`
	SlipAt       time.Time `json:"slip_at,omitzero"`
	SlipCount    int       `json:"slip_count,omitempty"`
}

// Document is a printed document kind.
type Document string

// Printed documents.
const (
	DocLabel   Document = "label"
	DocReceipt Document = "receipt"
	DocSlip    Document = "slip"
)

var documentLabels = map[Document]string{DocLabel: "Label", DocReceipt: "Receipt", DocSlip: "Packing slip"}

// Label is the document as staff read it.
func (d Document) Label() string {
	if l, ok := documentLabels[d]; ok {
		return l
	}
	return string(d)
}

// ItemCount is the number of pieces on the order.
func (o *Order) ItemCount() int {
	n := 0
	for _, l := range o.Lines {
		if !l.Cancelled {
			n += l.Qty
		}
	}
	return n
}

// Subtotal is the sum of line amounts.
func (o *Order) Subtotal() Money {
	var m Money
	for _, l := range o.Lines {
		m += l.Amount()
	}
	return m
}

// ComputedTotal is subtotal + shipping + tax − discount; tax already inside
// the prices is not added again.
func (o *Order) ComputedTotal() Money {
	t := o.Subtotal() + o.ShippingFee - o.Discount
	if !o.TaxIncluded {
		t += o.Tax
	}
	return t
}

// LabelPrinted reports whether a shipping label has been printed.
func (o *Order) LabelPrinted() bool { return o.Prints.LabelCount > 0 }

// AwaitingLabel reports whether the courier gave a tracking ID but no label was printed yet.
func (o *Order) AwaitingLabel() bool {
	return o.Shipment.TrackingID != "" && !o.LabelPrinted() &&
		(o.Status == StatusReadyToShip || o.Status == StatusInDelivery)
}

// Clone returns a deep copy, so a rule can work on a draft and discard it on error.
func (o *Order) Clone() *Order {
	c := *o
	c.Lines = append([]Line(nil), o.Lines...)
	c.Parcels = make([]Parcel, len(o.Parcels))
	for i, p := range o.Parcels {
		p.Items = append([]ParcelItem(nil), p.Items...)
		c.Parcels[i] = p
	}
	if o.PaymentReceipt != nil {
		r := *o.PaymentReceipt
		c.PaymentReceipt = &r
	}
	if o.CancelRequest != nil {
		r := *o.CancelRequest
		c.CancelRequest = &r
	}
	if o.Complaint != nil {
		r := *o.Complaint
		c.Complaint = &r
	}
	c.History = append([]Event(nil), o.History...)
	c.Payments = append([]Payment(nil), o.Payments...)
	c.Notices = append([]Notice(nil), o.Notices...)
	c.ChannelCalls = append([]ChannelCall(nil), o.ChannelCalls...)
	if o.Sale != nil {
		s := *o.Sale
		c.Sale = &s
	}
	c.Refunds = make([]Refund, len(o.Refunds))
	for i, r := range o.Refunds {
		r.Lines = append([]RefundLine(nil), r.Lines...)
		c.Refunds[i] = r
	}
	if len(o.Refunds) == 0 {
		c.Refunds = nil
	}
	return &c
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	return string(b[n:])
}
