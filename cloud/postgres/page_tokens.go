package postgres

import (
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/kasir/pos/app"
)

// pgPageTokenSchema is the index of counter sales' page tokens (see cloud.PageTokenIndex).
const pgPageTokenSchema = `
CREATE TABLE IF NOT EXISTS page_tokens (token text PRIMARY KEY, shop text NOT NULL, order_id text NOT NULL);
`

// putPageToken keeps a sale's token in the index, in the order's transaction.
func (t *pgShopTx) putPageToken(o *app.Order) error {
	if !app.IsSaleToken(o.PageToken) {
		return nil
	}
	_, err := t.tx.Exec(t.ctx, `INSERT INTO page_tokens (token, shop, order_id) VALUES ($1, $2, $3) ON CONFLICT (token) DO NOTHING`,
		o.PageToken, t.shop, o.ID)
	return err
}

// SaleByPageToken reads the index (see cloud.PageTokenIndex).
func (s *Store) SaleByPageToken(token string) (shop, order string, err error) {
	ctx, cancel := pgCtx()
	defer cancel()
	err = s.pool.QueryRow(ctx, `SELECT shop, order_id FROM page_tokens WHERE token = $1`, token).Scan(&shop, &order)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", nil
	}
	return shop, order, err
}
