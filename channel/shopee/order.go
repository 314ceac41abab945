package shopee

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

const (
	pathOrderDetail    = "/api/v2/order/get_order_detail"
	pathTrackingNumber = "/api/v2/logistics/get_tracking_number"
)

// detailFields are the response_optional_fields the register reads of
// v2.order.get_order_detail; the rest come by default.
const detailFields = "buyer_user_id,buyer_username,estimated_shipping_fee,recipient_address,actual_shipping_fee," +
	"note,item_list,pay_time,cancel_by,cancel_reason,buyer_cancel_reason,package_list,shipping_carrier," +
	"payment_method,total_amount,checkout_shipping_carrier"

// Order is the part of one order of v2.order.get_order_detail's
// response.order_list the register reads
// (https://open.shopee.com/documents/v2/v2.order.get_order_detail?module=94&type=1):
//
//	{"order_sn":"201218V2Y6E59M","region":"ID","currency":"IDR","cod":false,"total_amount":159000,
//	 "order_status":"READY_TO_SHIP","shipping_carrier":"SPX Express","payment_method":"ShopeePay",
//	 "estimated_shipping_fee":9000,"create_time":1608270000,"update_time":1608270060,
//	 "ship_by_date":1608442800,"buyer_username":"budi",
//	 "recipient_address":{"name":"Budi","phone":"62812…","town":"","district":"Kebayoran Baru",
//	   "city":"Jakarta Selatan","state":"DKI Jakarta","region":"ID","zipcode":"12160","full_address":"Jl. …"},
//	 "item_list":[{"item_id":100,"item_name":"Kaos Polos","item_sku":"KAOS","model_id":200,
//	   "model_name":"Hitam, L","model_sku":"KAOS-HTM-L","model_quantity_purchased":2,
//	   "model_original_price":80000,"model_discounted_price":75000}],
//	 "package_list":[{"package_number":"OFG…","logistics_status":"LOGISTICS_READY","shipping_carrier":"SPX Express"}],
//	 "pay_time":1608270030,"message_to_seller":"…","cancel_by":"","cancel_reason":"","buyer_cancel_reason":""}
//
// TrackingNumber is not Shopee's: Details adds v2.logistics.get_tracking_number's
// answer under that name, so what it returns is read in one piece.
type Order struct {
	OrderSN         string  `json:"order_sn"`
	Currency        string  `json:"currency"`
	COD             bool    `json:"cod"`
	TotalAmount     float64 `json:"total_amount"`
	OrderStatus     string  `json:"order_status"`
	ShippingCarrier string  `json:"shipping_carrier"`
	PaymentMethod   string  `json:"payment_method"`
	EstShippingFee  float64 `json:"estimated_shipping_fee"`
	MessageToSeller string  `json:"message_to_seller"`
	CreateTime      int64   `json:"create_time"`
	UpdateTime      int64   `json:"update_time"`
	ShipByDate      int64   `json:"ship_by_date"`
	BuyerUsername   string  `json:"buyer_username"`
	PayTime         int64   `json:"pay_time"`
	Address         struct {
		Name        string `json:"name"`
		Phone       string `json:"phone"`
		Town        string `json:"town"`
		District    string `json:"district"`
		City        string `json:"city"`
		State       string `json:"state"`
		Region      string `json:"region"`
		Zipcode     string `json:"zipcode"`
		FullAddress string `json:"full_address"`
	} `json:"recipient_address"`
	Items       []Item    `json:"item_list"`
	Packages    []Package `json:"package_list"`
	CancelBy    string    `json:"cancel_by"`
	CancelText  string    `json:"cancel_reason"`
	BuyerCancel string    `json:"buyer_cancel_reason"`

	TrackingNumber string `json:"tracking_number,omitempty"`
}

// Item is one line of item_list.
type Item struct {
	ItemID          int64   `json:"item_id"`
	ItemName        string  `json:"item_name"`
	ItemSKU         string  `json:"item_sku"`
	ModelID         int64   `json:"model_id"`
	ModelName       string  `json:"model_name"`
	ModelSKU        string  `json:"model_sku"`
	Quantity        int     `json:"model_quantity_purchased"`
	OriginalPrice   float64 `json:"model_original_price"`
	DiscountedPrice float64 `json:"model_discounted_price"`
}

// Package is one parcel of package_list.
type Package struct {
	PackageNumber   string `json:"package_number"`
	LogisticsStatus string `json:"logistics_status"`
	ShippingCarrier string `json:"shipping_carrier"`
}

// SKU is the seller's SKU of the line: the model's, else the item's
// (Shopee's parent SKU), as a listing without variations has only that.
func (it Item) SKU() string {
	if s := strings.TrimSpace(it.ModelSKU); s != "" {
		return s
	}
	return strings.TrimSpace(it.ItemSKU)
}

