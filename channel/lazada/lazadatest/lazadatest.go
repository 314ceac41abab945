// Package lazadatest is Lazada Open Platform for tests: the API routes the
// connector calls under /rest and the seller authorization's token routes,
// answering in Lazada's envelope as the API documentation shows
// (https://open.lazada.com/apps/doc/doc?nodeId=10451&docId=108069). It
// refuses a wrong sign, an unknown app_key, a missing or expired access
// token (IllegalAccessToken) and a missing required parameter, keeps each
// order item's status, and fails on demand (500s, 429 with Retry-After,
// expired tokens) to test the retries.
//
// Lazada answers a refusal with a code in the body; the docs do not say
// with which HTTP status, so the fake answers them with 200, as the SDKs
// expect (they read code, never the status).
package lazadatest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
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

// Item is one order item as the fake keeps it (GetOrderItems' fields,
// https://open.lazada.com/apps/doc/api?path=%2Forder%2Fitems%2Fget).
type Item struct {
	OrderItemID      int64  `json:"order_item_id"`
	OrderID          int64  `json:"order_id"`
	Name             string `json:"name"`
	SKU              string `json:"sku"`
	ShopSKU          string `json:"shop_sku"`
	Variation        string `json:"variation"`
	ItemPrice        int64  `json:"item_price"`
	PaidPrice        int64  `json:"paid_price"`
	Currency         string `json:"currency"`
	Status           string `json:"status"`
	PackageID        string `json:"package_id"`
	TrackingCode     string `json:"tracking_code"`
	ShipmentProvider string `json:"shipment_provider"`
	Reason           string `json:"reason"`
	// PromisedShippingTime is the ship-by time ("2026-12-02 23:59:59 +0700").
	PromisedShippingTime string `json:"promised_shipping_time"`
	CreatedAt            string `json:"created_at"`
	UpdatedAt            string `json:"updated_at"`
}

// Order is an order as the fake keeps it: GetOrder's fields
// (https://open.lazada.com/apps/doc/api?path=%2Forder%2Fget) and its items.
type Order struct {
	ID            int64
	Buyer         string
	Phone         string
	Street        string
	Province      string
	City          string
	District      string
	PostCode      string
	ShippingFee   int64
	Voucher       int64
	PaymentMethod string
	Updated       time.Time
	Items         []*Item
}

// SKU is one listing (GetProducts' skus, https://open.lazada.com/apps/doc/api?path=%2Fproducts%2Fget).
type SKU struct {
	ItemID    int64
	SkuID     int64
	SellerSku string
	Name      string
	Price     int64
	Quantity  int
}

// Server is a running fake Lazada: URL+"/rest" serves both api_base and auth_base.
type Server struct {
	*httptest.Server
	AppKey, AppSecret, SellerID string
	// TokenLife is the expires_in of the tokens issued, in seconds.
	TokenLife int64

	mu       sync.Mutex
	access   map[string]bool // access token → valid
	refresh  map[string]bool
	codes    map[string]bool
	n        int
	orders   map[int64]*Order
	skus     []*SKU
	fail     []int
	retry    string
	calls    map[string]int
	writes   map[string]int
	reasons  []string
	packages int
	reverse  map[int64]*Reverse
}

// Reverse is a buyer's cancel request as the fake keeps it: one reverse
// order of request_type CANCEL over one order item.
type Reverse struct {
	ReverseOrderID, LineID, OrderID, ItemID int64
	// Status is REQUEST_INITIATE while it waits for the seller, then
	// CANCEL_SUCCESS once agreed, or REQUEST_REJECT once refused (the
	// pages name no status for a refused request: that one is the fake's).
	Status string
	// Reason is the reason_code a refusal gave.
	Reason string
}

