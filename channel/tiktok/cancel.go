package tiktok

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/kasir/pos/app"
)

// Seller cancel reasons of the Indonesian market, by TikTok's status
// ("Cancel reasons", https://partner.tiktokshop.com/docv2/page/67e61eee427345048595487d):
// UNPAID orders take the seller_cancel_unpaid_reason_* names, ON_HOLD and
// AWAITING_SHIPMENT the seller_cancel_reason_* ones. A reason that does not
// fit the status is refused with 25001021.
var cancelReasons = map[app.CancelReason][2]string{
	app.CancelOutOfStock:   {"seller_cancel_unpaid_reason_out_of_stock", "seller_cancel_reason_out_of_stock"},
	app.CancelBuyerRequest: {"seller_cancel_unpaid_reason_buyer_requested_cancellation", "seller_cancel_paid_reason_buyer_requested_cancellation"},
	app.CancelByBuyer:      {"seller_cancel_unpaid_reason_buyer_requested_cancellation", "seller_cancel_paid_reason_buyer_requested_cancellation"},
}

// RejectReason is the reason a declined buyer cancel request gives: the
// one every market lists (cancel reasons page, "Seller Reject Cancel Request Reason").
const RejectReason = "seller_reject_apply_product_has_been_packed"

// CancelReason is TikTok's reason for how the register ended an order in
// TikTok's status. A seller's own reason and the deadline have no reason
// of their own in Indonesia (out of stock, pricing error, and until 2025
// an undeliverable address are all it lists): out of stock is the one
// that says the shop cannot fulfil it.
func CancelReason(o *app.Order) string {
	r, ok := cancelReasons[o.CancelReason]
	if !ok {
		r = cancelReasons[app.CancelOutOfStock]
	}
	if o.ChannelStatus == "UNPAID" {
		return r[0]
	}
	return r[1]
}

// Cancellation is one row of Search Cancellations
// (POST /return_refund/202309/cancellations/search,
// https://partner.tiktokshop.com/docv2/page/650ab68bc16ffe02b8f2ea41):
// {"cancellations":[{"cancel_id":"4035318504086604100","order_id":"…","cancel_type":"BUYER_CANCEL",
// "cancel_status":"CANCELLATION_REQUEST_PENDING","role":"BUYER","cancel_reason":"…"}],"next_page_token":"…"}.
type Cancellation struct {
	CancelID     string `json:"cancel_id"`
	OrderID      string `json:"order_id"`
	CancelType   string `json:"cancel_type"`
	CancelStatus string `json:"cancel_status"`
	Role         string `json:"role"`
	CancelReason string `json:"cancel_reason"`
}

// Pending is the status of a cancellation that waits for the seller.
const Pending = "CANCELLATION_REQUEST_PENDING"

// pendingCancel is the buyer's cancellation of the order that waits for
// the seller, or nil: the register keeps no cancel id, so it is looked up.
func (a *Adapter) pendingCancel(ctx context.Context, acc *account, orderID string) (*Cancellation, error) {
	var ans struct {
		Cancellations []Cancellation `json:"cancellations"`
	}
	err := a.call(ctx, acc, http.MethodPost, "/return_refund/"+Version+"/cancellations/search", url.Values{"page_size": {"50"}},
		map[string]any{"order_ids": []string{orderID}, "cancel_status": []string{Pending}}, &ans)
	if err != nil {
		return nil, err
	}
	for i, c := range ans.Cancellations {
		if c.OrderID == orderID && c.CancelStatus == Pending {
			return &ans.Cancellations[i], nil
		}
	}
	return nil, nil
}

// cancel ends the order at TikTok. An approved buyer request approves the
// buyer's own cancellation (POST /return_refund/202309/cancellations/{cancel_id}/approve,
// https://partner.tiktokshop.com/docv2/page/650ab6eff1fd3102b92e6a92); anything else is
// the seller's cancel (POST /return_refund/202309/cancellations,
// https://partner.tiktokshop.com/docv2/page/650aecb64a0bb702c076b03d):
// {"order_id":"…","cancel_reason":"seller_cancel_reason_out_of_stock"}.
// Neither may be made twice, so a retold one reads the order back first.
func (a *Adapter) cancel(ctx context.Context, acc *account, o *app.Order, retold bool) error {
	if retold {
		_, cur, err := a.order(ctx, acc, o.ExternalID)
		if err != nil {
			return err
		}
		if cur.Status == "CANCELLED" || cur.Status == "CANCEL" {
			return nil
		}
	}
	if o.CancelReason == app.CancelBuyerRequest {
		c, err := a.pendingCancel(ctx, acc, o.ExternalID)
		if err != nil {
			return err
		}
		if c != nil {
			return a.call(ctx, acc, http.MethodPost, "/return_refund/"+Version+"/cancellations/"+url.PathEscape(c.CancelID)+"/approve",
				url.Values{"idempotency_key": {idempotency(o, "approve")}}, struct{}{}, nil)
		}
	}
	return a.call(ctx, acc, http.MethodPost, "/return_refund/"+Version+"/cancellations", nil,
		map[string]any{"order_id": o.ExternalID, "cancel_reason": CancelReason(o)}, nil)
}

// declineCancel refuses the buyer's pending cancellation
// (POST /return_refund/202309/cancellations/{cancel_id}/reject,
// https://partner.tiktokshop.com/docv2/page/650ab6df0fcef602bf34528f):
// {"reject_reason":"seller_reject_apply_product_has_been_packed","comment":"…"}.
// With none pending (declined already, or withdrawn) there is nothing to tell.
func (a *Adapter) declineCancel(ctx context.Context, acc *account, o *app.Order, reason string) error {
	c, err := a.pendingCancel(ctx, acc, o.ExternalID)
	if err != nil || c == nil {
		return err
	}
	body := map[string]any{"reject_reason": RejectReason}
	if reason != "" {
		body["comment"] = reason
	}
	return a.call(ctx, acc, http.MethodPost, "/return_refund/"+Version+"/cancellations/"+url.PathEscape(c.CancelID)+"/reject",
		url.Values{"idempotency_key": {idempotency(o, "reject")}}, body, nil)
}

// idempotency names one decision of one order, so TikTok recognises a
// repeated approval or rejection (the idempotency_key query parameter).
func idempotency(o *app.Order, what string) string {
	return o.ExternalID + "-" + what + "-" + strconv.FormatInt(o.Version, 10)
}
