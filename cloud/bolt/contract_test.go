package bolt

import (
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/app/apptest"
	"github.com/kasir/pos/cloud"
)

// TestTxContract runs app.Tx's contract on one shop's transactions, as the
// terminal's store and cloud/postgres do (cloud/backends_test.go runs it on both backends too).
func TestTxContract(t *testing.T) {
	st, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	shop, err := cloud.AddShop(st, "Toko Kontrak", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	apptest.TxContract(t, func(fn func(app.Tx) error) error {
		return st.Update(shop.ID, func(tx cloud.ShopTx) error { return fn(tx) })
	})
}
