package postgres

import (
	"encoding/json"
	"fmt"

	"github.com/kasir/pos/app"
)

// pgStockSchema holds stock history; n orders a product's lines.
const pgStockSchema = `
CREATE TABLE IF NOT EXISTS stock_moves (shop text NOT NULL, sku text NOT NULL, n bigserial, data text NOT NULL, PRIMARY KEY (shop, sku, n));
`

func (t *pgShopTx) AppendStockMove(m app.StockMove) error {
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(t.ctx, `INSERT INTO stock_moves (shop, sku, data) VALUES ($1, $2, $3)`, t.shop, m.SKU, string(data))
	return err
}

func (t *pgShopTx) StockMoves(sku string, limit int) ([]app.StockMove, error) {
	lim := any(nil)
	if limit > 0 {
		lim = limit
	}
	rows, err := t.tx.Query(t.ctx, `SELECT data FROM stock_moves WHERE shop = $1 AND sku = $2 ORDER BY n DESC LIMIT $3`, t.shop, sku, lim)
	if err != nil {
		return nil, err
	}
	var out []app.StockMove
	return out, eachJSON(rows, func(b []byte) error {
		var m app.StockMove
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("stock history of %s: %w", sku, err)
		}
		out = append(out, m)
		return nil
	})
}
