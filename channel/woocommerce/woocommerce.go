// Package woocommerce tells a WooCommerce store what the register decided,
// through the WooCommerce REST API v3
// (https://woocommerce.github.io/woocommerce-rest-api-docs/), authenticated
// with the store's consumer key and secret as HTTP Basic over HTTPS
// (https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication-over-https).
package woocommerce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// Platform is how errors name WooCommerce.
const Platform = "WooCommerce"

// Adapter is WooCommerce behind channel.Adapter.
type Adapter struct {
	Caller *channel.Caller
}

// New makes the adapter with the connectors' call defaults.
func New() *Adapter { return &Adapter{Caller: channel.NewCaller()} }

var _ channel.Adapter = (*Adapter)(nil)

// Channel is WooCommerce.
func (a *Adapter) Channel() app.Channel { return app.ChannelWooCommerce }

// Verify checks X-WC-Webhook-Signature: base64(HMAC-SHA256(secret, body))
// (https://woocommerce.com/document/webhooks/).
func (a *Adapter) Verify(secret, sig string, body []byte) bool {
	return channel.Equal(secret, sig, channel.SignBase64(secret, body))
}

// store is one WooCommerce store's REST API.
type store struct {
	a           *Adapter
	base        string
	key, secret string
}

func (a *Adapter) store(f map[string]string) (*store, error) {
	base := strings.TrimRight(f["store_url"], "/")
	if base == "" || f["consumer_key"] == "" || f["consumer_secret"] == "" {
		return nil, app.FieldError("store_url", "the WooCommerce account needs store_url, consumer_key and consumer_secret")
	}
	return &store{a: a, base: base + "/wp-json/wc/v3", key: f["consumer_key"], secret: f["consumer_secret"]}, nil
}

// wcError is WooCommerce's error body:
// {"code":"woocommerce_rest_shop_order_invalid_id","message":"Invalid ID.","data":{"status":404}}
// (https://woocommerce.github.io/woocommerce-rest-api-docs/#errors).
type wcError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func message(body []byte) string {
	var e wcError
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	return e.Message
}

func (s *store) call(ctx context.Context, method, path string, body, out any) error {
	return s.a.Caller.Do(ctx, channel.Request{
		Platform: Platform, Method: method, URL: s.base + path, Body: body,
		Auth: func(_ context.Context, r *http.Request) error {
			r.SetBasicAuth(s.key, s.secret)
			return nil
		},
		Message: message,
	}, out)
}

// Push tells the store a decision:
//   - reject and cancel: status cancelled; complete: status completed
//     (PUT /orders/{id}, https://woocommerce.github.io/woocommerce-rest-api-docs/#update-an-order);
//     setting a status twice is harmless, so these are simply repeated;
//   - arranging shipment and a known tracking ID: a customer note with the
//     courier and tracking ID, which WooCommerce e-mails to the buyer
//     (POST /orders/{id}/notes, https://woocommerce.github.io/woocommerce-rest-api-docs/#create-an-order-note);
//     the notes are read first, so the same note is never added twice;
//   - a return: a refund record without moving money, read back first
//     (POST /orders/{id}/refunds, https://woocommerce.github.io/woocommerce-rest-api-docs/#create-a-refund).
//
// Accepting needs no call: a WooCommerce order in "processing" is already
// the shop's to fulfil.
func (a *Adapter) Push(ctx context.Context, f map[string]string, d channel.Decision) error {
	s, err := a.store(f)
	if err != nil {
		return err
	}
	o := d.Order
	id := url.PathEscape(storeOrderID(o.ExternalID))
	switch d.Step {
	case app.StepReject, app.StepCancel:
		return s.call(ctx, http.MethodPut, "/orders/"+id, map[string]string{"status": "cancelled"}, nil)
	case app.StepComplete:
		return s.call(ctx, http.MethodPut, "/orders/"+id, map[string]string{"status": "completed"}, nil)
	case app.StepShip, app.StepTracking:
		return s.note(ctx, id, app.TrackingNote(o))
	case app.StepReturn:
		return s.refund(ctx, id, o, d.Reason)
	}
	return nil
}

// Hears: every step but accepting; shipping only once a tracking ID is known.
func (a *Adapter) Hears(s app.ChannelStep, o *app.Order) bool {
	switch s {
	case app.StepReject, app.StepCancel, app.StepComplete, app.StepReturn:
		return true
	case app.StepShip, app.StepTracking:
		return app.TrackingNote(o) != ""
	}
	return false
}

// storeOrderID is the id the store itself knows an order by: the cloud
// gives the orders of a shop's second and later stores an external id
// "<store>/<id>" (app.WooExternalID) and calls with that store's fields.
func storeOrderID(externalID string) string {
	_, id := app.SplitWooExternalID(externalID)
	return id
}

