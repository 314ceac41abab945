package app

import "strings"

// Action is something staff, the scheduler, a channel or a courier does to an order.
type Action string

// Actions, spelled as in the sync protocol and the CLI.
const (
	ActionPlace          Action = "place"
	ActionAcceptPayment  Action = "accept_payment"
	ActionDenyPayment    Action = "deny_payment"
	ActionAccept         Action = "accept"
	ActionCreatePackage  Action = "create_package"
	ActionReject         Action = "reject"
	ActionAutoReject     Action = "auto_reject"
	ActionBuyerCancel    Action = "buyer_cancel"
	ActionCancel         Action = "cancel"
	ActionRequestCancel  Action = "request_cancel"
	ActionApproveCancel  Action = "approve_cancel"
	ActionDeclineCancel  Action = "decline_cancel"
	ActionSplitParcel    Action = "split_parcel"
	ActionSetParcel      Action = "set_parcel"
	ActionVerifyPacked   Action = "verify_packed"
	ActionArrangePickup  Action = "arrange_pickup"
	ActionArrangeDropoff Action = "arrange_dropoff"
	// ActionCancelShipment withdraws a pickup or drop-off no courier has taken yet.
	ActionCancelShipment Action = "cancel_shipment"
	ActionAssignCourier  Action = "courier_assigned"
	ActionCourierHeading Action = "courier_heading"
	ActionPickedUp       Action = "picked_up"
	ActionDeliveryFailed Action = "delivery_failed"
	ActionShip           Action = "ship"
	ActionDeliver        Action = "deliver"
	ActionComplete       Action = "complete"
	ActionComplain       Action = "complain"
	ActionResolve        Action = "resolve"
	ActionRecordPrint    Action = "record_print"
	ActionChannelUpdate  Action = "channel_update"
	ActionAddNote        Action = "add_note"
	// ActionRecordNotice records where a notice to the buyer stands (notice.go).
	ActionRecordNotice Action = "record_notice"
	// ActionRecordChannelCall records where a call to the order's platform stands (channel_call.go).
	ActionRecordChannelCall Action = "record_channel_call"
	// ActionIssuePage gives the order a new public page token, revoking the old one.
	ActionIssuePage Action = "issue_page"
	// ActionRecordBooking records the cloud's booking with a courier provider (courier_booking.go).
	ActionRecordBooking Action = "record_booking"
	// ActionProviderStatus applies a courier provider's pushed status, forward only.
	ActionProviderStatus Action = "provider_status"
	// ActionImportProducts sets the shop's catalogue; it names no order, and
	// travels like any other change so the cloud allocates from the same stock.
	ActionImportProducts Action = "import_products"
	// ActionAdjustStock counts, writes off or receives one product's stock
	// for a reason, leaving a line in the stock history (stock_adjust.go).
	ActionAdjustStock Action = "adjust_stock"
	// ActionSetPolicy sets the shop's rules (acceptance windows, pickup
	// address, bulk limit) wherever orders are decided, the cloud included.
	ActionSetPolicy Action = "set_policy"
	// ActionRefundSale gives back some or all of an in-store sale.
	ActionRefundSale Action = "refund_sale"
	// ActionVoidSale undoes an in-store sale the same day, in its shift.
	ActionVoidSale Action = "void_sale"
	// ActionAddStaff and ActionRemoveStaff change the shop's staff list,
	// which the cloud keeps and passes to every terminal.
	ActionAddStaff    Action = "add_staff"
	ActionRemoveStaff Action = "remove_staff"
)

