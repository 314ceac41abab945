package tiktok

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

// Order is the part of Get Order Detail's order the register keeps
// (GET /order/202309/orders?ids=…,
// https://partner.tiktokshop.com/docv2/page/6894134ba28e5204961601a5; the
// page kept is the 202507 version, whose fields below are those of 202309):
//
//	{"id":"576461413038785752","status":"AWAITING_SHIPMENT","create_time":1619611561,"update_time":1619621355,
//	 "rts_sla_time":1619611688,"is_cod":false,"buyer_email":"v2b2V5@chat.seller.tiktok.com","buyer_message":"…",
//	 "payment_method_name":"CCDC","shipping_provider":"J&T Express","tracking_number":"JX12345",
//	 "payment":{"currency":"IDR","sub_total":"5000","shipping_fee":"5000","seller_discount":"5000",
//	   "platform_discount":"5000","total_amount":"5000","original_total_product_price":"5000","tax":"0"},
//	 "recipient_address":{"name":"…","phone_number":"(+62)812***","full_address":"…","address_detail":"…",
//	   "postal_code":"12160","region_code":"ID","district_info":[{"address_level_name":"Province",
//	   "address_name":"DKI Jakarta","address_level":"L1"}]},
//	 "line_items":[{"id":"577086512123755123","sku_id":"2729382476852921560","product_id":"1729582718312380123",
//	   "product_name":"…","sku_name":"Black, 26","seller_sku":"red_iphone_256","original_price":"5000",
//	   "sale_price":"5000","package_id":"1153132168123859123","display_status":"TO_SHIP"}],
//	 "packages":[{"id":"1153132168123859123"}]}
//
// TikTok lists one line item per unit: there is no quantity, so the
// register's lines are the line items counted by sku_id.
type Order struct {
	ID                string `json:"id"`
	Status            string `json:"status"`
	CreateTime        int64  `json:"create_time"`
	UpdateTime        int64  `json:"update_time"`
	RTSSLATime        int64  `json:"rts_sla_time"`
	IsCOD             bool   `json:"is_cod"`
	BuyerEmail        string `json:"buyer_email"`
	BuyerMessage      string `json:"buyer_message"`
	PaymentMethodName string `json:"payment_method_name"`
	ShippingProvider  string `json:"shipping_provider"`
	TrackingNumber    string `json:"tracking_number"`
	IsBuyerCancel     bool   `json:"is_buyer_request_cancel"`
	// DeliveryOptionID names the order's delivery option, whose couriers
	// Get Shipping Providers lists (a shop shipping with its own courier).
	DeliveryOptionID string `json:"delivery_option_id"`
	Payment          struct {
		Currency         string `json:"currency"`
		SubTotal         string `json:"sub_total"`
		ShippingFee      string `json:"shipping_fee"`
		SellerDiscount   string `json:"seller_discount"`
		PlatformDiscount string `json:"platform_discount"`
		TotalAmount      string `json:"total_amount"`
		Tax              string `json:"tax"`
	} `json:"payment"`
	Recipient struct {
		Name         string `json:"name"`
		Phone        string `json:"phone_number"`
		FullAddress  string `json:"full_address"`
		Detail       string `json:"address_detail"`
		PostalCode   string `json:"postal_code"`
		RegionCode   string `json:"region_code"`
		DistrictInfo []struct {
			LevelName string `json:"address_level_name"`
			Name      string `json:"address_name"`
			Level     string `json:"address_level"`
		} `json:"district_info"`
	} `json:"recipient_address"`
	LineItems []LineItem `json:"line_items"`
	Packages  []struct {
		ID string `json:"id"`
	} `json:"packages"`
	// PackageDetail is not TikTok's: Details adds the first package's
	// Get Package Detail answer here once the package has a tracking number.
	PackageDetail *Package `json:"package_detail,omitempty"`
}

// LineItem is one unit of one SKU of an order.
type LineItem struct {
	ID            string `json:"id"`
	SKUID         string `json:"sku_id"`
	ProductID     string `json:"product_id"`
	ProductName   string `json:"product_name"`
	SKUName       string `json:"sku_name"`
	SellerSKU     string `json:"seller_sku"`
	OriginalPrice string `json:"original_price"`
	SalePrice     string `json:"sale_price"`
	PackageID     string `json:"package_id"`
	DisplayStatus string `json:"display_status"`
}

