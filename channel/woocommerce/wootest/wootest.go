// Package wootest is a WooCommerce store for tests: the REST API v3 routes
// the connector calls, answering as the API documentation shows
// (https://woocommerce.github.io/woocommerce-rest-api-docs/). It refuses a
// wrong consumer key or secret and a missing required field, and it can
// fail on demand (500s, 429 with Retry-After) to test the retries.
package wootest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Order is the store's copy of an order.
type Order struct {
	ID      int64
	Status  string
	Notes   []Note
	Refunds []Refund
	// Modified is date_modified_gmt, which the order list filters by.
	Modified time.Time
	// Body is the rest of the order's properties as the API answers them
	// (number, line_items, billing…), for Retrieve an order and webhooks.
	Body map[string]any
}

// Note is an order note (https://woocommerce.github.io/woocommerce-rest-api-docs/#order-note-properties).
type Note struct {
	ID           int64  `json:"id"`
	Note         string `json:"note"`
	CustomerNote bool   `json:"customer_note"`
}

// Refund is an order refund (https://woocommerce.github.io/woocommerce-rest-api-docs/#order-refund-properties).
type Refund struct {
	ID        int64  `json:"id"`
	Amount    string `json:"amount"`
	Reason    string `json:"reason"`
	APIRefund bool   `json:"-"`
}

// Product is a product or variation (https://woocommerce.github.io/woocommerce-rest-api-docs/#product-properties).
type Product struct {
	ID          int64   `json:"id"`
	ParentID    int64   `json:"parent_id"`
	Name        string  `json:"name"`
	Type        string  `json:"type"`
	SKU         string  `json:"sku"`
	Price       string  `json:"price"`
	Permalink   string  `json:"permalink"`
	ManageStock bool    `json:"manage_stock"`
	Stock       *int    `json:"stock_quantity"`
	Variations  []int64 `json:"variations"`
}

// Store is a running fake store.
type Store struct {
	*httptest.Server
	Key, Secret string

	mu       sync.Mutex
	orders   map[int64]*Order
	products map[int64]*Product
	nextID   int64
	fail     []int // statuses to answer with before serving, in turn
	retry    string
	// Calls counts requests by "METHOD /path" (no query), including refused ones.
	calls map[string]int
	// Writes counts writes that changed the store, by "METHOD /path".
	writes map[string]int
}

// New starts a store on 127.0.0.1 with the given consumer key and secret.
func New(key, secret string) *Store {
	s := &Store{Key: key, Secret: secret, orders: map[int64]*Order{}, products: map[int64]*Product{}, nextID: 1000,
		calls: map[string]int{}, writes: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// AddOrder puts an order in the store.
func (s *Store) AddOrder(id int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orders[id] = &Order{ID: id, Status: status, Modified: time.Now().UTC()}
}

// PutOrder puts an order with all its properties in the store, modified
// at modified; body's id and status are the order's.
func (s *Store) PutOrder(id int64, status string, modified time.Time, body map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orders[id] = &Order{ID: id, Status: status, Modified: modified.UTC(), Body: body}
}

// AddListing lists a product (parent 0, "simple" or "variable") or a
// variation, with the name and price the store shows.
func (s *Store) AddListing(p Product) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.Type == "" {
		p.Type = "simple"
		if p.ParentID != 0 {
			p.Type = "variation"
		}
	}
	s.products[p.ID] = &p
}

// AddProduct lists a product (parent 0) or a variation.
func (s *Store) AddProduct(id, parent int64, sku string, stock int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.products[id] = &Product{ID: id, ParentID: parent, SKU: sku, ManageStock: true, Stock: &stock}
}

// Order returns a copy of an order, or nil.
func (s *Store) Order(id int64) *Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return nil
	}
	c := *o
	c.Notes = append([]Note(nil), o.Notes...)
	c.Refunds = append([]Refund(nil), o.Refunds...)
	c.Body = nil
	return &c
}

// Stock is a product's stock_quantity, or -1.
func (s *Store) Stock(id int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.products[id]; ok && p.Stock != nil {
		return *p.Stock
	}
	return -1
}

// Fail makes the next requests answer these statuses in turn (500, 503,
// 429…), before any is served; 429 carries Retry-After: retryAfter.
func (s *Store) Fail(retryAfter string, statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = append(s.fail, statuses...)
	s.retry = retryAfter
}

// Calls is how many requests "METHOD /path" got; Writes how many changed the store.
func (s *Store) Calls(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[key]
}

// Writes is how many writes to "METHOD /path" changed the store.
func (s *Store) Writes(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes[key]
}