// LineID is the line's id at Shopee, "item_id:model_id": what cancel_order
// and update_stock name a listing by.
func LineID(itemID, modelID int64) string {
	return strconv.FormatInt(itemID, 10) + ":" + strconv.FormatInt(modelID, 10)
}

// ParseLineID reads LineID back.
func ParseLineID(s string) (itemID, modelID int64, ok bool) {
	i, m, found := strings.Cut(s, ":")
	if !found {
		return 0, 0, false
	}
	var err1, err2 error
	itemID, err1 = strconv.ParseInt(i, 10, 64)
	modelID, err2 = strconv.ParseInt(m, 10, 64)
	return itemID, modelID, err1 == nil && err2 == nil && itemID > 0 && modelID >= 0
}

// amount reads one of Shopee's decimal amounts into the currency's minor
// units, as app reads every platform's numbers.
func amount(field string, cur app.Currency, v float64) (app.Money, error) {
	return cur.ParseNumber(field, v)
}

// ParseOrder reads one order of get_order_detail into the order the
// register keeps, and Shopee's status. Lines are linked by SKU; the
// shipping fee is the estimate Shopee gives, and what the buyer paid less
// than lines and shipping is the discount (Shopee's vouchers and coins).
// Errors name the field.
func ParseOrder(raw []byte) (*app.Order, string, error) {
	var s Order
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, "", app.FieldError("order_list", "is not Shopee's order detail: %s", err.Error())
	}
	if err := app.ValidateExternalID(app.ChannelShopee, "order_sn", s.OrderSN); err != nil {
		return nil, "", err
	}
	code := strings.ToUpper(strings.TrimSpace(s.OrderStatus))
	if _, err := app.StatusFromChannel(app.ChannelShopee, code); err != nil {
		return nil, "", app.FieldError("order_status", "unknown Shopee status %q", s.OrderStatus)
	}
	cur := app.IDR
	if strings.TrimSpace(s.Currency) != "" {
		c, err := app.ParseCurrency(s.Currency)
		if err != nil {
			return nil, "", app.FieldError("currency", "unknown currency %q", s.Currency)
		}
		cur = c
	}
	a := s.Address
	street := strings.TrimSpace(a.FullAddress)
	o := &app.Order{Number: s.OrderSN, Currency: cur, Note: strings.TrimSpace(s.MessageToSeller),
		Buyer: app.Buyer{Name: first(a.Name, s.BuyerUsername), Phone: strings.TrimSpace(a.Phone),
			Address: app.Address{Street: street, District: first(a.District, a.Town), City: a.City, Province: a.State,
				PostalCode: a.Zipcode, Country: country(a.Region)}}}
	if s.CreateTime > 0 {
		o.CreatedAt = time.Unix(s.CreateTime, 0).UTC()
	}
	if s.UpdateTime > 0 {
		o.ChannelUpdatedAt = time.Unix(s.UpdateTime, 0).UTC()
	}
	if s.ShipByDate > 0 {
		o.ShipBy = time.Unix(s.ShipByDate, 0).UTC()
	}
	o.PaymentMethod, o.PaymentStatus = app.PayMarketplace, app.PaymentPaid
	if s.COD {
		o.PaymentMethod, o.PaymentStatus = app.PayCOD, app.PaymentUnpaid
	} else if code == "UNPAID" || s.PayTime == 0 && code == "CANCELLED" {
		o.PaymentStatus = app.PaymentUnpaid
	}
	var lines app.Money
	for i, it := range s.Items {
		field := "item_list[" + strconv.Itoa(i) + "]"
		if err := app.CheckQty(field+".model_quantity_purchased", it.Quantity); err != nil {
			return nil, "", err
		}
		price, err := amount(field+".model_discounted_price", cur, it.DiscountedPrice)
		if err != nil {
			return nil, "", err
		}
		name := strings.TrimSpace(it.ItemName)
		if m := strings.TrimSpace(it.ModelName); m != "" {
			name += " (" + m + ")"
		}
		o.Lines = append(o.Lines, app.Line{SKU: it.SKU(), Name: name, Qty: it.Quantity, UnitPrice: price, ExternalID: LineID(it.ItemID, it.ModelID),
			Listing: LineID(it.ItemID, it.ModelID)})
		sub, ok := price.Times(it.Quantity)
		if ok {
			lines, ok = lines.Plus(sub)
		}
		if !ok {
			return nil, "", app.FieldError(field+".model_quantity_purchased", "quantity × price is too large to add up")
		}
	}
	total, err := amount("total_amount", cur, s.TotalAmount)
	if err != nil {
		return nil, "", err
	}
	ship, err := amount("estimated_shipping_fee", cur, s.EstShippingFee)
	if err != nil {
		return nil, "", err
	}
	if total > 0 {
		if lines+ship < total {
			ship = total - lines
		}
		o.ShippingFee, o.Discount, o.Total = ship, lines+ship-total, total
	}
	if o.PaymentStatus == app.PaymentPaid {
		o.Paid = o.Total
	}
	if tn := strings.TrimSpace(s.TrackingNumber); tn != "" {
		carrier := s.ShippingCarrier
		if len(s.Packages) > 0 && s.Packages[0].ShippingCarrier != "" {
			carrier = s.Packages[0].ShippingCarrier
		}
		o.Shipment = app.Shipment{TrackingID: tn, Courier: strings.TrimSpace(carrier)}
	}
	return o, code, nil
}