var actionLabels = map[Action]string{
	ActionPlace: "place the order", ActionAcceptPayment: "accept the payment receipt",
	ActionDenyPayment: "deny the payment receipt", ActionAccept: "accept",
	ActionCreatePackage: "create the package", ActionReject: "reject",
	ActionAutoReject: "auto-reject", ActionBuyerCancel: "cancel for the buyer",
	ActionCancel: "cancel", ActionRequestCancel: "request cancellation",
	ActionApproveCancel: "approve the cancel request", ActionDeclineCancel: "decline the cancel request",
	ActionSplitParcel: "split into parcels", ActionSetParcel: "set the parcel size",
	ActionVerifyPacked: "verify packed", ActionArrangePickup: "arrange pickup",
	ActionArrangeDropoff: "arrange drop-off", ActionAssignCourier: "assign a courier",
	ActionCancelShipment: "cancel the pickup or drop-off",
	ActionCourierHeading: "send the courier to pickup", ActionPickedUp: "mark picked up",
	ActionDeliveryFailed: "record a failed delivery", ActionShip: "mark shipped",
	ActionDeliver: "mark delivered", ActionComplete: "complete", ActionComplain: "file a complaint",
	ActionResolve: "resolve the complaint", ActionRecordPrint: "record a print",
	ActionChannelUpdate: "apply the channel's status", ActionAddNote: "add a note",
	ActionRecordNotice: "record a notice to the buyer", ActionRecordChannelCall: "record a call to the channel",
	ActionIssuePage:      "issue the order page link",
	ActionImportProducts: "import products", ActionAdjustStock: "adjust stock", ActionSetPolicy: "change the shop's settings",
	ActionRefundSale: "refund the sale", ActionVoidSale: "void the sale",
	ActionAddStaff: "add staff", ActionRemoveStaff: "remove staff",
	ActionRecordBooking: "record the courier booking", ActionProviderStatus: "apply the courier's status",
	ActionBookAgain: "book the courier again",
}

// Label is the action as staff read it, for error messages and the history.
func (a Action) Label() string {
	if l, ok := actionLabels[a]; ok {
		return l
	}
	return string(a)
}

// Valid reports whether a is a known action.
func (a Action) Valid() bool { _, ok := actionLabels[a]; return ok }

