package tokopedia

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// SingleOrder is the part of Get Single Order's data the register keeps
// (GET /v2/fs/{fs_id}/order?order_id=…,
// https://developer.tokopedia.com/openapi/guide/#/apis/order/getsingleorder;
// checked against the answer recorded in github.com/plvhx/tokopedia-php-sdk
// tests/data-fixtures/order/get-single-order-ok.json, whose create_time is
// an RFC 3339 string where the webhook's is Unix seconds):
//
//	{"order_id":166295305,"order_status":220,"invoice_number":"INV/20210106/XXI/I/700057453",
//	 "item_price":150000,"open_amt":159000,"create_time":"2021-01-06T08:00:00.061156Z",
//	 "buyer_info":{"buyer_id":8970588,"buyer_fullname":"Budi","buyer_email":"…","buyer_phone":"0812…"},
//	 "order_info":{"order_detail":[{"product_id":15157523,"product_name":"Kaos Polos","quantity":2,
//	     "product_price":75000,"subtotal_price":150000,"sku":"SKU-001","notes":""}],
//	   "destination":{"receiver_name":"Budi","receiver_phone":"0812…","address_street":"Jl. …",
//	     "address_district":"Kebayoran Baru","address_city":"Jakarta Selatan","address_province":"DKI Jakarta",
//	     "address_postal":"12160"},
//	   "shipping_info":{"logistic_name":"JNE","logistic_service":"REG","shipping_price":9000,"awb":""}},
//	 "promo_order_detail":{"total_discount":0}}
type SingleOrder struct {
	OrderID       int64   `json:"order_id"`
	OrderStatus   int     `json:"order_status"`
	InvoiceNumber string  `json:"invoice_number"`
	ItemPrice     float64 `json:"item_price"`
	OpenAmt       float64 `json:"open_amt"`
	CreateTime    stamp   `json:"create_time"`
	BuyerInfo     struct {
		Name  string `json:"buyer_fullname"`
		Email string `json:"buyer_email"`
		Phone string `json:"buyer_phone"`
	} `json:"buyer_info"`
	OrderInfo struct {
		Detail []struct {
			ProductID    int64   `json:"product_id"`
			ProductName  string  `json:"product_name"`
			Quantity     int     `json:"quantity"`
			ProductPrice float64 `json:"product_price"`
			SKU          string  `json:"sku"`
			Notes        string  `json:"notes"`
		} `json:"order_detail"`
		Destination struct {
			Name     string `json:"receiver_name"`
			Phone    string `json:"receiver_phone"`
			Street   string `json:"address_street"`
			District string `json:"address_district"`
			City     string `json:"address_city"`
			Province string `json:"address_province"`
			Postal   string `json:"address_postal"`
		} `json:"destination"`
		Shipping struct {
			Logistic string  `json:"logistic_name"`
			Service  string  `json:"logistic_service"`
			Price    float64 `json:"shipping_price"`
			AWB      string  `json:"awb"`
		} `json:"shipping_info"`
	} `json:"order_info"`
	Promo struct {
		TotalDiscount float64 `json:"total_discount"`
	} `json:"promo_order_detail"`
}

// stamp is a time Tokopedia writes either as RFC 3339 (single order) or
// as Unix seconds (notifications); null or zero is no time.
type stamp struct{ time.Time }

// UnmarshalJSON reads either form.
func (s *stamp) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		if v == "" || strings.HasPrefix(v, "0001-01-01") {
			return nil
		}
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return err
		}
		s.Time = t.UTC()
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	if n > 0 {
		s.Time = time.Unix(n, 0).UTC()
	}
	return nil
}

// rupiah reads Tokopedia's whole-rupiah amounts.
func rupiah(field string, v float64) (app.Money, error) {
	return app.IDR.ParseNumber(field, v)
}

// ParseOrder reads Get Single Order's data into the order the register
// keeps, and Tokopedia's status code. Errors name the field.
func ParseOrder(raw []byte) (*app.Order, string, error) {
	var t SingleOrder
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, "", app.FieldError("data", "is not Tokopedia's single order: %s", err.Error())
	}
	if t.OrderID <= 0 {
		return nil, "", app.FieldError("order_id", "is required")
	}
	code := strconv.Itoa(t.OrderStatus)
	if _, err := app.StatusFromChannel(app.ChannelTokopedia, code); err != nil {
		return nil, "", app.FieldError("order_status", "unknown Tokopedia status code %d", t.OrderStatus)
	}
	d := t.OrderInfo.Destination
	o := &app.Order{Number: t.InvoiceNumber, Currency: app.IDR, PaymentMethod: app.PayMarketplace, PaymentStatus: app.PaymentPaid,
		Buyer: app.Buyer{Name: first(d.Name, t.BuyerInfo.Name), Phone: first(d.Phone, t.BuyerInfo.Phone), Email: t.BuyerInfo.Email,
			Address: app.Address{Street: d.Street, District: d.District, City: d.City, Province: d.Province, PostalCode: d.Postal, Country: "Indonesia"}}}
	o.CreatedAt = t.CreateTime.Time
	if ship := t.OrderInfo.Shipping; ship.AWB != "" {
		o.Shipment.Courier, o.Shipment.Service = ship.Logistic, ship.Service
		o.Shipment.TrackingID = ship.AWB
	}
	var err error
	if o.ShippingFee, err = rupiah("order_info.shipping_info.shipping_price", t.OrderInfo.Shipping.Price); err != nil {
		return nil, "", err
	}
	if o.Discount, err = rupiah("promo_order_detail.total_discount", t.Promo.TotalDiscount); err != nil {
		return nil, "", err
	}
	total := t.OpenAmt
	if total == 0 {
		total = t.ItemPrice + t.OrderInfo.Shipping.Price - t.Promo.TotalDiscount
	}
	if o.Total, err = rupiah("open_amt", total); err != nil {
		return nil, "", err
	}
	o.Paid = o.Total
	for i, p := range t.OrderInfo.Detail {
		field := "order_info.order_detail[" + strconv.Itoa(i) + "]"
		if err := app.CheckQty(field+".quantity", p.Quantity); err != nil {
			return nil, "", err
		}
		price, err := rupiah(field+".product_price", p.ProductPrice)
		if err != nil {
			return nil, "", err
		}
		o.Lines = append(o.Lines, app.Line{SKU: strings.TrimSpace(p.SKU), Name: p.ProductName, Qty: p.Quantity, UnitPrice: price,
			ExternalID: strconv.FormatInt(p.ProductID, 10), Listing: strconv.FormatInt(p.ProductID, 10)})
	}
	// The whole order is held to app's rules here, where Tokopedia's answer
	// is read, so a line with neither SKU nor name never reaches a store.
	if err := (app.Incoming{Channel: app.ChannelTokopedia, ExternalID: strconv.FormatInt(t.OrderID, 10), ChannelStatus: code, Order: o}).Validate(); err != nil {
		return nil, "", err
	}
	return o, code, nil
}

func first(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// ParseDetails reads what Details fetched (channel.DetailParser).
func (a *Adapter) ParseDetails(raw []byte) (*app.Order, string, error) { return ParseOrder(raw) }

var _ channel.Refetcher = (*Adapter)(nil)

// Refetch: once Tokopedia waits for the courier (450) or the parcel is on
// its way (5xx), its single order carries the awb its status push does not.
func (a *Adapter) Refetch(code string) bool {
	n, err := strconv.Atoi(code)
	return err == nil && n >= 450 && n < 600
}
