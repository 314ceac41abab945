package app

import (
	"errors"
	"testing"
	"time"
)

// actionSetup prepares an order so that the action's own preconditions hold,
// and returns the command and the clock to run it at.
func actionSetup(t *testing.T, tx *memTx, o *Order, a Action) (Command, time.Time) {
	cmd := Command{Action: a, OrderID: o.ID}
	now := t0.Add(time.Minute)
	do := func(c Command) { _, _ = Execute(tx, DefaultPolicy(), c, owner, now) }
	pickup := Args{PickupFrom: t0.Add(3 * time.Hour), PickupAddress: "Toko Ayu, Jl. Braga 5"}
	switch a {
	case ActionDenyPayment, ActionReject, ActionCancel, ActionRequestCancel, ActionComplain, ActionBuyerCancel:
		cmd.Args.Reason = "test reason"
	case ActionAutoReject:
		now = t0.Add(25 * time.Hour)
	case ActionApproveCancel, ActionDeclineCancel:
		do(Command{Action: ActionRequestCancel, OrderID: o.ID, Args: Args{Reason: "changed mind"}})
	case ActionSplitParcel:
		cmd.Args = Args{SKU: "SKU-1", Qty: 1, Parcel: 2}
	case ActionSetParcel:
		cmd.Args = Args{Parcel: 1, WeightGrams: 700}
	case ActionArrangePickup:
		cmd.Args = pickup
	case ActionArrangeDropoff:
		cmd.Args = Args{Courier: "J&T"}
	case ActionCancelShipment:
		do(Command{Action: ActionArrangePickup, OrderID: o.ID, Args: pickup})
	case ActionAssignCourier:
		do(Command{Action: ActionArrangePickup, OrderID: o.ID, Args: pickup})
		cmd.Args = Args{Courier: "JNE", TrackingID: "JNE0012345678"}
	case ActionCourierHeading, ActionPickedUp:
		do(Command{Action: ActionArrangePickup, OrderID: o.ID, Args: pickup})
		do(Command{Action: ActionAssignCourier, OrderID: o.ID, Args: Args{Courier: "JNE", TrackingID: "JNE0012345678"}})
	case ActionDeliveryFailed:
		do(Command{Action: ActionArrangePickup, OrderID: o.ID, Args: pickup})
		cmd.Args.Reason = "nobody home"
	case ActionShip:
		cmd.Args = Args{Courier: "SiCepat", TrackingID: "SCP123456"}
	case ActionResolve:
		cmd.Args.Resolution = ResolveReject
	case ActionRecordPrint:
		cmd.Args.Document = DocLabel
	case ActionChannelUpdate:
		code, _ := StatusToChannel(o.Channel, o.Status)
		cmd.Args.ChannelStatus = code
	case ActionAddNote:
		cmd.Args.Note = "called the buyer"
	case ActionRecordNotice:
		cmd.Args.Notice = &Notice{Key: "shipped@3", Event: NoticeShipped, Via: ViaEmail, State: NoticeSent, To: "r***@example.id", Reply: "250 OK"}
	case ActionBookAgain:
		cur, _ := tx.Order(o.ID)
		cur.Shipment = Shipment{Method: ShipPickup, State: ShipmentSearching, Provider: ProviderShipper, Reference: o.Number, Bookings: 1, Booking: BookingUncertain}
		_ = tx.PutOrder(cur)
	case ActionRecordBooking:
		cmd.Args.Booking = &BookingRecord{Provider: ProviderShipper, Reference: "W-1", State: BookingPending}
	case ActionProviderStatus:
		cmd.Args.ProviderStatus = &ProviderStatus{Provider: ProviderShipper, Code: "1000", Stage: StageSearching}
	case ActionRecordChannelCall:
		cmd.Args.ChannelCall = &ChannelCall{Key: "accept@2", Step: StepAccept, State: CallRefused, Reply: "order already accepted"}
	case ActionIssuePage:
		cmd.Args.PageToken = "abcdefghijklmnopqrstuvwxyz012345"
	case ActionRefundSale:
		cmd.Args.Reason = "wrong size"
		cmd.Args.Refund = &RefundArgs{Lines: []RefundLine{{Line: 1, Qty: 1}}, ShiftID: "S1"}
	case ActionVoidSale:
		cmd.Args.Reason = "rung up twice"
		cmd.Args.Refund = &RefundArgs{ShiftID: "S1"}
		now = o.CreatedAt.Add(time.Minute)
	}
	return cmd, now
}

