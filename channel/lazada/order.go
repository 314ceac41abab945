package lazada

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kasir/pos/app"
)

// Amount is one of Lazada's amounts, which its answers give as numbers
// (item_price 75000.00) or as strings (price "150000.00").
type Amount string

// UnmarshalJSON takes a number or a string.
func (m *Amount) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*m = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*m = Amount(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*m = Amount(n)
	return nil
}

// rupiah reads a non-negative rupiah amount; Lazada writes IDR with ".00",
// and app reads a platform's decimal string (app.Currency.ParseDecimal).
func (m Amount) rupiah(field string) (app.Money, error) {
	return app.IDR.ParseDecimal(field, string(m))
}

// ID is one of Lazada's ids, which answers give as numbers and pushes as strings.
type ID string

// UnmarshalJSON takes a number or a string.
func (id *ID) UnmarshalJSON(b []byte) error {
	var a Amount
	if err := a.UnmarshalJSON(b); err != nil {
		return err
	}
	*id = ID(a)
	return nil
}

// Order is the part of GetOrder's data the register keeps
// (GET /order/get?order_id=…, https://open.lazada.com/apps/doc/api?path=%2Forder%2Fget):
//
//	{"order_id":260422900198363,"order_number":260422900198363,"created_at":"2026-11-30 10:00:00 +0700",
//	 "updated_at":"…","price":"150000.00","shipping_fee":9000.00,"voucher":0.00,"payment_method":"COD",
//	 "customer_first_name":"Budi","customer_last_name":"","statuses":["pending"],"items_count":2,
//	 "remarks":"","promised_shipping_times":"",
//	 "address_shipping":{"first_name":"Budi","last_name":"Santoso","phone":"0812…","address1":"Jl. …",
//	   "address2":"","address3":"DKI Jakarta","address4":"Jakarta Selatan","address5":"Kebayoran Baru",
//	   "city":"Jakarta Selatan","post_code":"12160","country":"Indonesia"}}
//
// The page does not say which of address3…5 holds which part of an
// Indonesian address; they are read as province, city and district, as
// Seller Center shows them (not confirmed in the API docs).
type Order struct {
	OrderID       ID       `json:"order_id"`
	OrderNumber   ID       `json:"order_number"`
	CreatedAt     string   `json:"created_at"`
	UpdatedAt     string   `json:"updated_at"`
	Price         Amount   `json:"price"`
	ShippingFee   Amount   `json:"shipping_fee"`
	Voucher       Amount   `json:"voucher"`
	PaymentMethod string   `json:"payment_method"`
	FirstName     string   `json:"customer_first_name"`
	LastName      string   `json:"customer_last_name"`
	Statuses      []string `json:"statuses"`
	Remarks       string   `json:"remarks"`
	Address       struct {
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
		Phone     string `json:"phone"`
		Address1  string `json:"address1"`
		Address2  string `json:"address2"`
		Address3  string `json:"address3"`
		Address4  string `json:"address4"`
		Address5  string `json:"address5"`
		City      string `json:"city"`
		PostCode  string `json:"post_code"`
		Country   string `json:"country"`
	} `json:"address_shipping"`
}

// Item is one entry of GetOrderItems' data: Lazada lists one entry per
// piece, each with its own id and status
// (GET /order/items/get?order_id=…, https://open.lazada.com/apps/doc/api?path=%2Forder%2Fitems%2Fget):
//
//	[{"order_item_id":260422900298363,"order_id":260422900198363,"name":"Kaos Polos","sku":"SKU-001",
//	  "shop_sku":"123_ID-456","variation":"Hitam, L","item_price":75000.00,"paid_price":75000.00,
//	  "currency":"IDR","status":"pending","package_id":"","tracking_code":"","shipment_provider":"",
//	  "reason":"","promised_shipping_time":"2026-12-02 23:59:59 +0700","created_at":"…","updated_at":"…"}]
type Item struct {
	OrderItemID      ID     `json:"order_item_id"`
	OrderID          ID     `json:"order_id"`
	Name             string `json:"name"`
	SKU              string `json:"sku"`
	ShopSKU          string `json:"shop_sku"`
	Variation        string `json:"variation"`
	ItemPrice        Amount `json:"item_price"`
	PaidPrice        Amount `json:"paid_price"`
	Currency         string `json:"currency"`
	Status           string `json:"status"`
	PackageID        string `json:"package_id"`
	TrackingCode     string `json:"tracking_code"`
	ShipmentProvider string `json:"shipment_provider"`
	Reason           string `json:"reason"`
	// PromisedShippingTime is when the seller must hand the item over.
	PromisedShippingTime string `json:"promised_shipping_time"`
}

