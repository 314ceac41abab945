package shopee

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// Push codes the adapter reads ("Push Mechanism notifications",
// https://open.shopee.com/push-mechanism/1 order status, /push-mechanism/2
// tracking number); the rest are acknowledged and ignored.
const (
	PushOrderStatus = 3
	PushTrackingNo  = 4
)

// Push is one delivery to the partner's callback URL. The order status
// push (code 3):
//
//	{"msg_id":"…","shop_id":778899,"code":3,"timestamp":1660123127,
//	 "data":{"ordersn":"220810ABCDEF","status":"READY_TO_SHIP","completed_scenario":"","update_time":1660123126}}
//
// and the tracking number push (code 4):
//
//	{"msg_id":"…","shop_id":778899,"code":4,"timestamp":1767833661,
//	 "data":{"ordersn":"26010336BPD1G2","forder_id":"5867907859180059055",
//	   "package_number":"OFG221109914227949","tracking_no":"SPXID069148014501"}}
//
// The push pages' bodies could not be read in this session: the code 3
// shape is the one cloud/shopee.go took from developer guide 13, and the
// code 4 shape is a raw body a seller's integration logged (public code
// search); msg_id is optional.
type Push struct {
	MsgID     string `json:"msg_id"`
	ShopID    int64  `json:"shop_id"`
	Code      int    `json:"code"`
	Timestamp int64  `json:"timestamp"`
	Data      struct {
		OrderSN       string `json:"ordersn"`
		Status        string `json:"status"`
		UpdateTime    int64  `json:"update_time"`
		PackageNumber string `json:"package_number"`
		TrackingNo    string `json:"tracking_no"`
	} `json:"data"`
}

// PushSignature is the Authorization header of a push: hex
// HMAC-SHA256(partner_key, callback URL + "|" + body) ("Push
// Authorization" of the push mechanism guide).
func PushSignature(partnerKey, pushURL string, body []byte) string {
	b := make([]byte, 0, len(pushURL)+1+len(body))
	b = append(append(append(b, pushURL...), '|'), body...)
	return Sign(partnerKey, string(b))
}

// Verify checks a push signed with secret, which is "push_url\x00partner_key"
// (the URL is part of what Shopee signs); a secret with no URL matches nothing.
func (a *Adapter) Verify(secret, sig string, body []byte) bool {
	pushURL, key, ok := strings.Cut(secret, "\x00")
	if !ok || pushURL == "" {
		return false
	}
	return channel.EqualHex(key, sig, PushSignature(key, pushURL, body))
}

// Hook reads Shopee's pushes (channel.Hook) at the one callback URL every
// shop of the partner app shares (channel.Router). It is its own type
// because channel.Adapter's Verify takes one secret and channel.Hook's the
// account.
type Hook struct{}

var (
	_ channel.Hook   = Hook{}
	_ channel.Router = Hook{}
	_ channel.Acker  = Hook{}
)

// Verify checks the Authorization header with the account's partner_key
// over its push_url, the callback URL exactly as registered in Shopee's
// console (a proxy in front of the cloud changes the URL the cloud sees,
// not the one Shopee signed). A shop on a generated secret, which has no
// push_url, is signed over the URL the delivery came to.
func (Hook) Verify(f map[string]string, r *http.Request, body []byte) bool {
	key, pushURL := f["partner_key"], strings.TrimSpace(f["push_url"])
	if pushURL == "" {
		pushURL = channel.RequestURL(r)
	}
	return channel.EqualHex(key, r.Header.Get("Authorization"), PushSignature(key, pushURL, body))
}

// StatusOnly: a push carries an order number and a status or a tracking
// number, never the whole order, so its body is small.
func (Hook) StatusOnly() bool { return true }

// ShopField is the account field Shopee's pushes are routed by.
func (Hook) ShopField() string { return "shop_id" }

// PushShop reads shop_id out of a push body.
func (Hook) PushShop(_ *http.Request, body []byte) (string, error) {
	var p struct {
		ShopID json.Number `json:"shop_id"`
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&p); err != nil {
		return "", app.FieldError("shop_id", "the push is not JSON: %s", err.Error())
	}
	n, err := strconv.ParseInt(p.ShopID.String(), 10, 64)
	if err != nil || n <= 0 {
		return "", app.FieldError("shop_id", "must be a positive whole number, got %q", p.ShopID.String())
	}
	return strconv.FormatInt(n, 10), nil
}

// Ack is Shopee's expected answer: HTTP 200 with an empty body.
func (Hook) Ack() (string, []byte) { return "", nil }

// Parse reads an order status push (the status, ordered by Shopee's
// update_time) or a tracking number push (the parcel's tracking ID); other
// codes are acknowledged and ignored.
func (Hook) Parse(_ *http.Request, body []byte) (*channel.Inbound, error) {
	var p Push
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, app.FieldError("body", "is not a Shopee push: %s", err.Error())
	}
	in := &channel.Inbound{}
	if p.MsgID != "" {
		in.Delivery = "shopee:" + p.MsgID
	}
	switch p.Code {
	case PushOrderStatus, PushTrackingNo:
	default:
		in.Ignore = "push code " + strconv.Itoa(p.Code) + " is not an order update"
		return in, nil
	}
	if err := app.ValidateExternalID(app.ChannelShopee, "data.ordersn", p.Data.OrderSN); err != nil {
		return nil, err
	}
	if p.Code == PushTrackingNo {
		tn := strings.TrimSpace(p.Data.TrackingNo)
		if tn == "" {
			return nil, app.FieldError("data.tracking_no", "is required")
		}
		if app.ValidateTrackingID(tn) != nil {
			return nil, app.FieldError("data.tracking_no", "is not a tracking ID: %q", tn)
		}
		in.Orders = []app.Incoming{{Channel: app.ChannelShopee, ExternalID: p.Data.OrderSN,
			Order: &app.Order{DetailsPending: true, Shipment: app.Shipment{TrackingID: tn}}}}
		return in, nil
	}
	if p.Data.Status == "" {
		return nil, app.FieldError("data.status", "is required")
	}
	if _, err := app.StatusFromChannel(app.ChannelShopee, p.Data.Status); err != nil {
		return nil, app.FieldError("data.status", "unknown Shopee status %q", p.Data.Status)
	}
	inc := app.Incoming{Channel: app.ChannelShopee, ExternalID: p.Data.OrderSN, ChannelStatus: strings.ToUpper(strings.TrimSpace(p.Data.Status))}
	if p.Data.UpdateTime > 0 {
		inc.UpdatedAt = time.Unix(p.Data.UpdateTime, 0).UTC()
	}
	in.Orders = []app.Incoming{inc}
	return in, nil
}
