// Package tiktoktest is TikTok Shop for tests: the token endpoints of
// auth.tiktok-shops.com and the Partner API (version 202309) routes the
// connector calls, answering in TikTok's envelope
// {"code":0,"message":"Success","request_id":"…","data":…}. Each request
// and answer cites its page at partner.tiktokshop.com.
//
// It refuses what TikTok refuses ("Common errors",
// https://partner.tiktokshop.com/docv2/page/678e3a45786253031531b942): a
// wrong app_key, a timestamp out of its window, a wrong sign (106001), an
// unknown access token (36009004), an expired one (105002), a missing
// shop_cipher (106013) or a wrong one, and a missing required field. Fail
// answers 500s or 429 with Retry-After on demand, and Expire expires every
// access token issued.
package tiktoktest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kasir/pos/channel/channeltest"
)

// Server is a running fake TikTok Shop: its URL serves api_base and auth_base.
type Server struct {
	*httptest.Server
	AppKey, AppSecret  string
	ShopID, ShopCipher string
	// TokenLife is how long an access token lives.
	TokenLife time.Duration
	// Now is the fake's clock, for the timestamp window and token expiry.
	Now func() time.Time

	mu       sync.Mutex
	access   map[string]time.Time // access token → expiry
	refresh  map[string]bool
	codes    map[string]bool
	n        int
	orders   map[string]*order
	packages map[string]*pkg
	products []*product
	cancels  map[string]*cancellation
	fail     []int
	retry    string
	calls    map[string]int
	writes   map[string]int
	bodies   map[string][]json.RawMessage
}

type order struct {
	detail map[string]any
	status string
	pkgID  string
	update int64
}

type pkg struct {
	orderID  string
	status   string // TO_FULFILL, PROCESSING, …
	handover string
	slot     [2]int64
	tracking string
	provider string
}

type product struct {
	id, title, skuID, sellerSKU, warehouse, price string
	qty                                           int
}

type cancellation struct {
	id, orderID, status, role, reason string
}

// New starts a fake on 127.0.0.1 for one app (key and secret) and one shop.
func New(appKey, appSecret, shopID, shopCipher string) *Server {
	s := &Server{AppKey: appKey, AppSecret: appSecret, ShopID: shopID, ShopCipher: shopCipher, TokenLife: 7 * 24 * time.Hour,
		Now: time.Now, access: map[string]time.Time{}, refresh: map[string]bool{}, codes: map[string]bool{},
		orders: map[string]*order{}, packages: map[string]*pkg{}, cancels: map[string]*cancellation{},
		calls: map[string]int{}, writes: map[string]int{}, bodies: map[string][]json.RawMessage{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Issue makes a token pair as an authorization would, and returns it.
func (s *Server) Issue() (access, refresh string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issue()
}

func (s *Server) issue() (string, string) {
	s.n++
	a, r := "TTP_access_"+strconv.Itoa(s.n), "TTP_refresh_"+strconv.Itoa(s.n)
	s.access[a] = s.Now().Add(s.TokenLife)
	s.refresh[r] = true
	return a, r
}

// AuthCode registers a code the seller's authorization redirected with.
func (s *Server) AuthCode(code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = true
}

// Expire makes every access token issued so far expired (refresh tokens still work).
func (s *Server) Expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := s.Now().Add(-time.Second)
	for k := range s.access {
		s.access[k] = past
	}
}

// Fail makes the next requests answer these HTTP statuses in turn; a 429 carries Retry-After: retryAfter.
func (s *Server) Fail(retryAfter string, statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = append(s.fail, statuses...)
	s.retry = retryAfter
}

// AddOrder puts an order in a TikTok status with one package, its line
// items one per unit as Get Order Detail lists them; detail holds the
// rest of the order's fields (payment, recipient_address…).
func (s *Server) AddOrder(id, status, packageID string, items []map[string]any, detail map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := map[string]any{}
	for k, v := range detail {
		d[k] = v
	}
	for i := range items {
		items[i]["package_id"] = packageID
	}
	d["line_items"] = items
	if _, ok := d["delivery_option_id"]; !ok {
		d["delivery_option_id"] = DeliveryOption
	}
	s.orders[id] = &order{detail: d, status: status, pkgID: packageID, update: s.Now().Unix()}
	s.packages[packageID] = &pkg{orderID: id, status: "TO_FULFILL"}
}

// SetStatus changes an order's status, as TikTok's own steps do.
func (s *Server) SetStatus(id, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.orders[id]; o != nil {
		o.status, o.update = status, s.Now().Unix()
	}
}

// Status is an order's TikTok status, or "".
func (s *Server) Status(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.orders[id]; o != nil {
		return o.status
	}
	return ""
}

// Package is a package's status, handover method and tracking number.
func (s *Server) Package(id string) (status, handover, tracking string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.packages[id]; p != nil {
		return p.status, p.handover, p.tracking
	}
	return "", "", ""
}

// AddProduct lists one SKU of one product in one warehouse.
func (s *Server) AddProduct(productID, title, skuID, sellerSKU, warehouseID, price string, qty int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.products = append(s.products, &product{id: productID, title: title, skuID: skuID, sellerSKU: sellerSKU, warehouse: warehouseID, price: price, qty: qty})
}

// Stock is a TikTok SKU's quantity, or -1.
func (s *Server) Stock(skuID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.products {
		if p.skuID == skuID {
			return p.qty
		}
	}
	return -1
}

// RequestCancel opens a buyer's cancellation of an order, pending the seller.
func (s *Server) RequestCancel(cancelID, orderID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cancels[cancelID] = &cancellation{id: cancelID, orderID: orderID, status: "CANCELLATION_REQUEST_PENDING", role: "BUYER", reason: "ecom_order_to_ship_canceled_reason_created_by_mistakes"}
}

// Cancellation is a cancellation's status and reason.
func (s *Server) Cancellation(id string) (status, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.cancels[id]; c != nil {
		return c.status, c.reason
	}
	return "", ""
}

// Calls is how many requests "METHOD /path" got, refused ones included.
func (s *Server) Calls(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[key]
}

// Writes is how many of "cancel", "approve", "reject", "ship", "inventory" changed something.
func (s *Server) Writes(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes[key]
}

// Bodies are the bodies of the accepted requests of one kind of Writes, in order.
func (s *Server) Bodies(key string) []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]json.RawMessage(nil), s.bodies[key]...)
}