// Details is what the adapter's Details returns: GetOrder's and
// GetOrderItems' data side by side, as Lazada answered them.
type Details struct {
	Order json.RawMessage `json:"order"`
	Items json.RawMessage `json:"items"`
}

// items fetches GetOrderItems.
func (a *Adapter) items(ctx context.Context, acc account, orderID string) ([]Item, json.RawMessage, error) {
	var raw json.RawMessage
	if err := a.data(ctx, acc, a.api(acc, http.MethodGet, "/order/items/get", url.Values{"order_id": {orderID}}), &raw); err != nil {
		return nil, nil, err
	}
	var items []Item
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, raw, app.FieldError("items", "are not Lazada's order items: %s", err.Error())
	}
	return items, raw, nil
}

// Details fetches the order a push named, GetOrder then GetOrderItems, and
// returns both answers' data as one document (Details).
func (a *Adapter) Details(ctx context.Context, f map[string]string, externalID string) ([]byte, error) {
	acc, err := accountOf(f)
	if err != nil {
		return nil, err
	}
	if err := app.ValidateExternalID(app.ChannelLazada, "order_id", externalID); err != nil {
		return nil, err
	}
	var order json.RawMessage
	if err := a.data(ctx, acc, a.api(acc, http.MethodGet, "/order/get", url.Values{"order_id": {externalID}}), &order); err != nil {
		return nil, err
	}
	_, items, err := a.items(ctx, acc, externalID)
	if err != nil {
		return nil, err
	}
	return json.Marshal(Details{Order: order, Items: items})
}

// statusRank orders Lazada's item statuses along an order's life, so the
// order stands where its least advanced live line stands.
var statusRank = map[string]int{
	"unpaid": 0, "pending": 1, "topack": 2, "packed": 3, "repacked": 3, "ready_to_ship_pending": 4,
	"ready_to_ship": 5, "toship": 5, "shipped": 6, "failed_delivery": 6, "delivered": 7, "confirmed": 8,
	"shipped_back": 9, "lost_by_3pl": 9, "damaged_by_3pl": 9, "shipped_back_success": 10, "returned": 10,
}

// lazadaTime is how GetOrder and GetOrderItems write times ("2026-11-30 10:00:00 +0700").
const lazadaTime = "2006-01-02 15:04:05 -0700"

// parseTime reads one of Lazada's times; answers seen also carry ISO 8601.
func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{lazadaTime, time.RFC3339} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// Cancelled is Lazada's status of a cancelled line.
const Cancelled = "canceled"

// OrderStatus is the order's status from its lines': the least advanced
// line that is not cancelled, or cancelled when every line is.
func OrderStatus(items []Item) string {
	best, rank := "", 1<<30
	for _, it := range items {
		st := strings.ToLower(strings.TrimSpace(it.Status))
		if st == Cancelled || st == "" {
			continue
		}
		if r, ok := statusRank[st]; ok && r < rank {
			best, rank = st, r
		}
	}
	if best == "" {
		return Cancelled
	}
	return best
}

// ParseDetails reads what Details fetched into the order the register
// keeps, and Lazada's status code for it (channel.DetailParser). Errors
// name the field.
func (a *Adapter) ParseDetails(raw []byte) (*app.Order, string, error) { return ParseDetails(raw) }

