// Package shopeetest is Shopee for tests: the partner authorization
// endpoints and the Open Platform v2 shop APIs the connector calls,
// answering in Shopee's frame {"request_id","error","message","response"}.
// Every request and answer shape cites its page on open.shopee.com; the
// pages' parameter tables were read from the schema snapshots the
// congminh1254/shopee-sdk repository fetches from
// https://open.shopee.com/opservice/api/v1/doc/api/?version=2&api_name=….
//
// It refuses a wrong sign, a missing, unknown or expired access_token, a
// wrong partner_id or shop_id, a timestamp older than five minutes and a
// missing required field, and fails on demand (500s, 429 with Retry-After,
// expired tokens) to test the retries.
//
// HTTP statuses of refusals are not on Shopee's pages: the fake answers
// 403 for authentication errors (error_auth, error_sign,
// invalid_acceess_token, partner_shop_no_link), 429 for error_rate_limit,
// 404 for error_not_found and 400 for the rest, each with Shopee's error
// and message from the page's error list.
package shopeetest

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
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kasir/pos/channel/channeltest"
)

// Errors as the common error list of every API page spells them.
const (
	ExpiredToken = "invalid_acceess_token" // sic: Shopee's spelling
	AuthError    = "error_auth"
)

// Server is a running fake Shopee for one partner app and one shop.
type Server struct {
	*httptest.Server
	PartnerID  int64
	PartnerKey string
	ShopID     int64
	// TokenLife is the expire_in the token endpoints answer, in seconds (4 hours).
	TokenLife int64
	// ExpiredError is how an expired access token is refused: ExpiredToken
	// ("Invalid access_token, please have a check.", the default) or
	// AuthError ("Invalid access_token."), both on the common error list.
	ExpiredError string
	// Now is the fake's clock, for timestamps and token expiry.
	Now func() time.Time

	mu       sync.Mutex
	access   map[string]time.Time // token → expiry
	refresh  map[string]bool      // unused refresh tokens
	codes    map[string]bool      // unused authorization codes
	n        int
	orders   map[string]*Order
	items    map[int64]*Item
	itemIDs  []int64
	docs     map[string]string // order_sn → PROCESSING, READY
	fail     []int
	retry    string
	calls    map[string]int
	writes   map[string]int
	reasons  []string
	shipped  map[string]map[string]any
	handled  []string
	lastBody map[string][]byte
	// Addresses are the shop's addresses get_shipping_parameter offers.
	Addresses []Address
	// Branches are the drop-off branches it offers; none means pickup only.
	Branches []int64
}

// Address is one shop address with its pickup slots.
type Address struct {
	ID    int64
	Text  string
	Flags []string
	Slots []Slot
}

// Slot is a pickup time.
type Slot struct {
	ID          string
	Date        time.Time
	Recommended bool
}

// Order is an order the fake knows.
type Order struct {
	SN         string
	Status     string
	UpdateTime time.Time
	CreateTime time.Time
	ShipBy     time.Time
	Currency   string
	COD        bool
	Buyer      string
	Phone      string
	Address    string
	City       string
	State      string
	Zipcode    string
	Total      float64
	Shipping   float64
	Carrier    string
	Items      []OrderItem
	Tracking   string
	Package    string
	// before is the status an IN_CANCEL order returns to when the request is declined.
	before string
}

// OrderItem is one line of an order.
type OrderItem struct {
	ItemID, ModelID int64
	Name, ModelName string
	ItemSKU         string
	ModelSKU        string
	Qty             int
	Price           float64
}

// Item is a listing; an item without models has one model with ID 0.
type Item struct {
	ID     int64
	Name   string
	SKU    string
	Status string
	Models []Model
}

// Model is one variation of a listing.
type Model struct {
	ID     int64
	SKU    string
	Option string
	Price  float64
	Stock  int
}

// New starts a fake on 127.0.0.1 for one partner app and one shop, with
// one pickup address offering two slots tomorrow.
func New(partnerID, shopID int64, partnerKey string) *Server {
	s := &Server{PartnerID: partnerID, PartnerKey: partnerKey, ShopID: shopID, TokenLife: 4 * 3600, ExpiredError: ExpiredToken, Now: time.Now,
		access: map[string]time.Time{}, refresh: map[string]bool{}, codes: map[string]bool{}, orders: map[string]*Order{},
		items: map[int64]*Item{}, docs: map[string]string{}, calls: map[string]int{}, writes: map[string]int{},
		shipped: map[string]map[string]any{}, lastBody: map[string][]byte{}}
	tomorrow := time.Now().Add(24 * time.Hour).Truncate(time.Hour)
	s.Addresses = []Address{{ID: 5001, Text: "Jl. Braga 5, Bandung", Flags: []string{"default_address", "pickup_address"},
		Slots: []Slot{{ID: "slot-1", Date: tomorrow}, {ID: "slot-2", Date: tomorrow.Add(4 * time.Hour), Recommended: true}}}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Issue mints a token pair for the shop, as an authorization would.
func (s *Server) Issue() (access, refresh string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issue()
}

func (s *Server) issue() (string, string) {
	s.n++
	a, r := fmt.Sprintf("access-%d", s.n), fmt.Sprintf("refresh-%d", s.n)
	s.access[a] = s.now().Add(time.Duration(s.TokenLife) * time.Second)
	s.refresh[r] = true
	return a, r
}

// Authorize makes code a valid authorization code, as the seller's grant would.
func (s *Server) Authorize(code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = true
}

// Expire makes every access token issued so far expired.
func (s *Server) Expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.access {
		s.access[t] = time.Time{}
	}
}

// Fail makes the next requests answer these statuses in turn; 429 carries
// Retry-After: retryAfter and Shopee's error_rate_limit.
func (s *Server) Fail(retryAfter string, statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = append(s.fail, statuses...)
	s.retry = retryAfter
}

// Calls is how many requests "METHOD /path" got, refused ones included.
func (s *Server) Calls(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[key]
}

// Writes is how many of "cancel_order", "handle_buyer_cancellation",
// "ship_order", "update_stock", "token" changed something.
func (s *Server) Writes(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes[key]
}

// Reasons are the cancel reasons received, in order.
func (s *Server) Reasons() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.reasons...)
}

