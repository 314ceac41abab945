package woocommerce

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// WooCommerce webhooks, as WooCommerce core sends them:
// https://woocommerce.com/document/webhooks/ (topics, delivery, signature) and
// https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties (the
// order body, the same JSON as the REST API's order resource).
//
// Headers: X-WC-Webhook-Topic (order.created, order.updated, …),
// X-WC-Webhook-Delivery-ID, and X-WC-Webhook-Signature =
// base64(HMAC-SHA256(secret, raw body)). When a webhook is saved, WooCommerce
// pings the delivery URL with a form body "webhook_id=N" and no topic.
type Hook struct{}

var (
	_ channel.Hook   = Hook{}
	_ channel.Pinger = Hook{}
)

// Verify checks X-WC-Webhook-Signature with the account's webhook_secret.
func (Hook) Verify(fields map[string]string, r *http.Request, body []byte) bool {
	return (&Adapter{}).Verify(fields["webhook_secret"], r.Header.Get("X-WC-Webhook-Signature"), body)
}

// Parse reads order.created and order.updated; other topics are acknowledged.
func (Hook) Parse(r *http.Request, body []byte) (*channel.Inbound, error) {
	return parseWebhook(r, body)
}

// Ping recognises the delivery-URL ping: no topic, form-encoded webhook_id only.
func (Hook) Ping(r *http.Request, body []byte) bool {
	if r.Header.Get("X-WC-Webhook-Topic") != "" || len(body) > 64 {
		return false
	}
	v, err := url.ParseQuery(string(body))
	if err != nil || len(v) != 1 {
		return false
	}
	_, err = strconv.ParseUint(v.Get("webhook_id"), 10, 64)
	return err == nil
}