// ParseDetails is the adapter's ParseDetails, for tests and tools.
func ParseDetails(raw []byte) (*app.Order, string, error) {
	var d Details
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, "", app.FieldError("details", "are not Lazada's order and items: %s", err.Error())
	}
	var lo Order
	if err := json.Unmarshal(d.Order, &lo); err != nil {
		return nil, "", app.FieldError("order", "is not Lazada's GetOrder data: %s", err.Error())
	}
	var items []Item
	if err := json.Unmarshal(d.Items, &items); err != nil {
		return nil, "", app.FieldError("items", "are not Lazada's GetOrderItems data: %s", err.Error())
	}
	if lo.OrderID == "" {
		return nil, "", app.FieldError("order.order_id", "is required")
	}
	if len(items) == 0 {
		return nil, "", app.FieldError("items", "an order needs at least one item")
	}
	code := OrderStatus(items)
	ad := lo.Address
	o := &app.Order{Number: string(lo.OrderNumber), Currency: app.IDR, Note: lo.Remarks,
		PaymentMethod: app.PayMarketplace, PaymentStatus: app.PaymentPaid,
		Buyer: app.Buyer{Name: first(strings.TrimSpace(ad.FirstName+" "+ad.LastName), strings.TrimSpace(lo.FirstName+" "+lo.LastName)),
			Phone: ad.Phone,
			Address: app.Address{Street: strings.TrimSpace(strings.Join([]string{ad.Address1, ad.Address2}, " ")),
				District: ad.Address5, City: first(ad.City, ad.Address4), Province: ad.Address3, PostalCode: ad.PostCode,
				Country: first(ad.Country, "Indonesia")}}}
	if o.Number == "" {
		o.Number = string(lo.OrderID)
	}
	if strings.Contains(strings.ToUpper(lo.PaymentMethod), "COD") {
		o.PaymentMethod, o.PaymentStatus = app.PayCOD, app.PaymentUnpaid
	}
	if t, ok := parseTime(lo.CreatedAt); ok {
		o.CreatedAt = t
	}
	if t, ok := parseTime(lo.UpdatedAt); ok {
		o.ChannelUpdatedAt = t
	}
	var err error
	if o.ShippingFee, err = lo.ShippingFee.rupiah("order.shipping_fee"); err != nil {
		return nil, "", err
	}
	if o.Discount, err = lo.Voucher.rupiah("order.voucher"); err != nil {
		return nil, "", err
	}
	for i, it := range items {
		field := "items[" + strconv.Itoa(i) + "]"
		if it.OrderItemID == "" {
			return nil, "", app.FieldError(field+".order_item_id", "is required")
		}
		price, err := it.ItemPrice.rupiah(field + ".item_price")
		if err != nil {
			return nil, "", err
		}
		if c := strings.ToUpper(strings.TrimSpace(it.Currency)); c != "" && c != string(app.IDR) {
			return nil, "", app.FieldError(field+".currency", "is %s; this shop sells in %s", c, string(app.IDR))
		}
		name := strings.TrimSpace(it.Name)
		if v := strings.TrimSpace(it.Variation); v != "" {
			name += " (" + v + ")"
		}
		st := strings.ToLower(strings.TrimSpace(it.Status))
		if st != "" {
			if _, err := app.StatusFromChannel(app.ChannelLazada, st); err != nil {
				return nil, "", app.FieldError(field+".status", "unknown Lazada status %q", it.Status)
			}
		}
		o.Lines = append(o.Lines, app.Line{SKU: strings.TrimSpace(it.SKU), Name: name, Qty: 1, UnitPrice: price,
			ExternalID: string(it.OrderItemID), ChannelStatus: st})
		if t, ok := parseTime(it.PromisedShippingTime); ok && st != Cancelled && (o.ShipBy.IsZero() || t.Before(o.ShipBy)) {
			o.ShipBy = t
		}
		if it.TrackingCode != "" && o.Shipment.TrackingID == "" {
			o.Shipment.TrackingID, o.Shipment.Courier = it.TrackingCode, it.ShipmentProvider
		}
	}
	// The order's total is what its live lines, shipping and vouchers make;
	// cancelled lines are kept on the order but count for nothing.
	total, err := liveTotal(o)
	if err != nil {
		return nil, "", err
	}
	o.Total = total
	if o.PaymentStatus == app.PaymentPaid {
		o.Paid = o.Total
	}
	return o, code, nil
}

func liveTotal(o *app.Order) (app.Money, error) {
	var sum app.Money
	for _, l := range o.Lines {
		if l.ChannelStatus != Cancelled {
			sum += l.UnitPrice * app.Money(l.Qty)
		}
	}
	sum += o.ShippingFee - o.Discount
	if sum < 0 {
		if o.Discount > 0 {
			return 0, app.FieldError("order.voucher", "is more than the items and shipping together")
		}
		sum = 0
	}
	return sum, nil
}
