package cloud

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel/woocommerce"
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
var wooCommerceHook = channelHook{
	verify: func(sec Secrets, r *http.Request, body []byte) bool {
		return (&woocommerce.Adapter{}).Verify(sec[SecretWooCommerce], r.Header.Get("X-WC-Webhook-Signature"), body)
	},
	unsigned: isWooPing,
	parse:    parseWooCommerce,
}

// isWooPing recognises the delivery-URL ping: no topic, form-encoded webhook_id only.
func isWooPing(r *http.Request, body []byte) bool {
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

func parseWooCommerce(r *http.Request, body []byte) (*inbound, error) {
	topic := r.Header.Get("X-WC-Webhook-Topic")
	if topic != "order.created" && topic != "order.updated" {
		return &inbound{ignore: "topic " + strconvQuote(topic) + " carries no order change"}, nil
	}
	var wc wcOrder
	if err := decodeJSON(body, &wc); err != nil {
		return nil, err
	}
	// json.Number lets "1.5" and "1e400" through; an order id is a plain positive integer.
	if err := app.ValidateExternalID(app.ChannelWooCommerce, "id", wc.ID.String()); err != nil {
		return nil, err
	}
	cur := app.IDR
	if wc.Currency != "" {
		c, err := app.ParseCurrency(wc.Currency)
		if err != nil {
			return nil, app.FieldError("currency", "unknown currency %q", wc.Currency)
		}
		cur = c
	}
	money := func(field, s string) (app.Money, error) { return decimalMoney(field, s, cur) }
	o := &app.Order{Number: wc.Number, Currency: cur, Note: wc.CustomerNote, PaymentMethod: wooPayment(wc.PaymentMethod)}
	if o.Number != "" {
		o.Number = "WC-" + o.Number
	}
	ship := wc.Shipping
	if ship.Address1 == "" {
		ship = wc.Billing
	}
	o.Buyer = app.Buyer{
		Name:  joinName(ship.FirstName, ship.LastName),
		Phone: firstNonEmpty(ship.Phone, wc.Billing.Phone),
		Email: wc.Billing.Email,
		Address: app.Address{Street: joinName(ship.Address1, ship.Address2), City: ship.City,
			Province: ship.State, PostalCode: ship.Postcode, Country: ship.Country},
	}
	if t, err := time.Parse("2006-01-02T15:04:05", wc.DateCreatedGMT); err == nil {
		o.CreatedAt = t.UTC()
	}
	var err error
	if o.ShippingFee, err = money("shipping_total", wc.ShippingTotal); err != nil {
		return nil, err
	}
	if o.Discount, err = money("discount_total", wc.DiscountTotal); err != nil {
		return nil, err
	}
	if o.Tax, err = money("total_tax", wc.TotalTax); err != nil {
		return nil, err
	}
	if o.Total, err = money("total", wc.Total); err != nil {
		return nil, err
	}
	// Woo's total counts its fee lines; we keep them with shipping (a charge)
	// or the discount (a reduction), so the total still adds up.
	for i, f := range wc.FeeLines {
		field := "fee_lines[" + strconv.Itoa(i) + "].total"
		amt, err := money(field, strings.TrimPrefix(strings.TrimSpace(f.Total), "-"))
		if err != nil {
			return nil, err
		}
		dst := &o.ShippingFee
		if strings.HasPrefix(strings.TrimSpace(f.Total), "-") {
			dst = &o.Discount
		}
		sum, ok := dst.Plus(amt)
		if !ok || sum > app.MaxAmount {
			return nil, app.FieldError(field, "must be between 0 and %d, got %q", int64(app.MaxAmount), f.Total)
		}
		*dst = sum
	}
	for i, l := range wc.LineItems {
		field := "line_items[" + strconv.Itoa(i) + "]"
		if err := app.ValidateExternalID(app.ChannelWooCommerce, field+".id", l.ID.String()); err != nil {
			return nil, err
		}
		if err := app.CheckQty(field+".quantity", l.Quantity); err != nil {
			return nil, err
		}
		price, err := money(field+".price", l.Price.String())
		if err != nil {
			return nil, err
		}
		o.Lines = append(o.Lines, app.Line{SKU: strings.TrimSpace(l.SKU), Name: l.Name, Qty: l.Quantity, UnitPrice: price, ExternalID: l.ID.String()})
	}
	if wc.DatePaidGMT != nil && *wc.DatePaidGMT != "" {
		o.PaymentStatus = app.PaymentPaid
		o.Paid = o.Total
	}
	return &inbound{
		orders:   []app.Incoming{{Channel: app.ChannelWooCommerce, ExternalID: wc.ID.String(), ChannelStatus: wc.Status, Order: o, Created: topic == "order.created"}},
		delivery: r.Header.Get("X-WC-Webhook-Delivery-ID"),
	}, nil
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

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// decimalMoney parses a decimal string ("125000.00", "10.5") into the
// currency's minor unit without floats; extra decimals must be zeros.
func decimalMoney(field, s string, cur app.Currency) (app.Money, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	neg := strings.HasPrefix(s, "-")
	if neg {
		return 0, app.FieldError(field, "cannot be negative, got %q", s)
	}
	whole, frac, _ := strings.Cut(s, ".")
	d := cur.Decimals()
	if len(frac) > d {
		if strings.Trim(frac[d:], "0") != "" {
			return 0, app.FieldError(field, "%q has more decimals than %s allows", s, cur)
		}
		frac = frac[:d]
	}
	frac += strings.Repeat("0", d-len(frac))
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, app.FieldError(field, "is not a decimal amount: %q", s)
		}
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || app.Money(n) > app.MaxAmount {
		return 0, app.FieldError(field, "must be between 0 and %d, got %q", int64(app.MaxAmount), s)
	}
	return app.Money(n), nil
}