// Handled are the handle_buyer_cancellation operations received, in order.
func (s *Server) Handled() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.handled...)
}

// Shipped is the ship_order body an order was arranged with, or nil.
func (s *Server) Shipped(sn string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shipped[sn]
}

// AddOrder puts an order in; its update time is now unless set.
func (s *Server) AddOrder(o Order) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o.UpdateTime.IsZero() {
		o.UpdateTime = s.now()
	}
	if o.CreateTime.IsZero() {
		o.CreateTime = o.UpdateTime
	}
	if o.Currency == "" {
		o.Currency = "IDR"
	}
	if o.Package == "" {
		o.Package = "OFG" + o.SN
	}
	s.orders[o.SN] = &o
}

// SetStatus moves an order at Shopee (the buyer asking to cancel, the
// courier taking the parcel), with a new update time.
func (s *Server) SetStatus(sn, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orders[sn]; ok {
		if status == "IN_CANCEL" {
			o.before = o.Status
		}
		o.Status, o.UpdateTime = status, s.now()
	}
}

// Status is an order's status, or "".
func (s *Server) Status(sn string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orders[sn]; ok {
		return o.Status
	}
	return ""
}

// Tracking is the order's tracking number, or "".
func (s *Server) Tracking(sn string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orders[sn]; ok {
		return o.Tracking
	}
	return ""
}

// AddItem lists an item.
func (s *Server) AddItem(it Item) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if it.Status == "" {
		it.Status = "NORMAL"
	}
	if len(it.Models) == 0 {
		it.Models = []Model{{ID: 0, SKU: it.SKU}}
	}
	if _, ok := s.items[it.ID]; !ok {
		s.itemIDs = append(s.itemIDs, it.ID)
	}
	s.items[it.ID] = &it
}

// Stock is a model's stock, or -1.
func (s *Server) Stock(item, model int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if it, ok := s.items[item]; ok {
		for _, m := range it.Models {
			if m.ID == model {
				return m.Stock
			}
		}
	}
	return -1
}

// SignPush signs a push body as Shopee does for the callback URL
// ("Push Authorization", push mechanism guide): hex HMAC-SHA256(partner_key, url|body).
func (s *Server) SignPush(pushURL string, body []byte) string {
	return sign(s.PartnerKey, pushURL+"|"+string(body))
}

// Push posts a push to target, signed for pushURL (the callback URL as
// registered), and returns the answer's status and body.
func (s *Server) Push(target, pushURL string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", s.SignPush(pushURL, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// StatusPush is the body of an order status push (code 3) for an order as
// the fake holds it.
func (s *Server) StatusPush(sn string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[sn]
	s.n++
	b, _ := json.Marshal(map[string]any{"msg_id": fmt.Sprintf("msg-%d", s.n), "shop_id": s.ShopID, "code": 3, "timestamp": s.now().Unix(),
		"data": map[string]any{"ordersn": sn, "status": o.Status, "completed_scenario": "", "update_time": o.UpdateTime.Unix()}})
	return b
}

// TrackingPush is the body of a tracking number push (code 4) for an order.
func (s *Server) TrackingPush(sn string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[sn]
	s.n++
	b, _ := json.Marshal(map[string]any{"msg_id": fmt.Sprintf("msg-%d", s.n), "shop_id": s.ShopID, "code": 4, "timestamp": s.now().Unix(),
		"data": map[string]any{"ordersn": sn, "forder_id": "5867907859180059055", "package_number": o.Package, "tracking_no": o.Tracking}})
	return b
}

func sign(key, base string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(base))
	return hex.EncodeToString(m.Sum(nil))
}

// answer writes Shopee's frame; an error sets the HTTP status as the package doc says.
func answer(w http.ResponseWriter, errName, msg string, response any) {
	w.Header().Set("Content-Type", "application/json")
	status := http.StatusOK
	switch {
	case errName == "":
	case errName == AuthError || errName == "error_sign" || errName == ExpiredToken || errName == "partner_shop_no_link" || errName == "invalid_partner_id":
		status = http.StatusForbidden
	case errName == "error_rate_limit":
		status = http.StatusTooManyRequests
	case errName == "error_not_found":
		status = http.StatusNotFound
	case errName == "error_server":
		status = http.StatusInternalServerError
	default:
		status = http.StatusBadRequest
	}
	w.WriteHeader(status)
	body := map[string]any{"request_id": "fake", "error": errName, "message": msg}
	if response != nil {
		body["response"] = response
	}
	_ = json.NewEncoder(w).Encode(body)
}

