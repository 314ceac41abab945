package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/web"
	"github.com/kasir/pos/store"
)

// A command run with the owner's PIN is the owner's, with the proof the
// cloud checks; without a PIN it carries none, and a wrong PIN does nothing.
func TestPINSignsCommandLineChanges(t *testing.T) {
	dir := seeded(t)
	news := listJSON(t, dir, "--status", "new", "--channel", "tokopedia").Orders
	a, b := news[0]["number"].(string), news[1]["number"].(string)
	if _, errs, code := pos(t, dir, "orders", "reject", a, "--reason", "habis", "--pin", "9999"); code == 0 || !strings.Contains(errs, "wrong PIN") {
		t.Fatalf("a wrong PIN: %d %s", code, errs)
	}
	if out, errs, code := pos(t, dir, "orders", "reject", a, "--reason", "habis", "--pin", "1234"); code != 0 {
		t.Fatalf("reject as the owner: %s %s", out, errs)
	}
	if out, errs, code := pos(t, dir, "orders", "accept", b); code != 0 {
		t.Fatalf("accept without a PIN: %s %s", out, errs)
	}
	db, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	muts, err := db.Outbox(0, 0)
	db.Close()
	if err != nil || len(muts) < 2 {
		t.Fatalf("outbox: %d %v", len(muts), err)
	}
	reject, accept := muts[len(muts)-2], muts[len(muts)-1]
	if reject.Actor.Staff != "Owner" || reject.Proof == nil || accept.Proof != nil {
		t.Fatalf("reject by %+v proof %v; accept proof %v", reject.Actor, reject.Proof, accept.Proof)
	}
	// The proof is one the embedded cloud accepts for this terminal.
	tok, err := web.EmbeddedToken(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := bolt.Open(filepath.Join(dir, "cloud"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	shops, _ := st.Shops()
	err = st.View(shops[0].ID, func(tx cloud.ShopTx) error {
		list, err := tx.Staff()
		if err != nil {
			return err
		}
		owner, ok := app.FindStaff(list, "Owner")
		if !ok || !reject.Proof.Verify(owner.Key, app.TerminalBinding(tok), reject.Mid, reject.At, reject.Cmd) {
			t.Fatalf("the owner's proof does not verify in the cloud (owner found %v)", ok)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A cashier's sale with an override names the approving owner; only with the
// owner's PIN (--approver-pin) does it carry the owner's proof.
func TestApproverPINSignsTheOverride(t *testing.T) {
	dir := seeded(t)
	if out, errs, code := pos(t, dir, "shift", "open", "--float", "100000", "--pin", "0000"); code != 0 {
		t.Fatalf("shift open: %s %s", out, errs)
	}
	sale := []string{"sale", "--line", "SKU-001:1:100000", "--discount", "50%", "--pay", "cash:1000000", "--pin", "0000"}
	if _, errs, code := pos(t, dir, sale...); code == 0 || !strings.Contains(errs, "owner must approve") {
		t.Fatalf("a cashier's 50%% discount without approval: %d %s", code, errs)
	}
	if _, errs, code := pos(t, dir, append(sale, "--approved-by", "Owner", "--approver-pin", "0000")...); code == 0 || !strings.Contains(errs, "not an owner") {
		t.Fatalf("a cashier's PIN as the approver: %d %s", code, errs)
	}
	if out, errs, code := pos(t, dir, append(sale, "--approved-by", "Owner")...); code != 0 {
		t.Fatalf("sale naming the owner: %s %s", out, errs)
	}
	if out, errs, code := pos(t, dir, append(sale, "--approved-by", "Owner", "--approver-pin", "1234")...); code != 0 {
		t.Fatalf("sale approved with the owner's PIN: %s %s", out, errs)
	}
	db, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	muts, err := db.Outbox(0, 0)
	db.Close()
	if err != nil || len(muts) < 2 {
		t.Fatalf("outbox: %d %v", len(muts), err)
	}
	unproven, approved := muts[len(muts)-2], muts[len(muts)-1]
	if unproven.Approval != nil || approved.Approval == nil || approved.Approval.Staff != "Owner" || approved.Actor.Staff != "Kasir" || approved.Proof == nil {
		t.Fatalf("approval %v / %v, actor %+v", unproven.Approval, approved.Approval, approved.Actor)
	}
}
