package cloud

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// testPlatform is this package's own stand-in for a marketplace with
// seller OAuth, an order list by update time and an order detail call, so
// the cloud's shared side (OAuth, refresh, reconciliation, details) is
// tested without leaning on one platform's adapter. The real platforms
// are channel/<platform> with fakes written from their documentation.
//
// It checks what a real platform checks: the app key and secret on a token
// call, the code it issued (once), the refresh token it issued, and the
// access token on every API call.
type testPlatform struct {
	*httptest.Server
	mu       sync.Mutex
	codes    map[string]bool // issued, unused
	refresh  map[string]bool
	access   map[string]bool
	ttl      time.Duration
	orders   map[string]testOrder
	listed   int
	details  map[string]int
	refreshs int
}

type testOrder struct {
	ID      string    `json:"id"`
	Status  string    `json:"status"`
	Updated time.Time `json:"updated"`
	SKU     string    `json:"sku"`
	Qty     int       `json:"qty"`
	Price   int64     `json:"price"`
	Buyer   string    `json:"buyer"`
}

const testAppKey, testAppSecret = "100200", "appsecret0123456789"

func newTestPlatform() *testPlatform {
	p := &testPlatform{codes: map[string]bool{}, refresh: map[string]bool{}, access: map[string]bool{}, ttl: 4 * time.Hour,
		orders: map[string]testOrder{}, details: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", p.serveToken)
	mux.HandleFunc("GET /orders", p.authorized(p.serveList))
	mux.HandleFunc("GET /orders/{id}", p.authorized(p.serveOrder))
	p.Server = httptest.NewServer(mux)
	return p
}

// issue makes a code the way the platform's consent page would.
func (p *testPlatform) issue(code string) {
	p.mu.Lock()
	p.codes[code] = true
	p.mu.Unlock()
}

func (p *testPlatform) setTTL(d time.Duration) {
	p.mu.Lock()
	p.ttl = d
	p.mu.Unlock()
}

func (p *testPlatform) put(o testOrder) {
	p.mu.Lock()
	p.orders[o.ID] = o
	p.mu.Unlock()
}

func (p *testPlatform) serveToken(w http.ResponseWriter, r *http.Request) {
	var req map[string]string
	if r.Header.Get("Content-Type") != "application/json" || json.NewDecoder(r.Body).Decode(&req) != nil {
		http.Error(w, `{"code":"MissingParameter","message":"body"}`, http.StatusBadRequest)
		return
	}
	r.Form = url.Values{}
	for k, v := range req {
		r.Form.Set(k, v)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if r.Form.Get("app_key") != testAppKey || r.Form.Get("app_secret") != testAppSecret {
		http.Error(w, `{"code":"InvalidApiKey","message":"app key or secret is wrong"}`, http.StatusUnauthorized)
		return
	}
	switch r.Form.Get("grant_type") {
	case "authorization_code":
		if !p.codes[r.Form.Get("code")] {
			http.Error(w, `{"code":"InvalidCode","message":"authorization code is invalid or used"}`, http.StatusBadRequest)
			return
		}
		delete(p.codes, r.Form.Get("code"))
	case "refresh_token":
		if !p.refresh[r.Form.Get("refresh_token")] {
			http.Error(w, `{"code":"InvalidRefreshToken","message":"refresh token is invalid"}`, http.StatusBadRequest)
			return
		}
		delete(p.refresh, r.Form.Get("refresh_token"))
		p.refreshs++
	default:
		http.Error(w, `{"code":"MissingParameter","message":"grant_type"}`, http.StatusBadRequest)
		return
	}
	n := len(p.access) + 1
	acc, ref := fmt.Sprintf("access-%06d-abcdef", n), fmt.Sprintf("refresh-%06d-abcdef", n)
	p.access[acc], p.refresh[ref] = true, true
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": acc, "refresh_token": ref, "expires_in": int(p.ttl / time.Second), "seller_id": "5001"})
}

func (p *testPlatform) authorized(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		ok := p.access[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		p.mu.Unlock()
		if !ok {
			http.Error(w, `{"code":"IllegalAccessToken","message":"access token is invalid"}`, http.StatusUnauthorized)
			return
		}
		next(w, r)
	}
}

func (p *testPlatform) serveList(w http.ResponseWriter, r *http.Request) {
	from, err1 := time.Parse(time.RFC3339, r.URL.Query().Get("update_after"))
	to, err2 := time.Parse(time.RFC3339, r.URL.Query().Get("update_before"))
	if err1 != nil || err2 != nil {
		http.Error(w, `{"code":"MissingParameter","message":"update_after and update_before"}`, http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.listed++
	ids := []string{}
	for id, o := range p.orders {
		if !o.Updated.Before(from) && o.Updated.Before(to) {
			ids = append(ids, id)
		}
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"orders": ids})
}

func (p *testPlatform) serveOrder(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	o, ok := p.orders[r.PathValue("id")]
	if !ok {
		http.Error(w, `{"code":"OrderNotFound","message":"no such order"}`, http.StatusNotFound)
		return
	}
	p.details[o.ID]++
	_ = json.NewEncoder(w).Encode(o)
}

// testAdapter talks to testPlatform as the Lazada channel.
type testAdapter struct {
	caller *channel.Caller
}

func newTestAdapter() *testAdapter {
	c := channel.NewCaller()
	c.FirstRetry, c.MaxWait, c.Timeout = time.Millisecond, time.Second, 2*time.Second
	return &testAdapter{caller: c}
}

func (a *testAdapter) Channel() app.Channel                        { return app.ChannelLazada }
func (a *testAdapter) Verify(secret, sig string, body []byte) bool { return false }
func (a *testAdapter) Hears(app.ChannelStep, *app.Order) bool      { return false }
func (a *testAdapter) Push(context.Context, map[string]string, channel.Decision) error {
	return nil
}
func (a *testAdapter) Stock(context.Context, map[string]string, channel.Listing) error { return nil }

func testMessage(body []byte) string {
	var e struct {
		Message string `json:"message"`
	}
	_ = json.Unmarshal(body, &e)
	return e.Message
}

func (a *testAdapter) get(ctx context.Context, f map[string]string, path string, out any) error {
	return a.caller.Do(ctx, channel.Request{Platform: "Test platform", Method: http.MethodGet, URL: f["api_base"] + path, Message: testMessage,
		Auth: func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+f["access_token"])
			return nil
		}}, out)
}

func (a *testAdapter) Details(ctx context.Context, f map[string]string, id string) ([]byte, error) {
	var raw json.RawMessage
	err := a.get(ctx, f, "/orders/"+url.PathEscape(id), &raw)
	return raw, err
}

func (a *testAdapter) ParseDetails(raw []byte) (*app.Order, string, error) {
	var o testOrder
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, "", app.FieldError("body", "%s", err.Error())
	}
	return &app.Order{Number: "T-" + o.ID, Currency: app.IDR, PaymentMethod: app.PayMarketplace, PaymentStatus: app.PaymentPaid,
		Buyer: app.Buyer{Name: o.Buyer, Address: app.Address{Street: "Jl. Braga 1", City: "Bandung"}},
		Lines: []app.Line{{SKU: o.SKU, Name: "Kopi", Qty: o.Qty, UnitPrice: app.Money(o.Price), ExternalID: o.ID + "-1"}},
		Total: app.Money(o.Price) * app.Money(o.Qty), Paid: app.Money(o.Price) * app.Money(o.Qty)}, o.Status, nil
}

