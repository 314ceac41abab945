package cloud

import (
	"net/http"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// Lazada Open Platform push mechanism, trade order message (message_type 0):
// https://open.lazada.com/apps/doc/doc?nodeId=29526&docId=120168
//
//	{"seller_id":"1234567","message_type":0,"timestamp":1603766859530,"site":"lazada_id",
//	 "data":{"order_status":"pending","trade_order_id":"260422900198","trade_order_line_id":"260422900298",
//	         "status_update_time":1603698638}}
//
// Lazada pushes once per order line, so each push adds its line (by
// trade_order_line_id) to one order, "details pending" until a connector
// fetches the items. Authorization = hex HMAC-SHA256(app secret, app key + body).
type lazadaHook struct{}

// Verify checks Authorization with the account's app_secret and app_key.
func (lazadaHook) Verify(fields map[string]string, r *http.Request, body []byte) bool {
	return appKeySigned(fields, r, body)
}

// Parse reads a trade order push.
func (lazadaHook) Parse(r *http.Request, body []byte) (*channel.Inbound, error) {
	return parseLazada(r, body)
}

// StatusOnly: Lazada pushes only the order, its line and a status.
func (lazadaHook) StatusOnly() bool { return true }

// appKeySigned verifies Authorization = hex HMAC-SHA256(app_secret, app_key +
// body), the scheme Lazada and TikTok Shop share.
func appKeySigned(fields map[string]string, r *http.Request, body []byte) bool {
	secret := fields["app_secret"]
	return equalSig(secret, r.Header.Get("Authorization"), SignHex(secret, []byte(fields["app_key"]), body))
}

type lazadaPush struct {
	SellerID    string `json:"seller_id"`
	MessageType int    `json:"message_type"`
	Timestamp   int64  `json:"timestamp"`
	Site        string `json:"site"`
	Data        struct {
		OrderStatus      string `json:"order_status"`
		TradeOrderID     string `json:"trade_order_id"`
		TradeOrderLineID string `json:"trade_order_line_id"`
		StatusUpdateTime int64  `json:"status_update_time"`
	} `json:"data"`
}

func parseLazada(_ *http.Request, body []byte) (*channel.Inbound, error) {
	var p lazadaPush
	if err := decodeJSON(body, &p); err != nil {
		return nil, err
	}
	if p.MessageType != 0 {
		return &channel.Inbound{Ignore: "message_type is not a trade order"}, nil
	}
	d := p.Data
	if err := app.ValidateExternalID(app.ChannelLazada, "data.trade_order_id", d.TradeOrderID); err != nil {
		return nil, err
	}
	if d.OrderStatus == "" {
		return nil, app.FieldError("data.order_status", "is required")
	}
	if _, err := app.StatusFromChannel(app.ChannelLazada, d.OrderStatus); err != nil {
		return nil, app.FieldError("data.order_status", "unknown Lazada status %q", d.OrderStatus)
	}
	in := app.Incoming{Channel: app.ChannelLazada, ExternalID: d.TradeOrderID, ChannelStatus: d.OrderStatus}
	if d.TradeOrderLineID != "" {
		if err := app.CheckID("data.trade_order_line_id", d.TradeOrderLineID, app.MaxIDLen); err != nil {
			return nil, err
		}
		// The push names the line but not its product: a placeholder that
		// moves no stock until the details arrive.
		in.Line = &app.Line{ExternalID: d.TradeOrderLineID, Name: "Lazada item " + d.TradeOrderLineID + " (details pending)", Qty: 1}
	}
	return &channel.Inbound{Orders: []app.Incoming{in}}, nil
}