// TestEveryStatusActionPair runs every action in every status: legal moves
// land on an edge of the table, illegal ones fail with a TransitionError that
// names the order, its status and the action, and change nothing.
func TestEveryStatusActionPair(t *testing.T) {
	for _, st := range Statuses {
		for a := range actionLabels {
			if a == ActionPlace || a == ActionImportProducts || a == ActionAdjustStock || a == ActionSetPolicy || a == ActionAddStaff || a == ActionRemoveStaff {
				continue // they name no existing order
			}
			t.Run(string(st)+"/"+string(a), func(t *testing.T) {
				tx := newMemTx()
				seedProducts(t, tx)
				ch := ChannelTokopedia
				if a == ActionCreatePackage {
					ch = ChannelLazada
				}
				if a == ActionRefundSale || a == ActionVoidSale {
					ch = ChannelInStore
				}
				draft := sampleOrder(ch)
				if ch == ChannelInStore {
					draft.Sale = &SaleInfo{ShiftID: "S1"}
				}
				draft.Status = st
				o := mustPlace(t, tx, draft)
				cmd, now := actionSetup(t, tx, o, a)
				cur, _ := tx.Order(o.ID)
				before := tx.snapshot()
				actor := owner
				if a == ActionAutoReject {
					actor = SystemActor
				}
				res, err := Execute(tx, DefaultPolicy(), cmd, actor, now)
				if Allowed(cur.Status, a) {
					if err != nil {
						t.Fatalf("%s is allowed in %s but failed: %v", a, cur.Status, err)
					}
					if !legal(cur.Status, a, res.Order.Status) && !(a == ActionAccept && ch == ChannelLazada) {
						t.Fatalf("%s moved %s to %s, which is not in the table", a, cur.Status, res.Order.Status)
					}
					if res.Order.Version != cur.Version+1 {
						t.Fatalf("version %d after %d", res.Order.Version, cur.Version)
					}
					return
				}
				var te *TransitionError
				if !errors.As(err, &te) {
					t.Fatalf("%s in %s: want TransitionError, got %v", a, cur.Status, err)
				}
				if te.Status != cur.Status || te.Action != a || te.Number != o.Number {
					t.Fatalf("error does not name the order, status and action: %+v", te)
				}
				if tx.snapshot() != before {
					t.Fatal("a refused action changed the store")
				}
			})
		}
	}
}

func TestTransitionErrorMessageAndCode(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	o := mustPlace(t, tx, sampleOrder(ChannelTokopedia))
	if _, err := Execute(tx, DefaultPolicy(), Command{Action: ActionAccept, OrderID: o.ID}, owner, t0); err != nil {
		t.Fatal(err)
	}
	_, err := Execute(tx, DefaultPolicy(), Command{Action: ActionAccept, OrderID: o.ID}, owner, t0)
	if ErrorCode(err) != EAlreadyAccepted {
		t.Fatalf("code %q", ErrorCode(err))
	}
	want := "Order " + o.Number + " is Ready to Ship: cannot accept"
	if err.Error() != want {
		t.Fatalf("message %q, want %q", err.Error(), want)
	}
	_, err = Execute(tx, DefaultPolicy(), Command{Action: ActionDeliver, OrderID: o.ID}, owner, t0)
	if ErrorCode(err) != EInvalidTransition {
		t.Fatalf("code %q", ErrorCode(err))
	}
}

