// Package biteshiptest is a fake Biteship API for tests, written from
// Biteship's docs (https://biteship.com/en/docs/api): it refuses a wrong
// Authorization key and a missing required field with Biteship's error body,
// and can answer 500s or hang on demand.
package biteshiptest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/kasir/pos/courier/biteship"
)

// MaxGrams is the heaviest shipment the fake accepts.
const MaxGrams = 50000

// Server is the fake.
type Server struct {
	*httptest.Server
	APIKey string
	// OutOfCoverage lists destination postal codes no courier serves.
	OutOfCoverage map[int]bool

	mu      sync.Mutex
	fail500 int
	delay   time.Duration
	// hangAfterCreate holds the answer of the next create after the order is made.
	hangAfterCreate time.Duration
	// createFails answers the next create with this status; createMade
	// stores the order first, so the answer is lost though the order exists.
	createFails int
	createMade  bool
	orders      map[string]*biteship.Order
	Creates     int
	// Retrieves counts GET /v1/orders/:id.
	Retrieves int
	Cancels   []string
	seq       int
}

// New starts the fake on loopback.
func New(apiKey string) *Server {
	s := &Server{APIKey: apiKey, OutOfCoverage: map[int]bool{99999: true}, orders: map[string]*biteship.Order{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Fail500 makes the next n calls answer 500.
func (s *Server) Fail500(n int) { s.mu.Lock(); s.fail500 = n; s.mu.Unlock() }

// SetDelay holds every answer for d.
func (s *Server) SetDelay(d time.Duration) { s.mu.Lock(); s.delay = d; s.mu.Unlock() }

// HangAfterCreate makes the next create store the order and then hold its
// answer for d: the client times out though the order exists.
func (s *Server) HangAfterCreate(d time.Duration) { s.mu.Lock(); s.hangAfterCreate = d; s.mu.Unlock() }

// FailCreate makes the next create answer status; with made the order is
// created first (a 500 or 502 after the provider acted), without it nothing is.
func (s *Server) FailCreate(status int, made bool) {
	s.mu.Lock()
	s.createFails, s.createMade = status, made
	s.mu.Unlock()
}

// CancelList is the order ids cancelled so far, read safely.
func (s *Server) CancelList() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.Cancels...)
}

// CreateCount is how many orders were created, read safely.
func (s *Server) CreateCount() int { s.mu.Lock(); defer s.mu.Unlock(); return s.Creates }

// Orders returns the orders created so far.
func (s *Server) Orders() []biteship.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []biteship.Order
	for _, o := range s.orders {
		out = append(out, *o)
	}
	return out
}

func fail(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(biteship.ErrorBody{Success: false, Error: msg, Code: code})
}