// Label is the PDF the fake serves as every package's shipping label.
func Label(packageID string) []byte {
	return channeltest.LabelPDF("TikTok Shop shipping label", "package "+packageID)
}

// answer writes TikTok's envelope
// (https://partner.tiktokshop.com/docv2/page/64f199679495ef0281851ee5).
func answer(w http.ResponseWriter, status, code int, msg string, data any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if msg == "" {
		msg = "Success"
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg, "request_id": "20261130120000FAKE", "data": data})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[r.Method+" "+r.URL.Path]++
	if len(s.fail) > 0 {
		st := s.fail[0]
		s.fail = s.fail[1:]
		if st == http.StatusTooManyRequests {
			// Rate limits (https://partner.tiktokshop.com/docv2/page/64f1991d64ed2e0295f3d2c0): HTTP 429.
			w.Header().Set("Retry-After", s.retry)
			answer(w, st, 36009002, "Too many requests. You've made too many requests in a short period of time.", nil)
			return
		}
		answer(w, st, 36009003, "Internal error. Please try again.", nil)
		return
	}
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/v2/token/"):
		s.serveToken(w, r)
		return
	case strings.HasPrefix(r.URL.Path, "/label/"):
		// doc_url is a plain download (valid 24 hours), not an API call.
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write(Label(strings.TrimPrefix(r.URL.Path, "/label/")))
		return
	}
	body, _ := io.ReadAll(r.Body)
	if !s.authentic(w, r, body) {
		return
	}
	p := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(p) < 3 || p[1] != "202309" {
		answer(w, http.StatusNotFound, 36009009, "Invalid path. The specified path does not match any available endpoint.", nil)
		return
	}
	route := p[0] + " " + strings.Join(p[2:], "/")
	switch {
	case r.Method == http.MethodGet && route == "authorization shops":
		s.serveShops(w)
	case r.Method == http.MethodGet && p[0] == "logistics" && len(p) == 5 && p[2] == "delivery_options" && p[4] == "shipping_providers":
		s.serveProviders(w, p[3])
	case r.Method == http.MethodGet && route == "order orders":
		s.serveOrders(w, r)
	case r.Method == http.MethodPost && route == "order orders/search":
		s.serveOrderSearch(w, r, body)
	case r.Method == http.MethodPost && route == "return_refund cancellations":
		s.serveCancel(w, body)
	case r.Method == http.MethodPost && route == "return_refund cancellations/search":
		s.serveCancelSearch(w, body)
	case r.Method == http.MethodPost && p[0] == "return_refund" && len(p) == 5 && p[2] == "cancellations" && (p[4] == "approve" || p[4] == "reject"):
		s.serveDecideCancel(w, p[3], p[4], body)
	case r.Method == http.MethodGet && p[0] == "fulfillment" && len(p) == 4 && p[2] == "packages":
		s.servePackage(w, p[3])
	case r.Method == http.MethodGet && p[0] == "fulfillment" && len(p) == 5 && p[4] == "handover_time_slots":
		s.serveSlots(w, p[3])
	case r.Method == http.MethodPost && p[0] == "fulfillment" && len(p) == 5 && p[4] == "ship":
		s.serveShip(w, p[3], body)
	case r.Method == http.MethodGet && p[0] == "fulfillment" && len(p) == 5 && p[4] == "shipping_documents":
		s.serveDocument(w, r, p[3])
	case r.Method == http.MethodPost && route == "product products/search":
		s.serveProducts(w, r, body)
	case r.Method == http.MethodPost && p[0] == "product" && len(p) == 6 && p[4] == "inventory" && p[5] == "update":
		s.serveInventory(w, p[3], body)
	default:
		answer(w, http.StatusNotFound, 36009009, "Invalid path. The specified path does not match any available endpoint.", nil)
	}
}

