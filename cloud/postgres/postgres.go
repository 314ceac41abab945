// Package postgres is the cloud's PostgreSQL backend, for shops that
// outgrow one machine; it is the only package that links the pgx driver,
// and only bin/pos-cloud links it (cloud.Wiring).
package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/kasir/pos/cloud"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/wire"
)

// PostgreSQL backend for running several cloud instances behind one
// load balancer. Orders, the change log and the mutation ledger live in
// tables keyed by shop. A write transaction first locks the shop's row in
// shop_heads, so writes of one shop are serialised across instances (the
// first commit wins, and sequences stay dense), while shops never wait for
// each other. pg_notify is only a wake-up: the payload names the shop and
// its head, and every instance then reads the log by sequence, exactly as
// with bbolt, so a lost notification delays a change but never loses it.

// pgChannel is the LISTEN/NOTIFY channel of committed changes.
const pgChannel = "pos_changes"

const pgSchema = `
CREATE TABLE IF NOT EXISTS shops (id text PRIMARY KEY, data text NOT NULL);
CREATE TABLE IF NOT EXISTS shop_heads (shop text PRIMARY KEY REFERENCES shops(id), head bigint NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS terminals (id text PRIMARY KEY, shop text NOT NULL REFERENCES shops(id), token_hash text, data text NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS terminals_token ON terminals (token_hash);
CREATE TABLE IF NOT EXISTS orders (shop text NOT NULL, id text NOT NULL, channel text NOT NULL, external_id text NOT NULL DEFAULT '',
  data text NOT NULL, PRIMARY KEY (shop, id));
CREATE UNIQUE INDEX IF NOT EXISTS orders_external ON orders (shop, channel, external_id) WHERE external_id <> '';
CREATE TABLE IF NOT EXISTS products (shop text NOT NULL, sku text NOT NULL, data text NOT NULL, PRIMARY KEY (shop, sku));
CREATE TABLE IF NOT EXISTS events (shop text NOT NULL, order_id text NOT NULL, n bigserial, data text NOT NULL, PRIMARY KEY (shop, order_id, n));
CREATE TABLE IF NOT EXISTS changes (shop text NOT NULL, seq bigint NOT NULL, data text NOT NULL, PRIMARY KEY (shop, seq));
CREATE TABLE IF NOT EXISTS mids (shop text NOT NULL, terminal text NOT NULL, last bigint NOT NULL, PRIMARY KEY (shop, terminal));
CREATE TABLE IF NOT EXISTS results (shop text NOT NULL, terminal text NOT NULL, mid bigint NOT NULL, data text NOT NULL, PRIMARY KEY (shop, terminal, mid));
CREATE TABLE IF NOT EXISTS shop_policies (shop text PRIMARY KEY REFERENCES shops(id), data text NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries (shop text NOT NULL, key text NOT NULL, at timestamptz NOT NULL, PRIMARY KEY (shop, key));
CREATE TABLE IF NOT EXISTS quarantine (shop text NOT NULL, terminal text NOT NULL, data text NOT NULL, PRIMARY KEY (shop, terminal));
`

// Store is the PostgreSQL Backend.
type Store struct {
	pool *pgxpool.Pool
	dsn  string
}

// Open connects to dsn and creates the tables it needs.
func Open(ctx context.Context, dsn string) (*Store, error) {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if _, err := pool.Exec(ctx, pgSchema+pgFollowerSchema+pgStaffSchema+pgOrderSchema+pgAccountSchema+pgShipmentSchema+pgPageTokenSchema+pgStockSchema+pgListingSchema+pgSearchSchema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres schema: %w", err)
	}
	if err := fillSearchWords(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres search index: %w", err)
	}
	return &Store{pool: pool, dsn: dsn}, nil
}

var _ cloud.Backend = (*Store)(nil)

// OpenBackend is Open as a cloud.PostgresOpener, for the wiring.
func OpenBackend(ctx context.Context, dsn string) (cloud.Backend, error) { return Open(ctx, dsn) }

// Pool is the PostgreSQL connection pool, for an extension's own tables.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close releases the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

func pgCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 30*time.Second)
}

// Update locks the shop's head row, runs fn, and commits with a wake-up.
func (s *Store) Update(shop string, fn func(cloud.ShopTx) error) error {
	ctx, cancel := pgCtx()
	defer cancel()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	t := &pgShopTx{ctx: ctx, tx: tx, shop: shop}
	if err := tx.QueryRow(ctx, `SELECT head FROM shop_heads WHERE shop = $1 FOR UPDATE`, shop).Scan(&t.head); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return cloud.NoShop(shop)
		}
		return err
	}
	start := t.head
	if err := fn(t); err != nil {
		return err
	}
	if t.head != start {
		if _, err := tx.Exec(ctx, `UPDATE shop_heads SET head = $2 WHERE shop = $1`, shop, t.head); err != nil {
			return err
		}
		// Delivered at commit, and only if the transaction commits.
		if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, pgChannel, shop+" "+strconv.FormatUint(t.head, 10)); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// View runs fn in a read-only, repeatable-read transaction.