// Note is an order note as the REST API gives it
// (https://woocommerce.github.io/woocommerce-rest-api-docs/#order-note-properties).
type Note struct {
	ID           int64  `json:"id"`
	Note         string `json:"note"`
	CustomerNote bool   `json:"customer_note"`
}

func (s *store) note(ctx context.Context, id, text string) error {
	if text == "" {
		return nil
	}
	var notes []Note
	if err := s.call(ctx, http.MethodGet, "/orders/"+id+"/notes?type=customer", nil, &notes); err != nil {
		return err
	}
	for _, n := range notes {
		if n.CustomerNote && strings.TrimSpace(n.Note) == text {
			return nil
		}
	}
	return s.call(ctx, http.MethodPost, "/orders/"+id+"/notes", map[string]any{"note": text, "customer_note": true}, nil)
}

// Refund is an order refund as the REST API gives it
// (https://woocommerce.github.io/woocommerce-rest-api-docs/#order-refund-properties).
type Refund struct {
	ID     int64  `json:"id"`
	Amount string `json:"amount"`
	Reason string `json:"reason"`
}

// refund records the return once: a store that already holds a refund of
// the order (made by the shop in WordPress, or by an earlier attempt) gets none more.
func (s *store) refund(ctx context.Context, id string, o *app.Order, reason string) error {
	var refunds []Refund
	if err := s.call(ctx, http.MethodGet, "/orders/"+id+"/refunds", nil, &refunds); err != nil {
		return err
	}
	if len(refunds) > 0 {
		return nil
	}
	if reason == "" {
		reason = "Returned (" + o.Number + ")"
	}
	// api_refund false records the refund without asking the payment gateway to move money:
	// the register already settled it with the buyer.
	body := map[string]any{"amount": o.Currency.Plain(o.Total), "reason": reason, "api_refund": false}
	return s.call(ctx, http.MethodPost, "/orders/"+id+"/refunds", body, nil)
}

// Details fetches the order (GET /orders/{id},
// https://woocommerce.github.io/woocommerce-rest-api-docs/#retrieve-an-order).
func (a *Adapter) Details(ctx context.Context, f map[string]string, externalID string) ([]byte, error) {
	s, err := a.store(f)
	if err != nil {
		return nil, err
	}
	var raw json.RawMessage
	err = s.call(ctx, http.MethodGet, "/orders/"+url.PathEscape(storeOrderID(externalID)), nil, &raw)
	return raw, err
}

// Product is the part of a product or variation the stock push reads
// (https://woocommerce.github.io/woocommerce-rest-api-docs/#product-properties).
type Product struct {
	ID       int64  `json:"id"`
	ParentID int64  `json:"parent_id"`
	SKU      string `json:"sku"`
	Stock    *int   `json:"stock_quantity"`
}

// Stock finds the SKU's products (GET /products?sku=…) and sets their
// stock_quantity (PUT /products/{id}, or /products/{parent}/variations/{id}
// for a variation, https://woocommerce.github.io/woocommerce-rest-api-docs/#update-a-product).
// A SKU the store does not list is not an error: not every product is sold online.
func (a *Adapter) Stock(ctx context.Context, f map[string]string, l channel.Listing) error {
	s, err := a.store(f)
	if err != nil {
		return err
	}
	if strings.TrimSpace(l.SKU) == "" {
		// An empty sku lists every product, and those without a SKU would all get the figure.
		return app.FieldError("sku", "is required")
	}
	var found []Product
	if err := s.call(ctx, http.MethodGet, "/products?sku="+url.QueryEscape(l.SKU), nil, &found); err != nil {
		return err
	}
	qty := max(l.Qty, 0)
	for _, p := range found {
		if p.SKU != l.SKU {
			continue
		}
		path := "/products/" + strconv.FormatInt(p.ID, 10)
		if p.ParentID != 0 {
			path = fmt.Sprintf("/products/%d/variations/%d", p.ParentID, p.ID)
		}
		if err := s.call(ctx, http.MethodPut, path, map[string]any{"manage_stock": true, "stock_quantity": qty}, nil); err != nil {
			return err
		}
	}
	return nil
}

// Check tries the store's keys with one product list call
// (GET /products?per_page=1,
// https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-products):
// 401 names consumer_key, an address with no REST API names store_url.
func (a *Adapter) Check(ctx context.Context, f map[string]string) error {
	s, err := a.store(f)
	if err != nil {
		return err
	}
	var out []json.RawMessage
	err = s.call(ctx, http.MethodGet, "/products?per_page=1", nil, &out)
	if r, ok := channel.IsRefusal(err); ok {
		switch r.Status {
		case http.StatusUnauthorized, http.StatusForbidden:
			return app.FieldError("consumer_key", "WooCommerce refused consumer_key and consumer_secret: %s", r.Message)
		case http.StatusNotFound:
			return app.FieldError("store_url", "has no WooCommerce REST API: %s", r.Message)
		}
	}
	return err
}

var _ channel.Checker = (*Adapter)(nil)