func param(w http.ResponseWriter, field string) {
	answer(w, "error_param", "Wrong parameters, detail: "+field+" is a required field.", nil)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[r.Method+" "+r.URL.Path]++
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.lastBody[r.URL.Path] = body
	if len(s.fail) > 0 {
		st := s.fail[0]
		s.fail = s.fail[1:]
		switch st {
		case http.StatusTooManyRequests:
			w.Header().Set("Retry-After", s.retry)
			answer(w, "error_rate_limit", "Too many requests. You have reached the rate limit. Please try again later.", nil)
		case http.StatusInternalServerError:
			answer(w, "error_server", "System error. Please try again later.", nil)
		default:
			w.WriteHeader(st)
		}
		return
	}
	switch r.URL.Path {
	case "/api/v2/auth/token/get", "/api/v2/auth/access_token/get":
		if !s.public(w, r) {
			return
		}
		s.serveToken(w, r, body)
		return
	}
	if !s.shop(w, r) {
		return
	}
	route := map[string]func(http.ResponseWriter, *http.Request, []byte){
		"GET /api/v2/order/get_order_detail":                  s.orderDetail,
		"GET /api/v2/order/get_order_list":                    s.orderList,
		"POST /api/v2/order/cancel_order":                     s.cancelOrder,
		"POST /api/v2/order/handle_buyer_cancellation":        s.buyerCancellation,
		"GET /api/v2/logistics/get_shipping_parameter":        s.shippingParameter,
		"POST /api/v2/logistics/ship_order":                   s.shipOrder,
		"GET /api/v2/logistics/get_tracking_number":           s.trackingNumber,
		"POST /api/v2/logistics/create_shipping_document":     s.createDocument,
		"POST /api/v2/logistics/get_shipping_document_result": s.documentResult,
		"POST /api/v2/logistics/download_shipping_document":   s.downloadDocument,
		"GET /api/v2/product/get_item_list":                   s.itemList,
		"GET /api/v2/product/get_item_base_info":              s.itemBaseInfo,
		"GET /api/v2/product/get_model_list":                  s.modelList,
		"POST /api/v2/product/update_stock":                   s.updateStock,
	}[r.Method+" "+r.URL.Path]
	if route == nil {
		answer(w, "error_param", "Permission denied. This API is currently offline or the request path is incorrect.", nil)
		return
	}
	route(w, r, body)
}

// common checks partner_id and timestamp, the common parameters of every
// API ("Authorization and Authentication", https://open.shopee.com/developer-guide/20).
func (s *Server) common(w http.ResponseWriter, r *http.Request) (string, bool) {
	q := r.URL.Query()
	pid := q.Get("partner_id")
	switch {
	case pid == "":
		answer(w, "error_param", "There is no partner_id in query.", nil)
		return "", false
	case pid != strconv.FormatInt(s.PartnerID, 10):
		answer(w, "invalid_partner_id", "Invalid partner_id, please have a check.", nil)
		return "", false
	case q.Get("sign") == "":
		answer(w, "error_param", "There is no sign in query.", nil)
		return "", false
	}
	ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
	if err != nil {
		answer(w, "error_param", "no timestamp", nil)
		return "", false
	}
	if d := s.now().Sub(time.Unix(ts, 0)); d > 5*time.Minute || d < -5*time.Minute {
		answer(w, "error_param", "Timestamp is expired.", nil)
		return "", false
	}
	return q.Get("timestamp"), true
}

// public checks a public API's sign: partner_id + path + timestamp.
func (s *Server) public(w http.ResponseWriter, r *http.Request) bool {
	ts, ok := s.common(w, r)
	if !ok {
		return false
	}
	if !hmac.Equal([]byte(r.URL.Query().Get("sign")), []byte(sign(s.PartnerKey, strconv.FormatInt(s.PartnerID, 10)+r.URL.Path+ts))) {
		answer(w, "error_sign", "Wrong sign.", nil)
		return false
	}
	return true
}

// shop checks a shop API: shop_id, sign of partner_id + path + timestamp +
// access_token + shop_id, and a live access token.
func (s *Server) shop(w http.ResponseWriter, r *http.Request) bool {
	ts, ok := s.common(w, r)
	if !ok {
		return false
	}
	q := r.URL.Query()
	tok, shop := q.Get("access_token"), q.Get("shop_id")
	switch {
	case tok == "":
		answer(w, "error_param", "There is no access_token in query.", nil)
		return false
	case shop == "":
		answer(w, "error_param", "There is no shop_id in query.", nil)
		return false
	case shop != strconv.FormatInt(s.ShopID, 10):
		answer(w, "partner_shop_no_link", "Invalid partner_id or shop_id, please have a check.", nil)
		return false
	}
	want := sign(s.PartnerKey, strconv.FormatInt(s.PartnerID, 10)+r.URL.Path+ts+tok+shop)
	if !hmac.Equal([]byte(q.Get("sign")), []byte(want)) {
		answer(w, "error_sign", "Wrong sign.", nil)
		return false
	}
	exp, known := s.access[tok]
	if !known || !s.now().Before(exp) {
		if s.ExpiredError == AuthError {
			answer(w, AuthError, "Invalid access_token.", nil)
		} else {
			answer(w, ExpiredToken, "Invalid access_token, please have a check.", nil)
		}
		return false
	}
	return true
}

func decode(w http.ResponseWriter, r *http.Request, body []byte, v any) bool {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || json.Unmarshal(body, v) != nil {
		answer(w, "error_param", "Wrong parameters, detail: the body is not JSON.", nil)
		return false
	}
	return true
}