// sign is the signature of "Sign your API request"
// (https://partner.tiktokshop.com/docv2/page/678e3a3d4ddec3030b238faf), written
// here from the page, apart from the adapter's, so each checks the other.
func sign(secret, path string, q url.Values, body []byte) string {
	var keys []string
	for k := range q {
		if k != "sign" && k != "access_token" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	input := path
	for _, k := range keys {
		input += k + q.Get(k)
	}
	input = secret + input + string(body) + secret
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(input))
	return hex.EncodeToString(m.Sum(nil))
}

// authentic checks the common parameters every API call carries
// (https://partner.tiktokshop.com/docv2/page/64f199679495ef0281851ee5) and
// answers the refusal the common errors page lists.
func (s *Server) authentic(w http.ResponseWriter, r *http.Request, body []byte) bool {
	q := r.URL.Query()
	now := s.Now()
	ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
	shopless := strings.HasPrefix(r.URL.Path, "/authorization/")
	switch {
	case q.Get("app_key") != s.AppKey:
		answer(w, http.StatusUnauthorized, 36009004, "Invalid credentials. Invalid `app_key` query parameter.", nil)
	case q.Get("sign") == "":
		answer(w, http.StatusUnauthorized, 36009004, "Missing credentials. The request does not include a required signature in the query.", nil)
	case err != nil || ts < now.Add(-5*time.Minute).Unix() || ts > now.Add(30*time.Second).Unix():
		answer(w, http.StatusUnauthorized, 36009004, "Invalid timestamp. Timestamps must lie within the range of 5 minutes before to 30 seconds beyond the current time.", nil)
	case !hmac.Equal([]byte(strings.ToLower(q.Get("sign"))), []byte(sign(s.AppSecret, r.URL.Path, q, body))):
		answer(w, http.StatusUnauthorized, 106001, "Invalid credentials. The 'sign' query parameter is invalid.", nil)
	case r.Header.Get("x-tts-access-token") == "":
		answer(w, http.StatusUnauthorized, 36009004, "Invalid credentials. The `x-tts-access-token` header is invalid.", nil)
	case !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json"):
		answer(w, http.StatusBadRequest, 36009022, "Invalid request format. The request body format must be `application/json`.", nil)
	default:
		exp, ok := s.access[r.Header.Get("x-tts-access-token")]
		switch {
		case !ok:
			answer(w, http.StatusUnauthorized, 36009004, "Invalid credentials. The `x-tts-access-token` header is invalid.", nil)
		case !now.Before(exp):
			// The page names the code, not the HTTP status; TikTok answers its
			// credential errors with 401 (106001 is seen so in the wild).
			answer(w, http.StatusUnauthorized, 105002, "Expired credentials. The `access_token` or `x-tts-access-token` header has expired.", nil)
		case shopless && q.Has("shop_cipher"):
			answer(w, http.StatusBadRequest, 36009004, "Unexpected identifier. The `shop_cipher` query parameter is not required for this request.", nil)
		case !shopless && q.Get("shop_cipher") == "":
			answer(w, http.StatusBadRequest, 106013, "Missing identifier. The `shop_cipher` query parameter is required to identify the target shop.", nil)
		case !shopless && q.Get("shop_cipher") != s.ShopCipher:
			// Not on the common errors page; the shape of its other identifier errors.
			answer(w, http.StatusBadRequest, 36009004, "Invalid identifier. The `shop_cipher` query parameter is invalid.", nil)
		default:
			return true
		}
	}
	return false
}

