// Package webstore reads the shop's own web store: it posts the order in
// our JSON (docs/webhooks.md), signed like WooCommerce: X-Store-Signature =
// base64(HMAC-SHA256(webhook_secret, body)), with X-Store-Delivery-ID naming
// the delivery for dedupe.
package webstore

import (
	"net/http"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// Hook reads the web store's order deliveries.
type Hook struct{}

var _ channel.Hook = Hook{}

// Verify checks X-Store-Signature with the account's webhook_secret.
func (Hook) Verify(fields map[string]string, r *http.Request, body []byte) bool {
	secret := fields["webhook_secret"]
	return channel.Equal(secret, r.Header.Get("X-Store-Signature"), channel.SignBase64(secret, body))
}

// Parse reads order.created and order.updated events.
func (Hook) Parse(r *http.Request, body []byte) (*channel.Inbound, error) { return parse(r, body) }

// Order is the web store's order as documented in docs/webhooks.md.
// Amounts are integers in the currency's minor unit (whole rupiah for IDR).
type Order struct {
	ID            string       `json:"id"`
	Number        string       `json:"number,omitempty"`
	Status        string       `json:"status,omitempty"`
	Currency      app.Currency `json:"currency,omitempty"`
	CreatedAt     time.Time    `json:"created_at,omitempty"`
	Buyer         app.Buyer    `json:"buyer"`
	Lines         []Line       `json:"lines"`
	ShippingFee   app.Money    `json:"shipping_fee,omitempty"`
	Discount      app.Money    `json:"discount,omitempty"`
	Tax           app.Money    `json:"tax,omitempty"`
	Total         app.Money    `json:"total,omitempty"`
	PaymentMethod string       `json:"payment_method,omitempty"`
	Paid          bool         `json:"paid,omitempty"`
	Note          string       `json:"note,omitempty"`
}

// Line is one line of a web store order.
type Line struct {
	ID        string    `json:"id,omitempty"`
	SKU       string    `json:"sku"`
	Name      string    `json:"name"`
	Qty       int       `json:"qty"`
	UnitPrice app.Money `json:"unit_price"`
}

// Event is the body the web store posts.
type Event struct {
	Event string `json:"event"`
	Order Order  `json:"order"`
}

func parse(r *http.Request, body []byte) (*channel.Inbound, error) {
	var ev Event
	if err := channel.DecodeJSON(body, &ev); err != nil {
		return nil, err
	}
	if ev.Event != "order.created" && ev.Event != "order.updated" {
		return nil, app.FieldError("event", "must be order.created or order.updated, got %q", ev.Event)
	}
	so := ev.Order
	if err := app.ValidateExternalID(app.ChannelStore, "order.id", so.ID); err != nil {
		return nil, err
	}
	if so.Status != "" {
		if _, err := app.ParseStatus(so.Status); err != nil {
			return nil, app.FieldError("order.status", "unknown status %q", so.Status)
		}
	}
	o := &app.Order{Number: so.Number, Currency: so.Currency, CreatedAt: so.CreatedAt, Buyer: so.Buyer,
		ShippingFee: so.ShippingFee, Discount: so.Discount, Tax: so.Tax, Total: so.Total, Note: so.Note}
	if so.PaymentMethod != "" {
		pm, err := app.ParsePaymentMethod(so.PaymentMethod)
		if err != nil {
			return nil, app.FieldError("order.payment_method", "unknown payment method %q", so.PaymentMethod)
		}
		o.PaymentMethod = pm
	}
	if so.Paid {
		o.PaymentStatus, o.Paid = app.PaymentPaid, so.Total
	}
	for _, l := range so.Lines {
		o.Lines = append(o.Lines, app.Line{SKU: l.SKU, Name: l.Name, Qty: l.Qty, UnitPrice: l.UnitPrice, ExternalID: l.ID})
	}
	return &channel.Inbound{
		Orders:   []app.Incoming{{Channel: app.ChannelStore, ExternalID: so.ID, ChannelStatus: so.Status, Order: o}},
		Delivery: r.Header.Get("X-Store-Delivery-ID"),
	}, nil
}