// serveToken is GetAccessToken and RefreshAccessToken (developer guide 20;
// v2.public.get_access_token and v2.public.refresh_access_token, module 104):
// POST /api/v2/auth/token/get {"code","partner_id","shop_id"} and
// POST /api/v2/auth/access_token/get {"refresh_token","partner_id","shop_id"},
// answering {"request_id","error","message","access_token","refresh_token","expire_in",…}.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request, body []byte) {
	var b struct {
		Code         string `json:"code"`
		RefreshToken string `json:"refresh_token"`
		PartnerID    int64  `json:"partner_id"`
		ShopID       int64  `json:"shop_id"`
	}
	if !decode(w, r, body, &b) {
		return
	}
	switch {
	case b.PartnerID == 0:
		param(w, "partner_id")
		return
	case b.PartnerID != s.PartnerID:
		answer(w, "invalid_partner_id", "Invalid partner_id, please have a check.", nil)
		return
	case b.ShopID == 0:
		param(w, "shop_id")
		return
	}
	if r.URL.Path == "/api/v2/auth/token/get" {
		switch {
		case b.Code == "":
			param(w, "code")
			return
		case !s.codes[b.Code]:
			answer(w, "invalid_code", "The code is expired or used or invalid, please check the code.", nil)
			return
		case b.ShopID != s.ShopID:
			answer(w, "invalid_shop_id", "The code or shop_id is wrong, please check the code or the shop_id.", nil)
			return
		}
		delete(s.codes, b.Code)
	} else {
		switch {
		case b.RefreshToken == "":
			param(w, "refresh_token")
			return
		case b.ShopID != s.ShopID:
			answer(w, "shop_no_linked", "Partner and shop has no linked.", nil)
			return
		case !s.refresh[b.RefreshToken]:
			answer(w, AuthError, "Invalid refresh_token.", nil)
			return
		}
		delete(s.refresh, b.RefreshToken) // a refresh_token is used once
	}
	a, rt := s.issue()
	s.writes["token"]++
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"request_id": "fake", "error": "", "message": "", "access_token": a, "refresh_token": rt,
		"expire_in": s.TokenLife, "partner_id": s.PartnerID, "shop_id": s.ShopID})
}

// orderJSON is one order as get_order_detail's order_list shows it
// (https://open.shopee.com/documents/v2/v2.order.get_order_detail?module=94&type=1).
func (s *Server) orderJSON(o *Order) map[string]any {
	var items []map[string]any
	for _, it := range o.Items {
		items = append(items, map[string]any{"item_id": it.ItemID, "item_name": it.Name, "item_sku": it.ItemSKU, "model_id": it.ModelID,
			"model_name": it.ModelName, "model_sku": it.ModelSKU, "model_quantity_purchased": it.Qty, "model_original_price": it.Price,
			"model_discounted_price": it.Price, "order_item_id": it.ItemID})
	}
	carrier := o.Carrier
	if carrier == "" {
		carrier = "SPX Express"
	}
	pay := int64(0)
	if !o.COD {
		pay = o.CreateTime.Unix()
	}
	return map[string]any{"order_sn": o.SN, "region": "ID", "currency": o.Currency, "cod": o.COD, "total_amount": o.Total,
		"order_status": o.Status, "shipping_carrier": carrier, "payment_method": map[bool]string{true: "Cash on Delivery", false: "ShopeePay"}[o.COD],
		"estimated_shipping_fee": o.Shipping, "message_to_seller": "", "create_time": o.CreateTime.Unix(), "update_time": o.UpdateTime.Unix(),
		"days_to_ship": 2, "ship_by_date": o.ShipBy.Unix(), "buyer_user_id": 1170319091, "buyer_username": strings.ToLower(strings.ReplaceAll(o.Buyer, " ", "")),
		"recipient_address": map[string]any{"name": o.Buyer, "phone": o.Phone, "town": "", "district": "", "city": o.City, "state": o.State,
			"region": "ID", "zipcode": o.Zipcode, "full_address": o.Address},
		"item_list": items, "pay_time": pay, "cancel_by": "", "cancel_reason": "", "buyer_cancel_reason": "",
		"package_list": []map[string]any{{"package_number": o.Package, "logistics_status": "LOGISTICS_READY", "shipping_carrier": carrier}}}
}

// orderDetail is GET /api/v2/order/get_order_detail?order_sn_list=a,b&response_optional_fields=…
// (order_sn_list is required, 1 to 50 orders).
func (s *Server) orderDetail(w http.ResponseWriter, r *http.Request, _ []byte) {
	list := r.URL.Query().Get("order_sn_list")
	if list == "" {
		param(w, "order_sn_list")
		return
	}
	sns := strings.Split(list, ",")
	if len(sns) > 50 {
		answer(w, "error_param", "Wrong parameters, detail: order_sn_list limit [1,50].", nil)
		return
	}
	var out []map[string]any
	for _, sn := range sns {
		if o, ok := s.orders[sn]; ok {
			out = append(out, s.orderJSON(o))
		}
	}
	if len(out) == 0 {
		answer(w, "error_not_found", "Wrong parameters, detail: the order is not found.", nil)
		return
	}
	answer(w, "", "", map[string]any{"order_list": out})
}

// orderList is GET /api/v2/order/get_order_list?time_range_field=update_time&time_from=&time_to=&page_size=&cursor=
// (https://open.shopee.com/documents/v2/v2.order.get_order_list?module=94&type=1):
// {"more":bool,"next_cursor":"…","order_list":[{"order_sn":"…"}]}; the
// window is at most 15 days.
func (s *Server) orderList(w http.ResponseWriter, r *http.Request, _ []byte) {
	q := r.URL.Query()
	for _, f := range []string{"time_range_field", "time_from", "time_to", "page_size"} {
		if q.Get(f) == "" {
			param(w, f)
			return
		}
	}
	from, err1 := strconv.ParseInt(q.Get("time_from"), 10, 64)
	to, err2 := strconv.ParseInt(q.Get("time_to"), 10, 64)
	size, err3 := strconv.Atoi(q.Get("page_size"))
	if err1 != nil || err2 != nil || err3 != nil || size < 1 || size > 100 || (q.Get("time_range_field") != "update_time" && q.Get("time_range_field") != "create_time") {
		answer(w, "error_param", "Wrong parameters, detail: parameter invalid.", nil)
		return
	}
	if from >= to || to-from > 15*24*3600 {
		answer(w, "order.order_list_invalid_time", "Start time must be earlier than end time and diff in 15days.", nil)
		return
	}
	var sns []string
	for sn, o := range s.orders {
		t := o.UpdateTime.Unix()
		if q.Get("time_range_field") == "create_time" {
			t = o.CreateTime.Unix()
		}
		if t >= from && t <= to {
			sns = append(sns, sn)
		}
	}
	sort.Strings(sns)
	start, _ := strconv.Atoi(q.Get("cursor"))
	if start > len(sns) {
		start = len(sns)
	}
	end := min(start+size, len(sns))
	var list []map[string]any
	for _, sn := range sns[start:end] {
		list = append(list, map[string]any{"order_sn": sn})
	}
	next := ""
	if end < len(sns) {
		next = strconv.Itoa(end)
	}
	answer(w, "", "", map[string]any{"more": end < len(sns), "next_cursor": next, "order_list": list})
}

