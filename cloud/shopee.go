package cloud

import (
	"net/http"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// Shopee Open Platform push mechanism, order status push (code 3):
// https://open.shopee.com/developer-guide/13 and
// https://open.shopee.com/push-mechanism/5 (order_status_push).
//
//	{"shop_id":123,"code":3,"timestamp":1660123127,
//	 "data":{"ordersn":"220810ABCDEF","status":"READY_TO_SHIP","update_time":1660123126}}
//
// Authorization = hex HMAC-SHA256(partner key, callback URL + "|" + body). The
// push carries only the order number and its new status, so an unknown
// order is created "details pending".
type shopeeHook struct{}

// Verify checks Authorization with the account's partner_key.
func (shopeeHook) Verify(fields map[string]string, r *http.Request, body []byte) bool {
	secret := fields["partner_key"]
	return equalSig(secret, r.Header.Get("Authorization"), SignHex(secret, []byte(channel.RequestURL(r)), []byte("|"), body))
}

// Parse reads an order status push.
func (shopeeHook) Parse(r *http.Request, body []byte) (*channel.Inbound, error) {
	return parseShopee(r, body)
}

// StatusOnly: Shopee pushes only the order number and its status.
func (shopeeHook) StatusOnly() bool { return true }

type shopeePush struct {
	ShopID    int64 `json:"shop_id"`
	Code      int   `json:"code"`
	Timestamp int64 `json:"timestamp"`
	Data      struct {
		OrderSN    string `json:"ordersn"`
		Status     string `json:"status"`
		UpdateTime int64  `json:"update_time"`
	} `json:"data"`
}

// shopeeOrderStatusPush is the push code of order status changes.
const shopeeOrderStatusPush = 3

func parseShopee(_ *http.Request, body []byte) (*channel.Inbound, error) {
	var p shopeePush
	if err := decodeJSON(body, &p); err != nil {
		return nil, err
	}
	if p.Code != shopeeOrderStatusPush {
		return &channel.Inbound{Ignore: "push code is not an order status change"}, nil
	}
	if err := app.ValidateExternalID(app.ChannelShopee, "data.ordersn", p.Data.OrderSN); err != nil {
		return nil, err
	}
	if p.Data.Status == "" {
		return nil, app.FieldError("data.status", "is required")
	}
	if _, err := app.StatusFromChannel(app.ChannelShopee, p.Data.Status); err != nil {
		return nil, app.FieldError("data.status", "unknown Shopee status %q", p.Data.Status)
	}
	return &channel.Inbound{Orders: []app.Incoming{{Channel: app.ChannelShopee, ExternalID: p.Data.OrderSN, ChannelStatus: p.Data.Status}}}, nil
}
