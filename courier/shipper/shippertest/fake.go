// Package shippertest is a fake Shipper merchant API v3 for tests, written
// from Shipper's docs (https://docs.shipper.id): it refuses a wrong
// X-API-Key and a missing required field in Shipper's error envelope, and
// can answer 500s or hang on demand.
package shippertest

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/kasir/pos/courier/shipper"
	"github.com/kasir/pos/printout"
)

// MaxKg is the heaviest package the fake accepts ("weight over limit" above it).
const MaxKg = 50

// Server is the fake.
type Server struct {
	*httptest.Server
	APIKey string
	// Areas maps postal codes to area ids; OutOfCoverage lists destination areas no logistic serves.
	Areas         map[string]int
	OutOfCoverage map[int]bool

	mu sync.Mutex
	// Fail500 answers the next n calls with a 500; Delay holds every answer.
	fail500 int
	delay   time.Duration
	// hangAfterCreate holds the answer of the next create after the order is made.
	hangAfterCreate time.Duration
	// createFails answers the next create with this status; createMade
	// stores the order first, so the answer is lost though the order exists.
	createFails int
	createMade  bool
	orders      map[string]*shipper.OrderData // by order id
	Creates     int
	Pickups     []shipper.PickupRequest
	Cancels     []string
	// Labels counts the stickers served.
	Labels int
	seq    int
}

// New starts the fake on loopback.
func New(apiKey string) *Server {
	s := &Server{APIKey: apiKey, Areas: map[string]int{"12440": 4711, "40115": 4812, "99999": 9999},
		OutOfCoverage: map[int]bool{9999: true}, orders: map[string]*shipper.OrderData{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Fail500 makes the next n calls answer 500.
func (s *Server) Fail500(n int) { s.mu.Lock(); s.fail500 = n; s.mu.Unlock() }

// SetDelay holds every answer for d (a timeout when d is longer than the client waits).
func (s *Server) SetDelay(d time.Duration) { s.mu.Lock(); s.delay = d; s.mu.Unlock() }

// HangAfterCreate makes the next create store the order and then hold its
// answer for d: the client times out though the order exists.
func (s *Server) HangAfterCreate(d time.Duration) { s.mu.Lock(); s.hangAfterCreate = d; s.mu.Unlock() }

// FailCreate makes the next create answer status; with made the order is
// created first (a 500 or 502 after Shipper acted), without it nothing is.
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
func (s *Server) Orders() []shipper.OrderData {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []shipper.OrderData
	for _, o := range s.orders {
		out = append(out, *o)
	}
	return out
}

// SetAWB gives an order its waybill, as Shipper does once the courier takes it.
func (s *Server) SetAWB(orderID, awb string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.orders[orderID]; o != nil {
		o.AWBNumber = awb
	}
}

func fail(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"metadata": shipper.Metadata{HTTPStatusCode: status, HTTPStatus: http.StatusText(status),
		Errors: []shipper.APIError{{Code: code, Title: http.StatusText(status), Message: msg}}}})
}

func ok(w http.ResponseWriter, data any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"metadata": shipper.Metadata{HTTPStatusCode: 200, HTTPStatus: "OK"}, "data": data})
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
		fail(w, 500, 50000, "internal server error")
		return
	}
	if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/label/") {
		// The label pages carry no API key: the checksum is their key.
		s.label(w, r)
		return
	}
	if r.Header.Get("X-API-Key") != s.APIKey {
		fail(w, 401, 40100, "Unauthorized: invalid API key")
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/v3/location":
		s.location(w, r)
	case r.Method == http.MethodPost && r.URL.Path == "/v3/pricing/domestic":
		s.pricing(w, r)
	case r.Method == http.MethodPost && r.URL.Path == "/v3/order":
		s.create(w, r)
	case r.Method == http.MethodPost && r.URL.Path == "/v3/pickup/timeslot":
		s.pickup(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v3/order/"):
		s.detail(w, strings.TrimPrefix(r.URL.Path, "/v3/order/"))
	case r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/v3/order/"):
		s.cancel(w, r, strings.TrimPrefix(r.URL.Path, "/v3/order/"))
	default:
		fail(w, 404, 40400, "not found")
	}
}

func (s *Server) location(w http.ResponseWriter, r *http.Request) {
	pc := r.URL.Query().Get("keyword")
	if r.URL.Query().Get("adm_level") == "" || pc == "" {
		fail(w, 400, 40000, "adm_level and keyword are required")
		return
	}
	type area struct {
		AdmLevel5 struct {
			ID       int    `json:"id"`
			Name     string `json:"name"`
			Postcode string `json:"postcode"`
		} `json:"adm_level_5"`
	}
	out := []area{}
	if id, found := s.Areas[pc]; found {
		var a area
		a.AdmLevel5.ID, a.AdmLevel5.Postcode, a.AdmLevel5.Name = id, pc, "Area "+pc
		out = append(out, a)
	}
	ok(w, out)
}