// ParseDetails reads what Details fetched (channel.DetailParser).
func (a *Adapter) ParseDetails(raw []byte) (*app.Order, string, error) { return ParseOrder(raw) }

func first(a, b string) string {
	if s := strings.TrimSpace(a); s != "" {
		return s
	}
	return strings.TrimSpace(b)
}

func country(region string) string {
	if strings.EqualFold(strings.TrimSpace(region), "ID") || strings.TrimSpace(region) == "" {
		return "Indonesia"
	}
	return strings.ToUpper(strings.TrimSpace(region))
}

// orderDetail is GET /api/v2/order/get_order_detail?order_sn_list=…&response_optional_fields=…
// for one order, as Shopee answers it.
func (a *Adapter) orderDetail(ctx context.Context, acc *account, sn string) (json.RawMessage, Order, error) {
	var resp struct {
		OrderList []json.RawMessage `json:"order_list"`
	}
	q := url.Values{"order_sn_list": {sn}, "response_optional_fields": {detailFields}}
	if err := a.call(ctx, acc, http.MethodGet, pathOrderDetail, q, nil, &resp); err != nil {
		return nil, Order{}, err
	}
	for _, raw := range resp.OrderList {
		var o Order
		if json.Unmarshal(raw, &o) == nil && o.OrderSN == sn {
			return raw, o, nil
		}
	}
	return nil, Order{}, &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: "order " + sn + " is not in the answer"}
}

// tracked are the statuses in which a parcel may carry a tracking number.
var tracked = map[string]bool{"PROCESSED": true, "RETRY_SHIP": true, "SHIPPED": true, "TO_CONFIRM_RECEIVE": true, "COMPLETED": true, "TO_RETURN": true, "IN_CANCEL": true}

// trackingNumber is GET /api/v2/logistics/get_tracking_number?order_sn=
// (https://open.shopee.com/documents/v2/v2.logistics.get_tracking_number?module=95&type=1):
// {"response":{"tracking_number":"SPXID…","hint":""}}; empty while Shopee has none.
func (a *Adapter) trackingNumber(ctx context.Context, acc *account, sn, pkg string) (string, error) {
	var resp struct {
		TrackingNumber string `json:"tracking_number"`
		Hint           string `json:"hint"`
	}
	q := url.Values{"order_sn": {sn}}
	if pkg != "" {
		q.Set("package_number", pkg)
	}
	err := a.call(ctx, acc, http.MethodGet, pathTrackingNumber, q, nil, &resp)
	return strings.TrimSpace(resp.TrackingNumber), err
}

// Details fetches the order a push named (v2.order.get_order_detail) and,
// once Shopee may have given the parcel one, its tracking number
// (v2.logistics.get_tracking_number), as one JSON object ParseOrder reads.
// A tracking number Shopee refuses to give yet is left out.
func (a *Adapter) Details(ctx context.Context, f map[string]string, externalID string) ([]byte, error) {
	acc, err := forShop(f)
	if err != nil {
		return nil, err
	}
	if err := app.ValidateExternalID(app.ChannelShopee, "order_sn", externalID); err != nil {
		return nil, err
	}
	raw, o, err := a.orderDetail(ctx, acc, externalID)
	if err != nil {
		return nil, err
	}
	if !tracked[strings.ToUpper(o.OrderStatus)] {
		return raw, nil
	}
	pkg := ""
	if len(o.Packages) > 0 {
		pkg = o.Packages[0].PackageNumber
	}
	tn, err := a.trackingNumber(ctx, acc, externalID, pkg)
	if _, refused := channel.IsRefusal(err); err != nil && !refused {
		return nil, err
	}
	if tn == "" {
		return raw, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: "the order is not a JSON object", Body: channel.Truncate(raw)}
	}
	m["tracking_number"], _ = json.Marshal(tn)
	return json.Marshal(m)
}