type wcAddress struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	State     string `json:"state"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
}

type wcLine struct {
	ID        json.Number `json:"id"`
	Name      string      `json:"name"`
	ProductID json.Number `json:"product_id"`
	Quantity  int         `json:"quantity"`
	Subtotal  string      `json:"subtotal"`
	Total     string      `json:"total"`
	SKU       string      `json:"sku"`
	Price     json.Number `json:"price"`
}

type wcOrder struct {
	ID                 json.Number `json:"id"`
	Number             string      `json:"number"`
	Status             string      `json:"status"`
	Currency           string      `json:"currency"`
	DateCreatedGMT     string      `json:"date_created_gmt"`
	DiscountTotal      string      `json:"discount_total"`
	ShippingTotal      string      `json:"shipping_total"`
	TotalTax           string      `json:"total_tax"`
	Total              string      `json:"total"`
	CustomerNote       string      `json:"customer_note"`
	PaymentMethod      string      `json:"payment_method"`
	PaymentMethodTitle string      `json:"payment_method_title"`
	DatePaidGMT        *string     `json:"date_paid_gmt"`
	Billing            wcAddress   `json:"billing"`
	Shipping           wcAddress   `json:"shipping"`
	LineItems          []wcLine    `json:"line_items"`
	// FeeLines are charges (or, negative, reductions) on top of the lines.
	FeeLines []struct {
		Total string `json:"total"`
	} `json:"fee_lines"`
}

func parseWebhook(r *http.Request, body []byte) (*channel.Inbound, error) {
	topic := r.Header.Get("X-WC-Webhook-Topic")
	if topic != "order.created" && topic != "order.updated" {
		return &channel.Inbound{Ignore: "topic " + channel.Quote(topic) + " carries no order change"}, nil
	}
	push, err := parseOrder(body)
	if err != nil {
		return nil, err
	}
	push.Created = topic == "order.created"
	return &channel.Inbound{
		Orders:   []app.Incoming{push},
		Delivery: r.Header.Get("X-WC-Webhook-Delivery-ID"),
	}, nil
}

// parseOrder reads an order as WooCommerce gives it, in a webhook or from
// the REST API (https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties).
func parseOrder(body []byte) (app.Incoming, error) {
	var wc wcOrder
	if err := channel.DecodeJSON(body, &wc); err != nil {
		return app.Incoming{}, err
	}
	// json.Number lets "1.5" and "1e400" through; an order id is a plain positive integer.
	if err := app.ValidateExternalID(app.ChannelWooCommerce, "id", wc.ID.String()); err != nil {
		return app.Incoming{}, err
	}
	cur := app.IDR
	if wc.Currency != "" {
		c, err := app.ParseCurrency(wc.Currency)
		if err != nil {
			return app.Incoming{}, app.FieldError("currency", "unknown currency %q", wc.Currency)
		}
		cur = c
	}
	money := cur.ParseDecimal
	o := &app.Order{Number: wc.Number, Currency: cur, Note: wc.CustomerNote, PaymentMethod: wooPayment(wc.PaymentMethod)}
	if o.Number != "" {
		o.Number = "WC-" + o.Number
	}
	ship := wc.Shipping
	if ship.Address1 == "" {
		ship = wc.Billing
	}
	o.Buyer = app.Buyer{
		Name:  channel.JoinName(ship.FirstName, ship.LastName),
		Phone: channel.FirstNonEmpty(ship.Phone, wc.Billing.Phone),
		Email: wc.Billing.Email,
		Address: app.Address{Street: channel.JoinName(ship.Address1, ship.Address2), City: ship.City,
			Province: ship.State, PostalCode: ship.Postcode, Country: ship.Country},
	}
	if t, err := time.Parse("2006-01-02T15:04:05", wc.DateCreatedGMT); err == nil {
		o.CreatedAt = t.UTC()
	}
	var err error
	if o.ShippingFee, err = money("shipping_total", wc.ShippingTotal); err != nil {
		return app.Incoming{}, err
	}
	if o.Discount, err = money("discount_total", wc.DiscountTotal); err != nil {
		return app.Incoming{}, err
	}
	if o.Tax, err = money("total_tax", wc.TotalTax); err != nil {
		return app.Incoming{}, err
	}
	if o.Total, err = money("total", wc.Total); err != nil {
		return app.Incoming{}, err
	}
	// Woo's total counts its fee lines; we keep them with shipping (a charge)
	// or the discount (a reduction), so the total still adds up.
	for i, f := range wc.FeeLines {
		field := "fee_lines[" + strconv.Itoa(i) + "].total"
		amt, err := money(field, strings.TrimPrefix(strings.TrimSpace(f.Total), "-"))
		if err != nil {
			return app.Incoming{}, err
		}
		dst := &o.ShippingFee
		if strings.HasPrefix(strings.TrimSpace(f.Total), "-") {
			dst = &o.Discount
		}
		sum, ok := dst.Plus(amt)
		if !ok || sum > app.MaxAmount {
			return app.Incoming{}, app.FieldError(field, "must be between 0 and %d, got %q", int64(app.MaxAmount), f.Total)
		}
		*dst = sum
	}
	for i, l := range wc.LineItems {
		field := "line_items[" + strconv.Itoa(i) + "]"
		if err := app.ValidateExternalID(app.ChannelWooCommerce, field+".id", l.ID.String()); err != nil {
			return app.Incoming{}, err
		}
		if err := app.CheckQty(field+".quantity", l.Quantity); err != nil {
			return app.Incoming{}, err
		}
		price, err := money(field+".price", l.Price.String())
		if err != nil {
			return app.Incoming{}, err
		}
		o.Lines = append(o.Lines, app.Line{SKU: strings.TrimSpace(l.SKU), Name: l.Name, Qty: l.Quantity, UnitPrice: price, ExternalID: l.ID.String()})
	}
	if wc.DatePaidGMT != nil && *wc.DatePaidGMT != "" {
		o.PaymentStatus = app.PaymentPaid
		o.Paid = o.Total
	}
	push := app.Incoming{Channel: app.ChannelWooCommerce, ExternalID: wc.ID.String(), ChannelStatus: wc.Status, Order: o}
	// The push is held to app's rules here, where the delivery is read: JSON
	// keys match in any case, so fields the checks above never saw ("stAtus",
	// a line's "quAntitY" with no name) still arrive.
	if err := push.Validate(); err != nil {
		return app.Incoming{}, err
	}
	return push, nil
}

// wooPayment maps WooCommerce's gateway ids to how the buyer pays.
func wooPayment(gateway string) app.PaymentMethod {
	switch gateway {
	case "bacs", "cheque":
		return app.PayTransfer
	case "cod":
		return app.PayCOD
	case "":
		return ""
	default:
		return app.PayEWallet
	}
}
