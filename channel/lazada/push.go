package lazada

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// Message is one Lazada Push Mechanism message, trade order type (message_type 0)
// (https://open.lazada.com/apps/doc/doc?nodeId=29526&docId=120168):
//
//	POST {push url}
//	Authorization: 34f7b258df045d4ed9341850ca85b866f34828fd7d51862f11137216294a894c
//	{"seller_id":"1234567","message_type":0,"timestamp":1603766859530,"site":"lazada_id",
//	 "data":{"order_status":"pending","trade_order_id":"260422900198363",
//	         "trade_order_line_id":"260422900298363","status_update_time":1603698638}}
//
// Lazada pushes once per order line: trade_order_id is the API's order_id,
// trade_order_line_id its order_item_id. A reverse order push (message_type
// 10, reverse.go) opens a buyer's cancel request; other message types
// (products, sellers) are acknowledged and not written.
type Message struct {
	SellerID    ID     `json:"seller_id"`
	MessageType int    `json:"message_type"`
	Timestamp   int64  `json:"timestamp"`
	Site        string `json:"site"`
	Data        struct {
		OrderStatus      string `json:"order_status"`
		TradeOrderID     ID     `json:"trade_order_id"`
		TradeOrderLineID ID     `json:"trade_order_line_id"`
		StatusUpdateTime int64  `json:"status_update_time"`
	} `json:"data"`
}

// MessageTradeOrder is the push type of an order line's status change.
const MessageTradeOrder = 0

// PushSignature is the Authorization a push carries: hex HMAC-SHA256 with
// the app secret over the app key followed by the body, byte for byte
// (https://open.lazada.com/apps/doc/doc?nodeId=29526&docId=120168, "Authorization").
func PushSignature(appKey, appSecret string, body []byte) string {
	return channel.SignHex(appSecret, append([]byte(appKey), body...))
}

// Hook reads Lazada's pushes (channel.Hook) at the one URL of the partner
// app (channel.Router), found by the seller_id they name.
type Hook struct{}

var (
	_ channel.Hook   = Hook{}
	_ channel.Router = Hook{}
)

// Verify checks a push's Authorization header against the account's app
// key and secret, in constant time, hex in either case.
func (Hook) Verify(f map[string]string, r *http.Request, body []byte) bool {
	key := f["app_key"]
	if key == "" {
		return false
	}
	return (&Adapter{}).Verify(f["app_secret"], r.Header.Get("Authorization"), append([]byte(key), body...))
}

// Verify reports whether sig is Lazada's push signature made with secret
// (channel.Adapter): signed is what Lazada signs, the app key followed by
// the push's body.
func (a *Adapter) Verify(secret, sig string, signed []byte) bool {
	return channel.EqualHex(secret, sig, channel.SignHex(secret, signed))
}

// StatusOnly: a push carries an order line's id and status, never a whole
// order, so the cloud reads little of it.
func (Hook) StatusOnly() bool { return true }

// ShopField is the account field that holds the seller a push names.
func (Hook) ShopField() string { return "seller_id" }

// PushShop reads the seller_id a push names; it only chooses whose keys verify it.
func (Hook) PushShop(_ *http.Request, body []byte) (string, error) {
	var p struct {
		SellerID ID `json:"seller_id"`
	}
	if err := channel.DecodeJSON(body, &p); err != nil {
		return "", err
	}
	if p.SellerID == "" {
		return "", app.FieldError("seller_id", "is required")
	}
	return string(p.SellerID), app.CheckID("seller_id", string(p.SellerID), app.MaxIDLen)
}

// Parse reads a verified push into one line's status: the line (by its
// order_item_id) joins the order, "details pending" until the follower
// fetches GetOrder and GetOrderItems.
func (Hook) Parse(_ *http.Request, body []byte) (*channel.Inbound, error) {
	var p Message
	if err := channel.DecodeJSON(body, &p); err != nil {
		return nil, err
	}
	if p.MessageType == MessageReverseOrder {
		return parseReverse(body, p.Timestamp)
	}
	if p.MessageType != MessageTradeOrder {
		return &channel.Inbound{Ignore: "message_type " + strconv.Itoa(p.MessageType) + " is neither a trade nor a reverse order"}, nil
	}
	d := p.Data
	if err := app.ValidateExternalID(app.ChannelLazada, "data.trade_order_id", string(d.TradeOrderID)); err != nil {
		return nil, err
	}
	if d.OrderStatus == "" {
		return nil, app.FieldError("data.order_status", "is required")
	}
	if _, err := app.StatusFromChannel(app.ChannelLazada, d.OrderStatus); err != nil {
		return nil, app.FieldError("data.order_status", "unknown Lazada status %q", d.OrderStatus)
	}
	in := app.Incoming{Channel: app.ChannelLazada, ExternalID: string(d.TradeOrderID), ChannelStatus: d.OrderStatus}
	if d.StatusUpdateTime > 0 {
		// status_update_time is in seconds, the push's own timestamp in ms:
		// the status's time orders the pushes, the push's only when it has none.
		in.UpdatedAt = time.Unix(d.StatusUpdateTime, 0).UTC()
	} else if p.Timestamp > 0 {
		in.UpdatedAt = time.UnixMilli(p.Timestamp).UTC()
	}
	if d.TradeOrderLineID != "" {
		line := string(d.TradeOrderLineID)
		if err := app.CheckID("data.trade_order_line_id", line, app.MaxIDLen); err != nil {
			return nil, err
		}
		// The push names the line but not its product: a placeholder that
		// moves no stock until the details fill it in.
		in.Line = &app.Line{ExternalID: line, Name: "Lazada item " + line + " (details pending)", Qty: 1}
	}
	// One delivery per line and status: Lazada retries a push it did not
	// see acknowledged, and each retry must change nothing.
	delivery := "lazada:" + string(d.TradeOrderID) + ":" + string(d.TradeOrderLineID) + ":" + d.OrderStatus
	if d.StatusUpdateTime > 0 {
		delivery += ":" + strconv.FormatInt(d.StatusUpdateTime, 10)
	}
	return &channel.Inbound{Orders: []app.Incoming{in}, Delivery: delivery}, nil
}
