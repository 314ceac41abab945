// Package tokopedia tells Tokopedia what the register decided, through the
// Fulfillment Service API (https://developer.tokopedia.com/openapi/guide/),
// with a client-credentials token from the account's auth_base and the
// account's fs_id in every path, as Tokopedia's API takes them.
package tokopedia

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// Platform is how errors name Tokopedia.
const Platform = "Tokopedia"

// Adapter is Tokopedia behind channel.Adapter. It keeps each client's token
// until shortly before it expires, or until Tokopedia says it has.
type Adapter struct {
	Caller *channel.Caller
	// Now is the clock the token's expiry is read with.
	Now func() time.Time

	mu     sync.Mutex
	tokens map[string]token
}

type token struct {
	value   string
	expires time.Time
}

// New makes the adapter with the connectors' call defaults.
func New() *Adapter {
	return &Adapter{Caller: channel.NewCaller(), Now: time.Now, tokens: map[string]token{}}
}

var _ channel.Adapter = (*Adapter)(nil)

// Channel is Tokopedia.
func (a *Adapter) Channel() app.Channel { return app.ChannelTokopedia }

// Verify checks Authorization-Hmac: hex HMAC-SHA256(webhook_secret, body), either case.
func (a *Adapter) Verify(secret, sig string, body []byte) bool {
	return channel.EqualHex(secret, sig, channel.SignHex(secret, body))
}

// account is what the calls need of the shop's Tokopedia account.
type account struct {
	fsID, shopID     string
	clientID, secret string
	apiBase, auth    string
}

func accountOf(f map[string]string) (account, error) {
	acc := account{fsID: f["fs_id"], shopID: f["shop_id"], clientID: f["client_id"], secret: f["client_secret"],
		apiBase: trim(f["api_base"]), auth: trim(f["auth_base"])}
	for name, v := range map[string]string{"fs_id": acc.fsID, "shop_id": acc.shopID, "client_id": acc.clientID,
		"client_secret": acc.secret, "api_base": acc.apiBase, "auth_base": acc.auth} {
		if v == "" {
			return acc, app.FieldError(name, "is required for a %s account", "tokopedia")
		}
	}
	return acc, nil
}

func trim(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}

// Header is the envelope every answer carries
// (https://developer.tokopedia.com/openapi/guide/#/apis/responseformat):
// {"header":{"process_time":0.01,"messages":"…","reason":"…","error_code":"…"},"data":…}.
type Header struct {
	ProcessTime float64 `json:"process_time"`
	Messages    string  `json:"messages"`
	Reason      string  `json:"reason"`
	ErrorCode   string  `json:"error_code"`
}

type envelope struct {
	Header Header          `json:"header"`
	Data   json.RawMessage `json:"data"`
}

// message is Tokopedia's own reason for a refusal.
func message(body []byte) string {
	var e envelope
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	if e.Header.Reason != "" {
		return e.Header.Reason
	}
	return e.Header.Messages
}

// tokenAnswer is the token endpoint's answer
// (https://developer.tokopedia.com/openapi/guide/#/authentication):
// {"access_token":"…","expires_in":2592000,"token_type":"Bearer"}.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
	TokenType   string `json:"token_type"`
}

func (a *Adapter) tokenKey(acc account) string { return acc.auth + "\x00" + acc.clientID }

// token returns the cached token, or fetches one:
// POST {auth_base}/token?grant_type=client_credentials with
// Authorization: Basic base64(client_id:client_secret).
func (a *Adapter) token(ctx context.Context, acc account, renew bool) (string, error) {
	a.mu.Lock()
	if a.tokens == nil {
		a.tokens = map[string]token{}
	}
	t, ok := a.tokens[a.tokenKey(acc)]
	a.mu.Unlock()
	if ok && !renew && a.now().Before(t.expires) {
		return t.value, nil
	}
	var ans tokenAnswer
	err := a.Caller.Do(ctx, channel.Request{Platform: Platform, Method: http.MethodPost,
		URL: acc.auth + "/token?grant_type=client_credentials",
		Auth: func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(acc.clientID+":"+acc.secret)))
			return nil
		},
		Message: func(body []byte) string {
			var e struct {
				Error string `json:"error_description"`
			}
			if json.Unmarshal(body, &e) == nil && e.Error != "" {
				return e.Error
			}
			return message(body)
		},
	}, &ans)
	if err != nil {
		return "", err
	}
	if ans.AccessToken == "" {
		return "", &channel.Refusal{Platform: Platform, Status: 200, Message: "the token answer carries no access_token"}
	}
	life := time.Duration(ans.ExpiresIn) * time.Second
	if life <= 0 {
		life = time.Hour
	}
	// Renewed a minute early, so a token never expires between check and call.
	t = token{value: ans.AccessToken, expires: a.now().Add(life - min(time.Minute, life/2))}
	a.mu.Lock()
	a.tokens[a.tokenKey(acc)] = t
	a.mu.Unlock()
	return t.value, nil
}

