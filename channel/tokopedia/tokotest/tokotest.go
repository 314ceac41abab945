// Package tokotest is Tokopedia for tests: the token endpoint and the
// Fulfillment Service routes the connector calls, answering in Tokopedia's
// envelope (https://developer.tokopedia.com/openapi/guide/). It refuses a
// wrong client secret, an unknown or expired token, a wrong fs_id and a
// missing required field, and fails on demand (500s, 429 with Retry-After,
// expired tokens) to test the retries.
package tokotest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is a running fake Tokopedia: its URL serves both auth_base and api_base.
type Server struct {
	*httptest.Server
	FsID, ShopID     string
	ClientID, Secret string
	// TokenLife is the expires_in the token endpoint answers, in seconds.
	TokenLife int64

	mu     sync.Mutex
	tokens map[string]bool
	n      int
	orders map[int64]int // order id → order_status
	detail map[int64]map[string]any
	stock  map[string]int
	// productStock is the stock set by product_id, as a linked listing's is.
	productStock map[int64]int
	fail         []int
	retry        string
	calls        map[string]int
	writes       map[string]int
	// Reasons are the reason codes of the nacks received, in order.
	reasons  []int
	created  map[int64]time.Time
	products []Product
}

// Product is one listing Get Product Info answers.
type Product struct {
	ID    int64
	SKU   string
	Name  string
	Price int64
	Stock int
}

// New starts a fake on 127.0.0.1 for one app (client id and secret) and one shop.
func New(fsID, shopID, clientID, secret string) *Server {
	s := &Server{FsID: fsID, ShopID: shopID, ClientID: clientID, Secret: secret, TokenLife: 3600,
		tokens: map[string]bool{}, orders: map[int64]int{}, detail: map[int64]map[string]any{}, stock: map[string]int{}, productStock: map[int64]int{}, calls: map[string]int{}, writes: map[string]int{}, created: map[int64]time.Time{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// AddOrder puts an order in a status (220: paid, ready to process).
func (s *Server) AddOrder(id int64, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orders[id] = status
	if _, ok := s.created[id]; !ok {
		s.created[id] = time.Now()
	}
}

// Created sets when an order was made, which Get All Orders filters by.
func (s *Server) Created(id int64, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.created[id] = at
}

// AddProduct lists a product in the shop.
func (s *Server) AddProduct(p Product) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.products = append(s.products, p)
}

// Status is an order's status, or -1.
func (s *Server) Status(id int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.orders[id]; ok {
		return st
	}
	return -1
}

// ProductStock is the last stock set for a product by its product_id, or -1.
func (s *Server) ProductStock(id int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if q, ok := s.productStock[id]; ok {
		return q
	}
	return -1
}

// Stock is the last stock set for a SKU, or -1.
func (s *Server) Stock(sku string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if q, ok := s.stock[sku]; ok {
		return q
	}
	return -1
}

// Reasons are the nacks' reason codes, in order.
func (s *Server) Reasons() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.reasons...)
}

// Expire makes every token issued so far expired.
func (s *Server) Expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = map[string]bool{}
}

// Fail makes the next requests answer these statuses in turn; 429 carries Retry-After: retryAfter.
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

// Writes is how many of "ack", "nack", "pick-up", "stock" changed something.
func (s *Server) Writes(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes[key]
}

