package cloud_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/postgres"
	"github.com/kasir/pos/sync/wire"
)

// quarantineContract: a backend keeps each terminal's latest list, and a
// resend marks every entry of that terminal only.
func quarantineContract(t *testing.T, st cloud.Backend) {
	shop, err := cloud.AddShop(st, "Toko Q", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	a, _, _ := cloud.AddTerminal(st, shop.ID, "a", time.Now())
	b, _, _ := cloud.AddTerminal(st, shop.ID, "b", time.Now())
	list := []wire.Quarantined{{Seq: 7, OrderID: "woocommerce:1\x002", Number: "1\x002", Error: "NUL", At: time.Now().UTC().Truncate(time.Second)}}
	if err := st.Update(shop.ID, func(tx cloud.ShopTx) error { return tx.PutQuarantined(a.ID, list) }); err != nil {
		t.Fatal(err)
	}
	marked, err := cloud.ResendQuarantined(st, a.ID)
	if err != nil || len(marked) != 1 || !marked[0].Resend {
		t.Fatalf("resend marked %+v (%v)", marked, err)
	}
	if other, err := cloud.ResendQuarantined(st, b.ID); err != nil || len(other) != 0 {
		t.Fatalf("terminal b had %+v (%v)", other, err)
	}
	var got []wire.Quarantined
	if err := st.View(shop.ID, func(tx cloud.ShopTx) error { got, err = tx.Quarantined(a.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].OrderID != list[0].OrderID || got[0].Seq != 7 || !got[0].Resend {
		t.Fatalf("kept %+v", got)
	}
	// An empty report deletes the list.
	if err := st.Update(shop.ID, func(tx cloud.ShopTx) error { return tx.PutQuarantined(a.ID, nil) }); err != nil {
		t.Fatal(err)
	}
	if err := st.View(shop.ID, func(tx cloud.ShopTx) error { got, err = tx.Quarantined(a.ID); return err }); err != nil || len(got) != 0 {
		t.Fatalf("after an empty report: %+v (%v)", got, err)
	}
}

func TestQuarantineContractBolt(t *testing.T) {
	st, err := bolt.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	quarantineContract(t, st)
}

func TestQuarantineContractPostgres(t *testing.T) {
	dsn := startPostgres(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	quarantineContract(t, st)
}

// pos-cloud terminal resend lists what it marked, and says when there is nothing.
func TestTerminalResendCommand(t *testing.T) {
	dir := t.TempDir()
	code, out := runCLI(t, "shop", "add", "--data", dir, "--name", "Toko", "--json")
	if code != 0 {
		t.Fatalf("shop add: %d %s", code, out)
	}
	var shop cloud.ShopCreated
	_ = json.Unmarshal([]byte(out), &shop)
	code, out = runCLI(t, "terminal", "add", "--data", dir, "--shop", shop.ID, "--name", "kasir", "--json")
	if code != 0 {
		t.Fatalf("terminal add: %d %s", code, out)
	}
	var term cloud.TerminalCreated
	_ = json.Unmarshal([]byte(out), &term)
	code, out = runCLI(t, "terminal", "resend", "--data", dir, term.ID)
	if code != 0 || !strings.Contains(out, "reported no quarantined changes") {
		t.Fatalf("resend with nothing quarantined: %d %s", code, out)
	}
	st, err := bolt.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(shop.ID, func(tx cloud.ShopTx) error {
		return tx.PutQuarantined(term.ID, []wire.Quarantined{{Seq: 12, OrderID: "woocommerce:9", Number: "9", Error: "key too long"}})
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out = runCLI(t, "terminal", "resend", "--data", dir, term.ID)
	if code != 0 || !strings.Contains(out, "change 12 (order 9): key too long") || !strings.Contains(out, "1 changes will be sent again") {
		t.Fatalf("resend: %d %s", code, out)
	}
	if code, out = runCLI(t, "terminal", "resend", "--data", dir, "term_nope"); code == 0 {
		t.Fatalf("resend of an unknown terminal: %s", out)
	}
}