// New starts a fake for one app and one seller on 127.0.0.1.
func New(appKey, appSecret, sellerID string) *Server {
	s := &Server{reverse: map[int64]*Reverse{}, AppKey: appKey, AppSecret: appSecret, SellerID: sellerID, TokenLife: 604800,
		access: map[string]bool{}, refresh: map[string]bool{}, codes: map[string]bool{},
		orders: map[int64]*Order{}, calls: map[string]int{}, writes: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Base is the api_base and auth_base the adapter is given.
func (s *Server) Base() string { return s.URL + "/rest" }

// Tokens issues a seller's access and refresh token, as an authorization would.
func (s *Server) Tokens() (access, refresh string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issue()
}

func (s *Server) issue() (string, string) {
	s.n++
	a, r := fmt.Sprintf("50000%06d", s.n), fmt.Sprintf("50001%06d", s.n)
	s.access[a], s.refresh[r] = true, true
	return a, r
}

// Code makes an authorization code the token endpoint will take once.
func (s *Server) Code(code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = true
}

// Expire makes every access token issued so far expired.
func (s *Server) Expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access = map[string]bool{}
}

// Issued is how many token pairs the fake has issued.
func (s *Server) Issued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// Fail makes the next requests answer these HTTP statuses in turn; 429 carries Retry-After: retryAfter.
func (s *Server) Fail(retryAfter string, statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = append(s.fail, statuses...)
	s.retry = retryAfter
}

// AddOrder keeps an order; items without a status are pending, without a currency IDR.
func (s *Server) AddOrder(o Order) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := o
	cp.Items = nil
	for _, it := range o.Items {
		c := *it
		c.OrderID = o.ID
		if c.Status == "" {
			c.Status = "pending"
		}
		if c.Currency == "" {
			c.Currency = "IDR"
		}
		if c.PaidPrice == 0 {
			c.PaidPrice = c.ItemPrice
		}
		cp.Items = append(cp.Items, &c)
	}
	if cp.Updated.IsZero() {
		cp.Updated = time.Now()
	}
	s.orders[o.ID] = &cp
}

// SetItemStatus sets one item's status, as the buyer or Lazada would.
func (s *Server) SetItemStatus(orderID, itemID int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.orders[orderID]; o != nil {
		for _, it := range o.Items {
			if it.OrderItemID == itemID {
				it.Status = status
			}
		}
		o.Updated = time.Now()
	}
}

// Items are an order's items as they stand.
func (s *Server) Items(orderID int64) []Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Item
	if o := s.orders[orderID]; o != nil {
		for _, it := range o.Items {
			out = append(out, *it)
		}
	}
	return out
}

// AddSKU lists a SKU.
func (s *Server) AddSKU(k SKU) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := k
	s.skus = append(s.skus, &c)
}

// Stock is a seller SKU's quantity, or -1.
func (s *Server) Stock(sellerSku string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.skus {
		if k.SellerSku == sellerSku {
			return k.Quantity
		}
	}
	return -1
}

// Calls is how many requests an API path ("/order/fulfill/pack") got, refused ones included.
func (s *Server) Calls(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[path]
}

// Writes is how many of "pack", "rts", "cancel", "stock", "approve", "decline" changed something.
func (s *Server) Writes(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes[key]
}

// AddCancelRequest opens a buyer's cancel request of one order item,
// waiting for the seller.
func (s *Server) AddCancelRequest(reverseOrderID, lineID, orderID, itemID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reverse[reverseOrderID] = &Reverse{ReverseOrderID: reverseOrderID, LineID: lineID, OrderID: orderID, ItemID: itemID, Status: "REQUEST_INITIATE"}
}

// CancelRequest is a copy of a buyer's cancel request, or nil.
func (s *Server) CancelRequest(reverseOrderID int64) *Reverse {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.reverse[reverseOrderID]
	if !ok {
		return nil
	}
	c := *r
	return &c
}

// Reasons are the reason_ids of the cancellations received, in order.
func (s *Server) Reasons() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.reasons...)
}

// reply answers in Lazada's envelope: {"code":"0","data":…,"request_id":"…"}.
func reply(w http.ResponseWriter, body map[string]any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	if _, ok := body["code"]; !ok {
		body["code"] = "0"
	}
	body["request_id"] = "0ba2887315178178017221014"
	_ = json.NewEncoder(w).Encode(body)
}

// refuse answers an error as the docs' error example shows
// (https://open.lazada.com/apps/doc/doc?nodeId=10451&docId=108069):
// {"type":"ISV","code":"MissingParameter","message":"…","request_id":"…"}.
func refuse(w http.ResponseWriter, typ, code, msg string) {
	reply(w, map[string]any{"type": typ, "code": code, "message": msg})
}