// envelope answers as https://developer.tokopedia.com/openapi/guide/#/apis/responseformat shows.
func envelope(w http.ResponseWriter, status int, reason string, data any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	h := map[string]any{"process_time": 0.001, "messages": "Your request has been processed successfully"}
	if status >= 300 {
		h["messages"], h["reason"], h["error_code"] = "Your request failed", reason, fmt.Sprintf("ERR_%d", status)
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"header": h, "data": data})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[r.Method+" "+r.URL.Path]++
	if len(s.fail) > 0 {
		st := s.fail[0]
		s.fail = s.fail[1:]
		if st == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", s.retry)
		}
		envelope(w, st, http.StatusText(st), nil)
		return
	}
	if r.URL.Path == "/token" {
		s.serveToken(w, r)
		return
	}
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "Bearer ") || !s.tokens[strings.TrimPrefix(auth, "Bearer ")] {
		envelope(w, http.StatusUnauthorized, "invalid or expired token", nil)
		return
	}
	p := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	// POST /v1/order/{order_id}/fs/{fs_id}/ack|nack
	// (https://developer.tokopedia.com/openapi/guide/#/apis/order/ack, .../nack).
	case len(p) == 6 && p[0] == "v1" && p[1] == "order" && p[3] == "fs" && r.Method == http.MethodPost:
		s.serveDecision(w, r, p)
	// POST /inventory/v1/fs/{fs_id}/pick-up {"order_id":N,"shop_id":N}
	// (https://developer.tokopedia.com/openapi/guide/#/apis/logistic/requestpickup).
	case len(p) == 5 && p[0] == "inventory" && p[4] == "pick-up" && r.Method == http.MethodPost:
		s.servePickup(w, r, p[3])
	// POST /inventory/v1/fs/{fs_id}/stock/update?shop_id=N [{"sku":"…","new_stock":N}],
	// or [{"product_id":N,"new_stock":N}] for a product named by its id
	// (https://developer.tokopedia.com/openapi/guide/#/apis/product/updatestock).
	case len(p) == 6 && p[0] == "inventory" && p[4] == "stock" && p[5] == "update" && r.Method == http.MethodPost:
		s.serveStock(w, r, p[3])
	// GET /v1/order/{order_id}/fs/{fs_id}/shipping-label?printed=0|1
	// (https://developer.tokopedia.com/openapi/guide/#/apis/order/getshippinglabel).
	case len(p) == 6 && p[0] == "v1" && p[1] == "order" && p[3] == "fs" && p[5] == "shipping-label" && r.Method == http.MethodGet:
		s.serveLabel(w, r, p)
	// GET /v2/order/list?fs_id=…&shop_id=…&from_date=…&to_date=…&page=…&per_page=…
	// (https://developer.tokopedia.com/openapi/guide/#/apis/order/getallorder).
	case len(p) == 3 && p[0] == "v2" && p[1] == "order" && p[2] == "list" && r.Method == http.MethodGet:
		s.serveList(w, r)
	// GET /inventory/v1/fs/{fs_id}/product/info?shop_id=…&page=…&per_page=…
	// (https://developer.tokopedia.com/openapi/guide/#/apis/product/getproductinfo).
	case len(p) == 6 && p[0] == "inventory" && p[4] == "product" && p[5] == "info" && r.Method == http.MethodGet:
		s.serveProducts(w, r, p[3])
	// GET /v2/fs/{fs_id}/order?order_id=N
	// (https://developer.tokopedia.com/openapi/guide/#/apis/order/getsingleorder).
	case len(p) == 4 && p[0] == "v2" && p[3] == "order" && r.Method == http.MethodGet:
		if p[2] != s.FsID {
			envelope(w, http.StatusForbidden, "fs_id is not yours", nil)
			return
		}
		id, _ := strconv.ParseInt(r.URL.Query().Get("order_id"), 10, 64)
		st, ok := s.orders[id]
		if !ok {
			envelope(w, http.StatusNotFound, "order not found", nil)
			return
		}
		data := map[string]any{}
		for k, v := range s.detail[id] {
			data[k] = v
		}
		data["order_id"], data["order_status"] = id, st
		envelope(w, 200, "", data)
	default:
		envelope(w, http.StatusNotFound, "no such route", nil)
	}
}

