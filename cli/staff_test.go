package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
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
	tok, err := cloud.EmbeddedToken(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := cloud.OpenBolt(filepath.Join(dir, "cloud"))
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
