package store_test

import (
	"testing"

	"github.com/kasir/pos/app/apptest"
	"github.com/kasir/pos/store"
)

// TestTxContract runs app.Tx's contract on the terminal's store; the cloud's
// backends run the same (cloud/backends_test.go).
func TestTxContract(t *testing.T) {
	db, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	apptest.TxContract(t, db.Update)
}
