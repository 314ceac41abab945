// Package biteship is the client of Biteship (biteship.com): rates, create
// order, cancel, and the order.status webhook's body. Every call carries the
// account's API key in the Authorization header, as Biteship's docs show
// (https://biteship.com/en/docs/api/authentication).
package biteship

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kasir/pos/courier"
)

// DefaultBase is Biteship's production API.
const DefaultBase = "https://api.biteship.com"

// Couriers is the couriers a rates request asks for (Biteship requires the list).
const Couriers = "jne,jnt,sicepat,anteraja,ninja,lion,idexpress,sap,pos,tiki,gojek,grab,paxel,wahana"

// Client is Biteship for one shop's account.
type Client struct {
	Base   string
	APIKey string
	// OriginPostalCode or OriginLatitude/OriginLongitude place the shop.
	OriginPostalCode string
	OriginLatitude   float64
	OriginLongitude  float64
	HTTP             *http.Client
}

// Name is "biteship".
func (c *Client) Name() string { return "biteship" }

func (c *Client) call(method, path string, body any) courier.Call {
	base := strings.TrimRight(c.Base, "/")
	if base == "" {
		base = DefaultBase
	}
	return courier.Call{Provider: "Biteship", Client: c.HTTP, Method: method, URL: base + path,
		Header: http.Header{"Authorization": {c.APIKey}}, Body: body, Refusal: refusal}
}

// ErrorBody is Biteship's error answer: {"success": false, "error": "…", "code": 40001001}
// (https://biteship.com/en/docs/api/errors).
type ErrorBody struct {
	Success bool   `json:"success"`
	Error   string `json:"error"`
	Code    int    `json:"code"`
}

func refusal(status int, body []byte) (string, string) {
	var e ErrorBody
	if json.Unmarshal(body, &e) != nil || e.Error == "" {
		return "", ""
	}
	return strconv.Itoa(e.Code), e.Error
}