// cancelOrder is POST /api/v2/order/cancel_order
// {"order_sn","cancel_reason","item_list":[{"item_id","model_id"}]}
// (https://open.shopee.com/documents/v2/v2.order.cancel_order?module=94&type=1):
// item_list is required for OUT_OF_STOCK; only an order not yet shipped
// can be cancelled ("order.error_limit": "Can not cancel this order").
func (s *Server) cancelOrder(w http.ResponseWriter, r *http.Request, body []byte) {
	var b struct {
		OrderSN  string `json:"order_sn"`
		Reason   string `json:"cancel_reason"`
		ItemList []struct {
			ItemID  *int64 `json:"item_id"`
			ModelID *int64 `json:"model_id"`
		} `json:"item_list"`
	}
	if !decode(w, r, body, &b) {
		return
	}
	switch {
	case b.OrderSN == "":
		param(w, "order_sn")
		return
	case b.Reason == "":
		param(w, "cancel_reason")
		return
	case !slices.Contains([]string{"OUT_OF_STOCK", "CUSTOMER_REQUEST", "UNDELIVERABLE_AREA", "COD_NOT_SUPPORTED"}, b.Reason):
		answer(w, "error_param", "Wrong parameters, detail: cancel_reason is invalid.", nil)
		return
	case b.Reason == "OUT_OF_STOCK" && len(b.ItemList) == 0:
		answer(w, "error_param", "Wrong parameters, detail: item_list is required when cancel_reason is OUT_OF_STOCK.", nil)
		return
	}
	o, ok := s.orders[b.OrderSN]
	if !ok {
		answer(w, "error_not_found", "Wrong parameters, detail: the order is not found.", nil)
		return
	}
	for _, it := range b.ItemList {
		if it.ItemID == nil || it.ModelID == nil {
			answer(w, "error_param", "Wrong parameters, detail: item_id and model_id are required in item_list.", nil)
			return
		}
		found := false
		for _, l := range o.Items {
			found = found || (l.ItemID == *it.ItemID && l.ModelID == *it.ModelID)
		}
		if !found {
			answer(w, "error_param", "Wrong parameters, detail: item_list names an item not in the order.", nil)
			return
		}
	}
	if o.Status != "UNPAID" && o.Status != "READY_TO_SHIP" && o.Status != "PROCESSED" && o.Status != "RETRY_SHIP" {
		answer(w, "order.error_limit", "Can not cancel this order", nil)
		return
	}
	o.Status, o.UpdateTime = "CANCELLED", s.now()
	s.reasons = append(s.reasons, b.Reason)
	s.writes["cancel_order"]++
	answer(w, "", "", map[string]any{"update_time": o.UpdateTime.Unix()})
}

// buyerCancellation is POST /api/v2/order/handle_buyer_cancellation
// {"order_sn","operation":"ACCEPT"|"REJECT"}
// (https://open.shopee.com/documents/v2/v2.order.handle_buyer_cancellation?module=94&type=1):
// only an IN_CANCEL order ("order.order_status_invalid").
func (s *Server) buyerCancellation(w http.ResponseWriter, r *http.Request, body []byte) {
	var b struct {
		OrderSN   string `json:"order_sn"`
		Operation string `json:"operation"`
	}
	if !decode(w, r, body, &b) {
		return
	}
	switch {
	case b.OrderSN == "":
		param(w, "order_sn")
		return
	case b.Operation != "ACCEPT" && b.Operation != "REJECT":
		param(w, "operation")
		return
	}
	o, ok := s.orders[b.OrderSN]
	if !ok {
		answer(w, "error_not_found", "Wrong parameters, detail: the order is not found.", nil)
		return
	}
	if o.Status != "IN_CANCEL" {
		answer(w, "order.order_status_invalid", "Invalid order_status.The order status should be IN_CANCEL.", nil)
		return
	}
	if b.Operation == "ACCEPT" {
		o.Status = "CANCELLED"
	} else {
		o.Status = o.before
		if o.Status == "" {
			o.Status = "READY_TO_SHIP"
		}
	}
	o.UpdateTime = s.now()
	s.handled = append(s.handled, b.Operation)
	s.writes["handle_buyer_cancellation"]++
	answer(w, "", "", map[string]any{"update_time": o.UpdateTime.Unix()})
}