// Sign is the signature the fake expects
// (https://open.lazada.com/apps/doc/doc?nodeId=10450&docId=108068), computed
// here on its own so a mistake in the adapter's is caught.
func Sign(secret, path string, params url.Values) string {
	var keys []string
	for k := range params {
		if k != "sign" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(path)
	for _, k := range keys {
		if v := params.Get(k); v != "" {
			b.WriteString(k + v)
		}
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(b.String()))
	return strings.ToUpper(hex.EncodeToString(m.Sum(nil)))
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if strings.HasPrefix(r.URL.Path, "/awb/") {
		// The bill's file at the pdf_url PrintAWB answered: a CDN, unsigned.
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write(channeltest.LabelPDF("Lazada AWB", strings.TrimPrefix(r.URL.Path, "/awb/")))
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/rest")
	s.calls[path]++
	if len(s.fail) > 0 {
		st := s.fail[0]
		s.fail = s.fail[1:]
		if st == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", s.retry)
		}
		w.WriteHeader(st)
		_, _ = io.WriteString(w, http.StatusText(st))
		return
	}
	params := r.URL.Query()
	if r.Method == http.MethodPost {
		// The business parameters of a POST come as a form, the common ones
		// in the query, as the official SDKs send them; both are signed.
		if err := r.ParseForm(); err != nil {
			refuse(w, "ISV", "InvalidParameter", "the form does not parse")
			return
		}
		for k, v := range r.PostForm {
			params[k] = v
		}
	}
	// Common parameters (https://open.lazada.com/apps/doc/doc?nodeId=10451&docId=108069):
	// app_key, timestamp (ms, within 7200 s of UTC), sign_method, sign, and
	// access_token for every API but the token endpoints.
	for _, p := range []string{"app_key", "timestamp", "sign_method", "sign"} {
		if params.Get(p) == "" {
			refuse(w, "ISV", "MissingParameter", "The input parameter \""+p+"\" that is mandatory for processing this request is not supplied.")
			return
		}
	}
	if params.Get("app_key") != s.AppKey {
		// The docs do not list this error's code; "InvalidAppKey" is the fake's.
		refuse(w, "ISV", "InvalidAppKey", "The specified app_key is invalid")
		return
	}
	if params.Get("sign_method") != "sha256" {
		refuse(w, "ISV", "InvalidSignMethod", "sign_method must be sha256")
		return
	}
	ts, err := strconv.ParseInt(params.Get("timestamp"), 10, 64)
	if err != nil || time.Since(time.UnixMilli(ts)).Abs() > 7200*time.Second {
		refuse(w, "ISV", "InvalidTimestamp", "The specified timestamp is out of range")
		return
	}
	if !hmac.Equal([]byte(params.Get("sign")), []byte(Sign(s.AppSecret, path, params))) {
		refuse(w, "ISV", "IncompleteSignature", "The request signature does not conform to lazada standards")
		return
	}
	if path == "/auth/token/create" || path == "/auth/token/refresh" {
		s.serveToken(w, path, params)
		return
	}
	if !s.access[params.Get("access_token")] {
		refuse(w, "ISV", "IllegalAccessToken", "The specified access token is invalid or expired")
		return
	}
	route, ok := routes[r.Method+" "+path]
	if !ok {
		refuse(w, "ISV", "InvalidApiPath", "The specified API path is invalid: "+r.Method+" "+path)
		return
	}
	for _, p := range route.required {
		if params.Get(p) == "" {
			refuse(w, "ISV", "MissingParameter", "The input parameter \""+p+"\" that is mandatory for processing this request is not supplied.")
			return
		}
	}
	route.serve(s, w, params)
}

type route struct {
	required []string
	serve    func(s *Server, w http.ResponseWriter, p url.Values)
}

// routes are the API paths the connector calls, each with its required
// parameters, as each path's API page lists them.
var routes = map[string]route{
	// https://open.lazada.com/apps/doc/api?path=%2Forder%2Fget
	"GET /order/get": {[]string{"order_id"}, (*Server).serveOrder},
	// https://open.lazada.com/apps/doc/api?path=%2Forder%2Fitems%2Fget
	"GET /order/items/get": {[]string{"order_id"}, (*Server).serveItems},
	// https://open.lazada.com/apps/doc/api?path=%2Forders%2Fget
	"GET /orders/get": {[]string{"update_after"}, (*Server).serveOrders},
	// https://open.lazada.com/apps/doc/api?path=%2Forder%2Ffulfill%2Fpack
	"POST /order/fulfill/pack": {[]string{"packReq"}, (*Server).servePack},
	// https://open.lazada.com/apps/doc/api?path=%2Forder%2Fpackage%2Frts
	"POST /order/package/rts": {[]string{"readyToShipReq"}, (*Server).serveRTS},
	// https://open.lazada.com/apps/doc/api?path=%2Forder%2Fpackage%2Fdocument%2Fget
	"POST /order/package/document/get": {[]string{"getDocumentReq"}, (*Server).serveDocument},
	// https://open.lazada.com/apps/doc/api?path=%2Forder%2Freverse%2Fcancel%2Fvalidate
	"GET /order/reverse/cancel/validate": {[]string{"order_id", "order_item_id_list"}, (*Server).serveCancelValidate},
	// https://open.lazada.com/apps/doc/api?path=%2Forder%2Freverse%2Fcancel%2Fcreate
	"POST /order/reverse/cancel/create": {[]string{"order_id", "order_item_id_list", "reason_id"}, (*Server).serveCancel},
	// https://open.lazada.com/apps/doc/api?path=%2Freverse%2Fgetreverseordersforseller
	"GET /reverse/getreverseordersforseller": {[]string{"page_size", "page_no"}, (*Server).serveReverseOrders},
	// https://open.lazada.com/apps/doc/api?path=%2Forder%2Freverse%2Freason%2Flist
	"GET /order/reverse/reason/list": {[]string{"reverse_order_line_id"}, (*Server).serveRefuseReasons},
	// https://open.lazada.com/apps/doc/api?path=%2Forder%2Freverse%2Fcancel%2Fseller%2Fdecide
	"GET /order/reverse/cancel/seller/decide": {[]string{"reverse_order_id", "agree_cancel"}, (*Server).serveDecide},
	// https://open.lazada.com/apps/doc/api?path=%2Fproducts%2Fget
	"GET /products/get": {nil, (*Server).serveProducts},
	// https://open.lazada.com/apps/doc/api?path=%2Fseller%2Fget
	"GET /seller/get": {nil, (*Server).serveSeller},
	// https://open.lazada.com/apps/doc/api?path=%2Fproduct%2Fprice_quantity%2Fupdate
	"POST /product/price_quantity/update": {[]string{"payload"}, (*Server).serveStock},
}

// serveToken is /auth/token/create (code) and /auth/token/refresh
// (refresh_token) on the auth host
// (https://open.lazada.com/apps/doc/api?path=%2Fauth%2Ftoken%2Fcreate):
// the tokens beside code, with the seller in country_user_info.
func (s *Server) serveToken(w http.ResponseWriter, path string, p url.Values) {
	switch path {
	case "/auth/token/create":
		code := p.Get("code")
		if code == "" {
			refuse(w, "ISV", "MissingParameter", "The input parameter \"code\" that is mandatory for processing this request is not supplied.")
			return
		}
		if !s.codes[code] {
			refuse(w, "ISV", "InvalidCode", "The authorization code is invalid or expired")
			return
		}
		delete(s.codes, code)
	default:
		rt := p.Get("refresh_token")
		if rt == "" {
			refuse(w, "ISV", "MissingParameter", "The input parameter \"refresh_token\" that is mandatory for processing this request is not supplied.")
			return
		}
		if !s.refresh[rt] {
			refuse(w, "ISV", "IllegalRefreshToken", "The specified refresh token is invalid or expired")
			return
		}
	}
	a, rt := s.issue()
	reply(w, map[string]any{"access_token": a, "refresh_token": rt, "expires_in": s.TokenLife, "refresh_expires_in": 2592000,
		"country": "id", "account_platform": "seller_center", "account": "shop@example.id",
		"country_user_info": []map[string]string{{"country": "id", "user_id": "100012", "seller_id": s.SellerID, "short_code": "IDTEST"}}})
}

func (s *Server) order(w http.ResponseWriter, p url.Values) *Order {
	id, _ := strconv.ParseInt(p.Get("order_id"), 10, 64)
	o := s.orders[id]
	if o == nil {
		refuse(w, "ISV", "E016", "Order not found: "+p.Get("order_id"))
	}
	return o
}

func (s *Server) serveOrder(w http.ResponseWriter, p url.Values) {
	o := s.order(w, p)
	if o == nil {
		return
	}
	var price int64
	st := map[string]bool{}
	for _, it := range o.Items {
		price += it.ItemPrice
		st[it.Status] = true
	}
	statuses := make([]string, 0, len(st))
	for k := range st {
		statuses = append(statuses, k)
	}
	sort.Strings(statuses)
	first, last, _ := strings.Cut(o.Buyer, " ")
	reply(w, map[string]any{"data": map[string]any{
		"order_id": o.ID, "order_number": o.ID, "created_at": "2026-11-30 10:00:00 +0700", "updated_at": o.Updated.Format("2006-01-02 15:04:05 -0700"),
		"price": strconv.FormatInt(price, 10) + ".00", "shipping_fee": o.ShippingFee, "voucher": o.Voucher,
		"payment_method": o.PaymentMethod, "customer_first_name": first, "customer_last_name": last,
		"statuses": statuses, "items_count": len(o.Items), "remarks": "",
		"address_shipping": map[string]any{"first_name": first, "last_name": last, "phone": o.Phone, "address1": o.Street,
			"address2": "", "address3": o.Province, "address4": o.City, "address5": o.District, "city": o.City,
			"post_code": o.PostCode, "country": "Indonesia"}}})
}

func (s *Server) serveItems(w http.ResponseWriter, p url.Values) {
	o := s.order(w, p)
	if o == nil {
		return
	}
	reply(w, map[string]any{"data": o.Items})
}

// serveOrders lists orders updated in [update_after, update_before), by
// offset and limit; data {"count":N,"countTotal":N,"orders":[…]}.
func (s *Server) serveOrders(w http.ResponseWriter, p url.Values) {
	after, err := time.Parse(time.RFC3339, p.Get("update_after"))
	if err != nil {
		refuse(w, "ISV", "InvalidParameter", "update_after must be ISO 8601")
		return
	}
	before := time.Now().Add(time.Hour)
	if v := p.Get("update_before"); v != "" {
		if before, err = time.Parse(time.RFC3339, v); err != nil {
			refuse(w, "ISV", "InvalidParameter", "update_before must be ISO 8601")
			return
		}
	}
	var list []*Order
	for _, o := range s.orders {
		if !o.Updated.Before(after) && o.Updated.Before(before) {
			list = append(list, o)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Updated.Before(list[j].Updated) })
	offset, _ := strconv.Atoi(p.Get("offset"))
	limit, _ := strconv.Atoi(p.Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	var page []map[string]any
	for i := offset; i < len(list) && i < offset+limit; i++ {
		page = append(page, map[string]any{"order_id": list[i].ID, "updated_at": list[i].Updated.Format("2006-01-02 15:04:05 -0700")})
	}
	reply(w, map[string]any{"data": map[string]any{"count": len(page), "countTotal": len(list), "orders": page}})
}

// fulfil answers as the fulfilment APIs do: {"result":{"success":true,"data":…},"code":"0"}.
func fulfil(w http.ResponseWriter, data any) {
	reply(w, map[string]any{"result": map[string]any{"success": true, "data": data}})
}

func (s *Server) itemByID(orderID int64, id string) *Item {
	n, _ := strconv.ParseInt(id, 10, 64)
	if o := s.orders[orderID]; o != nil {
		for _, it := range o.Items {
			if it.OrderItemID == n {
				return it
			}
		}
	}
	return nil
}

// servePack is Pack: packReq {"pack_order_list":[{"order_id":"…","order_item_list":["…"]}],
// "delivery_type":"dropship","shipping_allocate_type":"TFS"}; each pending
// item joins one package with a tracking number.
func (s *Server) servePack(w http.ResponseWriter, p url.Values) {
	var req struct {
		PackOrderList []struct {
			OrderID       json.Number   `json:"order_id"`
			OrderItemList []json.Number `json:"order_item_list"`
		} `json:"pack_order_list"`
		DeliveryType         string `json:"delivery_type"`
		ShippingAllocateType string `json:"shipping_allocate_type"`
	}
	if err := json.Unmarshal([]byte(p.Get("packReq")), &req); err != nil || len(req.PackOrderList) == 0 || req.DeliveryType == "" {
		refuse(w, "ISV", "MissingParameter", "packReq needs pack_order_list and delivery_type")
		return
	}
	var out []map[string]any
	for _, po := range req.PackOrderList {
		oid, _ := po.OrderID.Int64()
		if s.orders[oid] == nil || len(po.OrderItemList) == 0 {
			refuse(w, "ISV", "E016", "Order not found or no items: "+po.OrderID.String())
			return
		}
		s.packages++
		pkg, track := fmt.Sprintf("FP%09d", s.packages), fmt.Sprintf("LXID%08d", s.packages)
		var items []map[string]any
		for _, id := range po.OrderItemList {
			it := s.itemByID(oid, id.String())
			switch {
			case it == nil:
				items = append(items, map[string]any{"order_item_id": id.String(), "item_err_code": "1", "msg": "item not found"})
			case it.Status != "pending" && it.Status != "topack":
				items = append(items, map[string]any{"order_item_id": id.String(), "item_err_code": "2", "msg": "item status " + it.Status + " cannot be packed"})
			default:
				it.Status, it.PackageID, it.TrackingCode, it.ShipmentProvider = "packed", pkg, track, "LEX ID"
				s.writes["pack"]++
				items = append(items, map[string]any{"order_item_id": id.String(), "item_err_code": "0", "package_id": pkg,
					"tracking_number": track, "shipment_provider": "LEX ID"})
			}
		}
		s.orders[oid].Updated = time.Now()
		out = append(out, map[string]any{"order_id": po.OrderID.String(), "order_item_list": items})
	}
	fulfil(w, map[string]any{"pack_order_list": out})
}

func (s *Server) packageItems(pkg string) []*Item {
	var out []*Item
	for _, o := range s.orders {
		for _, it := range o.Items {
			if it.PackageID == pkg {
				out = append(out, it)
			}
		}
	}
	return out
}

type packagesReq struct {
	Packages []struct {
		PackageID string `json:"package_id"`
	} `json:"packages"`
}

// serveRTS is ReadyToShip: readyToShipReq {"packages":[{"package_id":"FP…"}]}.
func (s *Server) serveRTS(w http.ResponseWriter, p url.Values) {
	var req packagesReq
	if err := json.Unmarshal([]byte(p.Get("readyToShipReq")), &req); err != nil || len(req.Packages) == 0 {
		refuse(w, "ISV", "MissingParameter", "readyToShipReq needs packages")
		return
	}
	var out []map[string]any
	for _, pk := range req.Packages {
		items := s.packageItems(pk.PackageID)
		code, msg := "0", ""
		if len(items) == 0 {
			code, msg = "1", "package not found"
		}
		for _, it := range items {
			if it.Status != "packed" && it.Status != "repacked" {
				code, msg = "2", "package status "+it.Status+" cannot be set ready to ship"
			}
		}
		if code == "0" {
			for _, it := range items {
				if it.Status != "canceled" {
					it.Status = "ready_to_ship"
				}
			}
			s.writes["rts"]++
		}
		out = append(out, map[string]any{"package_id": pk.PackageID, "item_err_code": code, "msg": msg})
	}
	fulfil(w, map[string]any{"packages": out})
}

// serveDocument is PrintAWB: getDocumentReq {"doc_type":"PDF","packages":[{"package_id":"FP…"}]},
// answering the pdf_url of the bill.
func (s *Server) serveDocument(w http.ResponseWriter, p url.Values) {
	var req struct {
		DocType  string `json:"doc_type"`
		Packages []struct {
			PackageID string `json:"package_id"`
		} `json:"packages"`
	}
	if err := json.Unmarshal([]byte(p.Get("getDocumentReq")), &req); err != nil || len(req.Packages) == 0 || req.DocType == "" {
		refuse(w, "ISV", "MissingParameter", "getDocumentReq needs doc_type and packages")
		return
	}
	if len(s.packageItems(req.Packages[0].PackageID)) == 0 {
		refuse(w, "ISV", "E0001", "package not found")
		return
	}
	fulfil(w, map[string]any{"doc_type": req.DocType, "pdf_url": s.URL + "/awb/" + req.Packages[0].PackageID + ".pdf",
		"file": base64.StdEncoding.EncodeToString([]byte(req.Packages[0].PackageID))})
}

func (s *Server) cancelItems(w http.ResponseWriter, p url.Values) (int64, []*Item, bool) {
	oid, _ := strconv.ParseInt(p.Get("order_id"), 10, 64)
	var ids []json.Number
	if err := json.Unmarshal([]byte(p.Get("order_item_id_list")), &ids); err != nil || len(ids) == 0 {
		refuse(w, "ISV", "InvalidParameter", "order_item_id_list must be a JSON list of ids")
		return 0, nil, false
	}
	var items []*Item
	for _, id := range ids {
		it := s.itemByID(oid, id.String())
		if it == nil {
			refuse(w, "ISV", "E016", "order item not found: "+id.String())
			return 0, nil, false
		}
		// "Only order items with the Pending ~ Ready To Ship status can be cancelled."
		if it.Status != "pending" && it.Status != "packed" && it.Status != "ready_to_ship" && it.Status != "topack" {
			refuse(w, "ISV", "ItemCannotCancel", "order item "+id.String()+" in status "+it.Status+" cannot be cancelled")
			return 0, nil, false
		}
		items = append(items, it)
	}
	return oid, items, true
}

// serveCancelValidate answers the seller's reasons, as the "Order
// cancellation" guide's response demo shows.
func (s *Server) serveCancelValidate(w http.ResponseWriter, p url.Values) {
	if _, _, ok := s.cancelItems(w, p); !ok {
		return
	}
	reply(w, map[string]any{"data": map[string]any{"tip_type": "warning", "tip_content": "SKU stock may be set to 0 after cancellation",
		"reason_options": []map[string]string{{"reason_name": "Sourcing Delay", "reason_id": "10000019"},
			{"reason_name": "Out of Stock", "reason_id": "10000021"}, {"reason_name": "Wrong Price or Pricing Error", "reason_id": "10000023"}}}})
}

func (s *Server) serveCancel(w http.ResponseWriter, p url.Values) {
	oid, items, ok := s.cancelItems(w, p)
	if !ok {
		return
	}
	switch p.Get("reason_id") {
	case "10000019", "10000021", "10000023":
	default:
		refuse(w, "ISV", "InvalidReason", "reason_id is not one of the reasons offered")
		return
	}
	for _, it := range items {
		it.Status, it.Reason = "canceled", p.Get("reason_id")
		s.writes["cancel"]++
	}
	s.orders[oid].Updated = time.Now()
	s.reasons = append(s.reasons, p.Get("reason_id"))
	reply(w, map[string]any{"data": map[string]any{"tip_type": "success", "tip_content": "The order has been cancelled"}})
}

// serveProducts is GetProducts: filter, offset, limit and sku_seller_list (a JSON list).
func (s *Server) serveProducts(w http.ResponseWriter, p url.Values) {
	var only []string
	if v := p.Get("sku_seller_list"); v != "" {
		if err := json.Unmarshal([]byte(v), &only); err != nil {
			refuse(w, "ISV", "InvalidParameter", "sku_seller_list must be a JSON list")
			return
		}
	}
	byItem := map[int64]map[string]any{}
	var order []int64
	for _, k := range s.skus {
		if len(only) > 0 && !contains(only, k.SellerSku) {
			continue
		}
		pr, ok := byItem[k.ItemID]
		if !ok {
			pr = map[string]any{"item_id": k.ItemID, "attributes": map[string]any{"name": k.Name}, "skus": []map[string]any{}}
			byItem[k.ItemID] = pr
			order = append(order, k.ItemID)
		}
		pr["skus"] = append(pr["skus"].([]map[string]any), map[string]any{"SkuId": k.SkuID, "SellerSku": k.SellerSku,
			"ShopSku": fmt.Sprintf("%d_ID-%d", k.ItemID, k.SkuID), "quantity": k.Quantity, "price": float64(k.Price),
			"Url": fmt.Sprintf("https://www.lazada.co.id/products/i%d-s%d.html", k.ItemID, k.SkuID), "Status": "active"})
	}
	offset, _ := strconv.Atoi(p.Get("offset"))
	limit, _ := strconv.Atoi(p.Get("limit"))
	if limit <= 0 {
		limit = 20
	}
	var page []map[string]any
	for i := offset; i < len(order) && i < offset+limit; i++ {
		page = append(page, byItem[order[i]])
	}
	reply(w, map[string]any{"data": map[string]any{"total_products": len(order), "products": page}})
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// serveStock is UpdatePriceQuantity: payload is the XML of the "Inventory
// management API" guide, each SKU named by ItemId and SkuId; quantity may not be negative.
func (s *Server) serveStock(w http.ResponseWriter, p url.Values) {
	var req struct {
		SKUs []struct {
			ItemID    int64  `xml:"ItemId"`
			SkuID     int64  `xml:"SkuId"`
			SellerSku string `xml:"SellerSku"`
			Quantity  *int   `xml:"Quantity"`
		} `xml:"Product>Skus>Sku"`
	}
	if err := xml.Unmarshal([]byte(p.Get("payload")), &req); err != nil || len(req.SKUs) == 0 {
		refuse(w, "ISV", "InvalidParameter", "payload is not the Request XML")
		return
	}
	for _, row := range req.SKUs {
		if row.Quantity == nil || *row.Quantity < 0 || row.ItemID == 0 || row.SkuID == 0 {
			refuse(w, "ISV", "InvalidParameter", "each Sku needs ItemId, SkuId and a Quantity of 0 or more")
			return
		}
	}
	for _, row := range req.SKUs {
		for _, k := range s.skus {
			if k.ItemID == row.ItemID && k.SkuID == row.SkuID {
				k.Quantity = *row.Quantity
				s.writes["stock"]++
			}
		}
	}
	reply(w, map[string]any{})
}

// serveSeller is GetSeller: the seller the token belongs to.
func (s *Server) serveSeller(w http.ResponseWriter, _ url.Values) {
	id, _ := strconv.ParseInt(s.SellerID, 10, 64)
	reply(w, map[string]any{"data": map[string]any{"seller_id": id, "name": "Toko Ayu", "short_code": "IDTEST",
		"email": "shop@example.id", "status": "ACTIVE"}})
}

// serveReverseOrders is GetReverseOrdersForSeller: page_size and page_no
// required, filtered by trade_order_id, reverse_order_id and
// request_type_list (a JSON list), answered in result.items as the page's
// example shows.
func (s *Server) serveReverseOrders(w http.ResponseWriter, p url.Values) {
	size, err1 := strconv.Atoi(p.Get("page_size"))
	page, err2 := strconv.Atoi(p.Get("page_no"))
	if err1 != nil || err2 != nil || size < 1 || page < 1 {
		refuse(w, "ISV", "InvalidParameter", "page_size and page_no must be positive numbers")
		return
	}
	cancels := true // the fake keeps only requests of type CANCEL
	if v := p.Get("request_type_list"); v != "" {
		var types []string
		if err := json.Unmarshal([]byte(v), &types); err != nil {
			refuse(w, "ISV", "InvalidParameter", "request_type_list must be a JSON list")
			return
		}
		cancels = contains(types, "CANCEL")
	}
	var ids []int64
	for id, r := range s.reverse {
		if cancels && (p.Get("trade_order_id") == "" || p.Get("trade_order_id") == strconv.FormatInt(r.OrderID, 10)) &&
			(p.Get("reverse_order_id") == "" || p.Get("reverse_order_id") == strconv.FormatInt(id, 10)) {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	items := []map[string]any{}
	for i := (page - 1) * size; i < len(ids) && i < page*size; i++ {
		r := s.reverse[ids[i]]
		items = append(items, map[string]any{"reverse_order_id": r.ReverseOrderID, "trade_order_id": r.OrderID,
			"request_type": "CANCEL", "is_rtm": true, "shipping_type": "DEFAULT",
			"reverse_order_lines": []map[string]any{{"reverse_order_line_id": r.LineID, "trade_order_line_id": r.ItemID,
				"reverse_status": r.Status, "reason_text": "Change of mind", "is_need_refund": true}}})
	}
	reply(w, map[string]any{"result": map[string]any{"success": true, "page_no": page, "page_size": size, "total": len(ids), "items": items}})
}

// lineOf finds the cancel request a reverse order line belongs to.
func (s *Server) lineOf(line string) *Reverse {
	for _, r := range s.reverse {
		if strconv.FormatInt(r.LineID, 10) == line {
			return r
		}
	}
	return nil
}

// refuseReasons are the reasons the fake offers, the page's example first.
var refuseReasons = []map[string]string{
	{"reason_id": "1000017", "text": "out of stock", "muti_language_text": "out of stock"},
	{"reason_id": "1000031", "text": "item has been shipped", "muti_language_text": "barang sudah dikirim"},
}

// serveRefuseReasons is GetReverseOrderReasonList: E0103 for a line it does not know.
func (s *Server) serveRefuseReasons(w http.ResponseWriter, p url.Values) {
	if s.lineOf(p.Get("reverse_order_line_id")) == nil {
		refuse(w, "ISV", "103", "E0103: reverse order line id is empty when query reject reason")
		return
	}
	reply(w, map[string]any{"data": refuseReasons})
}

// serveDecide is InitReverseOrderCancelDecide: agree_cancel true cancels
// the item; false needs a reason_code the reason list offered (the page
// calls the list "Need to be used in all refuse refund actions"). An
// unknown reverse order is E0105, one already decided E0131.
func (s *Server) serveDecide(w http.ResponseWriter, p url.Values) {
	id, _ := strconv.ParseInt(p.Get("reverse_order_id"), 10, 64)
	r, ok := s.reverse[id]
	if !ok {
		refuse(w, "ISV", "105", "E0105: reverse order id is empty or invalid")
		return
	}
	agree := p.Get("agree_cancel")
	if agree != "true" && agree != "false" {
		refuse(w, "ISV", "InvalidParameter", "agree_cancel must be true or false")
		return
	}
	if r.Status != "REQUEST_INITIATE" {
		refuse(w, "ISV", "131", "E0131: no decision for this reverse order")
		return
	}
	if agree == "false" {
		offered := false
		for _, reason := range refuseReasons {
			offered = offered || reason["reason_id"] == p.Get("reason_code")
		}
		if !offered {
			refuse(w, "ISV", "InvalidParameter", "reason_code must be one of the reasons GetReverseOrderReasonList offers")
			return
		}
		r.Status, r.Reason = "REQUEST_REJECT", p.Get("reason_code")
		s.writes["decline"]++
		reply(w, map[string]any{})
		return
	}
	r.Status = "CANCEL_SUCCESS"
	if it := s.itemByID(r.OrderID, strconv.FormatInt(r.ItemID, 10)); it != nil {
		it.Status = "canceled"
		s.orders[r.OrderID].Updated = time.Now()
	}
	s.writes["approve"]++
	reply(w, map[string]any{})
}