// Item is an item of a rates request or an order (grams, centimetres, rupiah).
type Item struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	SKU         string `json:"sku,omitempty"`
	Value       int64  `json:"value"`
	Quantity    int    `json:"quantity"`
	Weight      int    `json:"weight"`
	Length      int    `json:"length,omitempty"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
}

// RatesRequest is POST /v1/rates/couriers (https://biteship.com/en/docs/api/rates/retrieve).
type RatesRequest struct {
	OriginPostalCode      int     `json:"origin_postal_code,omitempty"`
	DestinationPostalCode int     `json:"destination_postal_code,omitempty"`
	OriginLatitude        float64 `json:"origin_latitude,omitempty"`
	OriginLongitude       float64 `json:"origin_longitude,omitempty"`
	DestinationLatitude   float64 `json:"destination_latitude,omitempty"`
	DestinationLongitude  float64 `json:"destination_longitude,omitempty"`
	Couriers              string  `json:"couriers"`
	Items                 []Item  `json:"items"`
}

// Pricing is one offer of the rates answer.
type Pricing struct {
	CourierName                string   `json:"courier_name"`
	CourierCode                string   `json:"courier_code"`
	CourierServiceName         string   `json:"courier_service_name"`
	CourierServiceCode         string   `json:"courier_service_code"`
	Description                string   `json:"description,omitempty"`
	Duration                   string   `json:"duration"`
	ShipmentDurationRange      string   `json:"shipment_duration_range"`
	ShipmentDurationUnit       string   `json:"shipment_duration_unit"`
	ServiceType                string   `json:"service_type,omitempty"`
	Price                      int64    `json:"price"`
	Type                       string   `json:"type"`
	AvailableCollectionMethod  []string `json:"available_collection_method,omitempty"`
	AvailableForCashOnDelivery bool     `json:"available_for_cash_on_delivery"`
	AvailableForInsurance      bool     `json:"available_for_insurance,omitempty"`
}

// RatesResponse is the rates answer.
type RatesResponse struct {
	Success bool      `json:"success"`
	Object  string    `json:"object"`
	Message string    `json:"message,omitempty"`
	Pricing []Pricing `json:"pricing"`
}

// items is what Biteship prices: the order's lines, with the parcels'
// weight spread over them when the lines carry none.
func items(its []courier.Item, parcels []courier.Parcel) []Item {
	grams := 0
	for _, p := range parcels {
		grams += p.WeightGrams
	}
	var out []Item
	for _, it := range its {
		out = append(out, Item{Name: it.Name, SKU: it.SKU, Value: it.Value, Quantity: max(it.Quantity, 1), Weight: it.WeightGrams})
	}
	if len(out) == 0 {
		out = append(out, Item{Name: "Parcel", Quantity: 1})
	}
	sum := 0
	for _, it := range out {
		sum += it.Weight * it.Quantity
	}
	if grams > sum {
		// The packed weight is what the courier weighs; put the difference on the first line.
		out[0].Weight += (grams - sum + out[0].Quantity - 1) / out[0].Quantity
	}
	if len(parcels) > 0 {
		out[0].Length, out[0].Width, out[0].Height = parcels[0].LengthCm, parcels[0].WidthCm, parcels[0].HeightCm
	}
	for i := range out {
		out[i].Weight = max(out[i].Weight, 1)
	}
	return out
}

func postal(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

func (c *Client) origin(p courier.Place) courier.Place {
	if p.PostalCode == "" {
		p.PostalCode = c.OriginPostalCode
	}
	if p.Latitude == 0 && p.Longitude == 0 {
		p.Latitude, p.Longitude = c.OriginLatitude, c.OriginLongitude
	}
	return p
}

// Rates asks Biteship for every courier's price for the items.
func (c *Client) Rates(ctx context.Context, r courier.RateRequest) ([]courier.Rate, error) {
	o := c.origin(r.Origin)
	req := RatesRequest{OriginPostalCode: postal(o.PostalCode), DestinationPostalCode: postal(r.Destination.PostalCode),
		OriginLatitude: o.Latitude, OriginLongitude: o.Longitude,
		DestinationLatitude: r.Destination.Latitude, DestinationLongitude: r.Destination.Longitude,
		Couriers: Couriers, Items: items(r.Items, r.Parcels)}
	var out RatesResponse
	if err := c.call(http.MethodPost, "/v1/rates/couriers", req).Do(ctx, &out); err != nil {
		return nil, err
	}
	rates := []courier.Rate{}
	for _, p := range out.Pricing {
		if r.COD && !p.AvailableForCashOnDelivery {
			continue
		}
		lo, hi := durations(p.ShipmentDurationRange, p.ShipmentDurationUnit)
		rates = append(rates, courier.Rate{Courier: p.CourierCode, CourierName: p.CourierName, Service: p.CourierServiceCode,
			ServiceName: p.CourierServiceName, Price: p.Price, MinDays: lo, MaxDays: hi})
	}
	courier.Mark(rates)
	return rates, nil
}

// durations reads "1 - 2" days (hours count as the same day).
func durations(rng, unit string) (int, int) {
	parts := strings.Split(rng, "-")
	lo, _ := strconv.Atoi(strings.TrimSpace(parts[0]))
	hi := lo
	if len(parts) > 1 {
		hi, _ = strconv.Atoi(strings.TrimSpace(parts[1]))
	}
	if strings.HasPrefix(unit, "hour") {
		return 0, 0
	}
	return lo, hi
}

// Coordinate is a latitude and longitude.
type Coordinate struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// OrderRequest is POST /v1/orders (https://biteship.com/en/docs/api/orders/create);
// reference_id is our order number.
type OrderRequest struct {
	ShipperContactName            string      `json:"shipper_contact_name,omitempty"`
	ShipperContactPhone           string      `json:"shipper_contact_phone,omitempty"`
	OriginContactName             string      `json:"origin_contact_name"`
	OriginContactPhone            string      `json:"origin_contact_phone"`
	OriginAddress                 string      `json:"origin_address"`
	OriginPostalCode              int         `json:"origin_postal_code,omitempty"`
	OriginCoordinate              *Coordinate `json:"origin_coordinate,omitempty"`
	OriginCollectionMethod        string      `json:"origin_collection_method,omitempty"`
	DestinationContactName        string      `json:"destination_contact_name"`
	DestinationContactPhone       string      `json:"destination_contact_phone"`
	DestinationContactEmail       string      `json:"destination_contact_email,omitempty"`
	DestinationAddress            string      `json:"destination_address"`
	DestinationPostalCode         int         `json:"destination_postal_code,omitempty"`
	DestinationCoordinate         *Coordinate `json:"destination_coordinate,omitempty"`
	DestinationCashOnDelivery     int64       `json:"destination_cash_on_delivery,omitempty"`
	DestinationCashOnDeliveryType string      `json:"destination_cash_on_delivery_type,omitempty"`
	CourierCompany                string      `json:"courier_company"`
	CourierType                   string      `json:"courier_type"`
	DeliveryType                  string      `json:"delivery_type"`
	DeliveryDate                  string      `json:"delivery_date,omitempty"`
	DeliveryTime                  string      `json:"delivery_time,omitempty"`
	OrderNote                     string      `json:"order_note,omitempty"`
	ReferenceID                   string      `json:"reference_id"`
	Items                         []Item      `json:"items"`
}

// OrderCourier is the courier part of an order answer.
type OrderCourier struct {
	TrackingID  string `json:"tracking_id"`
	WaybillID   string `json:"waybill_id"`
	Company     string `json:"company"`
	Type        string `json:"type"`
	Name        string `json:"name,omitempty"`
	Phone       string `json:"phone,omitempty"`
	PlateNumber string `json:"plate_number,omitempty"`
	Link        string `json:"link,omitempty"`
}

// Order is an order as Biteship answers it.
type Order struct {
	Success     bool         `json:"success"`
	Message     string       `json:"message,omitempty"`
	Object      string       `json:"object"`
	ID          string       `json:"id"`
	ReferenceID string       `json:"reference_id"`
	Courier     OrderCourier `json:"courier"`
	Price       int64        `json:"price"`
	Status      string       `json:"status"`
}

func coord(lat, lng float64) *Coordinate {
	if lat == 0 && lng == 0 {
		return nil
	}
	return &Coordinate{Latitude: lat, Longitude: lng}
}

// Jakarta is where pickup dates and times are read.
var jakarta = time.FixedZone("WIB", 7*3600)

// Book creates the order: a pickup in the slot, or a drop-off.
func (c *Client) Book(ctx context.Context, b courier.Booking) (*courier.Booked, error) {
	o := c.origin(b.Origin)
	req := OrderRequest{
		OriginContactName: o.Name, OriginContactPhone: o.Phone, OriginAddress: o.Address,
		OriginPostalCode: postal(o.PostalCode), OriginCoordinate: coord(o.Latitude, o.Longitude),
		DestinationContactName: b.Destination.Name, DestinationContactPhone: b.Destination.Phone,
		DestinationContactEmail: b.Destination.Email, DestinationAddress: b.Destination.Address,
		DestinationPostalCode: postal(b.Destination.PostalCode), DestinationCoordinate: coord(b.Destination.Latitude, b.Destination.Longitude),
		CourierCompany: b.Courier, CourierType: b.Service, DeliveryType: "now", OrderNote: b.Note,
		ReferenceID: b.ExternalID, Items: items(b.Items, b.Parcels),
	}
	if b.CODAmount > 0 {
		req.DestinationCashOnDelivery, req.DestinationCashOnDeliveryType = b.CODAmount, "7_days"
	}
	if b.Pickup {
		req.OriginCollectionMethod = "pickup"
		if !b.PickupFrom.IsZero() {
			t := b.PickupFrom.In(jakarta)
			req.DeliveryType, req.DeliveryDate, req.DeliveryTime = "scheduled", t.Format("2006-01-02"), t.Format("15:04")
		}
	} else {
		req.OriginCollectionMethod = "drop_off"
	}
	var out Order
	if err := c.call(http.MethodPost, "/v1/orders", req).Do(ctx, &out); err != nil {
		return nil, err
	}
	return booked(out), nil
}

func booked(o Order) *courier.Booked {
	return &courier.Booked{OrderID: o.ID, TrackingID: o.Courier.TrackingID, AWB: o.Courier.WaybillID, Status: o.Status, Price: o.Price}
}

// Order reads one order by Biteship's id, GET /v1/orders/:id, one of the
// four order endpoints Biteship documents
// (https://biteship.com/docs/api/orders/overview: POST /v1/orders,
// GET /v1/orders/:id, POST /v1/orders/:id, POST /v1/orders/:id/cancel).
// None lists orders by reference_id, so a create whose answer was lost is
// not looked for; when a push names an order id we never recorded, its
// reference_id is read here to recognise it.
func (c *Client) Order(ctx context.Context, orderID string) (*Order, error) {
	var out Order
	if err := c.call(http.MethodGet, "/v1/orders/"+url.PathEscape(orderID), nil).Do(ctx, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CancelRequest is POST /v1/orders/:id/cancel (https://biteship.com/en/docs/api/orders/cancel).
type CancelRequest struct {
	CancellationReasonCode string `json:"cancellation_reason_code"`
	CancellationReason     string `json:"cancellation_reason"`
}

// Cancel cancels the order before pickup.
func (c *Client) Cancel(ctx context.Context, orderID, reason string) error {
	var out Order
	return c.call(http.MethodPost, "/v1/orders/"+url.PathEscape(orderID)+"/cancel",
		CancelRequest{CancellationReasonCode: "others", CancellationReason: reason}).Do(ctx, &out)
}

// Push is the order.status webhook body (https://biteship.com/en/docs/api/webhook/overview).
type Push struct {
	Event                    string `json:"event"`
	OrderID                  string `json:"order_id"`
	CourierTrackingID        string `json:"courier_tracking_id"`
	CourierWaybillID         string `json:"courier_waybill_id"`
	CourierCompany           string `json:"courier_company"`
	CourierType              string `json:"courier_type"`
	CourierDriverName        string `json:"courier_driver_name"`
	CourierDriverPhone       string `json:"courier_driver_phone"`
	CourierDriverPlateNumber string `json:"courier_driver_plate_number"`
	CourierLink              string `json:"courier_link"`
	OrderPrice               int64  `json:"order_price"`
	Status                   string `json:"status"`
	UpdatedAt                string `json:"updated_at,omitempty"`
	// ReferenceID is sent by some events; matching falls back to it.
	ReferenceID string `json:"reference_id,omitempty"`
}

// String names the push for logs.
func (p Push) String() string { return fmt.Sprintf("%s %s %s", p.Event, p.OrderID, p.Status) }