func TestPermissions(t *testing.T) {
	cashier := Actor{Staff: "Kasir", Role: RoleCashier}
	for _, a := range []Action{ActionReject, ActionCancel, ActionResolve, ActionApproveCancel} {
		if err := Permit(cashier.Role, a); ErrorCode(err) != EForbidden {
			t.Errorf("cashier may %s", a)
		}
	}
	if err := Permit(RoleCashier, ActionAccept); err != nil {
		t.Error(err)
	}
	if err := Permit(RolePacker, ActionAccept); ErrorCode(err) != EForbidden {
		t.Error("packer may accept")
	}
	if err := Permit(RoleOwner, ActionAutoReject); err == nil {
		t.Error("owner may auto-reject")
	}
	if err := Permit("", ActionAccept); err == nil {
		t.Error("an actor without a role may act")
	}
}

func TestStaffActionsFollowTheTable(t *testing.T) {
	for _, st := range Statuses {
		o := &Order{Channel: ChannelTokopedia, Status: st, Parcels: []Parcel{{}}}
		for _, a := range StaffActions(o) {
			if !Allowed(st, a) {
				t.Errorf("%s offers %s", st, a)
			}
		}
	}
	o := &Order{Channel: ChannelLazada, Status: StatusNew}
	acts := StaffActions(o)
	if len(acts) == 0 || acts[0] != ActionCreatePackage {
		t.Fatalf("Lazada New offers %v", acts)
	}
}

func TestStaffPINs(t *testing.T) {
	staff, err := AddStaff(nil, "Owner", RoleOwner, "1234")
	if err != nil {
		t.Fatal(err)
	}
	if staff, err = AddStaff(staff, "Kasir", RoleCashier, "0000"); err != nil {
		t.Fatal(err)
	}
	if _, err := AddStaff(staff, "Other", RoleCashier, "1234"); err == nil {
		t.Fatal("two members with one PIN")
	}
	for _, bad := range []string{"123", "1234567", "12a4"} {
		if _, err := AddStaff(staff, "X", RoleCashier, bad); ErrorCode(err) != EInvalid {
			t.Fatalf("PIN %q accepted", bad)
		}
	}
	s, err := SignIn(staff, "0000")
	if err != nil || s.Name != "Kasir" || s.Role != RoleCashier {
		t.Fatal(s, err)
	}
	if _, err := SignIn(staff, "9999"); err == nil {
		t.Fatal("wrong PIN signed in")
	}
}

// TestEveryStatusEveryResolution: each resolution in every status lands on
// an edge of the table (return → Returned, refund → Refunded, reject →
// Completed) or is refused without a change; Returned and Refunded take no
// staff action but notes, prints and the like.
func TestEveryStatusEveryResolution(t *testing.T) {
	want := map[Resolution]Status{ResolveReturn: StatusReturned, ResolveRefund: StatusRefunded, ResolveReject: StatusCompleted}
	for _, st := range Statuses {
		for r, to := range want {
			tx := newMemTx()
			seedProducts(t, tx)
			draft := sampleOrder(ChannelTokopedia)
			draft.Status = st
			o := mustPlace(t, tx, draft)
			before := tx.snapshot()
			res, err := Execute(tx, DefaultPolicy(), Command{Action: ActionResolve, OrderID: o.ID, Args: Args{Resolution: r}}, owner, t0.Add(time.Minute))
			if st == StatusComplained {
				if err != nil || res.Order.Status != to || !legal(st, ActionResolve, to) {
					t.Fatalf("%s in %s: %v %v", r, st, err, res)
				}
				continue
			}
			var te *TransitionError
			if !errors.As(err, &te) || tx.snapshot() != before {
				t.Fatalf("%s in %s: want a refusal that changes nothing, got %v", r, st, err)
			}
		}
	}
	for _, st := range []Status{StatusReturned, StatusRefunded} {
		o := &Order{Status: st, Channel: ChannelTokopedia}
		if acts := StaffActions(o); len(acts) != 0 {
			t.Errorf("%s offers staff %v", st, acts)
		}
	}
}
