package bolt

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/sync/wire"
)

// TestChangeJSONIsMarshal checks that a change carrying an order stored in
// the same transaction, whose JSON is spliced from the stored record, is
// byte for byte what encoding it whole gives; and that an order changed
// after it was stored, one with history, and one never stored are encoded
// whole.
func TestChangeJSONIsMarshal(t *testing.T) {
	st, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	shop, err := cloud.AddShop(st, "Toko <Rasa> & Sayang", at)
	if err != nil {
		t.Fatal(err)
	}
	order := func(i int) *app.Order {
		return &app.Order{ID: "web-" + string(rune('a'+i)), Channel: app.ChannelStore, Number: "WEB-<1>&", Status: app.StatusNew,
			Currency: app.IDR, Total: 135000, CreatedAt: at, UpdatedAt: at.Add(time.Duration(i) * time.Second), Version: int64(i + 1),
			Buyer: app.Buyer{Name: "Siti \"Ayu\" Rahayu <siti@example.id>", Phone: "0812"},
			Lines: []app.Line{{SKU: "KAOS-1", Name: "Kaos polos — hitam \u2028", Qty: 2, UnitPrice: 50000}}}
	}
	ev := app.Event{Version: 2, At: at, Actor: app.SystemActor, Action: app.ActionAutoReject, From: app.StatusNew, To: app.StatusCancelled, Kind: app.KindStatus}
	var want [][]byte
	err = st.Update(shop.ID, func(tx cloud.ShopTx) error {
		add := func(c *wire.Change) error {
			seq, err := tx.AppendChange(c)
			if err != nil {
				return err
			}
			c.Seq = seq
			data, err := json.Marshal(c)
			want = append(want, data)
			return err
		}
		spliced := order(0)
		if err := tx.PutOrder(spliced); err != nil {
			return err
		}
		pol := app.Policy{}
		if err := add(&wire.Change{Order: spliced, Events: []app.Event{ev}, Products: []*app.Product{{SKU: "KAOS-1", Name: "Kaos", Currency: app.IDR, Price: 1}}, Policy: &pol, Terminal: "t<1>", Mid: 9, At: at}); err != nil {
			return err
		}
		changed := order(1)
		if err := tx.PutOrder(changed); err != nil {
			return err
		}
		changed.Version++
		changed.Status = app.StatusCancelled
		if err := add(&wire.Change{Order: changed, At: at}); err != nil {
			return err
		}
		withHistory := order(2)
		if err := tx.PutOrder(withHistory); err != nil {
			return err
		}
		withHistory.History = []app.Event{ev}
		if err := add(&wire.Change{Order: withHistory, At: at}); err != nil {
			return err
		}
		if err := add(&wire.Change{Order: order(3), At: at}); err != nil { // never stored
			return err
		}
		return add(&wire.Change{Staff: []app.Staff{{Name: "Budi"}}, At: at}) // no order
	})
	if err != nil {
		t.Fatal(err)
	}
	items, _, _, err := st.ChangesAfter(shop.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != len(want) {
		t.Fatalf("%d changes in the log, want %d", len(items), len(want))
	}
	for i := range want {
		if !bytes.Equal(items[i], want[i]) {
			t.Errorf("change %d:\n got %s\nwant %s", i+1, items[i], want[i])
		}
	}
}
