package cloud

import (
	"net/http"

	"github.com/kasir/pos/app"
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
var lazadaHook = channelHook{verify: appKeySigned(SecretLazada, SecretLazadaKey), parse: parseLazada, statusOnly: true}

// appKeySigned verifies Authorization = hex HMAC-SHA256(app secret, app key +
// body), the scheme Lazada and TikTok Shop share.
func appKeySigned(secretName, keyName string) func(Secrets, *http.Request, []byte) bool {
	return func(sec Secrets, r *http.Request, body []byte) bool {
		secret := sec[secretName]
		return equalSig(secret, r.Header.Get("Authorization"), SignHex(secret, []byte(sec[keyName]), body))
	}
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

func parseLazada(_ *http.Request, body []byte) (*inbound, error) {
	var p lazadaPush
	if err := decodeJSON(body, &p); err != nil {
		return nil, err
	}
	if p.MessageType != 0 {
		return &inbound{ignore: "message_type is not a trade order"}, nil
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
	return &inbound{orders: []app.Incoming{in}}, nil
}