// ParseAction accepts an action name, case-insensitively, with - or _.
func ParseAction(s string) (Action, error) {
	a := Action(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_"))
	if !a.Valid() {
		return "", FieldError("Action", "%q is unknown", s)
	}
	return a, nil
}

// edge is one legal move of the life cycle.
type edge struct {
	from   Status
	action Action
	to     Status
}

// noStatus is where an order is before it exists.
const noStatus Status = ""

var allStatuses = Statuses

// transitions is the life cycle of DESIGN.md §3, and the only place that says
// whether an action is allowed. Rules in Execute pick the target among these
// edges; they never move an order along an edge that is not listed here.
var transitions = buildTransitions()

func buildTransitions() map[edge]bool {
	t := map[edge]bool{}
	add := func(a Action, to Status, from ...Status) {
		for _, f := range from {
			t[edge{f, a, to}] = true
		}
	}
	same := func(a Action, in ...Status) {
		for _, s := range in {
			t[edge{s, a, s}] = true
		}
	}
	// An order can enter anywhere a channel first reports it.
	add(ActionPlace, StatusPaymentReview, noStatus)
	add(ActionPlace, StatusNew, noStatus)
	add(ActionPlace, StatusReadyToShip, noStatus)
	add(ActionPlace, StatusInDelivery, noStatus)
	add(ActionPlace, StatusDelivered, noStatus)
	add(ActionPlace, StatusCompleted, noStatus)
	add(ActionPlace, StatusCancelled, noStatus)
	add(ActionPlace, StatusComplained, noStatus)
	add(ActionPlace, StatusReturned, noStatus)
	add(ActionPlace, StatusRefunded, noStatus)

	add(ActionAcceptPayment, StatusNew, StatusPaymentReview)
	add(ActionAcceptPayment, StatusReadyToShip, StatusPaymentReview)
	same(ActionDenyPayment, StatusPaymentReview)

	add(ActionAccept, StatusReadyToShip, StatusNew)
	add(ActionCreatePackage, StatusReadyToShip, StatusNew)
	add(ActionReject, StatusCancelled, StatusNew, StatusPaymentReview)
	add(ActionAutoReject, StatusCancelled, StatusNew)
	add(ActionBuyerCancel, StatusCancelled, StatusNew, StatusPaymentReview)
	add(ActionCancel, StatusCancelled, StatusPaymentReview, StatusNew, StatusReadyToShip)

	same(ActionRequestCancel, StatusReadyToShip)
	add(ActionApproveCancel, StatusCancelled, StatusReadyToShip)
	same(ActionDeclineCancel, StatusReadyToShip)

	same(ActionSplitParcel, StatusReadyToShip)
	same(ActionSetParcel, StatusReadyToShip)
	same(ActionVerifyPacked, StatusReadyToShip)

	same(ActionArrangePickup, StatusReadyToShip)
	same(ActionArrangeDropoff, StatusReadyToShip)
	same(ActionCancelShipment, StatusReadyToShip)
	same(ActionBookAgain, StatusReadyToShip)
	same(ActionAssignCourier, StatusReadyToShip)
	same(ActionCourierHeading, StatusReadyToShip)
	add(ActionPickedUp, StatusInDelivery, StatusReadyToShip)
	same(ActionDeliveryFailed, StatusReadyToShip, StatusInDelivery)
	add(ActionShip, StatusInDelivery, StatusReadyToShip)
	add(ActionDeliver, StatusDelivered, StatusInDelivery)
	add(ActionComplete, StatusCompleted, StatusDelivered)
	add(ActionComplain, StatusComplained, StatusDelivered, StatusCompleted)
	// Rejecting a complaint puts the order back in Completed; a return or a
	// refund gives it its own place, which nothing but a channel leaves.
	add(ActionResolve, StatusCompleted, StatusComplained)
	add(ActionResolve, StatusReturned, StatusComplained)
	add(ActionResolve, StatusRefunded, StatusComplained)

	same(ActionRecordPrint, allStatuses...)
	same(ActionAddNote, allStatuses...)
	same(ActionRecordNotice, allStatuses...)
	same(ActionRecordChannelCall, allStatuses...)
	same(ActionIssuePage, allStatuses...)
	same(ActionRecordBooking, allStatuses...)
	same(ActionProviderStatus, allStatuses...)
	add(ActionProviderStatus, StatusInDelivery, StatusReadyToShip)
	add(ActionProviderStatus, StatusDelivered, StatusReadyToShip, StatusInDelivery)

	// The counter's own: a refund keeps the sale (its refunds are on it); a
	// void undoes it. Both rules refuse anything that is not an in-store sale.
	same(ActionRefundSale, StatusCompleted)
	add(ActionVoidSale, StatusCancelled, StatusCompleted)

	// A channel is the authority on its own orders: it may move them forward,
	// but a late or out-of-order push never moves an order back.
	same(ActionChannelUpdate, allStatuses...)
	add(ActionChannelUpdate, StatusNew, StatusPaymentReview)
	add(ActionChannelUpdate, StatusReadyToShip, StatusPaymentReview, StatusNew)
	add(ActionChannelUpdate, StatusInDelivery, StatusPaymentReview, StatusNew, StatusReadyToShip)
	add(ActionChannelUpdate, StatusDelivered, StatusPaymentReview, StatusNew, StatusReadyToShip, StatusInDelivery)
	add(ActionChannelUpdate, StatusCompleted, StatusPaymentReview, StatusNew, StatusReadyToShip, StatusInDelivery, StatusDelivered, StatusComplained)
	add(ActionChannelUpdate, StatusCancelled, StatusPaymentReview, StatusNew, StatusReadyToShip, StatusInDelivery, StatusDelivered)
	add(ActionChannelUpdate, StatusComplained, StatusInDelivery, StatusDelivered, StatusCompleted)
	add(ActionChannelUpdate, StatusReturned, StatusInDelivery, StatusDelivered, StatusCompleted, StatusComplained)
	add(ActionChannelUpdate, StatusRefunded, StatusInDelivery, StatusDelivered, StatusCompleted, StatusComplained)
	return t
}

// Allowed reports whether action may be taken on an order in status from.
func Allowed(from Status, action Action) bool {
	for _, to := range append([]Status{noStatus}, allStatuses...) {
		if transitions[edge{from, action, to}] {
			return true
		}
	}
	return false
}

// legal reports whether the exact move from → to by action is in the life cycle.
func legal(from Status, action Action, to Status) bool {
	return transitions[edge{from, action, to}]
}

// StaffActions lists the actions a person can take on an order in this status,
// in the order the order detail screen shows them. Channel-only and
// scheduler-only actions are left out.
func StaffActions(o *Order) []Action {
	order := []Action{
		ActionAcceptPayment, ActionDenyPayment, o.Channel.Rule().AcceptAction, ActionReject,
		ActionBookAgain, ActionArrangePickup, ActionArrangeDropoff, ActionCancelShipment, ActionShip, ActionSplitParcel, ActionVerifyPacked,
		ActionApproveCancel, ActionDeclineCancel, ActionPickedUp, ActionDeliver, ActionComplete,
		ActionComplain, ActionResolve, ActionCancel,
	}
	var out []Action
	for _, a := range order {
		if !Allowed(o.Status, a) {
			continue
		}
		switch a {
		case ActionApproveCancel, ActionDeclineCancel:
			if o.CancelRequest == nil {
				continue
			}
		case ActionArrangePickup:
			// Before a courier takes it, an arranged pickup can be changed.
			if ShipmentHeld(o) || !shipmentOpen(o.Shipment.State) && !shipmentChangeable(o.Shipment) {
				continue
			}
		case ActionArrangeDropoff, ActionShip:
			if ShipmentHeld(o) || !shipmentOpen(o.Shipment.State) {
				continue
			}
		case ActionCancelShipment:
			if !shipmentChangeable(o.Shipment) {
				continue
			}
		case ActionBookAgain:
			if !canBookAgain(o.Shipment) {
				continue
			}
		case ActionPickedUp:
			if o.Shipment.State != ShipmentAssigned && o.Shipment.State != ShipmentHeading {
				continue
			}
		case ActionVerifyPacked:
			if allPacked(o) {
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

func shipmentOpen(s ShipmentState) bool { return s == ShipmentNone || s == ShipmentFailed }

// shipmentChangeable reports whether an arranged pickup or drop-off has no
// courier yet, so staff may still change or withdraw it.
func shipmentChangeable(s Shipment) bool { return s.State == ShipmentSearching }

func allPacked(o *Order) bool {
	for _, p := range o.Parcels {
		if !p.Packed {
			return false
		}
	}
	return len(o.Parcels) > 0
}

// ownerOnly actions give money or goods away; DESIGN.md keeps them to the owner.
var ownerOnly = map[Action]bool{
	ActionReject: true, ActionCancel: true, ActionResolve: true, ActionApproveCancel: true, ActionRecordChannelCall: true,
	ActionImportProducts: true, ActionAdjustStock: true, ActionSetPolicy: true, ActionIssuePage: true, ActionRefundSale: true, ActionAddStaff: true, ActionRemoveStaff: true,
}

// packerActions are what packing staff may do.
var packerActions = map[Action]bool{
	ActionSplitParcel: true, ActionSetParcel: true, ActionVerifyPacked: true, ActionRecordPrint: true,
	ActionAddNote: true, ActionPickedUp: true, ActionShip: true, ActionArrangePickup: true, ActionArrangeDropoff: true, ActionCancelShipment: true,
	ActionBookAgain: true,
}

// Permit returns EForbidden when the role may not take the action.
func Permit(role Role, action Action) error {
	switch role {
	case RoleOwner, RoleSystem, RoleChannel:
		if action == ActionAutoReject && role != RoleSystem {
			return Errorf(EForbidden, "Only the scheduler auto-rejects orders")
		}
		return nil
	case RoleCashier:
		if ownerOnly[action] {
			return Errorf(EForbidden, "Only the owner can %s", action)
		}
		if action == ActionAutoReject {
			return Errorf(EForbidden, "Only the scheduler auto-rejects orders")
		}
		return nil
	case RolePacker:
		if !packerActions[action] {
			return Errorf(EForbidden, "Packing staff cannot %s", action)
		}
		return nil
	default:
		return Errorf(EForbidden, "Unknown role %q cannot %s", string(role), action)
	}
}