// wcError answers as https://woocommerce.github.io/woocommerce-rest-api-docs/#errors shows:
// {"code":"…","message":"…","data":{"status":N}}.
func wcError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg, "data": map[string]int{"status": status}})
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Store) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := r.Method + " " + r.URL.Path
	s.calls[key]++
	if len(s.fail) > 0 {
		st := s.fail[0]
		s.fail = s.fail[1:]
		if st == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", s.retry)
		}
		wcError(w, st, "fake_failure", http.StatusText(st))
		return
	}
	// Authentication over HTTPS: the consumer key and secret as HTTP Basic
	// (https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication-over-https);
	// a wrong pair gets 401 woocommerce_rest_cannot_view.
	if k, sec, ok := r.BasicAuth(); !ok || k != s.Key || sec != s.Secret {
		wcError(w, http.StatusUnauthorized, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
		return
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/wp-json/wc/v3/"), "/")
	if !strings.HasPrefix(r.URL.Path, "/wp-json/wc/v3/") {
		wcError(w, http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method.")
		return
	}
	var body map[string]json.RawMessage
	if r.Method == http.MethodPost || r.Method == http.MethodPut {
		if r.Header.Get("Content-Type") != "application/json" || json.NewDecoder(r.Body).Decode(&body) != nil {
			wcError(w, http.StatusBadRequest, "rest_invalid_json", "Invalid JSON body passed.")
			return
		}
	}
	switch {
	case parts[0] == "orders" && len(parts) == 1 && r.Method == http.MethodGet:
		s.listOrders(w, r)
	case parts[0] == "orders" && len(parts) >= 2:
		s.serveOrder(w, r, key, parts, body)
	case parts[0] == "products":
		s.serveProduct(w, r, key, parts, body)
	default:
		wcError(w, http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method.")
	}
}

func str(body map[string]json.RawMessage, name string) (string, bool) {
	raw, ok := body[name]
	if !ok {
		return "", false
	}
	var v string
	if json.Unmarshal(raw, &v) != nil {
		return "", false
	}
	return v, true
}

func (s *Store) serveOrder(w http.ResponseWriter, r *http.Request, key string, parts []string, body map[string]json.RawMessage) {
	id, _ := strconv.ParseInt(parts[1], 10, 64)
	o, ok := s.orders[id]
	if !ok {
		wcError(w, http.StatusNotFound, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
		return
	}
	sub := ""
	if len(parts) > 2 {
		sub = parts[2]
	}
	switch {
	// Retrieve / update an order: https://woocommerce.github.io/woocommerce-rest-api-docs/#retrieve-an-order,
	// #update-an-order. Status must be one of the order statuses.
	case sub == "" && r.Method == http.MethodGet:
		reply(w, 200, o.properties())
	case sub == "" && r.Method == http.MethodPut:
		st, _ := str(body, "status")
		switch st {
		case "pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed":
		default:
			wcError(w, http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): status")
			return
		}
		if o.Status != st {
			s.writes[key]++
			o.Modified = time.Now().UTC()
		}
		o.Status = st
		reply(w, 200, map[string]any{"id": o.ID, "status": o.Status})
	// Order notes: https://woocommerce.github.io/woocommerce-rest-api-docs/#create-an-order-note
	// POST {"note":"…","customer_note":true}; note is required. #list-all-order-notes takes type=any|customer|internal.
	case sub == "notes" && r.Method == http.MethodGet:
		out := []Note{}
		for _, n := range o.Notes {
			if r.URL.Query().Get("type") != "customer" || n.CustomerNote {
				out = append(out, n)
			}
		}
		reply(w, 200, out)
	case sub == "notes" && r.Method == http.MethodPost:
		text, ok := str(body, "note")
		if !ok || strings.TrimSpace(text) == "" {
			wcError(w, http.StatusBadRequest, "rest_missing_callback_param", "Missing parameter(s): note")
			return
		}
		var cust bool
		_ = json.Unmarshal(body["customer_note"], &cust)
		s.nextID++
		n := Note{ID: s.nextID, Note: text, CustomerNote: cust}
		o.Notes = append(o.Notes, n)
		s.writes[r.Method+" /wp-json/wc/v3/orders/{id}/notes"]++
		reply(w, 201, n)
	// Refunds: https://woocommerce.github.io/woocommerce-rest-api-docs/#create-a-refund
	// POST {"amount":"10.00","reason":"…","api_refund":false}; amount is required.
	case sub == "refunds" && r.Method == http.MethodGet:
		out := append([]Refund{}, o.Refunds...)
		reply(w, 200, out)
	case sub == "refunds" && r.Method == http.MethodPost:
		amt, ok := str(body, "amount")
		if _, err := strconv.ParseFloat(amt, 64); !ok || err != nil {
			wcError(w, http.StatusBadRequest, "woocommerce_rest_invalid_refund_amount", "Refund amount must be greater than zero.")
			return
		}
		reason, _ := str(body, "reason")
		var api bool
		_ = json.Unmarshal(body["api_refund"], &api)
		s.nextID++
		rf := Refund{ID: s.nextID, Amount: amt, Reason: reason, APIRefund: api}
		o.Refunds = append(o.Refunds, rf)
		s.writes[r.Method+" /wp-json/wc/v3/orders/{id}/refunds"]++
		reply(w, 201, rf)
	default:
		wcError(w, http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method.")
	}
}

// properties are the order as Retrieve an order answers it
// (https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties).
func (o *Order) properties() map[string]any {
	out := map[string]any{}
	for k, v := range o.Body {
		out[k] = v
	}
	out["id"], out["status"] = o.ID, o.Status
	out["date_modified_gmt"] = o.Modified.Format(wcTime)
	return out
}

// wcTime is how the REST API writes dates (ISO 8601 without a zone).
const wcTime = "2006-01-02T15:04:05"

// listOrders is List all orders (https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-orders):
// modified_after and modified_before (ISO 8601, GMT with dates_are_gmt=true,
// WooCommerce 5.8+), orderby=modified, order=asc, per_page 1–100, page from 1.
// A parameter out of its range is refused as WooCommerce does (400 rest_invalid_param).
func (s *Store) listOrders(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	date := func(name string) (time.Time, bool) {
		v := q.Get(name)
		if v == "" {
			return time.Time{}, true
		}
		t, err := time.Parse(wcTime, v)
		if err != nil {
			t, err = time.Parse(time.RFC3339, v)
		}
		return t, err == nil
	}
	after, ok1 := date("modified_after")
	before, ok2 := date("modified_before")
	perPage, err1 := strconv.Atoi(q.Get("per_page"))
	page, err2 := strconv.Atoi(q.Get("page"))
	if !ok1 || !ok2 || err1 != nil || perPage < 1 || perPage > 100 || err2 != nil || page < 1 ||
		(q.Get("dates_are_gmt") != "" && q.Get("dates_are_gmt") != "true" && q.Get("dates_are_gmt") != "false") {
		wcError(w, http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): modified_after, modified_before, per_page, page, dates_are_gmt")
		return
	}
	if q.Get("dates_are_gmt") != "true" && (!after.IsZero() || !before.IsZero()) {
		// The fake keeps GMT only: a store's local dates would be another test's bug.
		wcError(w, http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): dates_are_gmt")
		return
	}
	var list []*Order
	for _, o := range s.orders {
		if (!after.IsZero() && !o.Modified.After(after)) || (!before.IsZero() && !o.Modified.Before(before)) {
			continue
		}
		list = append(list, o)
	}
	sort.Slice(list, func(i, j int) bool {
		if !list[i].Modified.Equal(list[j].Modified) {
			return list[i].Modified.Before(list[j].Modified)
		}
		return list[i].ID < list[j].ID
	})
	out := []map[string]any{}
	for i := (page - 1) * perPage; i < len(list) && i < page*perPage; i++ {
		out = append(out, list[i].properties())
	}
	w.Header().Set("X-WP-Total", strconv.Itoa(len(list)))
	reply(w, 200, out)
}

func (s *Store) serveProduct(w http.ResponseWriter, r *http.Request, key string, parts []string, body map[string]json.RawMessage) {
	// List products, filtered by sku: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-products
	// Without sku, the parents only, by id, page by page (per_page 1–100,
	// 10 when absent), as the list answers; variations are listed under
	// their parent (#list-all-product-variations).
	if (len(parts) == 1 || (len(parts) == 3 && parts[2] == "variations")) && r.Method == http.MethodGet {
		q := r.URL.Query()
		sku := q.Get("sku")
		pg, per := 1, 10
		if v := q.Get("page"); v != "" {
			pg, _ = strconv.Atoi(v)
		}
		if v := q.Get("per_page"); v != "" {
			per, _ = strconv.Atoi(v)
		}
		if pg < 1 || per < 1 || per > 100 {
			wcError(w, http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): page, per_page")
			return
		}
		var parent int64
		if len(parts) == 3 {
			parent, _ = strconv.ParseInt(parts[1], 10, 64)
			if p, ok := s.products[parent]; !ok || p.ParentID != 0 {
				wcError(w, http.StatusNotFound, "woocommerce_rest_product_invalid_id", "Invalid ID.")
				return
			}
		}
		var all []Product
		for _, p := range s.products {
			switch {
			case sku != "":
				if p.SKU == sku {
					all = append(all, *p)
				}
			case p.ParentID == parent:
				all = append(all, *p)
			}
		}
		sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
		out := []Product{}
		for i := (pg - 1) * per; i < len(all) && i < pg*per; i++ {
			p := all[i]
			for _, v := range s.products {
				if v.ParentID == p.ID {
					p.Variations = append(p.Variations, v.ID)
				}
			}
			out = append(out, p)
		}
		reply(w, 200, out)
		return
	}
	// Update a product / a variation: #update-a-product, #update-a-product-variation.
	if r.Method != http.MethodPut || (len(parts) != 2 && len(parts) != 4) {
		wcError(w, http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method.")
		return
	}
	id, _ := strconv.ParseInt(parts[len(parts)-1], 10, 64)
	p, ok := s.products[id]
	if !ok || (len(parts) == 4 && strconv.FormatInt(p.ParentID, 10) != parts[1]) {
		wcError(w, http.StatusNotFound, "woocommerce_rest_product_invalid_id", "Invalid ID.")
		return
	}
	if raw, ok := body["stock_quantity"]; ok {
		var q int
		if json.Unmarshal(raw, &q) != nil {
			wcError(w, http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): stock_quantity")
			return
		}
		p.Stock = &q
		s.writes["PUT /wp-json/wc/v3/products/{id}"]++
	}
	_ = json.Unmarshal(body["manage_stock"], &p.ManageStock)
	reply(w, 200, p)
}
