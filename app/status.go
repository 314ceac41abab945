package app

import "strings"

// Status is where an order stands in its life cycle, spelled as in DESIGN.md §3.
type Status string

// The canonical statuses; each is a sub-tab of the Online screen.
const (
	StatusPaymentReview Status = "payment_review"
	StatusNew           Status = "new"
	StatusReadyToShip   Status = "ready_to_ship"
	StatusInDelivery    Status = "in_delivery"
	StatusDelivered     Status = "delivered"
	StatusCompleted     Status = "completed"
	StatusCancelled     Status = "cancelled"
	StatusComplained    Status = "complained"
	// StatusReturned is a complaint resolved by taking the goods back and
	// refunding the buyer; StatusRefunded is money back with the goods left
	// with the buyer. Staff handle them differently (one puts stock back on
	// the shelf, the other writes it off), so each has its own place.
	StatusReturned Status = "returned"
	StatusRefunded Status = "refunded"
)

// Statuses lists every status in the order the Online tab shows them.
var Statuses = []Status{
	StatusPaymentReview, StatusNew, StatusReadyToShip, StatusInDelivery,
	StatusDelivered, StatusCompleted, StatusCancelled, StatusComplained,
	StatusReturned, StatusRefunded,
}

var statusLabels = map[Status]string{
	StatusPaymentReview: "Payment Review",
	StatusNew:           "New",
	StatusReadyToShip:   "Ready to Ship",
	StatusInDelivery:    "In Delivery",
	StatusDelivered:     "Delivered",
	StatusCompleted:     "Completed",
	StatusCancelled:     "Cancelled",
	StatusComplained:    "Complained",
	StatusReturned:      "Returned",
	StatusRefunded:      "Refunded",
}

// Label is the status as staff read it.
func (s Status) Label() string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return string(s)
}

// Valid reports whether s is one of the canonical statuses.
func (s Status) Valid() bool { _, ok := statusLabels[s]; return ok }

// ParseStatus accepts a canonical status, case-insensitively.
func ParseStatus(s string) (Status, error) {
	st := Status(strings.ToLower(strings.TrimSpace(s)))
	if !st.Valid() {
		return "", FieldError("status", "%q is unknown (use one of payment_review, new, ready_to_ship, in_delivery, delivered, completed, cancelled, complained, returned, refunded)", s)
	}
	return st, nil
}

// preAcceptance statuses hold no stock: nobody has committed to ship yet.
func (s Status) preAcceptance() bool { return s == StatusPaymentReview || s == StatusNew }

// AwaitsShop reports whether an order in this status waits for the shop to
// accept it (or its payment); the Online badge counts these.
func (s Status) AwaitsShop() bool { return s.preAcceptance() }

// Terminal reports whether nothing more can happen to an order in this status
// except a complaint on a completed one.
func (s Status) Terminal() bool { return s == StatusCancelled }

// PaymentStatus follows the invoice: unpaid until completion, refunded after a return.
type PaymentStatus string

// Payment states.
const (
	PaymentUnpaid   PaymentStatus = "unpaid"
	PaymentPaid     PaymentStatus = "paid"
	PaymentRefunded PaymentStatus = "refunded"
)

// PaymentMethod is how the buyer pays.
type PaymentMethod string

// Payment methods seen on Indonesian and Malaysian shops.
const (
	PayTransfer PaymentMethod = "transfer"
	PayCOD      PaymentMethod = "cod"
	PayCash     PaymentMethod = "cash"
	PayCard     PaymentMethod = "card"
	PayEWallet  PaymentMethod = "ewallet"
	// PayQRIS is Bank Indonesia's one QR code every e-wallet and bank app pays.
	PayQRIS        PaymentMethod = "qris"
	PayMarketplace PaymentMethod = "marketplace"
)

var paymentMethods = map[PaymentMethod]string{
	PayTransfer: "Bank transfer", PayCOD: "Cash on delivery", PayCash: "Cash",
	PayCard: "Card", PayEWallet: "E-wallet", PayQRIS: "QRIS", PayMarketplace: "Marketplace",
}

// Label is the method as staff read it.
func (m PaymentMethod) Label() string {
	if l, ok := paymentMethods[m]; ok {
		return l
	}
	return string(m)
}

// ParsePaymentMethod refuses methods the product does not know.
func ParsePaymentMethod(s string) (PaymentMethod, error) {
	m := PaymentMethod(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := paymentMethods[m]; !ok {
		return "", FieldError("payment_method", "%q is unknown (use transfer, cod, cash, card, qris, ewallet or marketplace)", s)
	}
	return m, nil
}

// DeliveryStatus is the invoice-side view of the delivery (DealPOS: unsent, sent).
type DeliveryStatus string

// Delivery states.
const (
	DeliveryUnsent    DeliveryStatus = "unsent"
	DeliverySent      DeliveryStatus = "sent"
	DeliveryDelivered DeliveryStatus = "delivered"
	DeliveryReturned  DeliveryStatus = "returned"
)

// InvoiceStatus follows DealPOS: accepting creates an unpaid, unsent invoice.
type InvoiceStatus string

// Invoice states.
const (
	InvoiceNone   InvoiceStatus = ""
	InvoiceUnpaid InvoiceStatus = "unpaid"
	InvoiceSent   InvoiceStatus = "sent"
	InvoicePaid   InvoiceStatus = "paid"
	InvoiceVoid   InvoiceStatus = "void"
	// InvoiceRefunded is an invoice whose money went back to the buyer after a return or refund.
	InvoiceRefunded InvoiceStatus = "refunded"
)

// CancelReason says who ended an order.
type CancelReason string

// Cancel reasons from DESIGN.md §3.
const (
	CancelByBuyer        CancelReason = "buyer"
	CancelBySeller       CancelReason = "seller"
	CancelAutoReject     CancelReason = "auto_reject"
	CancelOutOfStock     CancelReason = "out_of_stock"
	CancelBuyerRequest   CancelReason = "buyer_request_approved"
	CancelByChannel      CancelReason = "channel"
	CancelPaymentExpired CancelReason = "payment_expired"
	// CancelVoided is an in-store sale undone the same day, in its shift.
	CancelVoided CancelReason = "voided"
)