// shippingParameter is GET /api/v2/logistics/get_shipping_parameter?order_sn=
// (https://open.shopee.com/documents/v2/v2.logistics.get_shipping_parameter?module=95&type=1):
// {"info_needed":{"pickup":["address_id","pickup_time_id"],"dropoff":[…]},
// "pickup":{"address_list":[…]},"dropoff":{"branch_list":[…]}}; only for an
// order ready to ship.
func (s *Server) shippingParameter(w http.ResponseWriter, r *http.Request, _ []byte) {
	sn := r.URL.Query().Get("order_sn")
	if sn == "" {
		param(w, "order_sn")
		return
	}
	o, ok := s.orders[sn]
	if !ok {
		answer(w, "error_not_found", "Wrong parameters, detail: the order is not found.", nil)
		return
	}
	if o.Status == "CANCELLED" {
		answer(w, "error_status", "The order has been cancelled.", nil)
		return
	}
	if o.Status != "READY_TO_SHIP" && o.Status != "RETRY_SHIP" {
		answer(w, "error_param", "Shipping parameters can only be obtained when package is ready to be shipped", nil)
		return
	}
	var addrs []map[string]any
	for _, a := range s.Addresses {
		var slots []map[string]any
		for _, sl := range a.Slots {
			m := map[string]any{"date": sl.Date.Unix(), "time_text": sl.Date.Format("02/01 15:04"), "pickup_time_id": sl.ID}
			if sl.Recommended {
				m["flags"] = []string{"recommended"}
			}
			slots = append(slots, m)
		}
		addrs = append(addrs, map[string]any{"address_id": a.ID, "region": "ID", "state": "Jawa Barat", "city": "Bandung",
			"district": "", "town": "", "address": a.Text, "zipcode": "40111", "address_flag": a.Flags, "time_slot_list": slots})
	}
	resp := map[string]any{"info_needed": map[string]any{"pickup": []string{"address_id", "pickup_time_id"}, "dropoff": []string{}},
		"pickup": map[string]any{"address_list": addrs}, "dropoff": nil}
	if len(s.Branches) > 0 {
		var branches []map[string]any
		for _, id := range s.Branches {
			branches = append(branches, map[string]any{"branch_id": id, "region": "ID", "city": "Bandung", "address": "Agen SPX"})
		}
		resp["info_needed"] = map[string]any{"pickup": []string{"address_id", "pickup_time_id"}, "dropoff": []string{"branch_id"}}
		resp["dropoff"] = map[string]any{"branch_list": branches}
	}
	answer(w, "", "", resp)
}

// shipOrder is POST /api/v2/logistics/ship_order
// {"order_sn","pickup":{"address_id","pickup_time_id"}} or {"order_sn","dropoff":{"branch_id"}}
// (https://open.shopee.com/documents/v2/v2.logistics.ship_order?module=95&type=1):
// "pickup" and "dropoff" need what get_shipping_parameter's info_needed
// names; an order arranged already is "logistics.package_already_shipped".
func (s *Server) shipOrder(w http.ResponseWriter, r *http.Request, body []byte) {
	var b struct {
		OrderSN string `json:"order_sn"`
		Pickup  *struct {
			AddressID    int64  `json:"address_id"`
			PickupTimeID string `json:"pickup_time_id"`
		} `json:"pickup"`
		Dropoff *struct {
			BranchID int64 `json:"branch_id"`
		} `json:"dropoff"`
	}
	if !decode(w, r, body, &b) {
		return
	}
	if b.OrderSN == "" {
		param(w, "order_sn")
		return
	}
	o, ok := s.orders[b.OrderSN]
	if !ok {
		answer(w, "error_not_found", "Wrong parameters, detail: the order is not found.", nil)
		return
	}
	switch o.Status {
	case "READY_TO_SHIP", "RETRY_SHIP":
	case "PROCESSED", "SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED":
		answer(w, "logistics.package_already_shipped", "This package has already been arranged shipment and you can't call this API again.", nil)
		return
	default:
		answer(w, "error_param", "Wrong parameters, detail: the order status "+o.Status+" cannot be arranged.", nil)
		return
	}
	switch {
	case b.Pickup == nil && b.Dropoff == nil:
		param(w, "pickup")
		return
	case b.Pickup != nil:
		if b.Pickup.AddressID == 0 {
			param(w, "pickup.address_id")
			return
		}
		if b.Pickup.PickupTimeID == "" {
			param(w, "pickup.pickup_time_id")
			return
		}
		valid := false
		for _, a := range s.Addresses {
			for _, sl := range a.Slots {
				valid = valid || (a.ID == b.Pickup.AddressID && sl.ID == b.Pickup.PickupTimeID)
			}
		}
		if !valid {
			answer(w, "logistics.error_param", "Wrong parameters, detail: address_id or pickup_time_id is invalid.", nil)
			return
		}
	default:
		if len(s.Branches) > 0 && !slices.Contains(s.Branches, b.Dropoff.BranchID) {
			param(w, "dropoff.branch_id")
			return
		}
	}
	var raw map[string]any
	_ = json.Unmarshal(body, &raw)
	s.shipped[b.OrderSN] = raw
	s.n++
	o.Status, o.UpdateTime = "PROCESSED", s.now()
	o.Tracking = fmt.Sprintf("SPXID%011d", s.n)
	s.writes["ship_order"]++
	answer(w, "", "", nil)
}

// trackingNumber is GET /api/v2/logistics/get_tracking_number?order_sn=
// (https://open.shopee.com/documents/v2/v2.logistics.get_tracking_number?module=95&type=1):
// {"tracking_number":"…","hint":"…"}.
func (s *Server) trackingNumber(w http.ResponseWriter, r *http.Request, _ []byte) {
	sn := r.URL.Query().Get("order_sn")
	if sn == "" {
		param(w, "order_sn")
		return
	}
	o, ok := s.orders[sn]
	if !ok {
		answer(w, "logistics.invalid_error", "The order is not exist.", nil)
		return
	}
	resp := map[string]any{"tracking_number": o.Tracking}
	if o.Tracking == "" {
		resp["hint"] = "The tracking number is not generated yet."
	}
	answer(w, "", "", resp)
}