func ok(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	delay, f500 := s.delay, s.fail500 > 0
	if f500 {
		s.fail500--
	}
	s.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if f500 {
		fail(w, 500, 50000000, "Internal server error")
		return
	}
	if r.Header.Get("Authorization") != s.APIKey {
		fail(w, 401, 40101001, "Authorization failed: invalid API key")
		return
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v1/rates/couriers":
		s.rates(w, r)
	case r.Method == http.MethodPost && r.URL.Path == "/v1/orders":
		s.create(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/orders/") && !strings.Contains(strings.TrimPrefix(r.URL.Path, "/v1/orders/"), "/"):
		s.retrieve(w, strings.TrimPrefix(r.URL.Path, "/v1/orders/"))
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/v1/orders/") && strings.HasSuffix(r.URL.Path, "/cancel"):
		s.cancel(w, r, strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/v1/orders/"), "/cancel"))
	default:
		fail(w, 404, 40400000, "Not found")
	}
}

func weight(items []biteship.Item) int {
	g := 0
	for _, it := range items {
		g += it.Weight * max(it.Quantity, 1)
	}
	return g
}

func checkItems(w http.ResponseWriter, items []biteship.Item) bool {
	if len(items) == 0 {
		fail(w, 400, 40001001, "items is required")
		return false
	}
	for i, it := range items {
		if it.Name == "" || it.Weight <= 0 || it.Quantity <= 0 {
			fail(w, 400, 40001002, fmt.Sprintf("items[%d]: name, weight and quantity are required", i))
			return false
		}
	}
	if g := weight(items); g > MaxGrams {
		fail(w, 400, 40001010, fmt.Sprintf("Weight %d gram exceeds the maximum weight", g))
		return false
	}
	return true
}

func (s *Server) rates(w http.ResponseWriter, r *http.Request) {
	var req biteship.RatesRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		fail(w, 400, 40000001, "Invalid body")
		return
	}
	switch {
	case req.OriginPostalCode == 0 && req.OriginLatitude == 0:
		fail(w, 400, 40001003, "origin_postal_code or origin coordinate is required")
		return
	case req.DestinationPostalCode == 0 && req.DestinationLatitude == 0:
		fail(w, 400, 40001004, "destination_postal_code or destination coordinate is required")
		return
	case req.Couriers == "":
		fail(w, 400, 40001005, "couriers is required")
		return
	}
	if !checkItems(w, req.Items) {
		return
	}
	if s.OutOfCoverage[req.DestinationPostalCode] {
		fail(w, 400, 40001020, "No courier available for requested route")
		return
	}
	kg := max(1, (weight(req.Items)+999)/1000)
	pricing := []biteship.Pricing{
		{CourierName: "JNE", CourierCode: "jne", CourierServiceName: "Reguler", CourierServiceCode: "reg", Duration: "2 - 3 days",
			ShipmentDurationRange: "2 - 3", ShipmentDurationUnit: "days", Price: int64(9000 * kg), Type: "reg", AvailableForCashOnDelivery: true},
		{CourierName: "SiCepat", CourierCode: "sicepat", CourierServiceName: "BEST", CourierServiceCode: "best", Duration: "1 days",
			ShipmentDurationRange: "1", ShipmentDurationUnit: "days", Price: int64(15000 * kg), Type: "best"},
		{CourierName: "AnterAja", CourierCode: "anteraja", CourierServiceName: "Regular", CourierServiceCode: "reg", Duration: "3 - 5 days",
			ShipmentDurationRange: "3 - 5", ShipmentDurationUnit: "days", Price: int64(8000 * kg), Type: "reg", AvailableForCashOnDelivery: true},
	}
	ok(w, biteship.RatesResponse{Success: true, Object: "courier_pricing", Pricing: pricing})
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	var req biteship.OrderRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		fail(w, 400, 40000001, "Invalid body")
		return
	}
	for field, v := range map[string]string{"origin_contact_name": req.OriginContactName, "origin_contact_phone": req.OriginContactPhone,
		"origin_address": req.OriginAddress, "destination_contact_name": req.DestinationContactName,
		"destination_contact_phone": req.DestinationContactPhone, "destination_address": req.DestinationAddress,
		"courier_company": req.CourierCompany, "courier_type": req.CourierType, "delivery_type": req.DeliveryType} {
		if strings.TrimSpace(v) == "" {
			fail(w, 400, 40002001, field+" is required")
			return
		}
	}
	if req.OriginPostalCode == 0 && req.OriginCoordinate == nil {
		fail(w, 400, 40002002, "origin_postal_code or origin_coordinate is required")
		return
	}
	if req.DestinationPostalCode == 0 && req.DestinationCoordinate == nil {
		fail(w, 400, 40002003, "destination_postal_code or destination_coordinate is required")
		return
	}
	if req.DeliveryType == "scheduled" && (req.DeliveryDate == "" || req.DeliveryTime == "") {
		fail(w, 400, 40002004, "delivery_date and delivery_time are required for scheduled delivery")
		return
	}
	if !checkItems(w, req.Items) {
		return
	}
	if s.OutOfCoverage[req.DestinationPostalCode] {
		fail(w, 400, 40002020, "No courier available for requested route")
		return
	}
	s.mu.Lock()
	failWith, made := s.createFails, s.createMade
	s.createFails, s.createMade = 0, false
	if failWith != 0 && !made {
		s.mu.Unlock()
		fail(w, failWith, 50000000, http.StatusText(failWith))
		return
	}
	s.seq++
	s.Creates++
	o := &biteship.Order{Success: true, Message: "Order successfully created", Object: "order", ID: fmt.Sprintf("5dd599ebdefcd4158eb8%04d", s.seq),
		ReferenceID: req.ReferenceID, Price: 9000, Status: "confirmed",
		Courier: biteship.OrderCourier{TrackingID: fmt.Sprintf("trk%04d", s.seq), Company: req.CourierCompany, Type: req.CourierType}}
	s.orders[o.ID] = o
	cp := *o
	hang := s.hangAfterCreate
	s.hangAfterCreate = 0
	s.mu.Unlock()
	if failWith != 0 {
		fail(w, failWith, 50000000, http.StatusText(failWith))
		return
	}
	if hang > 0 {
		select {
		case <-time.After(hang):
		case <-r.Context().Done():
			return
		}
	}
	ok(w, cp)
}

// retrieve is GET /v1/orders/:id (https://biteship.com/docs/api/orders/overview).
// The fake answers no listing by reference_id: Biteship documents none.
func (s *Server) retrieve(w http.ResponseWriter, id string) {
	s.mu.Lock()
	s.Retrieves++
	o := s.orders[id]
	var cp biteship.Order
	if o != nil {
		cp = *o
	}
	s.mu.Unlock()
	if o == nil {
		fail(w, 404, 40400001, "Order not found")
		return
	}
	ok(w, cp)
}

func (s *Server) cancel(w http.ResponseWriter, r *http.Request, id string) {
	var req biteship.CancelRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.CancellationReasonCode == "" {
		fail(w, 400, 40003001, "cancellation_reason_code is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[id]
	if o == nil {
		fail(w, 404, 40400001, "Order not found")
		return
	}
	o.Status = "cancelled"
	s.Cancels = append(s.Cancels, id)
	ok(w, *o)
}
