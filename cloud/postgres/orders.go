package postgres

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/kasir/pos/cloud"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kasir/pos/app"
)

// pgOrderSchema adds the columns the cloud's order questions read, and their
// indexes; rows written before them are filled from their JSON once.
const pgOrderSchema = `
ALTER TABLE orders ADD COLUMN IF NOT EXISTS status text;
ALTER TABLE orders ADD COLUMN IF NOT EXISTS number text;
ALTER TABLE orders ADD COLUMN IF NOT EXISTS created_at timestamptz;
ALTER TABLE orders ADD COLUMN IF NOT EXISTS accept_by timestamptz;
UPDATE orders SET status = data::json->>'status', number = data::json->>'number',
  created_at = (data::json->>'created_at')::timestamptz,
  accept_by = CASE WHEN data::json->>'status' = 'new' THEN (data::json->>'accept_by')::timestamptz END
  WHERE status IS NULL;
CREATE INDEX IF NOT EXISTS orders_created ON orders (shop, created_at DESC, id);
CREATE INDEX IF NOT EXISTS orders_status ON orders (shop, status, created_at DESC, id);
CREATE INDEX IF NOT EXISTS orders_deadline ON orders (shop, accept_by) WHERE accept_by IS NOT NULL;
CREATE INDEX IF NOT EXISTS orders_number ON orders (shop, number);
CREATE TABLE IF NOT EXISTS order_counts (shop text NOT NULL, status text NOT NULL, n bigint NOT NULL, PRIMARY KEY (shop, status));
INSERT INTO order_counts (shop, status, n) SELECT shop, status, count(*) FROM orders GROUP BY shop, status
  ON CONFLICT (shop, status) DO NOTHING;
`

// pgTime is NULL for a zero time.
func pgTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// putOrderRow writes the order and its indexed columns, and keeps the
// per-status counts that answer a list's total without a scan.
func (t *pgShopTx) putOrderRow(o *app.Order, data []byte) error {
	var deadline any
	if o.Status == app.StatusNew {
		deadline = pgTime(o.AcceptBy)
	}
	var was *string
	err := t.tx.QueryRow(t.ctx, `SELECT status FROM orders WHERE shop = $1 AND id = $2`, t.shop, o.ID).Scan(&was)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	if _, err := t.tx.Exec(t.ctx, `INSERT INTO orders (shop, id, channel, external_id, data, status, number, created_at, accept_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (shop, id) DO UPDATE SET channel = EXCLUDED.channel, external_id = EXCLUDED.external_id, data = EXCLUDED.data,
		status = EXCLUDED.status, number = EXCLUDED.number, created_at = EXCLUDED.created_at, accept_by = EXCLUDED.accept_by`,
		t.shop, o.ID, string(o.Channel), o.ExternalID, string(data), string(o.Status), o.Number, pgTime(o.CreatedAt), deadline); err != nil {
		return err
	}
	if was != nil && *was == string(o.Status) {
		return nil
	}
	if was != nil {
		if _, err := t.tx.Exec(t.ctx, `UPDATE order_counts SET n = greatest(n - 1, 0) WHERE shop = $1 AND status = $2`, t.shop, *was); err != nil {
			return err
		}
	}
	_, err = t.tx.Exec(t.ctx, `INSERT INTO order_counts (shop, status, n) VALUES ($1, $2, 1)
		ON CONFLICT (shop, status) DO UPDATE SET n = order_counts.n + 1`, t.shop, string(o.Status))
	return err
}

// DueForAutoReject lists the shop's New orders whose deadline is at or before now, oldest deadline first.
func (s *Store) DueForAutoReject(shop string, now time.Time, limit int) ([]string, error) {
	ctx, cancel := pgCtx()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT id FROM orders WHERE shop = $1 AND accept_by IS NOT NULL AND accept_by <= $2
		ORDER BY accept_by LIMIT $3`, shop, now.UTC(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// FindOrders lists a shop's orders newest first, through the indexes; text
// through the search index (search.go).
func (s *Store) FindOrders(shop string, f app.Filter) (app.Page, error) {
	if err := f.Validate(); err != nil {
		return app.Page{}, err
	}
	q := cloud.NewOrderQuery(f)
	query := app.SearchQuery(f.Text)
	page := app.Page{Orders: []*app.Order{}}
	err := s.View(shop, func(st cloud.ShopTx) error {
		t := st.(*pgShopTx)
		var statuses []string
		for _, s := range q.Statuses {
			statuses = append(statuses, string(s))
		}
		limit := any(nil)
		if f.Limit > 0 {
			limit = f.Limit
		}
		where := `shop = $1 AND ($2::text[] IS NULL OR status = ANY($2))`
		args := []any{shop, statuses}
		if len(query) == 0 {
			if err := t.tx.QueryRow(t.ctx, `SELECT coalesce(sum(n), 0) FROM order_counts WHERE `+where, args...).Scan(&page.Total); err != nil {
				return err
			}
			rows, err := t.tx.Query(t.ctx, `SELECT data FROM orders WHERE `+where+` ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`,
				append(args, limit, f.Offset)...)
			if err != nil {
				return err
			}
			return eachJSON(rows, func(b []byte) error {
				var o app.Order
				if err := json.Unmarshal(b, &o); err != nil {
					return fmt.Errorf("stored order: %w", err)
				}
				page.Orders = append(page.Orders, &o)
				return nil
			})
		}
		orders, total, err := t.searchOrders(query, statuses, f.Offset, limit)
		page.Orders = append(page.Orders, orders...)
		page.Total = total
		return err
	})
	return page, err
}

// OrderByRef finds an order by id, or else by number, with its history.
func (s *Store) OrderByRef(shop, ref string) (*app.Order, error) {
	var o *app.Order
	err := s.View(shop, func(st cloud.ShopTx) error {
		t := st.(*pgShopTx)
		var err error
		o, err = t.Order(ref)
		if app.ErrorCode(err) == app.ENotFound {
			var found app.Order
			ok, ferr := t.one(`SELECT data FROM orders WHERE shop = $1 AND number = $2 ORDER BY created_at DESC LIMIT 1`, &found, shop, strings.TrimSpace(ref))
			if ferr != nil {
				return ferr
			}
			if ok {
				o, err = &found, nil
			}
		}
		if err != nil {
			return err
		}
		rows, err := t.tx.Query(t.ctx, `SELECT data FROM events WHERE shop = $1 AND order_id = $2 ORDER BY n`, shop, o.ID)
		if err != nil {
			return err
		}
		return eachJSON(rows, func(b []byte) error {
			var e app.Event
			if err := json.Unmarshal(b, &e); err != nil {
				return fmt.Errorf("order %s history: %w", o.ID, err)
			}
			o.History = append(o.History, e)
			return nil
		})
	})
	return o, err
}

// StatusCounts is how many orders the shop holds in each status, in one
// query of the kept counts (the back office's tabs read them all at once).
func (s *Store) StatusCounts(shop string) (map[app.Status]int, error) {
	ctx, cancel := pgCtx()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT status, n FROM order_counts WHERE shop = $1`, shop)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[app.Status]int{}
	for rows.Next() {
		var st string
		var n int64
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[app.Status(st)] = int(n)
	}
	return out, rows.Err()
}