func (s *Store) View(shop string, fn func(cloud.ShopTx) error) error {
	ctx, cancel := pgCtx()
	defer cancel()
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	t := &pgShopTx{ctx: ctx, tx: tx, shop: shop}
	if err := tx.QueryRow(ctx, `SELECT head FROM shop_heads WHERE shop = $1`, shop).Scan(&t.head); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return cloud.NoShop(shop)
		}
		return err
	}
	return fn(t)
}

// ChangesAfter reads the log by sequence in one snapshot.
func (s *Store) ChangesAfter(shop string, after uint64, limit int) (items []json.RawMessage, head, oldest uint64, err error) {
	err = s.View(shop, func(st cloud.ShopTx) error {
		t := st.(*pgShopTx)
		head = t.head
		var first *int64
		if err := t.tx.QueryRow(t.ctx, `SELECT min(seq) FROM changes WHERE shop = $1`, shop).Scan(&first); err != nil {
			return err
		}
		if first != nil {
			oldest = uint64(*first)
		}
		if limit <= 0 {
			return nil
		}
		rows, err := t.tx.Query(t.ctx, `SELECT data FROM changes WHERE shop = $1 AND seq > $2 ORDER BY seq LIMIT $3`, shop, int64(after), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var data string
			if err := rows.Scan(&data); err != nil {
				return err
			}
			items = append(items, json.RawMessage(data))
		}
		return rows.Err()
	})
	return items, head, oldest, err
}

// Snapshot reads orders, products and the head in one snapshot.
func (s *Store) Snapshot(shop string) (*wire.Snapshot, error) {
	snap := &wire.Snapshot{Orders: []*app.Order{}, Products: []*app.Product{}}
	err := s.View(shop, func(st cloud.ShopTx) error {
		t := st.(*pgShopTx)
		snap.Seq = t.head
		if err := scanJSON(t, `SELECT data FROM orders WHERE shop = $1`, func(b []byte) error { return cloud.AddSnapshotOrder(snap, b) }); err != nil {
			return err
		}
		return scanJSON(t, `SELECT data FROM products WHERE shop = $1`, func(b []byte) error { return cloud.AddSnapshotProduct(snap, b) })
	})
	if err != nil {
		return nil, err
	}
	return snap, nil
}

func scanJSON(t *pgShopTx, q string, fn func([]byte) error) error {
	rows, err := t.tx.Query(t.ctx, q, t.shop)
	if err != nil {
		return err
	}
	return eachJSON(rows, fn)
}

// eachJSON calls fn with each row's single JSON text column, then closes rows.
func eachJSON(rows pgx.Rows, fn func([]byte) error) error {
	defer rows.Close()
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return err
		}
		if err := fn([]byte(data)); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Prune keeps the newest keep changes and forgets old deliveries.
func (s *Store) Prune(shop string, keep uint64, before time.Time) error {
	ctx, cancel := pgCtx()
	defer cancel()
	if _, err := s.pool.Exec(ctx, `DELETE FROM changes c USING shop_heads h WHERE c.shop = $1 AND h.shop = $1 AND c.seq <= h.head - $2`, shop, int64(keep)); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `DELETE FROM deliveries WHERE shop = $1 AND at < $2`, shop, before)
	return err
}