// detailAnswer is Get Order Detail's data: {"orders":[…]}.
type detailAnswer struct {
	Orders []json.RawMessage `json:"orders"`
}

// order reads one order through Get Order Detail, as TikTok answers it.
func (a *Adapter) order(ctx context.Context, acc *account, id string) (json.RawMessage, *Order, error) {
	var ans detailAnswer
	if err := a.call(ctx, acc, http.MethodGet, "/order/"+Version+"/orders", url.Values{"ids": {id}}, nil, &ans); err != nil {
		return nil, nil, err
	}
	for _, raw := range ans.Orders {
		var o Order
		if err := json.Unmarshal(raw, &o); err != nil {
			return nil, nil, &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: "the order is not what was expected: " + err.Error(), Body: channel.Truncate(raw)}
		}
		if o.ID == id {
			return raw, &o, nil
		}
	}
	return nil, nil, &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: app.Text("TikTok Shop has no order %s", id).String()}
}

// Details fetches the order a push named (Get Order Detail), and, once its
// first package has left the seller, that package's detail for the
// courier and tracking number (Get Package Detail), added to the order as
// package_detail.
func (a *Adapter) Details(ctx context.Context, f map[string]string, externalID string) ([]byte, error) {
	acc, err := forShop(f)
	if err != nil {
		return nil, err
	}
	if err := app.ValidateExternalID(app.ChannelTikTok, "order_id", externalID); err != nil {
		return nil, err
	}
	raw, o, err := a.order(ctx, acc, externalID)
	if err != nil {
		return nil, err
	}
	if len(o.Packages) == 0 || !shipped(o.Status) {
		return raw, nil
	}
	p, err := a.pkg(ctx, acc, o.Packages[0].ID)
	if err != nil {
		return nil, err
	}
	var whole map[string]json.RawMessage
	if err := json.Unmarshal(raw, &whole); err != nil {
		return nil, &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: "the order is not a JSON object", Body: channel.Truncate(raw)}
	}
	whole["package_detail"] = mustJSON(p)
	return json.Marshal(whole)
}

// Refetch: once TikTok says the package is arranged or on its way, its
// details carry the courier and tracking number (channel.Refetcher).
func (a *Adapter) Refetch(code string) bool { return shipped(code) }

// shipped reports whether an order's status comes after the seller arranged shipment.
func shipped(status string) bool {
	switch status {
	case "AWAITING_COLLECTION", "PARTIALLY_SHIPPING", "IN_TRANSIT", "DELIVERED", "COMPLETED":
		return true
	}
	return false
}

// ParseDetails reads what Details fetched (channel.DetailParser).
func (a *Adapter) ParseDetails(raw []byte) (*app.Order, string, error) { return ParseOrder(raw) }

// money reads one of TikTok's decimal strings in the order's currency.
func money(c app.Currency, field, s string) (app.Money, error) {
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	m, err := c.ParseMoney(s)
	if err != nil || m < 0 {
		return 0, app.FieldError(field, "must be a non-negative amount in %s, got %q", string(c), s)
	}
	return m, nil
}