// serveToken is Get Access Token and Get Refresh Token ("Authorization
// overview", https://partner.tiktokshop.com/docv2/page/678e3a3292b0f40314a92d75):
// GET /api/v2/token/get?app_key&app_secret&auth_code&grant_type=authorized_code and
// GET /api/v2/token/refresh?app_key&app_secret&refresh_token&grant_type=refresh_token.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if r.Method != http.MethodGet {
		answer(w, http.StatusMethodNotAllowed, 36009010, "Invalid method.", nil)
		return
	}
	if q.Get("app_key") != s.AppKey || q.Get("app_secret") != s.AppSecret {
		answer(w, http.StatusOK, 36004004, "invalid app_key or app_secret", nil)
		return
	}
	switch r.URL.Path {
	case "/api/v2/token/get":
		if q.Get("grant_type") != "authorized_code" {
			answer(w, http.StatusOK, 36004004, "grant_type must be authorized_code", nil)
			return
		}
		if !s.codes[q.Get("auth_code")] {
			answer(w, http.StatusOK, 36004004, "auth_code is invalid or used", nil)
			return
		}
		delete(s.codes, q.Get("auth_code")) // a code is used once
	case "/api/v2/token/refresh":
		if q.Get("grant_type") != "refresh_token" {
			answer(w, http.StatusOK, 36004004, "grant_type must be refresh_token", nil)
			return
		}
		if !s.refresh[q.Get("refresh_token")] {
			answer(w, http.StatusOK, 36004004, "refresh_token is invalid", nil)
			return
		}
	default:
		answer(w, http.StatusNotFound, 36009009, "Invalid path.", nil)
		return
	}
	a, rt := s.issue()
	answer(w, http.StatusOK, 0, "success", map[string]any{"access_token": a, "access_token_expire_in": s.access[a].Unix(),
		"refresh_token": rt, "refresh_token_expire_in": s.Now().Add(365 * 24 * time.Hour).Unix(), "open_id": "fake-open-id",
		"seller_name": "Toko Kasir", "seller_base_region": "ID", "user_type": 0})
}

// serveShops is Get Authorized Shops (https://partner.tiktokshop.com/docv2/page/6507ead7b99d5302be949ba9).
func (s *Server) serveShops(w http.ResponseWriter) {
	answer(w, http.StatusOK, 0, "", map[string]any{"shops": []map[string]any{{"id": s.ShopID, "name": "Toko Kasir", "region": "ID",
		"seller_type": "LOCAL", "cipher": s.ShopCipher, "code": "IDLCKASIR"}}})
}

func (s *Server) orderJSON(id string, o *order) map[string]any {
	d := map[string]any{}
	for k, v := range o.detail {
		d[k] = v
	}
	d["id"], d["status"], d["update_time"] = id, o.status, o.update
	d["packages"] = []map[string]any{{"id": o.pkgID}}
	if p := s.packages[o.pkgID]; p != nil && p.tracking != "" {
		d["tracking_number"], d["shipping_provider"] = p.tracking, p.provider
	}
	return d
}

// serveOrders is Get Order Detail, GET /order/202309/orders?ids=a,b
// (https://partner.tiktokshop.com/docv2/page/6894134ba28e5204961601a5): ids required, at most 50.
func (s *Server) serveOrders(w http.ResponseWriter, r *http.Request) {
	ids := strings.Split(r.URL.Query().Get("ids"), ",")
	if r.URL.Query().Get("ids") == "" || len(ids) > 50 {
		answer(w, http.StatusOK, 11001002, "invalid param: ids is required, at most 50", nil)
		return
	}
	out := []map[string]any{}
	for _, id := range ids {
		if o := s.orders[id]; o != nil {
			out = append(out, s.orderJSON(id, o))
		}
	}
	answer(w, http.StatusOK, 0, "", map[string]any{"orders": out})
}

func decode(body []byte, v any) bool { return json.Unmarshal(body, v) == nil }

