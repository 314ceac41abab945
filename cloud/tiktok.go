package cloud

import (
	"net/http"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// TikTok Shop webhook, ORDER_STATUS_CHANGE (type 1):
// https://partner.tiktokshop.com/docv2/page/650300f6f1fd3102b93d29ec (order status change)
// and, for the signature, https://www.skills.sh/hookdeck/webhook-skills/tiktok-shop-webhooks.
//
//	{"type":1,"tts_notification_id":"7327112393057371910","shop_id":"7494049642642441621",
//	 "timestamp":1644412885,"data":{"order_id":"576462320221111111","order_status":"AWAITING_SHIPMENT",
//	 "is_on_hold_order":false,"update_time":1644412883}}
//
// Authorization = hex HMAC-SHA256(app secret, app key + body), no "Bearer".
type tiktokHook struct{}

// Verify checks Authorization with the account's app_secret and app_key.
func (tiktokHook) Verify(fields map[string]string, r *http.Request, body []byte) bool {
	return appKeySigned(fields, r, body)
}

// Parse reads an order status change.
func (tiktokHook) Parse(r *http.Request, body []byte) (*channel.Inbound, error) {
	return parseTikTok(r, body)
}

// StatusOnly: TikTok Shop pushes only the order id and its status.
func (tiktokHook) StatusOnly() bool { return true }

type tiktokPush struct {
	Type           int    `json:"type"`
	NotificationID string `json:"tts_notification_id"`
	ShopID         string `json:"shop_id"`
	Timestamp      int64  `json:"timestamp"`
	Data           struct {
		OrderID     string `json:"order_id"`
		OrderStatus string `json:"order_status"`
		UpdateTime  int64  `json:"update_time"`
	} `json:"data"`
}

// tiktokOrderStatusChange is the webhook type of order status changes.
const tiktokOrderStatusChange = 1

func parseTikTok(_ *http.Request, body []byte) (*channel.Inbound, error) {
	var p tiktokPush
	if err := decodeJSON(body, &p); err != nil {
		return nil, err
	}
	if p.Type != tiktokOrderStatusChange {
		return &channel.Inbound{Ignore: "type is not ORDER_STATUS_CHANGE"}, nil
	}
	if err := app.ValidateExternalID(app.ChannelTikTok, "data.order_id", p.Data.OrderID); err != nil {
		return nil, err
	}
	if p.NotificationID != "" {
		if err := app.CheckID("tts_notification_id", p.NotificationID, app.MaxIDLen); err != nil {
			return nil, err
		}
	}
	if p.Data.OrderStatus == "" {
		return nil, app.FieldError("data.order_status", "is required")
	}
	if _, err := app.StatusFromChannel(app.ChannelTikTok, p.Data.OrderStatus); err != nil {
		return nil, app.FieldError("data.order_status", "unknown TikTok Shop status %q", p.Data.OrderStatus)
	}
	return &channel.Inbound{
		Orders:   []app.Incoming{{Channel: app.ChannelTikTok, ExternalID: p.Data.OrderID, ChannelStatus: p.Data.OrderStatus}},
		Delivery: p.NotificationID,
	}, nil
}

// appKeySigned verifies Authorization = hex HMAC-SHA256(app_secret, app_key +
// body), TikTok Shop's push signature (Lazada's too, in channel/lazada).
func appKeySigned(fields map[string]string, r *http.Request, body []byte) bool {
	secret := fields["app_secret"]
	return equalSig(secret, r.Header.Get("Authorization"), SignHex(secret, []byte(fields["app_key"]), body))
}
