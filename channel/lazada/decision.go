package lazada

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// Hears: accept (create package), reject, cancel (and approving the
// buyer's cancel request), declining the buyer's cancel request, and
// arranging shipment or marking it shipped (ready to ship, whichever comes first). Lazada
// assigns the courier and tracking number itself, completes orders on
// delivery and runs returns through its reverse flow.
func (a *Adapter) Hears(s app.ChannelStep, _ *app.Order) bool {
	return s == app.StepAccept || s == app.StepReject || s == app.StepCancel || s == app.StepShip || s == app.StepTracking ||
		s == app.StepDeclineCancel
}

// Push tells Lazada a decision:
//   - accept: pack the order's pending items into a package (POST /order/fulfill/pack);
//   - reject and cancel: cancel its live items with Lazada's reason (GET
//     /order/reverse/cancel/validate for the reasons, POST /order/reverse/cancel/create);
//   - arrange shipment, or mark it shipped: mark its packages ready to ship
//     (POST /order/package/rts), once;
//   - approve the buyer's cancel request (a cancel for the buyer's request)
//     or decline it: the seller's decision on Lazada's pending reverse order
//     (GET /order/reverse/cancel/seller/decide); after an approval, any item
//     the request did not cover (or every item, with no request pending at
//     Lazada) is cancelled as the seller's.
//
// Each first reads the order's items (GET /order/items/get) and acts only
// on the items that still need it, so a retold decision that Lazada heard
// the first time is not made twice.
func (a *Adapter) Push(ctx context.Context, f map[string]string, d channel.Decision) error {
	if !a.Hears(d.Step, d.Order) {
		return nil
	}
	acc, err := accountOf(f)
	if err != nil {
		return err
	}
	id := d.Order.ExternalID
	if err := app.ValidateExternalID(app.ChannelLazada, "external_id", id); err != nil {
		return err
	}
	var covered map[string]bool
	switch {
	case d.Step == app.StepDeclineCancel:
		return a.declineCancel(ctx, acc, id)
	case d.Step == app.StepCancel && d.Order.CancelReason == app.CancelBuyerRequest:
		// The request may name some of the order's lines; the register
		// cancelled the whole order, so the items it did not cover are then
		// cancelled as the seller's (Lazada cancels the covered ones itself).
		if covered, err = a.approveCancel(ctx, acc, id); err != nil {
			return err
		}
	}
	items, _, err := a.items(ctx, acc, id)
	if err != nil {
		return err
	}
	switch d.Step {
	case app.StepAccept:
		return a.pack(ctx, acc, id, items)
	case app.StepReject, app.StepCancel:
		return a.cancel(ctx, acc, id, uncovered(items, covered), d.Order.CancelReason, first(d.Reason, d.Order.CancelNote))
	case app.StepShip, app.StepTracking:
		return a.readyToShip(ctx, acc, id, items)
	}
	return nil
}

func status(it Item) string { return strings.ToLower(strings.TrimSpace(it.Status)) }

// refuse is a refusal the adapter decides from Lazada's answer.
func refuse(msg string) error {
	return &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: msg}
}

// packAnswer is Pack's result.data
// (https://open.lazada.com/apps/doc/api?path=%2Forder%2Ffulfill%2Fpack):
// {"pack_order_list":[{"order_id":"…","order_item_list":[{"order_item_id":"…","item_err_code":"0",
// "msg":"","package_id":"FP…","tracking_number":"…","shipment_provider":"…"}]}]}.
type packAnswer struct {
	PackOrderList []struct {
		OrderID       ID `json:"order_id"`
		OrderItemList []struct {
			OrderItemID      ID     `json:"order_item_id"`
			ItemErrCode      string `json:"item_err_code"`
			Msg              string `json:"msg"`
			PackageID        string `json:"package_id"`
			TrackingNumber   string `json:"tracking_number"`
			ShipmentProvider string `json:"shipment_provider"`
		} `json:"order_item_list"`
	} `json:"pack_order_list"`
}

// pack creates the package of the order's pending items. Lazada's
// platform allocates the courier (shipping_allocate_type TFS); a seller
// whose shop must choose a provider sees Lazada's refusal in words.
func (a *Adapter) pack(ctx context.Context, acc account, id string, items []Item) error {
	var ids []string
	packed := 0
	for _, it := range items {
		switch st := status(it); {
		case st == "pending" || st == "topack" || st == "unpaid":
			ids = append(ids, string(it.OrderItemID))
		case st != Cancelled:
			packed++
		}
	}
	if len(ids) == 0 {
		if packed > 0 {
			return nil // already packed: the earlier attempt reached Lazada
		}
		return refuse("every item of the order is cancelled; there is nothing to pack")
	}
	req := map[string]any{"pack_order_list": []map[string]any{{"order_id": id, "order_item_list": ids}},
		"delivery_type": "dropship", "shipping_allocate_type": "TFS"}
	var ans packAnswer
	if err := a.data(ctx, acc, a.api(acc, http.MethodPost, "/order/fulfill/pack", url.Values{"packReq": {jsonParam(req)}}), &ans); err != nil {
		return err
	}
	for _, o := range ans.PackOrderList {
		for _, it := range o.OrderItemList {
			if it.ItemErrCode != "0" {
				return refuse(first(it.Msg, "item "+string(it.OrderItemID)+" was not packed (error "+it.ItemErrCode+")"))
			}
		}
	}
	return nil
}