func (s *Server) pricing(w http.ResponseWriter, r *http.Request) {
	var req shipper.PricingRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		fail(w, 400, 40000, "invalid body")
		return
	}
	switch {
	case req.Origin.AreaID == 0:
		fail(w, 422, 42201, "origin.area_id is required")
		return
	case req.Destination.AreaID == 0:
		fail(w, 422, 42202, "destination.area_id is required")
		return
	case req.Weight <= 0:
		fail(w, 422, 42203, "weight is required")
		return
	case req.Weight > MaxKg:
		fail(w, 422, 42210, fmt.Sprintf("weight %.1f kg is over the %d kg limit", req.Weight, MaxKg))
		return
	case s.OutOfCoverage[req.Destination.AreaID]:
		fail(w, 422, 42220, "destination area is out of coverage")
		return
	}
	kg := max(1, int(req.Weight+0.999))
	type offer struct {
		id                 int
		code, name, typ    string
		rateID             int
		rateName           string
		perKg, minDay, max int
	}
	offers := []offer{
		{1, "jne", "JNE", "Regular", 11, "REG", 9000, 2, 3},
		{1, "jne", "JNE", "Express", 12, "YES", 18000, 1, 1},
		{2, "sicepat", "SiCepat", "Regular", 21, "REG", 8500, 2, 4},
		{3, "anteraja", "AnterAja", "Regular", 31, "Reguler", 8000, 3, 5},
	}
	var ps []shipper.Pricing
	for _, o := range offers {
		var p shipper.Pricing
		p.Logistic.ID, p.Logistic.Code, p.Logistic.Name, p.Logistic.CompanyName = o.id, o.code, o.name, o.name
		p.Rate.ID, p.Rate.Name, p.Rate.Type = o.rateID, o.rateName, o.typ
		p.Weight, p.MinDay, p.MaxDay = float64(kg), o.minDay, o.max
		p.UnitPrice, p.FinalPrice, p.Currency = int64(o.perKg), int64(o.perKg*kg), "IDR"
		ps = append(ps, p)
	}
	ok(w, map[string]any{"pricings": ps})
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	var req shipper.OrderRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		fail(w, 400, 40000, "invalid body")
		return
	}
	for field, v := range map[string]string{"consignee.name": req.Consignee.Name, "consignee.phone_number": req.Consignee.PhoneNumber,
		"consigner.name": req.Consigner.Name, "consigner.phone_number": req.Consigner.PhoneNumber,
		"destination.address": req.Destination.Address, "origin.address": req.Origin.Address, "coverage": req.Coverage,
		"payment_type": req.PaymentType} {
		if strings.TrimSpace(v) == "" {
			fail(w, 422, 42200, field+" is required")
			return
		}
	}
	switch {
	case req.Courier.RateID == 0:
		fail(w, 422, 42204, "courier.rate_id is required")
		return
	case req.Origin.AreaID == 0 || req.Destination.AreaID == 0:
		fail(w, 422, 42205, "origin.area_id and destination.area_id are required")
		return
	case req.Package.Weight <= 0 || len(req.Package.Items) == 0:
		fail(w, 422, 42206, "package.weight and package.items are required")
		return
	case req.Package.Weight > MaxKg:
		fail(w, 422, 42210, fmt.Sprintf("weight %.1f kg is over the %d kg limit", req.Package.Weight, MaxKg))
		return
	case req.Courier.COD && req.Courier.CODAmount <= 0:
		fail(w, 422, 42207, "courier.cod_amount is required for COD")
		return
	case s.OutOfCoverage[req.Destination.AreaID]:
		fail(w, 422, 42220, "destination area is out of coverage")
		return
	}
	s.mu.Lock()
	failWith, made := s.createFails, s.createMade
	s.createFails, s.createMade = 0, false
	if failWith != 0 && !made {
		s.mu.Unlock()
		fail(w, failWith, failWith*100, http.StatusText(failWith))
		return
	}
	s.seq++
	s.Creates++
	o := &shipper.OrderData{OrderID: fmt.Sprintf("26%06dSHP", s.seq), ExternalID: req.ExternalID}
	o.Courier.RateID, o.Courier.Amount, o.Courier.COD = req.Courier.RateID, 9000, req.Courier.COD
	o.ShipmentStatus.Code, o.ShipmentStatus.Name = 1000, "Paket sedang dipersiapkan"
	s.orders[o.OrderID] = o
	cp := *o
	hang := s.hangAfterCreate
	s.hangAfterCreate = 0
	s.mu.Unlock()
	if failWith != 0 {
		fail(w, failWith, failWith*100, http.StatusText(failWith))
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

func (s *Server) pickup(w http.ResponseWriter, r *http.Request) {
	var req shipper.PickupRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		fail(w, 400, 40000, "invalid body")
		return
	}
	a := req.Data.OrderActivation
	if len(a.OrderID) == 0 || a.StartTime == "" || a.EndTime == "" || a.Timezone == "" {
		fail(w, 422, 42230, "data.order_activation.order_id, start_time, end_time and timezone are required")
		return
	}
	if _, err := time.Parse(time.RFC3339, a.StartTime); err != nil {
		fail(w, 422, 42231, "start_time is not a valid time")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	type act struct {
		OrderID    string `json:"order_id"`
		PickupCode string `json:"pickup_code"`
		IsActivate bool   `json:"is_activate"`
	}
	var acts []act
	for _, id := range a.OrderID {
		if s.orders[id] == nil {
			fail(w, 404, 40401, "order "+id+" not found")
			return
		}
		acts = append(acts, act{OrderID: id, PickupCode: "P" + id, IsActivate: true})
	}
	s.Pickups = append(s.Pickups, req)
	ok(w, map[string]any{"order_activations": acts})
}

func (s *Server) cancel(w http.ResponseWriter, r *http.Request, id string) {
	var req shipper.CancelRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || strings.TrimSpace(req.Reason) == "" {
		fail(w, 422, 42240, "reason is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[id]
	if o == nil {
		fail(w, 404, 40401, "order "+id+" not found")
		return
	}
	o.ShipmentStatus.Code, o.ShipmentStatus.Name = 999, "Cancelled"
	s.Cancels = append(s.Cancels, id)
	ok(w, map[string]any{})
}

// LabelCheckSum is the fake's label_check_sum of an order: a hash of its id,
// as Shipper's looks (a 32-digit hex, "7742142f6d65ce36275b85cc16e5ffbd").
func LabelCheckSum(orderID string) string {
	sum := md5.Sum([]byte("label:" + orderID))
	return hex.EncodeToString(sum[:])
}

// detail is Get Order Details, GET /v3/order/{order_id}: the order with its
// label_check_sum (https://logistics-docs.shipper.id/docs/getting-the-shipping-label
// names the field; the rest is the create answer's shape).
func (s *Server) detail(w http.ResponseWriter, id string) {
	s.mu.Lock()
	o := s.orders[id]
	var cp shipper.OrderData
	if o != nil {
		cp = *o
		cp.LabelCheckSum = LabelCheckSum(id)
	}
	s.mu.Unlock()
	if o == nil {
		fail(w, 404, 40401, "order "+id+" not found")
		return
	}
	ok(w, cp)
}

// label serves /label/sticker.php?oid[]={order_id}&uid={label_check_sum}
// (https://logistics-docs.shipper.id/docs/getting-the-shipping-label) as an
// HTML page, and the barcode image it shows. Shipper's page itself is not
// documented: this one carries what a courier reads (the AWB as a CODE128
// image loaded from the label host, consignee, courier) and refuses an
// unknown order or a wrong checksum with 403.
func (s *Server) label(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch r.URL.Path {
	case "/label/barcode.php":
		code := q.Get("code")
		if code == "" {
			http.Error(w, "code is required", http.StatusBadRequest)
			return
		}
		p, _ := printout.Preset("epson-tm-t82-80")
		img := printout.Render(&printout.Document{Blocks: []printout.Block{printout.Barcode{Data: code, Height: 80}}}, p)
		w.Header().Set("Content-Type", "image/png")
		_ = png.Encode(w, img)
		return
	case "/label/sticker.php":
	default:
		http.NotFound(w, r)
		return
	}
	ids := q["oid[]"]
	s.mu.Lock()
	var o *shipper.OrderData
	if len(ids) == 1 {
		o = s.orders[ids[0]]
	}
	var cp shipper.OrderData
	if o != nil {
		cp = *o
		s.Labels++
	}
	s.mu.Unlock()
	if o == nil || q.Get("uid") != LabelCheckSum(ids[0]) {
		http.Error(w, "Label not found: the order id or the checksum is wrong", http.StatusForbidden)
		return
	}
	awb := cp.AWBNumber
	if awb == "" {
		awb = cp.OrderID
	}
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	fmt.Fprintf(w, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Shipper Label</title>
<style>body{font-family:sans-serif;font-size:13px;width:360px;margin:6px} .box{border:1px solid #000;padding:6px}</style></head>
<body><div class="box"><b>Shipper</b> · %s<br><img src="barcode.php?code=%s" style="width:340px"><br>AWB %s<br>
Order %s · Ref %s</div></body></html>`, html.EscapeString(cp.ShipmentStatus.Name), url.QueryEscape(awb), html.EscapeString(awb),
		html.EscapeString(cp.OrderID), html.EscapeString(cp.ExternalID))
}
