package cloud

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/kasir/pos/app"
)

// StockHistoryTx is each product's stock history, written in the same
// transaction as the stock it explains, so a line never claims a change
// that did not commit, and no committed change lacks its line.
type StockHistoryTx interface {
	// AppendStockMove adds a line to its product's history.
	AppendStockMove(m app.StockMove) error
	// StockMoves is a product's history, newest first, at most limit lines (0: all).
	StockMoves(sku string, limit int) ([]app.StockMove, error)
}

// keepStockMoves writes the stock history a result carries; every path that
// applies a command (applyAndLog, a terminal's mutation) calls it.
func keepStockMoves(tx ShopTx, res *app.Result) error {
	for _, m := range res.StockMoves {
		if err := tx.AppendStockMove(m); err != nil {
			return err
		}
	}
	return nil
}

// subStockMoves holds stock history: sku 0x00 be(n) → StockMove JSON, n from the bucket's sequence.
var subStockMoves = []byte("stock_moves")

func (t *boltShopTx) AppendStockMove(m app.StockMove) error {
	if t.ro {
		return errors.New("stock history: read-only transaction")
	}
	b, err := t.b.CreateBucketIfNotExists(subStockMoves)
	if err != nil {
		return err
	}
	n, err := b.NextSequence()
	if err != nil {
		return err
	}
	key := binary.BigEndian.AppendUint64(append([]byte(m.SKU), 0), n)
	return putJSON(b, key, m)
}

func (t *boltShopTx) StockMoves(sku string, limit int) ([]app.StockMove, error) {
	b := t.sub(subStockMoves)
	if b == nil {
		return nil, nil
	}
	prefix := append([]byte(sku), 0)
	c := b.Cursor()
	var out []app.StockMove
	k, v := lastWithPrefix(c, prefix)
	for ; k != nil && len(k) == len(prefix)+8 && string(k[:len(prefix)]) == string(prefix); k, v = c.Prev() {
		var m app.StockMove
		if err := json.Unmarshal(v, &m); err != nil {
			return nil, fmt.Errorf("stock history of %s: %w", sku, err)
		}
		out = append(out, m)
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out, nil
}
