package bolt

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/kasir/pos/app"
)

// subStockMoves holds stock history: sku 0x00 be(n) → StockMove JSON, n from the bucket's sequence.
var subStockMoves = []byte("stock_moves")

func (t *shopTx) AppendStockMove(m app.StockMove) error {
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

func (t *shopTx) StockMoves(sku string, limit int) ([]app.StockMove, error) {
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
