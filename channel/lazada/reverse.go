package lazada

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

// MessageReverseOrder is the push type of a reverse order's status change,
// message_type 10 (Lazada Open Platform, "Webhook API Reverse Order
// Notifications", https://open.alitrip.com/docs/doc.htm?articleId=120232&docType=1&treeId=499,
// a copy of the Push Mechanism's page https://open.lazada.com/apps/doc/doc?nodeId=29526&docId=120168):
//
//	{"seller_id":"12345","message_type":10,"timestamp":1627889609,"site":"lazada_sg",
//	 "data":{"reverse_order_id":658960600102006,"reverse_status":"CANCEL_INIT",
//	         "trade_order_id":416557324702006,"trade_order_line_id":416557324802006,
//	         "buyer_id":100112802006,"seller_id":1000143772,
//	         "reverse_order_line_id":663790000102006,"status_update_time":1626767698,"extraParams":{}}}
//
// Of the reverse types the page lists (CANCEL, RTM and MIX-RETURN,
// ONLY_REFUND), CANCEL_INIT ("Cancellation Initiated": the buyer asks to
// cancel) is the one the shop decides; the rest are Lazada's returns and
// refunds, or the request's outcome, which the trade order pushes carry.
const MessageReverseOrder = 10

// ReverseCancelInit is the reverse status of a buyer's cancel request
// waiting for the seller, as the push names it.
const ReverseCancelInit = "CANCEL_INIT"

// reverseMessage is the data of a reverse order push.
type reverseMessage struct {
	ReverseOrderID     ID     `json:"reverse_order_id"`
	ReverseOrderLineID ID     `json:"reverse_order_line_id"`
	ReverseStatus      string `json:"reverse_status"`
	TradeOrderID       ID     `json:"trade_order_id"`
	TradeOrderLineID   ID     `json:"trade_order_line_id"`
	StatusUpdateTime   int64  `json:"status_update_time"`
}

// parseReverse reads a reverse order push: a buyer's cancel request opens
// the request on the order (app.Incoming.CancelRequested), for staff to
// approve or decline; every other reverse status is acknowledged.
func parseReverse(body []byte, pushedAt int64) (*channel.Inbound, error) {
	var p struct {
		Data reverseMessage `json:"data"`
	}
	if err := channel.DecodeJSON(body, &p); err != nil {
		return nil, err
	}
	d := p.Data
	if d.ReverseStatus != ReverseCancelInit {
		return &channel.Inbound{Ignore: "reverse status " + channel.Quote(d.ReverseStatus) + " is not a buyer's cancel request"}, nil
	}
	if err := app.ValidateExternalID(app.ChannelLazada, "data.trade_order_id", string(d.TradeOrderID)); err != nil {
		return nil, err
	}
	if err := app.CheckID("data.reverse_order_id", string(d.ReverseOrderID), app.MaxIDLen); err != nil {
		return nil, err
	}
	in := app.Incoming{Channel: app.ChannelLazada, ExternalID: string(d.TradeOrderID), CancelRequested: true}
	if d.StatusUpdateTime > 0 {
		in.UpdatedAt = time.Unix(d.StatusUpdateTime, 0).UTC()
	} else if pushedAt > 0 {
		in.UpdatedAt = time.UnixMilli(pushedAt).UTC()
	}
	return &channel.Inbound{Orders: []app.Incoming{in},
		Delivery: "lazada:reverse:" + string(d.ReverseOrderID) + ":" + string(d.ReverseOrderLineID) + ":" + d.ReverseStatus}, nil
}

// reverseOrder is one row of GetReverseOrdersForSeller's result.items
// (GET /reverse/getreverseordersforseller, https://open.lazada.com/apps/doc/api?path=%2Freverse%2Fgetreverseordersforseller):
//
//	{"result":{"success":true,"page_no":1,"page_size":10,"total":1,"items":[{"reverse_order_id":…,
//	 "trade_order_id":…,"request_type":"CANCEL","is_rtm":true,"shipping_type":"DEFAULT",
//	 "reverse_order_lines":[{"reverse_order_line_id":…,"trade_order_line_id":…,
//	 "reverse_status":"REQUEST_INITIATE","seller_sku_id":"…","reason_text":"…"}]}]},"code":"0"}
type reverseOrder struct {
	ReverseOrderID ID     `json:"reverse_order_id"`
	TradeOrderID   ID     `json:"trade_order_id"`
	RequestType    string `json:"request_type"`
	Lines          []struct {
		ReverseOrderLineID ID     `json:"reverse_order_line_id"`
		TradeOrderLineID   ID     `json:"trade_order_line_id"`
		ReverseStatus      string `json:"reverse_status"`
	} `json:"reverse_order_lines"`
}

// requestPending are the reverse statuses of a request that waits for the
// seller: the push's CANCEL_INIT, and REQUEST_INITIATE, the status the
// list API's page shows for a request just made.
var requestPending = map[string]bool{ReverseCancelInit: true, "REQUEST_INITIATE": true}