func (a *testAdapter) Updated(ctx context.Context, f map[string]string, from, to time.Time) ([]string, error) {
	var out struct {
		Orders []string `json:"orders"`
	}
	q := url.Values{"update_after": {from.UTC().Format(time.RFC3339)}, "update_before": {to.UTC().Format(time.RFC3339)}}
	err := a.get(ctx, f, "/orders?"+q.Encode(), &out)
	return out.Orders, err
}

func (a *testAdapter) AuthorizeURL(f map[string]string, redirect, state string) (string, error) {
	return f["api_base"] + "/authorize?" + url.Values{"client_id": {f["app_key"]}, "redirect_uri": {redirect}, "state": {state}}.Encode(), nil
}

func (a *testAdapter) token(ctx context.Context, f map[string]string, form map[string]string) (channel.Tokens, error) {
	form["app_key"], form["app_secret"] = f["app_key"], f["app_secret"]
	var out struct {
		Access   string `json:"access_token"`
		Refresh  string `json:"refresh_token"`
		Expires  int    `json:"expires_in"`
		SellerID string `json:"seller_id"`
	}
	err := a.caller.Do(ctx, channel.Request{Platform: "Test platform", Method: http.MethodPost, URL: f["api_base"] + "/token", Body: form, Message: testMessage}, &out)
	if err != nil {
		return channel.Tokens{}, err
	}
	return channel.Tokens{Access: out.Access, Refresh: out.Refresh, AccessExpires: time.Now().Add(time.Duration(out.Expires) * time.Second),
		Fields: map[string]string{"seller_id": out.SellerID}}, nil
}

func (a *testAdapter) Exchange(ctx context.Context, f map[string]string, code string, _ map[string]string) (channel.Tokens, error) {
	return a.token(ctx, f, map[string]string{"grant_type": "authorization_code", "code": code})
}

func (a *testAdapter) Refresh(ctx context.Context, f map[string]string) (channel.Tokens, error) {
	return a.token(ctx, f, map[string]string{"grant_type": "refresh_token", "refresh_token": f["refresh_token"]})
}
