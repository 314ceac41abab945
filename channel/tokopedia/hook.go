package tokopedia

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// Tokopedia Fulfillment Service webhooks:
// https://developer.tokopedia.com/openapi/guide/#/webhook/ordernotification (new
// order: the whole order) and .../webhook/orderstatus (status change).
// Both arrive here; a body with products is a full order.
//
//	{"fs_id":13000,"shop_id":479573,"order_id":166295305,"invoice_ref_num":"INV/20210106/XXI/I/700057453",
//	 "order_status":220,"create_time":1609920000,
//	 "products":[{"id":15157523,"name":"Kaos Polos","quantity":2,"price":75000,"total_price":150000,"sku":"SKU-001"}],
//	 "customer":{"id":8970588,"name":"Budi","phone":"0812…","email":"…"},
//	 "recipient":{"name":"Budi","phone":"0812…","address":{"address_full":"Jl. …","district":"Kebayoran Baru",
//	   "city":"Jakarta Selatan","province":"DKI Jakarta","country":"Indonesia","postal_code":"12160"}},
//	 "logistics":{"shipping_agency":"JNE","service_type":"REG"},
//	 "amt":{"ttl_product_price":150000,"shipping_cost":9000,"ttl_amount":159000,"voucher_amount":0}}
//
// Authorization-Hmac = hex HMAC-SHA256(webhook_secret, body), in either case.
type Hook struct{}

var _ channel.Hook = Hook{}

// Verify checks Authorization-Hmac with the account's webhook_secret.
func (Hook) Verify(fields map[string]string, r *http.Request, body []byte) bool {
	return (&Adapter{}).Verify(fields["webhook_secret"], r.Header.Get("Authorization-Hmac"), body)
}

// Tokopedia's Fulfillment Service pushes every shop of one app to the URL
// registered for the fs_id; the body names the shop.
var _ channel.Router = Hook{}

// ShopField is the account field holding Tokopedia's shop id.
func (Hook) ShopField() string { return "shop_id" }

// PushShop reads shop_id out of an order or status notification.
func (Hook) PushShop(_ *http.Request, body []byte) (string, error) {
	var p struct {
		ShopID json.Number `json:"shop_id"`
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&p); err != nil {
		return "", app.FieldError("shop_id", "cannot be read: %s", err.Error())
	}
	id := p.ShopID.String()
	if _, err := strconv.ParseUint(id, 10, 64); err != nil || id == "0" {
		return "", app.FieldError("shop_id", "is required")
	}
	return id, nil
}

// Parse reads an order notification (whole order) or a status change.
func (Hook) Parse(r *http.Request, body []byte) (*channel.Inbound, error) {
	return parseWebhook(r, body)
}

type webhookProduct struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	Quantity   int     `json:"quantity"`
	Price      float64 `json:"price"`
	TotalPrice float64 `json:"total_price"`
	SKU        string  `json:"sku"`
	Notes      string  `json:"notes"`
}

type webhookOrder struct {
	FsID          int64            `json:"fs_id"`
	ShopID        int64            `json:"shop_id"`
	OrderID       int64            `json:"order_id"`
	InvoiceRefNum string           `json:"invoice_ref_num"`
	OrderStatus   *int             `json:"order_status"`
	CreateTime    int64            `json:"create_time"`
	Products      []webhookProduct `json:"products"`
	Customer      struct {
		Name  string `json:"name"`
		Phone string `json:"phone"`
		Email string `json:"email"`
	} `json:"customer"`
	Recipient struct {
		Name    string `json:"name"`
		Phone   string `json:"phone"`
		Address struct {
			AddressFull string `json:"address_full"`
			District    string `json:"district"`
			City        string `json:"city"`
			Province    string `json:"province"`
			Country     string `json:"country"`
			PostalCode  string `json:"postal_code"`
		} `json:"address"`
	} `json:"recipient"`
	Amt struct {
		TtlProductPrice float64 `json:"ttl_product_price"`
		ShippingCost    float64 `json:"shipping_cost"`
		InsuranceCost   float64 `json:"insurance_cost"`
		TtlAmount       float64 `json:"ttl_amount"`
		VoucherAmount   float64 `json:"voucher_amount"`
	} `json:"amt"`
}

func parseWebhook(_ *http.Request, body []byte) (*channel.Inbound, error) {
	var t webhookOrder
	if err := channel.DecodeJSON(body, &t); err != nil {
		return nil, err
	}
	if t.OrderID <= 0 {
		return nil, app.FieldError("order_id", "is required")
	}
	in := app.Incoming{Channel: app.ChannelTokopedia, ExternalID: strconv.FormatInt(t.OrderID, 10)}
	if t.OrderStatus != nil {
		in.ChannelStatus = strconv.Itoa(*t.OrderStatus)
		if _, err := app.StatusFromChannel(app.ChannelTokopedia, in.ChannelStatus); err != nil {
			return nil, app.FieldError("order_status", "unknown Tokopedia status code %d", *t.OrderStatus)
		}
	}
	if len(t.Products) > 0 {
		o := &app.Order{Number: t.InvoiceRefNum, Currency: app.IDR, CreatedAt: channel.ParseUnix(t.CreateTime),
			PaymentMethod: app.PayMarketplace, PaymentStatus: app.PaymentPaid}
		a := t.Recipient.Address
		o.Buyer = app.Buyer{Name: channel.FirstNonEmpty(t.Recipient.Name, t.Customer.Name), Phone: channel.FirstNonEmpty(t.Recipient.Phone, t.Customer.Phone),
			Email: t.Customer.Email, Address: app.Address{Street: a.AddressFull, District: a.District, City: a.City,
				Province: a.Province, PostalCode: a.PostalCode, Country: a.Country}}
		var err error
		if o.ShippingFee, err = rupiah("amt.shipping_cost", t.Amt.ShippingCost+t.Amt.InsuranceCost); err != nil {
			return nil, err
		}
		if o.Discount, err = rupiah("amt.voucher_amount", t.Amt.VoucherAmount); err != nil {
			return nil, err
		}
		if o.Total, err = rupiah("amt.ttl_amount", t.Amt.TtlAmount); err != nil {
			return nil, err
		}
		o.Paid = o.Total
		for i, p := range t.Products {
			field := "products[" + strconv.Itoa(i) + "]"
			if err := app.CheckQty(field+".quantity", p.Quantity); err != nil {
				return nil, err
			}
			price, err := rupiah(field+".price", p.Price)
			if err != nil {
				return nil, err
			}
			o.Lines = append(o.Lines, app.Line{SKU: p.SKU, Name: p.Name, Qty: p.Quantity, UnitPrice: price, ExternalID: strconv.FormatInt(p.ID, 10)})
		}
		in.Order = o
	}
	if in.Order == nil && in.ChannelStatus == "" {
		return nil, app.FieldError("order_status", "is required when the body carries no products")
	}
	return &channel.Inbound{Orders: []app.Incoming{in}}, nil
}