// AddShop stores the shop and its head row.
func (s *Store) AddShop(sh *cloud.Shop) error {
	ctx, cancel := pgCtx()
	defer cancel()
	data, _ := json.Marshal(sh)
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `INSERT INTO shops (id, data) VALUES ($1, $2)`, sh.ID, string(data)); err != nil {
		if isUniqueViolation(err) {
			return app.Errorf(app.EConflict, "shop %s already exists", sh.ID)
		}
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO shop_heads (shop) VALUES ($1)`, sh.ID); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// Shop returns one shop.
func (s *Store) Shop(id string) (*cloud.Shop, error) {
	var sh cloud.Shop
	if err := s.getJSON(`SELECT data FROM shops WHERE id = $1`, id, &sh); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, cloud.NoShop(id)
		}
		return nil, err
	}
	return &sh, nil
}

func (s *Store) getJSON(q, arg string, v any) error {
	ctx, cancel := pgCtx()
	defer cancel()
	var data string
	if err := s.pool.QueryRow(ctx, q, arg).Scan(&data); err != nil {
		return err
	}
	return json.Unmarshal([]byte(data), v)
}

// Shops lists every shop.
func (s *Store) Shops() ([]*cloud.Shop, error) {
	var out []*cloud.Shop
	err := s.listJSON(`SELECT data FROM shops ORDER BY id`, nil, func(b []byte) error {
		var sh cloud.Shop
		if err := json.Unmarshal(b, &sh); err != nil {
			return err
		}
		out = append(out, &sh)
		return nil
	})
	return out, err
}

func (s *Store) listJSON(q string, args []any, fn func([]byte) error) error {
	ctx, cancel := pgCtx()
	defer cancel()
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	return eachJSON(rows, fn)
}

// PutTerminal upserts a terminal and its token hash.
func (s *Store) PutTerminal(t *cloud.Terminal) error {
	if _, err := s.Shop(t.Shop); err != nil {
		return err
	}
	ctx, cancel := pgCtx()
	defer cancel()
	data, _ := json.Marshal(t)
	_, err := s.pool.Exec(ctx, `INSERT INTO terminals (id, shop, token_hash, data) VALUES ($1, $2, NULLIF($3, ''), $4)
		ON CONFLICT (id) DO UPDATE SET token_hash = EXCLUDED.token_hash, data = EXCLUDED.data`, t.ID, t.Shop, t.TokenHash, string(data))
	return err
}

// Terminal returns one terminal.
func (s *Store) Terminal(id string) (*cloud.Terminal, error) {
	var t cloud.Terminal
	if err := s.getJSON(`SELECT data FROM terminals WHERE id = $1`, id, &t); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, app.Errorf(app.ENotFound, "terminal %s not found", id)
		}
		return nil, err
	}
	return &t, nil
}

// TerminalByToken looks up a token hash.
func (s *Store) TerminalByToken(hash string) (*cloud.Terminal, error) {
	var t cloud.Terminal
	if err := s.getJSON(`SELECT data FROM terminals WHERE token_hash = $1`, hash, &t); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, app.Errorf(app.ENotFound, "unknown token")
		}
		return nil, err
	}
	return &t, nil
}

// Terminals lists a shop's terminals.
func (s *Store) Terminals(shop string) ([]*cloud.Terminal, error) {
	var out []*cloud.Terminal
	err := s.listJSON(`SELECT data FROM terminals WHERE shop = $1 ORDER BY id`, []any{shop}, func(b []byte) error {
		var t cloud.Terminal
		if err := json.Unmarshal(b, &t); err != nil {
			return err
		}
		out = append(out, &t)
		return nil
	})
	return out, err
}

// Watch calls wake for every committed change any instance announces, until
// ctx ends. It reconnects on its own; a gap only delays terminals, because
// each session reads the log by sequence and every later wake-up catches up.
func (s *Store) Watch(ctx context.Context, wake func(shop string, head uint64)) {
	for ctx.Err() == nil {
		err := s.listen(ctx, wake)
		if ctx.Err() != nil {
			return
		}
		_ = err
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (s *Store) listen(ctx context.Context, wake func(string, uint64)) error {
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgChannel); err != nil {
		return err
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		shop, head, ok := strings.Cut(n.Payload, " ")
		if h, err := strconv.ParseUint(head, 10, 64); ok && err == nil {
			wake(shop, h)
		}
	}
}

// pgShopTx is ShopTx inside one PostgreSQL transaction of one shop.
type pgShopTx struct {
	ctx  context.Context
	tx   pgx.Tx
	shop string
	head uint64
}

func (t *pgShopTx) one(q string, v any, args ...any) (bool, error) {
	var data string
	err := t.tx.QueryRow(t.ctx, q, args...).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, json.Unmarshal([]byte(data), v)
}

func (t *pgShopTx) Order(id string) (*app.Order, error) {
	var o app.Order
	ok, err := t.one(`SELECT data FROM orders WHERE shop = $1 AND id = $2`, &o, t.shop, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, app.Errorf(app.ENotFound, "order %s not found", id)
	}
	return &o, nil
}

func (t *pgShopTx) OrderByExternalID(ch app.Channel, ext string) (*app.Order, error) {
	var o app.Order
	ok, err := t.one(`SELECT data FROM orders WHERE shop = $1 AND channel = $2 AND external_id = $3`, &o, t.shop, string(ch), ext)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, app.Errorf(app.ENotFound, "%s order %s not found", ch.Label(), ext)
	}
	return &o, nil
}

func (t *pgShopTx) PutOrder(o *app.Order) error {
	rec := *o
	rec.History = nil
	data, err := json.Marshal(&rec)
	if err != nil {
		return err
	}
	if err := t.putOrderRow(o, data); err != nil {
		return err
	}
	if err := t.putSearchWords(o); err != nil {
		return err
	}
	if err := t.putShipmentIDs(o); err != nil {
		return err
	}
	return t.putPageToken(o)
}

func (t *pgShopTx) Product(sku string) (*app.Product, error) {
	var p app.Product
	ok, err := t.one(`SELECT data FROM products WHERE shop = $1 AND sku = $2`, &p, t.shop, sku)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, app.Errorf(app.ENotFound, "product %s not found", sku)
	}
	return &p, nil
}

func (t *pgShopTx) Policy() (*app.Policy, error) {
	var p app.Policy
	ok, err := t.one(`SELECT data FROM shop_policies WHERE shop = $1`, &p, t.shop)
	if err != nil || !ok {
		return nil, err
	}
	return &p, nil
}

func (t *pgShopTx) PutPolicy(p app.Policy) error {
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(t.ctx, `INSERT INTO shop_policies (shop, data) VALUES ($1, $2)
		ON CONFLICT (shop) DO UPDATE SET data = EXCLUDED.data`, t.shop, string(data))
	return err
}

func (t *pgShopTx) PutProduct(p *app.Product) error {
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(t.ctx, `INSERT INTO products (shop, sku, data) VALUES ($1, $2, $3)
		ON CONFLICT (shop, sku) DO UPDATE SET data = EXCLUDED.data`, t.shop, p.SKU, string(data))
	return err
}

func (t *pgShopTx) AppendEvent(orderID string, e app.Event) error {
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(t.ctx, `INSERT INTO events (shop, order_id, data) VALUES ($1, $2, $3)`, t.shop, orderID, string(data))
	return err
}

func (t *pgShopTx) AppendChange(c *wire.Change) (uint64, error) {
	c.Seq = t.head + 1
	data, err := json.Marshal(c)
	if err != nil {
		return 0, err
	}
	if _, err := t.tx.Exec(t.ctx, `INSERT INTO changes (shop, seq, data) VALUES ($1, $2, $3)`, t.shop, int64(c.Seq), string(data)); err != nil {
		return 0, err
	}
	t.head = c.Seq
	return c.Seq, nil
}

func (t *pgShopTx) Head() uint64 { return t.head }

func (t *pgShopTx) LastMid(terminal string) (uint64, error) {
	var last int64
	err := t.tx.QueryRow(t.ctx, `SELECT last FROM mids WHERE shop = $1 AND terminal = $2`, t.shop, terminal).Scan(&last)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return uint64(last), err
}

func (t *pgShopTx) StoredResult(terminal string, mid uint64) (*wire.Result, error) {
	var r wire.Result
	ok, err := t.one(`SELECT data FROM results WHERE shop = $1 AND terminal = $2 AND mid = $3`, &r, t.shop, terminal, int64(mid))
	if err != nil || !ok {
		return nil, err
	}
	return &r, nil
}

func (t *pgShopTx) PutResult(terminal string, r *wire.Result) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if _, err := t.tx.Exec(t.ctx, `INSERT INTO results (shop, terminal, mid, data) VALUES ($1, $2, $3, $4)
		ON CONFLICT (shop, terminal, mid) DO UPDATE SET data = EXCLUDED.data`, t.shop, terminal, int64(r.Mid), string(data)); err != nil {
		return err
	}
	if r.Mid > cloud.ResultsKept {
		if _, err := t.tx.Exec(t.ctx, `DELETE FROM results WHERE shop = $1 AND terminal = $2 AND mid = $3`, t.shop, terminal, int64(r.Mid-cloud.ResultsKept)); err != nil {
			return err
		}
	}
	_, err = t.tx.Exec(t.ctx, `INSERT INTO mids (shop, terminal, last) VALUES ($1, $2, $3)
		ON CONFLICT (shop, terminal) DO UPDATE SET last = EXCLUDED.last`, t.shop, terminal, int64(r.Mid))
	return err
}

func (t *pgShopTx) Delivered(key string) (bool, error) {
	var one int
	err := t.tx.QueryRow(t.ctx, `SELECT 1 FROM deliveries WHERE shop = $1 AND key = $2`, t.shop, key).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

func (t *pgShopTx) MarkDelivered(key string, at time.Time) error {
	_, err := t.tx.Exec(t.ctx, `INSERT INTO deliveries (shop, key, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, t.shop, key, at)
	return err
}