// serveToken is POST /token?grant_type=client_credentials with
// Authorization: Basic base64(client_id:client_secret)
// (https://developer.tokopedia.com/openapi/guide/#/authentication).
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(s.ClientID+":"+s.Secret))
	if r.Method != http.MethodPost || r.URL.Query().Get("grant_type") != "client_credentials" {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_request","error_description":"grant_type must be client_credentials"}`))
		return
	}
	if r.Header.Get("Authorization") != want {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"client authentication failed"}`))
		return
	}
	s.n++
	tok := "tok-" + strconv.Itoa(s.n)
	s.tokens[tok] = true
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "expires_in": s.TokenLife, "token_type": "Bearer"})
}

func decode(r *http.Request, v any) bool {
	return r.Header.Get("Content-Type") == "application/json" && json.NewDecoder(r.Body).Decode(v) == nil
}

func (s *Server) serveDecision(w http.ResponseWriter, r *http.Request, p []string) {
	id, _ := strconv.ParseInt(p[2], 10, 64)
	if p[4] != s.FsID {
		envelope(w, http.StatusForbidden, "fs_id is not yours", nil)
		return
	}
	st, ok := s.orders[id]
	if !ok {
		envelope(w, http.StatusNotFound, "order not found", nil)
		return
	}
	if st != 220 && st != 221 {
		envelope(w, http.StatusBadRequest, fmt.Sprintf("order status %d cannot be changed", st), nil)
		return
	}
	switch p[5] {
	case "ack":
		s.orders[id] = 400
		s.writes["ack"]++
		envelope(w, 200, "", "success")
	case "nack":
		// Body: {"reason_code":N,"reason":"…"}, N one of 0–5, 7, 8 (as
		// github.com/plvhx/tokopedia-php-sdk src/Service/Order.php lists
		// them); 1 (out of stock) needs
		// empty_products, 4 (shop closed) needs shop_close_end_date and shop_close_note.
		var b struct {
			ReasonCode    int     `json:"reason_code"`
			Reason        string  `json:"reason"`
			EmptyProducts []int64 `json:"empty_products"`
			CloseEnd      string  `json:"shop_close_end_date"`
			CloseNote     string  `json:"shop_close_note"`
		}
		if !decode(r, &b) {
			envelope(w, http.StatusBadRequest, "invalid body", nil)
			return
		}
		switch {
		case b.ReasonCode < 0 || b.ReasonCode > 8 || b.ReasonCode == 6:
			envelope(w, http.StatusBadRequest, "reason_code is invalid", nil)
			return
		case b.Reason == "":
			envelope(w, http.StatusBadRequest, "reason is required", nil)
			return
		case b.ReasonCode == 1 && len(b.EmptyProducts) == 0:
			envelope(w, http.StatusBadRequest, "empty_products is required for reason_code 1", nil)
			return
		case b.ReasonCode == 4 && (b.CloseEnd == "" || b.CloseNote == ""):
			envelope(w, http.StatusBadRequest, "shop_close_end_date and shop_close_note are required for reason_code 4", nil)
			return
		}
		s.orders[id] = 10
		s.reasons = append(s.reasons, b.ReasonCode)
		s.writes["nack"]++
		envelope(w, 200, "", "success")
	default:
		envelope(w, http.StatusNotFound, "no such route", nil)
	}
}

func (s *Server) servePickup(w http.ResponseWriter, r *http.Request, fs string) {
	var b struct {
		OrderID int64 `json:"order_id"`
		ShopID  int64 `json:"shop_id"`
	}
	switch {
	case fs != s.FsID:
		envelope(w, http.StatusForbidden, "fs_id is not yours", nil)
	case !decode(r, &b) || b.OrderID == 0 || b.ShopID == 0:
		envelope(w, http.StatusBadRequest, "order_id and shop_id are required", nil)
	case strconv.FormatInt(b.ShopID, 10) != s.ShopID:
		envelope(w, http.StatusForbidden, "shop_id is not yours", nil)
	case s.orders[b.OrderID] != 400:
		envelope(w, http.StatusBadRequest, fmt.Sprintf("order status %d cannot request pickup", s.orders[b.OrderID]), nil)
	default:
		s.orders[b.OrderID] = 450
		s.writes["pick-up"]++
		envelope(w, 200, "", map[string]any{"order_id": b.OrderID, "shop_id": b.ShopID, "request_time": "2026-11-30 12:00:00", "result": "success"})
	}
}

func (s *Server) serveStock(w http.ResponseWriter, r *http.Request, fs string) {
	var rows []struct {
		SKU       string `json:"sku"`
		ProductID int64  `json:"product_id"`
		NewStock  *int   `json:"new_stock"`
	}
	switch {
	case fs != s.FsID:
		envelope(w, http.StatusForbidden, "fs_id is not yours", nil)
		return
	case r.URL.Query().Get("shop_id") != s.ShopID:
		envelope(w, http.StatusBadRequest, "shop_id is required", nil)
		return
	case !decode(r, &rows) || len(rows) == 0:
		envelope(w, http.StatusBadRequest, "invalid body", nil)
		return
	}
	for _, row := range rows {
		if (row.SKU == "" && row.ProductID == 0) || row.NewStock == nil {
			envelope(w, http.StatusBadRequest, "sku or product_id, and new_stock, are required", nil)
			return
		}
	}
	for _, row := range rows {
		if row.SKU == "" {
			s.productStock[row.ProductID] = *row.NewStock
		} else {
			s.stock[row.SKU] = *row.NewStock
		}
		s.writes["stock"]++
	}
	envelope(w, 200, "", map[string]any{"failed_rows": 0, "succeed_rows": len(rows)})
}

// Issued is how many tokens the token endpoint has issued.
func (s *Server) Issued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// SetDetail gives an order the rest of Get Single Order's data (invoice_number,
// buyer_info, order_info…), as that page shows it.
func (s *Server) SetDetail(id int64, detail map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.detail[id] = detail
}

// Label is the shipping label the fake serves: an HTML page, as Tokopedia's
// is remembered to be.
const Label = "<!DOCTYPE html><html><body><h1>Tokopedia</h1><p>AWB %s</p></body></html>"

func (s *Server) serveLabel(w http.ResponseWriter, r *http.Request, p []string) {
	id, _ := strconv.ParseInt(p[2], 10, 64)
	if p[4] != s.FsID {
		envelope(w, http.StatusForbidden, "fs_id is not yours", nil)
		return
	}
	if pr := r.URL.Query().Get("printed"); pr != "0" && pr != "1" {
		envelope(w, http.StatusBadRequest, "printed must be 0 or 1", nil)
		return
	}
	st, ok := s.orders[id]
	if !ok {
		envelope(w, http.StatusNotFound, "Data Not Found", nil)
		return
	}
	if st < 400 || st >= 600 {
		envelope(w, http.StatusBadRequest, fmt.Sprintf("order status %d has no shipping label", st), nil)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = fmt.Fprintf(w, Label, strconv.FormatInt(id, 10))
}

// page reads page and per_page (1–100), answering 400 when they are wrong.
func page(w http.ResponseWriter, q url.Values) (int, int, bool) {
	pg, err1 := strconv.Atoi(q.Get("page"))
	per, err2 := strconv.Atoi(q.Get("per_page"))
	if err1 != nil || err2 != nil || pg < 1 || per < 1 || per > 100 {
		envelope(w, http.StatusBadRequest, "page and per_page (1–100) are required", nil)
		return 0, 0, false
	}
	return pg, per, true
}

func (s *Server) serveList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("fs_id") != s.FsID {
		envelope(w, http.StatusForbidden, "fs_id is not yours", nil)
		return
	}
	if sh := q.Get("shop_id"); sh != "" && sh != s.ShopID {
		envelope(w, http.StatusForbidden, "shop_id is not in this fs_id", nil)
		return
	}
	from, err1 := strconv.ParseInt(q.Get("from_date"), 10, 64)
	to, err2 := strconv.ParseInt(q.Get("to_date"), 10, 64)
	// The 3-day span is as remembered from Tokopedia's page, not confirmed.
	if err1 != nil || err2 != nil || to < from || to-from > 3*24*3600 {
		envelope(w, http.StatusBadRequest, "from_date and to_date are required, at most 3 days apart", nil)
		return
	}
	pg, per, ok := page(w, q)
	if !ok {
		return
	}
	var ids []int64
	for id := range s.orders {
		if c := s.created[id].Unix(); c >= from && c < to {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	rows := []map[string]any{}
	for i := (pg - 1) * per; i < len(ids) && i < pg*per; i++ {
		rows = append(rows, map[string]any{"fs_id": s.FsID, "order_id": ids[i], "order_status": s.orders[ids[i]],
			"shop_id": s.ShopID, "create_time": s.created[ids[i]].Unix()})
	}
	envelope(w, 200, "", rows)
}

func (s *Server) serveProducts(w http.ResponseWriter, r *http.Request, fs string) {
	q := r.URL.Query()
	if fs != s.FsID {
		envelope(w, http.StatusForbidden, "fs_id is not yours", nil)
		return
	}
	if q.Get("shop_id") != s.ShopID {
		envelope(w, http.StatusBadRequest, "shop_id is required", nil)
		return
	}
	pg, per, ok := page(w, q)
	if !ok {
		return
	}
	rows := []map[string]any{}
	for i := (pg - 1) * per; i < len(s.products) && i < pg*per; i++ {
		p := s.products[i]
		rows = append(rows, map[string]any{"basic": map[string]any{"productID": p.ID, "shopID": s.ShopID, "status": 1, "name": p.Name},
			"price": map[string]any{"value": p.Price, "currency": 1, "idr": p.Price}, "stock": map[string]any{"useStock": true, "value": p.Stock},
			"other": map[string]any{"sku": p.SKU, "url": "https://www.tokopedia.com/shop/" + strconv.FormatInt(p.ID, 10)}})
	}
	envelope(w, 200, "", rows)
}