// packagesAnswer is ReadyToShip's result.data
// (https://open.lazada.com/apps/doc/api?path=%2Forder%2Fpackage%2Frts):
// {"packages":[{"package_id":"FP…","item_err_code":"0","msg":""}]}.
type packagesAnswer struct {
	Packages []struct {
		PackageID   string `json:"package_id"`
		ItemErrCode string `json:"item_err_code"`
		Msg         string `json:"msg"`
	} `json:"packages"`
}

// readyToShip marks the order's packed packages ready to ship.
func (a *Adapter) readyToShip(ctx context.Context, acc account, id string, items []Item) error {
	pkgs := map[string]bool{}
	later := 0
	for _, it := range items {
		switch st := status(it); {
		case (st == "packed" || st == "repacked") && it.PackageID != "":
			pkgs[it.PackageID] = true
		case statusRank[st] >= statusRank["ready_to_ship_pending"]:
			later++
		}
	}
	if len(pkgs) == 0 {
		if later > 0 {
			return nil // ready to ship already: the earlier attempt reached Lazada
		}
		return refuse("the order has no packed package to ship; create the package first")
	}
	var list []map[string]string
	for _, p := range sortedKeys(pkgs) {
		list = append(list, map[string]string{"package_id": p})
	}
	var ans packagesAnswer
	err := a.data(ctx, acc, a.api(acc, http.MethodPost, "/order/package/rts",
		url.Values{"readyToShipReq": {jsonParam(map[string]any{"packages": list})}}), &ans)
	if err != nil {
		return err
	}
	for _, p := range ans.Packages {
		if p.ItemErrCode != "0" {
			return refuse(first(p.Msg, "package "+p.PackageID+" is not ready to ship (error "+p.ItemErrCode+")"))
		}
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// cancelReasons are, for how the register ended an order, the names of
// the seller reasons Lazada offers, in order of preference
// (Lazada Open Platform, API best practice, "Order cancellation": "Out of
// Stock" 10000021, "Sourcing Delay" 10000019, "Wrong Price or Pricing
// Error" 10000023, and "the reason_id may be different for each country",
// so they are read from the validate answer by name). Lazada has no "other": anything but out of stock is the
// shop's own delay.
var cancelReasons = map[app.CancelReason][]string{
	app.CancelOutOfStock:   {"out of stock"},
	app.CancelBuyerRequest: {"customer request", "buyer request", "sourcing delay"},
	app.CancelByBuyer:      {"customer request", "buyer request", "sourcing delay"},
}

var defaultReasons = []string{"sourcing delay"}

// validateAnswer is OrderCancelValidate's data
// (GET /order/reverse/cancel/validate, https://open.lazada.com/apps/doc/api?path=%2Forder%2Freverse%2Fcancel%2Fvalidate):
// {"tip_content":"…","tip_type":"warning","reason_options":[{"reason_name":"Out of Stock","reason_id":"10000021"}]}.
type validateAnswer struct {
	TipContent    string `json:"tip_content"`
	TipType       string `json:"tip_type"`
	ReasonOptions []struct {
		ReasonName string `json:"reason_name"`
		ReasonID   ID     `json:"reason_id"`
	} `json:"reason_options"`
}

// ReasonID picks Lazada's reason for how the register ended the order out
// of the options Lazada offers for it.
func ReasonID(r app.CancelReason, options validateAnswer) (string, bool) {
	want, ok := cancelReasons[r]
	if !ok {
		want = defaultReasons
	}
	for _, w := range want {
		for _, o := range options.ReasonOptions {
			if strings.EqualFold(strings.TrimSpace(o.ReasonName), w) {
				return string(o.ReasonID), true
			}
		}
	}
	if len(options.ReasonOptions) > 0 {
		return string(options.ReasonOptions[0].ReasonID), true
	}
	return "", false
}

// cancel cancels the order's items that are not cancelled yet: Lazada
// cancels per item, and only items from pending to ready to ship.
func (a *Adapter) cancel(ctx context.Context, acc account, id string, items []Item, why app.CancelReason, note string) error {
	var ids []string
	for _, it := range items {
		if st := status(it); st != Cancelled && statusRank[st] <= statusRank["ready_to_ship"] {
			ids = append(ids, string(it.OrderItemID))
		}
	}
	if len(ids) == 0 {
		return nil // nothing left to cancel: cancelled already, or shipped (Lazada's reverse flow)
	}
	list := "[" + strings.Join(ids, ",") + "]"
	var v validateAnswer
	if err := a.data(ctx, acc, a.api(acc, http.MethodGet, "/order/reverse/cancel/validate",
		url.Values{"order_id": {id}, "order_item_id_list": {list}}), &v); err != nil {
		return err
	}
	reason, ok := ReasonID(why, v)
	if !ok {
		return refuse(first(v.TipContent, "Lazada offers no reason to cancel these items"))
	}
	params := url.Values{"order_id": {id}, "order_item_id_list": {list}, "reason_id": {reason}}
	if note != "" {
		params.Set("reason_detail", note)
	}
	_, _, err := a.do(ctx, acc, a.api(acc, http.MethodPost, "/order/reverse/cancel/create", params))
	return err
}