// ParseOrder reads Get Order Detail's order into the order the register
// keeps, and TikTok's status. Lines are linked by seller_sku; the buyer
// paid total_amount, and what the lines at their original price, the
// shipping and the tax come to above it is the discount (seller's and
// platform's together). Errors name TikTok's field.
func ParseOrder(raw []byte) (*app.Order, string, error) {
	var t Order
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, "", app.FieldError("data", "is not TikTok Shop's order: %s", err.Error())
	}
	if err := app.ValidateExternalID(app.ChannelTikTok, "id", t.ID); err != nil {
		return nil, "", err
	}
	if t.Status == "" {
		return nil, "", app.FieldError("status", "is required")
	}
	if _, err := app.StatusFromChannel(app.ChannelTikTok, t.Status); err != nil {
		return nil, "", app.FieldError("status", "unknown TikTok Shop status %q", t.Status)
	}
	cur := app.IDR
	if t.Payment.Currency != "" {
		c, err := app.ParseCurrency(t.Payment.Currency)
		if err != nil {
			return nil, "", app.FieldError("payment.currency", "%q is not a currency this shop keeps", t.Payment.Currency)
		}
		cur = c
	}
	r := t.Recipient
	street := strings.TrimSpace(r.Detail)
	if street == "" {
		street = strings.TrimSpace(r.FullAddress)
	}
	addr := app.Address{Street: street, PostalCode: r.PostalCode}
	for _, d := range r.DistrictInfo {
		switch d.Level {
		case "L0":
			addr.Country = d.Name
		case "L1":
			addr.Province = d.Name
		case "L2":
			addr.City = d.Name
		case "L3":
			addr.District = d.Name
		}
	}
	if addr.Country == "" && strings.EqualFold(r.RegionCode, "ID") {
		addr.Country = "Indonesia"
	}
	o := &app.Order{Currency: cur, PaymentMethod: app.PayMarketplace, PaymentStatus: app.PaymentPaid,
		Note:  strings.TrimSpace(t.BuyerMessage),
		Buyer: app.Buyer{Name: strings.TrimSpace(r.Name), Phone: strings.TrimSpace(r.Phone), Email: strings.TrimSpace(t.BuyerEmail), Address: addr}}
	if t.IsCOD {
		o.PaymentMethod = app.PayCOD
	}
	if t.Status == "UNPAID" {
		o.PaymentStatus = app.PaymentUnpaid
	}
	if t.CreateTime > 0 {
		o.CreatedAt = time.Unix(t.CreateTime, 0).UTC()
	}
	if t.UpdateTime > 0 {
		o.ChannelUpdatedAt = time.Unix(t.UpdateTime, 0).UTC()
	}
	if t.RTSSLATime > 0 {
		// rts_sla_time: "the latest shipping time specified by the platform".
		o.ShipBy = time.Unix(t.RTSSLATime, 0).UTC()
	}
	var err error
	if o.ShippingFee, err = money(cur, "payment.shipping_fee", t.Payment.ShippingFee); err != nil {
		return nil, "", err
	}
	if o.Tax, err = money(cur, "payment.tax", t.Payment.Tax); err != nil {
		return nil, "", err
	}
	if o.Total, err = money(cur, "payment.total_amount", t.Payment.TotalAmount); err != nil {
		return nil, "", err
	}
	lines, err := linesOf(cur, t.LineItems)
	if err != nil {
		return nil, "", err
	}
	o.Lines = lines
	if len(lines) > 0 && o.Total > 0 {
		var sum app.Money
		for _, l := range lines {
			sum += l.UnitPrice * app.Money(l.Qty)
		}
		d := sum + o.ShippingFee + o.Tax - o.Total
		if d < 0 {
			return nil, "", app.FieldError("payment.total_amount", "is more than the line items, shipping and tax together")
		}
		o.Discount = d
	}
	if o.PaymentStatus == app.PaymentPaid {
		o.Paid = o.Total
	}
	courier, tracking := strings.TrimSpace(t.ShippingProvider), strings.TrimSpace(t.TrackingNumber)
	if p := t.PackageDetail; p != nil && strings.TrimSpace(p.TrackingNumber) != "" {
		courier, tracking = strings.TrimSpace(p.ShippingProviderName), strings.TrimSpace(p.TrackingNumber)
	}
	if tracking != "" {
		o.Shipment.Courier, o.Shipment.TrackingID = courier, tracking
	}
	return o, t.Status, nil
}

// linesOf counts the line items per SKU id, in the order TikTok lists them.
func linesOf(cur app.Currency, items []LineItem) ([]app.Line, error) {
	var lines []app.Line
	at := map[string]int{}
	for i, it := range items {
		field := "line_items[" + strconv.Itoa(i) + "]"
		key := it.SKUID
		if key == "" {
			key = it.ID
		}
		if key == "" {
			return nil, app.FieldError(field+".sku_id", "is required")
		}
		price := it.OriginalPrice
		if strings.TrimSpace(price) == "" {
			price = it.SalePrice
		}
		unit, err := money(cur, field+".original_price", price)
		if err != nil {
			return nil, err
		}
		if n, ok := at[key]; ok {
			lines[n].Qty++
			continue
		}
		name := strings.TrimSpace(it.ProductName)
		if v := strings.TrimSpace(it.SKUName); v != "" && name != "" {
			name += " (" + v + ")"
		}
		at[key] = len(lines)
		lines = append(lines, app.Line{SKU: strings.TrimSpace(it.SellerSKU), Name: name, Qty: 1, UnitPrice: unit, ExternalID: key, Listing: it.SKUID})
	}
	return lines, nil
}