func (a *Adapter) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// call makes an API call with the bearer token; an answer saying the token
// expired fetches a new one and calls again.
func (a *Adapter) call(ctx context.Context, acc account, method, path string, body any, data any) error {
	var env envelope
	err := a.Caller.Do(ctx, channel.Request{Platform: Platform, Method: method, URL: acc.apiBase + path, Body: body,
		Auth: func(ctx context.Context, r *http.Request) error {
			tok, err := a.token(ctx, acc, false)
			if err != nil {
				return err
			}
			r.Header.Set("Authorization", "Bearer "+tok)
			return nil
		},
		Expired: func(status int, _ []byte) bool { return status == http.StatusUnauthorized },
		Renew: func(ctx context.Context) error {
			_, err := a.token(ctx, acc, true)
			return err
		},
		Message: message,
	}, &env)
	if err != nil {
		return err
	}
	if data != nil && len(env.Data) > 0 {
		if err := json.Unmarshal(env.Data, data); err != nil {
			return &channel.Refusal{Platform: Platform, Status: 200, Message: "the answer's data is not what was expected: " + err.Error(), Body: channel.Truncate(env.Data)}
		}
	}
	return nil
}

// Reason codes of a rejected order, POST /v1/order/{order_id}/fs/{fs_id}/nack
// (https://developer.tokopedia.com/openapi/guide/#/apis/order/nack). The page
// itself could not be read here; the codes are as the published PHP SDKs
// name them (github.com/plvhx/tokopedia-php-sdk src/Service/Order.php):
// 0 shipping, 1 product(s) out of stock, 2 variant unavailable, 3 wrong
// price or weight, 4 shop closed, 5 others, 7 courier problem, 8 buyer's request.
const (
	ReasonOutOfStock   = 1
	ReasonShopClosed   = 4
	ReasonOther        = 5
	ReasonCourier      = 7
	ReasonBuyerRequest = 8
)

// ReasonCode is the Tokopedia reason for how the register ended an order.
func ReasonCode(o *app.Order) int {
	switch o.CancelReason {
	case app.CancelOutOfStock:
		return ReasonOutOfStock
	case app.CancelBuyerRequest, app.CancelByBuyer:
		return ReasonBuyerRequest
	}
	// A seller's own reason or the deadline: "others", with the staff's
	// words as the reason; "shop closed" would also close the shop.
	return ReasonOther
}

// Order is the part of Tokopedia's single order the connector reads back
// (GET /v2/fs/{fs_id}/order, https://developer.tokopedia.com/openapi/guide/#/apis/order/getsingleorder).
type Order struct {
	OrderID     int64 `json:"order_id"`
	OrderStatus int   `json:"order_status"`
}

// Hears: accept, reject, cancel and arranging shipment; Tokopedia finishes
// orders, tracks parcels and handles returns itself.
func (a *Adapter) Hears(s app.ChannelStep, _ *app.Order) bool {
	return s == app.StepAccept || s == app.StepReject || s == app.StepCancel || s == app.StepShip
}