type docReq struct {
	OrderList []struct {
		OrderSN        string `json:"order_sn"`
		TrackingNumber string `json:"tracking_number"`
		DocType        string `json:"shipping_document_type"`
	} `json:"order_list"`
	DocType string `json:"shipping_document_type"`
}

var docTypes = []string{"NORMAL_AIR_WAYBILL", "THERMAL_AIR_WAYBILL", "NORMAL_JOB_AIR_WAYBILL", "THERMAL_JOB_AIR_WAYBILL"}

// createDocument is POST /api/v2/logistics/create_shipping_document
// {"order_list":[{"order_sn","tracking_number","shipping_document_type"}]}
// (https://open.shopee.com/documents/v2/v2.logistics.create_shipping_document?module=95&type=1):
// {"result_list":[{"order_sn","fail_error","fail_message"}]}.
func (s *Server) createDocument(w http.ResponseWriter, r *http.Request, body []byte) {
	var b docReq
	if !decode(w, r, body, &b) {
		return
	}
	if len(b.OrderList) == 0 || len(b.OrderList) > 50 {
		param(w, "order_list")
		return
	}
	var results []map[string]any
	failed := 0
	for _, it := range b.OrderList {
		res := map[string]any{"order_sn": it.OrderSN}
		o, ok := s.orders[it.OrderSN]
		switch {
		case it.OrderSN == "":
			param(w, "order_list.order_sn")
			return
		case !slices.Contains(docTypes, it.DocType):
			param(w, "order_list.shipping_document_type")
			return
		case !ok:
			res["fail_error"], res["fail_message"] = "logistics.order_not_exist", "The order_sn "+it.OrderSN+" is not exist."
		case o.Tracking == "" || it.TrackingNumber != o.Tracking:
			res["fail_error"], res["fail_message"] = "logistics.package_can_not_print", "The package can not print now."
		default:
			s.docs[it.OrderSN] = "PROCESSING"
		}
		if res["fail_error"] != nil {
			failed++
		}
		results = append(results, res)
	}
	if failed == len(results) {
		answer(w, "common.batch_api_all_failed", "Failed, please check result_list for more details.", map[string]any{"result_list": results})
		return
	}
	answer(w, "", "", map[string]any{"result_list": results})
}

// documentResult is POST /api/v2/logistics/get_shipping_document_result
// {"order_list":[{"order_sn","shipping_document_type"}]}
// (https://open.shopee.com/documents/v2/v2.logistics.get_shipping_document_result?module=95&type=1):
// status PROCESSING, then READY on the next ask.
func (s *Server) documentResult(w http.ResponseWriter, r *http.Request, body []byte) {
	var b docReq
	if !decode(w, r, body, &b) {
		return
	}
	if len(b.OrderList) == 0 {
		param(w, "order_list")
		return
	}
	var results []map[string]any
	for _, it := range b.OrderList {
		res := map[string]any{"order_sn": it.OrderSN}
		switch st := s.docs[it.OrderSN]; st {
		case "":
			res["fail_error"], res["fail_message"] = "logistics.shipping_document_should_print_first", "Please create shipping document first."
		case "PROCESSING":
			res["status"] = "PROCESSING"
			s.docs[it.OrderSN] = "READY"
		default:
			res["status"] = st
		}
		results = append(results, res)
	}
	answer(w, "", "", map[string]any{"result_list": results})
}