// pendingCancel is the buyer's cancel request of the order that waits for
// the seller, or nil. The register keeps no reverse order id, so it is
// looked up; a decision already made (or retold) finds none.
func (a *Adapter) pendingCancel(ctx context.Context, acc account, orderID string) (*reverseOrder, error) {
	_, raw, err := a.do(ctx, acc, a.api(acc, http.MethodGet, "/reverse/getreverseordersforseller", url.Values{
		"trade_order_id": {orderID}, "request_type_list": {`["CANCEL"]`}, "page_size": {"10"}, "page_no": {"1"}}))
	if err != nil {
		return nil, err
	}
	var ans struct {
		Result struct {
			Items []reverseOrder `json:"items"`
		} `json:"result"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return nil, &channel.Refusal{Platform: Platform, Status: http.StatusOK,
			Message: "the reverse orders are not what was expected: " + err.Error(), Body: channel.Truncate(raw)}
	}
	for i, ro := range ans.Result.Items {
		if string(ro.TradeOrderID) != orderID || !strings.EqualFold(ro.RequestType, "CANCEL") {
			continue
		}
		for _, l := range ro.Lines {
			if requestPending[strings.ToUpper(l.ReverseStatus)] {
				return &ans.Result.Items[i], nil
			}
		}
	}
	return nil, nil
}

// decide answers the buyer's cancel request
// (GET /order/reverse/cancel/seller/decide, https://open.lazada.com/apps/doc/api?path=%2Forder%2Freverse%2Fcancel%2Fseller%2Fdecide):
// reverse_order_id and agree_cancel (required), reason_code (the refusal's
// reason id); Lazada answers {"code":"0","request_id":"…"}.
func (a *Adapter) decide(ctx context.Context, acc account, ro *reverseOrder, agree bool, reason string) error {
	params := url.Values{"reverse_order_id": {string(ro.ReverseOrderID)}, "agree_cancel": {strconv.FormatBool(agree)}}
	if reason != "" {
		params.Set("reason_code", reason)
	}
	_, _, err := a.do(ctx, acc, a.api(acc, http.MethodGet, "/order/reverse/cancel/seller/decide", params))
	return err
}

// refuseReason is the reason a declined request gives: GetReverseOrderReasonList
// (GET /order/reverse/reason/list?reverse_order_line_id=…, https://open.lazada.com/apps/doc/api?path=%2Forder%2Freverse%2Freason%2Flist,
// "Need to be used in all refuse refund actions"):
// {"code":"0","data":[{"reason_id":"1000017","text":"out of stock","muti_language_text":"…"}]}.
// A reason that says the parcel is on its way is preferred; else Lazada's first.
func (a *Adapter) refuseReason(ctx context.Context, acc account, ro *reverseOrder) (string, error) {
	if len(ro.Lines) == 0 {
		return "", refuse("Lazada's cancel request names no line to decline")
	}
	var reasons []struct {
		ReasonID ID     `json:"reason_id"`
		Text     string `json:"text"`
	}
	if err := a.data(ctx, acc, a.api(acc, http.MethodGet, "/order/reverse/reason/list",
		url.Values{"reverse_order_line_id": {string(ro.Lines[0].ReverseOrderLineID)}}), &reasons); err != nil {
		return "", err
	}
	if len(reasons) == 0 {
		return "", refuse("Lazada offers no reason to decline this cancel request")
	}
	for _, r := range reasons {
		t := strings.ToLower(r.Text)
		if strings.Contains(t, "shipped") || strings.Contains(t, "packed") {
			return string(r.ReasonID), nil
		}
	}
	return string(reasons[0].ReasonID), nil
}

// approveCancel approves the buyer's pending cancel request and returns
// the order items (trade order lines) it covers; none when no request is
// pending (approved already, withdrawn, or never asked at Lazada).
func (a *Adapter) approveCancel(ctx context.Context, acc account, id string) (map[string]bool, error) {
	ro, err := a.pendingCancel(ctx, acc, id)
	if err != nil || ro == nil {
		return nil, err
	}
	covered := map[string]bool{}
	for _, l := range ro.Lines {
		covered[string(l.TradeOrderLineID)] = true
	}
	return covered, a.decide(ctx, acc, ro, true, "")
}

// uncovered are the items a buyer's approved request did not name.
func uncovered(items []Item, covered map[string]bool) []Item {
	if len(covered) == 0 {
		return items
	}
	var out []Item
	for _, it := range items {
		if !covered[string(it.OrderItemID)] {
			out = append(out, it)
		}
	}
	return out
}

// declineCancel refuses the buyer's pending cancel request with Lazada's
// reason; with none pending (declined already, or withdrawn) there is nothing to tell.
func (a *Adapter) declineCancel(ctx context.Context, acc account, id string) error {
	ro, err := a.pendingCancel(ctx, acc, id)
	if err != nil || ro == nil {
		return err
	}
	reason, err := a.refuseReason(ctx, acc, ro)
	if err != nil {
		return err
	}
	return a.decide(ctx, acc, ro, false, reason)
}