// Push tells Tokopedia a decision:
//   - accept: ack (POST /v1/order/{order_id}/fs/{fs_id}/ack);
//   - reject and cancel: nack with a reason code (POST /v1/order/{order_id}/fs/{fs_id}/nack);
//   - arrange shipment: request pickup (POST /inventory/v1/fs/{fs_id}/pick-up).
//
// None of these may be made twice, so a retold decision reads the order
// back first and skips what Tokopedia already shows. Completing and
// returns are Tokopedia's own steps: no call.
func (a *Adapter) Push(ctx context.Context, f map[string]string, d channel.Decision) error {
	acc, err := accountOf(f)
	if err != nil {
		return err
	}
	o := d.Order
	id, err := strconv.ParseInt(o.ExternalID, 10, 64)
	if err != nil {
		return app.FieldError("external_id", "is not a Tokopedia order id: %q", o.ExternalID)
	}
	if d.Step != app.StepAccept && d.Step != app.StepReject && d.Step != app.StepCancel && d.Step != app.StepShip {
		return nil
	}
	if d.Retold {
		cur, err := a.order(ctx, acc, id)
		if err != nil {
			return err
		}
		if heard(d.Step, cur.OrderStatus) {
			return nil
		}
	}
	orderPath := fmt.Sprintf("/v1/order/%d/fs/%s", id, url.PathEscape(acc.fsID))
	switch d.Step {
	case app.StepAccept:
		return a.call(ctx, acc, http.MethodPost, orderPath+"/ack", nil, nil)
	case app.StepReject, app.StepCancel:
		code := ReasonCode(o)
		body := map[string]any{"reason_code": code, "reason": reasonText(o, d.Reason)}
		switch code {
		case ReasonOutOfStock:
			// Product ids, as the nack example on Tokopedia's page has them
			// (copied in github.com/nda666/tokopedia-php tests/Nodes/OrderTest.php:
			// "empty_products": [2148038232, 2148042339]).
			var empty []int64
			for _, l := range o.Lines {
				if pid, err := strconv.ParseInt(l.ExternalID, 10, 64); err == nil {
					empty = append(empty, pid)
				}
			}
			body["empty_products"] = empty
		case ReasonShopClosed:
			body["shop_close_end_date"] = a.now().AddDate(0, 0, 1).Format("02/01/2006")
			body["shop_close_note"] = reasonText(o, d.Reason)
		}
		return a.call(ctx, acc, http.MethodPost, orderPath+"/nack", body, nil)
	case app.StepShip:
		shop, _ := strconv.ParseInt(acc.shopID, 10, 64)
		return a.call(ctx, acc, http.MethodPost, "/inventory/v1/fs/"+url.PathEscape(acc.fsID)+"/pick-up",
			map[string]int64{"order_id": id, "shop_id": shop}, nil)
	}
	return nil
}

func reasonText(o *app.Order, staff string) string {
	for _, s := range []string{staff, o.CancelNote} {
		if s != "" {
			return s
		}
	}
	return "Order cannot be processed"
}

// heard reports whether Tokopedia's status already shows the step.
func heard(s app.ChannelStep, status int) bool {
	switch s {
	case app.StepAccept:
		return status >= 400 || status == 10 || status == 0
	case app.StepReject, app.StepCancel:
		return status < 100
	case app.StepShip:
		return status >= 450 || status < 100
	}
	return false
}

func (a *Adapter) order(ctx context.Context, acc account, id int64) (Order, error) {
	var o Order
	err := a.call(ctx, acc, http.MethodGet, fmt.Sprintf("/v2/fs/%s/order?order_id=%d", url.PathEscape(acc.fsID), id), nil, &o)
	return o, err
}

// Details fetches the single order a status push named
// (GET /v2/fs/{fs_id}/order?order_id=…), as Tokopedia's data object.
func (a *Adapter) Details(ctx context.Context, f map[string]string, externalID string) ([]byte, error) {
	acc, err := accountOf(f)
	if err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(externalID, 10, 64)
	if err != nil {
		return nil, app.FieldError("order_id", "is not a Tokopedia order id: %q", externalID)
	}
	var raw json.RawMessage
	err = a.call(ctx, acc, http.MethodGet, fmt.Sprintf("/v2/fs/%s/order?order_id=%d", url.PathEscape(acc.fsID), id), nil, &raw)
	return raw, err
}

// Stock sets a SKU's stock (POST /inventory/v1/fs/{fs_id}/stock/update?shop_id=…
// with [{"sku":"…","new_stock":N}], https://developer.tokopedia.com/openapi/guide/#/apis/product/updatestock);
// a listing the owner linked is named by its product_id, which the same
// page takes in place of sku. Setting a figure twice is harmless.
func (a *Adapter) Stock(ctx context.Context, f map[string]string, l channel.Listing) error {
	acc, err := accountOf(f)
	if err != nil {
		return err
	}
	path := "/inventory/v1/fs/" + url.PathEscape(acc.fsID) + "/stock/update?shop_id=" + url.QueryEscape(acc.shopID)
	row := map[string]any{"sku": l.SKU, "new_stock": max(l.Qty, 0)}
	if l.ID != "" {
		id, err := strconv.ParseInt(l.ID, 10, 64)
		if err != nil || id <= 0 {
			return app.FieldError("listing", "%s is not a Tokopedia product id", l.ID)
		}
		row = map[string]any{"product_id": id, "new_stock": max(l.Qty, 0)}
	}
	return a.call(ctx, acc, http.MethodPost, path, []map[string]any{row}, nil)
}

// Check asks auth_base for a token with client_id and client_secret, the
// call every other one starts with; a refusal names client_secret.
func (a *Adapter) Check(ctx context.Context, f map[string]string) error {
	acc, err := accountOf(f)
	if err != nil {
		return err
	}
	_, err = a.token(ctx, acc, true)
	if r, ok := channel.IsRefusal(err); ok {
		return app.FieldError("client_secret", "Tokopedia refused client_id and client_secret: %s", r.Message)
	}
	return err
}

var _ channel.Checker = (*Adapter)(nil)