// downloadDocument is POST /api/v2/logistics/download_shipping_document
// {"shipping_document_type","order_list":[{"order_sn"}]}
// (https://open.shopee.com/documents/v2/v2.logistics.download_shipping_document?module=95&type=1):
// the waybill file itself, or Shopee's error frame.
func (s *Server) downloadDocument(w http.ResponseWriter, r *http.Request, body []byte) {
	var b docReq
	if !decode(w, r, body, &b) {
		return
	}
	if !slices.Contains(docTypes, b.DocType) {
		param(w, "shipping_document_type")
		return
	}
	if len(b.OrderList) != 1 {
		param(w, "order_list")
		return
	}
	sn := b.OrderList[0].OrderSN
	if s.docs[sn] != "READY" {
		answer(w, "logistics.shipping_document_should_print_first",
			"The package can not print now, please create shipping document first.Detail: these orders: "+sn+" should print", nil)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	_, _ = w.Write(AirwayBillPDF(sn, s.orders[sn].Tracking))
}

// AirwayBillPDF is the fake's bill: a one-page PDF naming the order and its tracking number.
func AirwayBillPDF(sn, tracking string) []byte {
	return channeltest.LabelPage(fmt.Sprintf("BT /F1 18 Tf 20 250 Td (Shopee %s) Tj 0 -30 Td (%s) Tj ET", sn, tracking))
}

// itemList is GET /api/v2/product/get_item_list?offset=&page_size=&item_status=NORMAL&item_status=UNLIST
// (https://open.shopee.com/documents/v2/v2.product.get_item_list?module=89&type=1):
// {"item":[{"item_id","item_status","update_time"}],"total_count","has_next_page","next_offset"}.
func (s *Server) itemList(w http.ResponseWriter, r *http.Request, _ []byte) {
	q := r.URL.Query()
	offset, err1 := strconv.Atoi(q.Get("offset"))
	size, err2 := strconv.Atoi(q.Get("page_size"))
	statuses := q["item_status"]
	switch {
	case q.Get("offset") == "" || err1 != nil || offset < 0:
		param(w, "offset")
		return
	case q.Get("page_size") == "" || err2 != nil || size < 1 || size > 100:
		param(w, "page_size")
		return
	case len(statuses) == 0:
		param(w, "item_status")
		return
	}
	var ids []int64
	for _, id := range s.itemIDs {
		if slices.Contains(statuses, s.items[id].Status) {
			ids = append(ids, id)
		}
	}
	start := min(offset, len(ids))
	end := min(start+size, len(ids))
	var items []map[string]any
	for _, id := range ids[start:end] {
		items = append(items, map[string]any{"item_id": id, "item_status": s.items[id].Status, "update_time": s.now().Unix()})
	}
	answer(w, "", "", map[string]any{"item": items, "total_count": len(ids), "has_next_page": end < len(ids), "next_offset": end})
}

func prices(p float64) []map[string]any {
	return []map[string]any{{"currency": "IDR", "original_price": p, "current_price": p}}
}

func stockV2(n int) map[string]any {
	return map[string]any{"summary_info": map[string]any{"total_reserved_stock": 0, "total_available_stock": n},
		"seller_stock": []map[string]any{{"location_id": "IDZ", "stock": n}}}
}

// itemBaseInfo is GET /api/v2/product/get_item_base_info?item_id_list=1,2
// (https://open.shopee.com/documents/v2/v2.product.get_item_base_info?module=89&type=1):
// {"item_list":[{"item_id","item_name","item_sku","has_model","price_info","stock_info_v2",…}]}; at most 50 ids.
func (s *Server) itemBaseInfo(w http.ResponseWriter, r *http.Request, _ []byte) {
	list := r.URL.Query().Get("item_id_list")
	if list == "" {
		param(w, "item_id_list")
		return
	}
	parts := strings.Split(list, ",")
	if len(parts) > 50 {
		answer(w, "error_param", "Wrong parameters, detail: item_id_list limit [0,50].", nil)
		return
	}
	var out []map[string]any
	for _, p := range parts {
		id, _ := strconv.ParseInt(p, 10, 64)
		it, ok := s.items[id]
		if !ok {
			continue
		}
		m := map[string]any{"item_id": it.ID, "item_name": it.Name, "item_sku": it.SKU, "item_status": it.Status,
			"has_model": len(it.Models) > 1 || it.Models[0].ID != 0}
		if !m["has_model"].(bool) {
			m["price_info"], m["stock_info_v2"] = prices(it.Models[0].Price), stockV2(it.Models[0].Stock)
		}
		out = append(out, m)
	}
	answer(w, "", "", map[string]any{"item_list": out})
}

// modelList is GET /api/v2/product/get_model_list?item_id=
// (https://open.shopee.com/documents/v2/v2.product.get_model_list?module=89&type=1):
// {"tier_variation":[{"name","option_list":[{"option"}]}],"model":[{"model_id","model_sku","tier_index","price_info","stock_info_v2"}]}.
func (s *Server) modelList(w http.ResponseWriter, r *http.Request, _ []byte) {
	id, err := strconv.ParseInt(r.URL.Query().Get("item_id"), 10, 64)
	if err != nil {
		answer(w, "product.error_param", "invalid field ItemId: value must  Not Null", nil)
		return
	}
	it, ok := s.items[id]
	if !ok {
		answer(w, "error_not_found", "Wrong parameters, detail: the item is not found.", nil)
		return
	}
	var options []map[string]any
	var models []map[string]any
	for i, m := range it.Models {
		options = append(options, map[string]any{"option": m.Option})
		models = append(models, map[string]any{"model_id": m.ID, "model_sku": m.SKU, "tier_index": []int{i},
			"price_info": prices(m.Price), "stock_info_v2": stockV2(m.Stock), "model_status": "MODEL_NORMAL"})
	}
	answer(w, "", "", map[string]any{"tier_variation": []map[string]any{{"name": "Variasi", "option_list": options}}, "model": models})
}

// updateStock is POST /api/v2/product/update_stock
// {"item_id":N,"stock_list":[{"model_id":N,"seller_stock":[{"stock":N}]}]}
// (https://open.shopee.com/documents/v2/v2.product.update_stock?module=89&type=1):
// {"failure_list":[{"model_id","failed_reason"}],"success_list":[{"model_id","stock"}]}; 1 to 50 models.
func (s *Server) updateStock(w http.ResponseWriter, r *http.Request, body []byte) {
	var b struct {
		ItemID    int64 `json:"item_id"`
		StockList []struct {
			ModelID     *int64 `json:"model_id"`
			SellerStock []struct {
				Stock *int `json:"stock"`
			} `json:"seller_stock"`
		} `json:"stock_list"`
	}
	if !decode(w, r, body, &b) {
		return
	}
	if b.ItemID == 0 {
		answer(w, "product.error_param", "invalid field ItemId: value must  Not Null", nil)
		return
	}
	if len(b.StockList) == 0 || len(b.StockList) > 50 {
		param(w, "stock_list")
		return
	}
	it, ok := s.items[b.ItemID]
	if !ok {
		answer(w, "error_not_found", "Wrong parameters, detail: the item is not found.", nil)
		return
	}
	var fails, oks []map[string]any
	for _, row := range b.StockList {
		if row.ModelID == nil || len(row.SellerStock) != 1 || row.SellerStock[0].Stock == nil || *row.SellerStock[0].Stock < 0 {
			param(w, "stock_list.model_id and stock_list.seller_stock.stock")
			return
		}
		done := false
		for i := range it.Models {
			if it.Models[i].ID == *row.ModelID {
				it.Models[i].Stock, done = *row.SellerStock[0].Stock, true
				s.writes["update_stock"]++
				oks = append(oks, map[string]any{"model_id": *row.ModelID, "location_id": "IDZ", "stock": it.Models[i].Stock})
			}
		}
		if !done {
			fails = append(fails, map[string]any{"model_id": *row.ModelID, "failed_reason": "model_id is invalid"})
		}
	}
	answer(w, "", "", map[string]any{"failure_list": fails, "success_list": oks})
}
