package shopee

import (
	"context"
	"net/http"
	"strings"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

const (
	pathCancelOrder = "/api/v2/order/cancel_order"
	pathBuyerCancel = "/api/v2/order/handle_buyer_cancellation"
)

// Shopee's cancel reasons (v2.order.cancel_order,
// https://open.shopee.com/documents/v2/v2.order.cancel_order?module=94&type=1):
// OUT_OF_STOCK needs item_list; UNDELIVERABLE_AREA applies to TW and MY only.
const (
	ReasonOutOfStock        = "OUT_OF_STOCK"
	ReasonCustomerRequest   = "CUSTOMER_REQUEST"
	ReasonUndeliverableArea = "UNDELIVERABLE_AREA"
	ReasonCODNotSupported   = "COD_NOT_SUPPORTED"
)

// cancelReasons maps how the register ended an order to Shopee's reason.
// Shopee has no reason of the shop's own: a shop that cannot fulfil the
// order (its own reason, the accept deadline) says the goods are out of
// stock, which is the one reason Shopee offers a seller for that.
var cancelReasons = map[app.CancelReason]string{
	app.CancelOutOfStock:   ReasonOutOfStock,
	app.CancelBuyerRequest: ReasonCustomerRequest,
	app.CancelByBuyer:      ReasonCustomerRequest,
	app.CancelBySeller:     ReasonOutOfStock,
	app.CancelAutoReject:   ReasonOutOfStock,
}

// CancelReason is Shopee's reason for how the register ended an order. A
// cash-on-delivery order the shop will not take for its own reasons is
// refused as COD_NOT_SUPPORTED only when the staff's reason says so.
func CancelReason(o *app.Order, staff string) string {
	if o.PaymentMethod == app.PayCOD && (o.CancelReason == app.CancelBySeller || o.CancelReason == app.CancelAutoReject) &&
		strings.Contains(strings.ToLower(staff+" "+o.CancelNote), "cod") {
		return ReasonCODNotSupported
	}
	if r, ok := cancelReasons[o.CancelReason]; ok {
		return r
	}
	return ReasonOutOfStock
}

// Hears: reject and cancel (cancel_order, or handle_buyer_cancellation
// ACCEPT for a buyer's request), declining a buyer's request
// (handle_buyer_cancellation REJECT) and arranging shipment
// (get_shipping_parameter, ship_order). Shopee has no accept (a paid order
// is ready to ship), tracks parcels and completes orders itself.
func (a *Adapter) Hears(s app.ChannelStep, _ *app.Order) bool {
	switch s {
	case app.StepReject, app.StepCancel, app.StepDeclineCancel, app.StepShip:
		return true
	}
	return false
}

// buyerRequest reports whether a cancel approves the buyer's request at
// Shopee (the order was IN_CANCEL when approved).
func buyerRequest(o *app.Order) bool {
	return o.CancelReason == app.CancelBuyerRequest && strings.EqualFold(o.ChannelStatus, "IN_CANCEL")
}

// heard reports whether Shopee's status already shows the step, so a
// retold decision is not made twice.
func heard(s app.ChannelStep, status string) bool {
	switch strings.ToUpper(status) {
	case "CANCELLED":
		return true // nothing more can be told of a cancelled order
	case "IN_CANCEL":
		return false
	case "UNPAID", "READY_TO_SHIP":
		return false
	}
	// Shipped or past it: arranged, and no longer cancellable.
	return s == app.StepShip || s == app.StepDeclineCancel
}

// Push tells Shopee a decision. Cancelling and arranging shipment cannot
// be undone, so a retold decision reads the order back first and skips
// what Shopee already shows.
func (a *Adapter) Push(ctx context.Context, f map[string]string, d channel.Decision) error {
	if !a.Hears(d.Step, d.Order) {
		return nil
	}
	acc, err := forShop(f)
	if err != nil {
		return err
	}
	o := d.Order
	if err := app.ValidateExternalID(app.ChannelShopee, "external_id", o.ExternalID); err != nil {
		return err
	}
	var cur *Order
	if d.Retold {
		_, c, err := a.orderDetail(ctx, acc, o.ExternalID)
		if err != nil {
			return err
		}
		if heard(d.Step, c.OrderStatus) {
			return nil
		}
		cur = &c
	}
	switch d.Step {
	case app.StepReject, app.StepCancel:
		if buyerRequest(o) {
			return a.call(ctx, acc, http.MethodPost, pathBuyerCancel, nil, map[string]string{"order_sn": o.ExternalID, "operation": "ACCEPT"}, nil)
		}
		return a.cancel(ctx, acc, o, d.Reason, cur)
	case app.StepDeclineCancel:
		return a.call(ctx, acc, http.MethodPost, pathBuyerCancel, nil, map[string]string{"order_sn": o.ExternalID, "operation": "REJECT"}, nil)
	case app.StepShip:
		return a.ship(ctx, acc, o)
	}
	return nil
}

// cancelItem names one listing of an out-of-stock cancel.
type cancelItem struct {
	ItemID  int64 `json:"item_id"`
	ModelID int64 `json:"model_id"`
}

// cancel is POST /api/v2/order/cancel_order
// {"order_sn":"…","cancel_reason":"OUT_OF_STOCK","item_list":[{"item_id":N,"model_id":N}]}.
// The items are the order's lines as Shopee named them; an order whose
// lines the register never received reads them from Shopee.
func (a *Adapter) cancel(ctx context.Context, acc *account, o *app.Order, staff string, cur *Order) error {
	reason := CancelReason(o, staff)
	body := map[string]any{"order_sn": o.ExternalID, "cancel_reason": reason}
	if reason == ReasonOutOfStock {
		var items []cancelItem
		for _, l := range o.Lines {
			if it, m, ok := ParseLineID(l.ExternalID); ok {
				items = append(items, cancelItem{ItemID: it, ModelID: m})
			}
		}
		if len(items) == 0 {
			if cur == nil {
				_, c, err := a.orderDetail(ctx, acc, o.ExternalID)
				if err != nil {
					return err
				}
				cur = &c
			}
			for _, it := range cur.Items {
				items = append(items, cancelItem{ItemID: it.ItemID, ModelID: it.ModelID})
			}
		}
		body["item_list"] = items
	}
	return a.call(ctx, acc, http.MethodPost, pathCancelOrder, nil, body, nil)
}