// serveOrderSearch is Get Order List, POST /order/202309/orders/search?page_size=N
// (https://partner.tiktokshop.com/docv2/page/650aa8094a0bb702c06df242): page_size
// required (1-100); update_time_ge and update_time_lt filter.
func (s *Server) serveOrderSearch(w http.ResponseWriter, r *http.Request, body []byte) {
	size, err := strconv.Atoi(r.URL.Query().Get("page_size"))
	var f struct {
		GE *int64 `json:"update_time_ge"`
		LT *int64 `json:"update_time_lt"`
	}
	if err != nil || size < 1 || size > 100 || !decode(body, &f) {
		answer(w, http.StatusOK, 11001002, "invalid param: page_size must be 1-100", nil)
		return
	}
	var ids []string
	for id, o := range s.orders {
		if (f.GE == nil || o.update >= *f.GE) && (f.LT == nil || o.update < *f.LT) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	start := 0
	if t := r.URL.Query().Get("page_token"); t != "" {
		start, _ = strconv.Atoi(t)
	}
	end := min(start+size, len(ids))
	out := []map[string]any{}
	for _, id := range ids[min(start, len(ids)):end] {
		out = append(out, s.orderJSON(id, s.orders[id]))
	}
	next := ""
	if end < len(ids) {
		next = strconv.Itoa(end)
	}
	answer(w, http.StatusOK, 0, "", map[string]any{"orders": out, "next_page_token": next, "total_count": len(ids)})
}

func (s *Server) record(key string, body []byte) {
	s.writes[key]++
	s.bodies[key] = append(s.bodies[key], json.RawMessage(bytes.Clone(body)))
}

// serveCancel is Cancel Order, POST /return_refund/202309/cancellations
// (https://partner.tiktokshop.com/docv2/page/650aecb64a0bb702c076b03d):
// {"order_id":"…","cancel_reason":"…"} both required; the reason must fit
// the status (cancel reasons page, https://partner.tiktokshop.com/docv2/page/67e61eee427345048595487d).
func (s *Server) serveCancel(w http.ResponseWriter, body []byte) {
	var b struct {
		OrderID string `json:"order_id"`
		Reason  string `json:"cancel_reason"`
	}
	if !decode(body, &b) || b.OrderID == "" || b.Reason == "" {
		answer(w, http.StatusOK, 25001001, "An invalid request parameter was passed: order_id and cancel_reason are required.", nil)
		return
	}
	o := s.orders[b.OrderID]
	if o == nil {
		answer(w, http.StatusOK, 21008111, "The order or package does not belong to the current seller.", nil)
		return
	}
	unpaid := strings.HasPrefix(b.Reason, "seller_cancel_unpaid_reason_")
	paid := strings.HasPrefix(b.Reason, "seller_cancel_reason_") || strings.HasPrefix(b.Reason, "seller_cancel_paid_reason_")
	switch {
	case o.status == "CANCELLED" || o.status == "AWAITING_COLLECTION" || o.status == "IN_TRANSIT" || o.status == "DELIVERED" || o.status == "COMPLETED":
		answer(w, http.StatusOK, 25001011, "A return request is already in process, or the order has already been cancelled.", nil)
		return
	case (o.status == "UNPAID" && !unpaid) || (o.status != "UNPAID" && !paid):
		answer(w, http.StatusOK, 25001021, "Reason not match order status", nil)
		return
	}
	o.status, o.update = "CANCELLED", s.Now().Unix()
	id := "40353" + strconv.Itoa(len(s.cancels)+1)
	s.cancels[id] = &cancellation{id: id, orderID: b.OrderID, status: "CANCELLATION_REQUEST_SUCCESS", role: "SELLER", reason: b.Reason}
	s.record("cancel", body)
	answer(w, http.StatusOK, 0, "", map[string]any{"cancel_id": id, "cancel_status": "CANCELLATION_REQUEST_SUCCESS"})
}

// serveCancelSearch is Search Cancellations, POST /return_refund/202309/cancellations/search
// (https://partner.tiktokshop.com/docv2/page/650ab68bc16ffe02b8f2ea41): filters order_ids, cancel_status.
func (s *Server) serveCancelSearch(w http.ResponseWriter, body []byte) {
	var f struct {
		OrderIDs []string `json:"order_ids"`
		Status   []string `json:"cancel_status"`
	}
	if !decode(body, &f) {
		answer(w, http.StatusOK, 25001001, "An invalid request parameter was passed.", nil)
		return
	}
	in := func(list []string, v string) bool {
		if len(list) == 0 {
			return true
		}
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	}
	out := []map[string]any{}
	var ids []string
	for id := range s.cancels {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		c := s.cancels[id]
		if in(f.OrderIDs, c.orderID) && in(f.Status, c.status) {
			ct := "CANCEL"
			if c.role == "BUYER" {
				ct = "BUYER_CANCEL"
			}
			out = append(out, map[string]any{"cancel_id": c.id, "order_id": c.orderID, "cancel_type": ct, "cancel_status": c.status,
				"role": c.role, "cancel_reason": c.reason})
		}
	}
	answer(w, http.StatusOK, 0, "", map[string]any{"cancellations": out, "total_count": len(out), "next_page_token": ""})
}

// serveDecideCancel is Approve Cancellation (https://partner.tiktokshop.com/docv2/page/650ab6eff1fd3102b92e6a92)
// and Reject Cancellation (https://partner.tiktokshop.com/docv2/page/650ab6df0fcef602bf34528f):
// POST /return_refund/202309/cancellations/{cancel_id}/approve with {} and
// …/reject with {"reject_reason":"…","comment":"…"} (reject_reason required).
func (s *Server) serveDecideCancel(w http.ResponseWriter, id, verb string, body []byte) {
	c := s.cancels[id]
	if c == nil {
		answer(w, http.StatusOK, 25001001, "An invalid request parameter was passed: unknown cancel_id.", nil)
		return
	}
	if c.status != "CANCELLATION_REQUEST_PENDING" {
		answer(w, http.StatusOK, 25001003, "Invalid order status.", nil)
		return
	}
	if verb == "reject" {
		var b struct {
			Reason string `json:"reject_reason"`
		}
		if !decode(body, &b) || b.Reason == "" {
			answer(w, http.StatusOK, 25001001, "An invalid request parameter was passed: reject_reason is required.", nil)
			return
		}
		if b.Reason != "seller_reject_apply_product_has_been_packed" {
			answer(w, http.StatusOK, 25001014, "Unknown return reason.", nil)
			return
		}
		c.status = "CANCELLATION_REQUEST_CANCEL"
		s.record("reject", body)
	} else {
		c.status = "CANCELLATION_REQUEST_COMPLETE"
		if o := s.orders[c.orderID]; o != nil {
			o.status, o.update = "CANCELLED", s.Now().Unix()
		}
		s.record("approve", body)
	}
	answer(w, http.StatusOK, 0, "", map[string]any{})
}

// servePackage is Get Package Detail, GET /fulfillment/202309/packages/{package_id}
// (https://partner.tiktokshop.com/docv2/page/650aa39fbace3e02b75d8617).
func (s *Server) servePackage(w http.ResponseWriter, id string) {
	p := s.packages[id]
	if p == nil {
		answer(w, http.StatusOK, 21008111, "The order or package does not belong to the current seller.", nil)
		return
	}
	d := map[string]any{"package_id": id, "package_status": p.status, "orders": []map[string]any{{"id": p.orderID}},
		"shipping_type": "TIKTOK", "tracking_number": p.tracking, "shipping_provider_name": p.provider}
	if p.handover != "" {
		d["handover_method"] = p.handover
	}
	if p.slot[0] != 0 {
		d["pickup_slot"] = map[string]int64{"start_time": p.slot[0], "end_time": p.slot[1]}
	}
	answer(w, http.StatusOK, 0, "", d)
}

// Slots are the pickup windows the fake offers: tomorrow 09:00–12:00 and 13:00–17:00 UTC.
func (s *Server) Slots() [][2]int64 {
	day := s.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	return [][2]int64{{day.Add(9 * time.Hour).Unix(), day.Add(12 * time.Hour).Unix()}, {day.Add(13 * time.Hour).Unix(), day.Add(17 * time.Hour).Unix()}}
}

// serveSlots is Get Package Handover Time Slots, GET /fulfillment/202309/packages/{package_id}/handover_time_slots
// (https://partner.tiktokshop.com/docv2/page/650aa5360fcef602bf324492); "avaliable" is TikTok's spelling.
func (s *Server) serveSlots(w http.ResponseWriter, id string) {
	if s.packages[id] == nil {
		answer(w, http.StatusOK, 21008111, "The order or package does not belong to the current seller.", nil)
		return
	}
	var slots []map[string]any
	for _, sl := range s.Slots() {
		slots = append(slots, map[string]any{"start_time": sl[0], "end_time": sl[1], "avaliable": true})
	}
	answer(w, http.StatusOK, 0, "", map[string]any{"can_pickup": true, "can_drop_off": true, "pickup_slots": slots})
}

// serveShip is Ship Package, POST /fulfillment/202309/packages/{package_id}/ship
// (https://partner.tiktokshop.com/docv2/page/650aa4f1defece02be6e7cb1):
// {"handover_method":"PICKUP"|"DROP_OFF","pickup_slot":{"start_time":…,"end_time":…}}; a
// PICKUP needs one of the offered slots. The page marks both optional; the fake, like
// TikTok for a pickup package, wants the method named.
func (s *Server) serveShip(w http.ResponseWriter, id string, body []byte) {
	p := s.packages[id]
	if p == nil {
		answer(w, http.StatusOK, 21008111, "The order or package does not belong to the current seller.", nil)
		return
	}
	var b struct {
		Method string `json:"handover_method"`
		Slot   *struct {
			Start int64 `json:"start_time"`
			End   int64 `json:"end_time"`
		} `json:"pickup_slot"`
		Self *struct {
			Tracking string `json:"tracking_number"`
			Provider string `json:"shipping_provider_id"`
		} `json:"self_shipment"`
	}
	if decode(body, &b) && b.Self != nil {
		s.serveSelfShip(w, p, b.Self.Tracking, b.Self.Provider, body)
		return
	}
	if !decode(body, &b) || (b.Method != "PICKUP" && b.Method != "DROP_OFF") {
		answer(w, http.StatusOK, 11001002, "invalid param: handover_method must be PICKUP or DROP_OFF", nil)
		return
	}
	o := s.orders[p.orderID]
	if p.status != "TO_FULFILL" || o == nil || o.status != "AWAITING_SHIPMENT" {
		answer(w, http.StatusOK, 11006010, "Internal package status error, please try again later.", nil)
		return
	}
	if b.Method == "PICKUP" {
		ok := false
		for _, sl := range s.Slots() {
			ok = ok || (b.Slot != nil && b.Slot.Start == sl[0] && b.Slot.End == sl[1])
		}
		if !ok {
			answer(w, http.StatusOK, 11001002, "invalid param: pickup_slot is not one of the package's slots", nil)
			return
		}
		p.slot = [2]int64{b.Slot.Start, b.Slot.End}
	}
	p.status, p.handover = "PROCESSING", b.Method
	p.tracking, p.provider = "JX"+id, "J&T Express"
	o.status, o.update = "AWAITING_COLLECTION", s.Now().Unix()
	s.record("ship", body)
	answer(w, http.StatusOK, 0, "", map[string]any{})
}

// DeliveryOption is the delivery_option_id of every order the fake keeps.
const DeliveryOption = "7091146663229654785"

// Providers are the couriers the fake's delivery option accepts.
var Providers = []map[string]string{
	{"id": "6617675021119438849", "name": "J&T Express"},
	{"id": "6617675021119438850", "name": "JNE"},
	{"id": "6617675021119438851", "name": "SiCepat Ekspres"},
}

// serveProviders is Get Shipping Providers,
// GET /logistics/202309/delivery_options/{delivery_option_id}/shipping_providers
// (TikTok Shop Partner API 202309, Logistics): {"shipping_providers":[{"id","name"}]}.
// An unknown delivery option is refused (the code is the fake's: the page
// read lists none for it).
func (s *Server) serveProviders(w http.ResponseWriter, option string) {
	if option != DeliveryOption {
		answer(w, http.StatusOK, 21011001, "invalid param: delivery_option_id not found", nil)
		return
	}
	answer(w, http.StatusOK, 0, "", map[string]any{"shipping_providers": Providers})
}

// serveSelfShip is Ship Package with {"self_shipment":{"tracking_number","shipping_provider_id"}}
// (https://partner.tiktokshop.com/docv2/page/650aa4f1defece02be6e7cb1): both
// required, the provider one of the order's delivery option; the package
// leaves with the shop's courier and the order is in transit.
func (s *Server) serveSelfShip(w http.ResponseWriter, p *pkg, tracking, provider string, body []byte) {
	name := ""
	for _, pr := range Providers {
		if pr["id"] == provider {
			name = pr["name"]
		}
	}
	if strings.TrimSpace(tracking) == "" || name == "" {
		answer(w, http.StatusOK, 11001002, "invalid param: self_shipment needs tracking_number and a shipping_provider_id of the order's delivery option", nil)
		return
	}
	o := s.orders[p.orderID]
	if p.status != "TO_FULFILL" || o == nil || o.status != "AWAITING_SHIPMENT" {
		answer(w, http.StatusOK, 11006010, "Internal package status error, please try again later.", nil)
		return
	}
	p.status, p.handover, p.tracking, p.provider = "PROCESSING", "SELF_SHIPMENT", tracking, name
	o.status, o.update = "IN_TRANSIT", s.Now().Unix()
	s.record("ship", body)
	answer(w, http.StatusOK, 0, "", map[string]any{})
}

// serveDocument is Get Package Shipping Document, GET
// /fulfillment/202309/packages/{package_id}/shipping_documents?document_type=SHIPPING_LABEL
// (https://partner.tiktokshop.com/docv2/page/650aa5fac16ffe02b8f112ca): document_type
// required; only an arranged package has a label.
func (s *Server) serveDocument(w http.ResponseWriter, r *http.Request, id string) {
	p := s.packages[id]
	switch t := r.URL.Query().Get("document_type"); {
	case t == "":
		answer(w, http.StatusOK, 11001002, "invalid param: document_type is required", nil)
	case p == nil:
		answer(w, http.StatusOK, 21008111, "The order or package does not belong to the current seller.", nil)
	case p.status == "TO_FULFILL":
		answer(w, http.StatusOK, 11006010, "Internal package status error, please try again later.", nil)
	default:
		answer(w, http.StatusOK, 0, "", map[string]any{"doc_url": s.URL + "/label/" + id, "tracking_number": p.tracking})
	}
}

// serveProducts is Search Products, POST /product/202309/products/search?page_size=N
// (https://partner.tiktokshop.com/docv2/page/67b837b685619104a6846369): page_size
// required (1-100), seller_skus at most 10.
func (s *Server) serveProducts(w http.ResponseWriter, r *http.Request, body []byte) {
	size, err := strconv.Atoi(r.URL.Query().Get("page_size"))
	var f struct {
		SellerSKUs []string `json:"seller_skus"`
	}
	if err != nil || size < 1 || size > 100 || !decode(body, &f) {
		answer(w, http.StatusOK, 12019108, "invalid param: page_size must be 1-100", nil)
		return
	}
	if len(f.SellerSKUs) > 10 {
		answer(w, http.StatusOK, 12019027, "The maximum count of seller_skus in the search filter is 10.", nil)
		return
	}
	byID := map[string]map[string]any{}
	var order []string
	for _, p := range s.products {
		match := len(f.SellerSKUs) == 0
		for _, k := range f.SellerSKUs {
			match = match || k == p.sellerSKU
		}
		if !match {
			continue
		}
		prod, ok := byID[p.id]
		if !ok {
			prod = map[string]any{"id": p.id, "title": p.title, "status": "ACTIVATE", "skus": []map[string]any{}}
			byID[p.id] = prod
			order = append(order, p.id)
		}
		prod["skus"] = append(prod["skus"].([]map[string]any), map[string]any{"id": p.skuID, "seller_sku": p.sellerSKU,
			"price":     map[string]any{"currency": "IDR", "tax_exclusive_price": p.price, "sale_price": p.price},
			"inventory": []map[string]any{{"warehouse_id": p.warehouse, "quantity": p.qty}}})
	}
	start := 0
	if t := r.URL.Query().Get("page_token"); t != "" {
		start, _ = strconv.Atoi(t)
	}
	end := min(start+size, len(order))
	out := []map[string]any{}
	for _, id := range order[min(start, len(order)):end] {
		out = append(out, byID[id])
	}
	next := ""
	if end < len(order) {
		next = strconv.Itoa(end)
	}
	answer(w, http.StatusOK, 0, "", map[string]any{"products": out, "total_count": len(order), "next_page_token": next})
}

// serveInventory is Update Inventory, POST /product/202309/products/{product_id}/inventory/update
// (https://partner.tiktokshop.com/docv2/page/6503068fc20ad60284b38858):
// {"skus":[{"id":"…","inventory":[{"warehouse_id":"…","quantity":N}]}]}; skus, id,
// inventory and quantity required, every warehouse of the SKU named. The page gives
// quantity's range as [1, 99,999]; the fake takes 0 too, as sold-out stock must be settable.
func (s *Server) serveInventory(w http.ResponseWriter, productID string, body []byte) {
	var b struct {
		SKUs []struct {
			ID        string `json:"id"`
			Inventory []struct {
				WarehouseID string `json:"warehouse_id"`
				Quantity    *int   `json:"quantity"`
			} `json:"inventory"`
		} `json:"skus"`
	}
	if !decode(body, &b) || len(b.SKUs) == 0 {
		answer(w, http.StatusOK, 12052031, "Invalid product: skus is required", nil)
		return
	}
	type change struct {
		p   *product
		qty int
	}
	var changes []change
	for _, sk := range b.SKUs {
		var p *product
		for _, x := range s.products {
			if x.id == productID && x.skuID == sk.ID {
				p = x
			}
		}
		switch {
		case p == nil:
			answer(w, http.StatusOK, 12052031, fmt.Sprintf("Invalid product or SKU %q", sk.ID), nil)
			return
		case len(sk.Inventory) != 1 || sk.Inventory[0].WarehouseID != p.warehouse:
			answer(w, http.StatusOK, 12019028, "Multiple warehouses detected. Include all warehouse IDs and the corresponding details and try again.", nil)
			return
		case sk.Inventory[0].Quantity == nil || *sk.Inventory[0].Quantity < 0 || *sk.Inventory[0].Quantity > 99999:
			answer(w, http.StatusOK, 12019024, "stock count is invalid", nil)
			return
		}
		changes = append(changes, change{p, *sk.Inventory[0].Quantity})
	}
	for _, c := range changes {
		c.p.qty = c.qty
	}
	s.record("inventory", body)
	answer(w, http.StatusOK, 0, "", map[string]any{})
}

// Push is a webhook body as TikTok sends it, and its Authorization header
// (hex HMAC-SHA256(app_secret, app_key + body)).
func (s *Server) Push(body []byte) string {
	m := hmac.New(sha256.New, []byte(s.AppSecret))
	m.Write([]byte(s.AppKey))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}
