package tiktok

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// Webhook types the register reads ("TikTok Shop webhooks",
// https://partner.tiktokshop.com/docv2/page/6504244ede672602b77f2e41).
const (
	TypeOrderStatus  = 1
	TypeCancellation = 11
)

// Push is a webhook delivery
// (order status change, https://partner.tiktokshop.com/docv2/page/650300b8a57708028b430b4a;
// cancellation status change, https://partner.tiktokshop.com/docv2/page/65030150746462028285f657):
//
//	{"type":1,"tts_notification_id":"7327112393057371910","shop_id":"7494049642642441621","timestamp":1644412885,
//	 "data":{"order_id":"576486316948490001","order_status":"UNPAID","is_on_hold_order":false,"update_time":1644412885}}
//	{"type":11,"tts_notification_id":"…","shop_id":"…","timestamp":1644412885,
//	 "data":{"order_id":"…","cancellations_role":"BUYER","cancel_status":"CANCELLATION_REQUEST_PENDING",
//	   "cancel_id":"4035318504086604100","create_time":1627587600}}
type Push struct {
	Type           int    `json:"type"`
	NotificationID string `json:"tts_notification_id"`
	ShopID         string `json:"shop_id"`
	Timestamp      int64  `json:"timestamp"`
	Data           struct {
		OrderID      string `json:"order_id"`
		OrderStatus  string `json:"order_status"`
		UpdateTime   int64  `json:"update_time"`
		Role         string `json:"cancellations_role"`
		CancelStatus string `json:"cancel_status"`
		CancelID     string `json:"cancel_id"`
		CreateTime   int64  `json:"create_time"`
	} `json:"data"`
}

// Hook reads TikTok Shop's webhooks (channel.Hook) at the one push URL
// every shop of the app shares (channel.Router). It is its own type because
// channel.Adapter's Verify takes one secret and channel.Hook's the account.
type Hook struct{}

var (
	_ channel.Hook   = Hook{}
	_ channel.Router = Hook{}
)

// Verify checks the Authorization header: hex HMAC-SHA256(app_secret,
// app_key + body), either case, in constant time.
func (Hook) Verify(f map[string]string, r *http.Request, body []byte) bool {
	key, sec := strings.TrimSpace(f["app_key"]), f["app_secret"]
	if key == "" {
		return false
	}
	return channel.EqualHex(sec, r.Header.Get("Authorization"), PushSignature(key, sec, body))
}

// StatusOnly: TikTok's pushes carry an order id and a status, never the order.
func (Hook) StatusOnly() bool { return true }

// ShopField is the account field holding TikTok's shop id.
func (Hook) ShopField() string { return "shop_id" }

// PushShop reads shop_id out of a push, before it is verified.
func (Hook) PushShop(_ *http.Request, body []byte) (string, error) {
	var p struct {
		ShopID json.RawMessage `json:"shop_id"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return "", app.FieldError("body", "is not JSON: %s", err.Error())
	}
	var s string
	if json.Unmarshal(p.ShopID, &s) != nil {
		s = strings.TrimSpace(string(p.ShopID)) // a number, as some pushes send it
	}
	if s == "" || s == "null" {
		return "", app.FieldError("shop_id", "is required")
	}
	if err := app.CheckID("shop_id", s, app.MaxIDLen); err != nil {
		return "", err
	}
	return s, nil
}

// cancellation reads a cancellation status change: a buyer's request
// pending the seller opens the request on the order. Its other statuses
// end in an order status change (CANCEL) or leave the order as it was.
func cancellation(p Push) (*channel.Inbound, error) {
	if err := app.ValidateExternalID(app.ChannelTikTok, "data.order_id", p.Data.OrderID); err != nil {
		return nil, err
	}
	if p.Data.Role != "BUYER" || p.Data.CancelStatus != Pending {
		return &channel.Inbound{Ignore: app.Text("TikTok Shop cancellation %s by %s changes nothing here", p.Data.CancelStatus, p.Data.Role).String(), Delivery: p.NotificationID}, nil
	}
	in := app.Incoming{Channel: app.ChannelTikTok, ExternalID: p.Data.OrderID, CancelRequested: true}
	if p.Data.CreateTime > 0 {
		in.UpdatedAt = time.Unix(p.Data.CreateTime, 0).UTC()
	}
	return &channel.Inbound{Orders: []app.Incoming{in}, Delivery: p.NotificationID}, nil
}

// Parse reads an order status change as a status push (the order's
// details are fetched after) and a buyer's cancellation request, and
// ignores the other types.
func (Hook) Parse(_ *http.Request, body []byte) (*channel.Inbound, error) {
	var p Push
	if err := channel.DecodeJSON(body, &p); err != nil {
		return nil, err
	}
	if p.NotificationID != "" {
		if err := app.CheckID("tts_notification_id", p.NotificationID, app.MaxIDLen); err != nil {
			return nil, err
		}
	}
	if p.Type == TypeCancellation {
		return cancellation(p)
	}
	if p.Type != TypeOrderStatus {
		return &channel.Inbound{Ignore: app.Text("TikTok Shop webhook type %d is not read", p.Type).String(), Delivery: p.NotificationID}, nil
	}
	if err := app.ValidateExternalID(app.ChannelTikTok, "data.order_id", p.Data.OrderID); err != nil {
		return nil, err
	}
	if p.Data.OrderStatus == "" {
		return nil, app.FieldError("data.order_status", "is required")
	}
	if _, err := app.StatusFromChannel(app.ChannelTikTok, p.Data.OrderStatus); err != nil {
		return nil, app.FieldError("data.order_status", "unknown TikTok Shop status %q", p.Data.OrderStatus)
	}
	in := app.Incoming{Channel: app.ChannelTikTok, ExternalID: p.Data.OrderID, ChannelStatus: p.Data.OrderStatus}
	if p.Data.UpdateTime > 0 {
		// Pushes come in any order; TikTok's update_time orders them.
		in.UpdatedAt = time.Unix(p.Data.UpdateTime, 0).UTC()
	}
	return &channel.Inbound{Orders: []app.Incoming{in}, Delivery: p.NotificationID}, nil
}
