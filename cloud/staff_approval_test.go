package cloud

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/wire"
)

// An in-store sale that names an approving owner is the owner's override
// only with the owner's own proof; a cashier's word for it is refused.
func TestSaleApprovalNeedsTheOwnersProof(t *testing.T) {
	st, err := OpenBolt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now().UTC()
	shop, err := AddShop(st, "Toko", now)
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(st, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if _, err := srv.AddStaff(shop.ID, "Owner", app.RoleOwner, "1234"); err != nil {
		t.Fatal(err)
	}
	list, _ := srv.AddStaff(shop.ID, "Kasir", app.RoleCashier, "0000")
	owner, _ := app.SignIn(list, "1234")
	kasir, _ := app.SignIn(list, "0000")
	term, tok, err := AddTerminal(st, shop.ID, "Counter", now)
	if err != nil {
		t.Fatal(err)
	}
	binding := app.TerminalBinding(tok)
	sale := app.Command{Action: app.ActionPlace, Args: app.Args{Order: &app.Order{ID: "store:1", Channel: app.ChannelInStore,
		Sale: &app.SaleInfo{ShiftID: "S1", ApprovedBy: "Owner"}}}}
	at := now.Add(-time.Second)
	base := wire.Mutation{Mid: 1, Command: sale, Actor: app.Actor{Staff: "Kasir", Role: app.RoleCashier}, At: at}
	base.Proof = app.SignChange(kasir.Key, binding, 1, "Kasir", at, sale)
	check := func(m wire.Mutation) error {
		var out error
		err := st.Update(shop.ID, func(tx ShopTx) error {
			_, out = provenActor(tx, term, m, now)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if err := check(base); app.ErrorCode(err) != app.EForbidden {
		t.Fatalf("a cashier's sale naming the owner, no approval: %v", err)
	}
	byKasir := base
	byKasir.Approval = app.SignChange(kasir.Key, binding, 1, "Owner", at, sale)
	if err := check(byKasir); app.ErrorCode(err) != app.EForbidden {
		t.Fatalf("an approval signed with the cashier's key: %v", err)
	}
	otherMid := base
	otherMid.Approval = app.SignChange(owner.Key, binding, 2, "Owner", at, sale)
	if err := check(otherMid); app.ErrorCode(err) != app.EForbidden {
		t.Fatalf("the owner's approval of another mid: %v", err)
	}
	approved := base
	approved.Approval = app.SignChange(owner.Key, binding, 1, "Owner", at, sale)
	if err := check(approved); err != nil {
		t.Fatalf("the owner's real approval: %v", err)
	}
	asKasir := base
	asKasir.Command.Args.Order.Sale = &app.SaleInfo{ShiftID: "S1", ApprovedBy: "Kasir"}
	asKasir.Proof = app.SignChange(kasir.Key, binding, 1, "Kasir", at, asKasir.Command)
	asKasir.Approval = app.SignChange(kasir.Key, binding, 1, "Kasir", at, asKasir.Command)
	if err := check(asKasir); app.ErrorCode(err) != app.EForbidden {
		t.Fatalf("a cashier approving their own override: %v", err)
	}
}
