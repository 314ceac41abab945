package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kasir/pos/app"
)

// pgSearchSchema is the cloud's search index, kept by PutOrder in the
// order's transaction (see putSearchWords):
//
//	order_words        one row per order and search word (app.OrderSearchWords),
//	                   read newest first by (shop, word, created_at DESC, id),
//	                   or by (shop, word, status, …) for a status that few hold
//	order_word_counts  orders per word and status: a one-word search's total
//	                   without a scan, and the words a typed prefix starts
//	order_word_sets    what was indexed of each order, so a change removes its old words
//
// Orders stored before the index are indexed when the store opens
// (fillSearchWords). Words are compared bytewise (COLLATE "C"), as bbolt
// orders them, so a typed prefix is a range of the index.
const pgSearchSchema = `
CREATE TABLE IF NOT EXISTS order_words (shop text NOT NULL, word text COLLATE "C" NOT NULL, created_at timestamptz,
  id text NOT NULL, status text NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS order_words_key ON order_words (shop, word, created_at DESC, id) INCLUDE (status);
CREATE INDEX IF NOT EXISTS order_words_order ON order_words (shop, id);
CREATE INDEX IF NOT EXISTS order_words_status ON order_words (shop, word, status, created_at DESC, id);
CREATE TABLE IF NOT EXISTS order_word_counts (shop text NOT NULL, word text COLLATE "C" NOT NULL, status text NOT NULL,
  n bigint NOT NULL, PRIMARY KEY (shop, word, status));
CREATE TABLE IF NOT EXISTS order_word_sets (shop text NOT NULL, id text NOT NULL, created_at timestamptz,
  status text NOT NULL, words text[] NOT NULL, PRIMARY KEY (shop, id));
`

// putSearchWords moves o's rows in the search index from what they were to
// what they are: nothing when its words, time and status are unchanged; only
// the status when just that changed.
func (t *pgShopTx) putSearchWords(o *app.Order) error {
	words := app.OrderSearchWords(o)
	created := pgTime(o.CreatedAt)
	var sameTime bool
	var was struct {
		status string
		words  []string
	}
	err := t.tx.QueryRow(t.ctx, `SELECT created_at IS NOT DISTINCT FROM $3::timestamptz, status, words FROM order_word_sets WHERE shop = $1 AND id = $2`,
		t.shop, o.ID, created).Scan(&sameTime, &was.status, &was.words)
	found := err == nil
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	sameWords := found && sameTime && slices.Equal(was.words, words)
	if sameWords && was.status == string(o.Status) {
		return nil
	}
	if found {
		if sameWords {
			if _, err := t.tx.Exec(t.ctx, `UPDATE order_words SET status = $3 WHERE shop = $1 AND id = $2`, t.shop, o.ID, string(o.Status)); err != nil {
				return err
			}
		} else if _, err := t.tx.Exec(t.ctx, `DELETE FROM order_words WHERE shop = $1 AND id = $2`, t.shop, o.ID); err != nil {
			return err
		}
		if err := t.countWords(was.words, was.status, -1); err != nil {
			return err
		}
	}
	if !sameWords {
		if _, err := t.tx.Exec(t.ctx, `INSERT INTO order_words (shop, word, created_at, id, status) SELECT $1, w, $3, $4, $5 FROM unnest($2::text[]) AS w`,
			t.shop, words, created, o.ID, string(o.Status)); err != nil {
			return err
		}
	}
	if err := t.countWords(words, string(o.Status), 1); err != nil {
		return err
	}
	_, err = t.tx.Exec(t.ctx, `INSERT INTO order_word_sets (shop, id, created_at, status, words) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (shop, id) DO UPDATE SET created_at = EXCLUDED.created_at, status = EXCLUDED.status, words = EXCLUDED.words`,
		t.shop, o.ID, created, string(o.Status), words)
	return err
}

// countWords adds d to the count of each word in status; a count that
// reaches zero is removed, so the counts list only words some order holds.
func (t *pgShopTx) countWords(words []string, status string, d int) error {
	if len(words) == 0 {
		return nil
	}
	if d > 0 {
		_, err := t.tx.Exec(t.ctx, `INSERT INTO order_word_counts (shop, word, status, n) SELECT $1, w, $3, $4 FROM unnest($2::text[]) AS w
			ON CONFLICT (shop, word, status) DO UPDATE SET n = order_word_counts.n + EXCLUDED.n`, t.shop, words, status, d)
		return err
	}
	if _, err := t.tx.Exec(t.ctx, `UPDATE order_word_counts SET n = n + $4 WHERE shop = $1 AND status = $3 AND word = ANY($2::text[])`,
		t.shop, words, status, d); err != nil {
		return err
	}
	_, err := t.tx.Exec(t.ctx, `DELETE FROM order_word_counts WHERE shop = $1 AND status = $3 AND word = ANY($2::text[]) AND n <= 0`, t.shop, words, status)
	return err
}

// FillSearchIndex indexes the words of orders stored without them (rows
// loaded with COPY, or kept from before the index), as Open does.
func (s *Store) FillSearchIndex(ctx context.Context) error { return fillSearchWords(ctx, s.pool) }

// fillBatch is how many orders one transaction of fillSearchWords indexes.
const fillBatch = 5000

// fillSearchWords indexes the words of orders stored before the search
// index, a batch a transaction: a crash keeps the batches done, and the next
// open goes on from there. An advisory lock keeps two opening servers from
// indexing the same orders twice.
func fillSearchWords(ctx context.Context, pool *pgxpool.Pool) error {
	filled := 0
	for {
		n, err := fillSearchBatch(ctx, pool)
		if err != nil {
			return err
		}
		filled += n
		if n < fillBatch {
			break
		}
	}
	if filled > 0 {
		// The planner's picture of the new rows: a prefix's range is small.
		_, err := pool.Exec(ctx, `ANALYZE order_words`)
		return err
	}
	return nil
}

func fillSearchBatch(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('kasir order_words fill'))`); err != nil {
		return 0, err
	}
	rows, err := tx.Query(ctx, `SELECT o.shop, o.id, o.data FROM orders o
		WHERE NOT EXISTS (SELECT 1 FROM order_word_sets s WHERE s.shop = o.shop AND s.id = o.id) LIMIT $1`, fillBatch)
	if err != nil {
		return 0, err
	}
	type count struct{ shop, word, status string }
	var wordRows, setRows [][]any
	counts := map[count]int64{}
	n := 0
	for rows.Next() {
		var shop, id, data string
		if err := rows.Scan(&shop, &id, &data); err != nil {
			rows.Close()
			return 0, err
		}
		var o app.Order
		if err := json.Unmarshal([]byte(data), &o); err != nil {
			rows.Close()
			return 0, fmt.Errorf("indexing the words of order %s: %w", id, err)
		}
		n++
		words := app.OrderSearchWords(&o)
		created := pgTime(o.CreatedAt)
		for _, w := range words {
			wordRows = append(wordRows, []any{shop, w, created, id, string(o.Status)})
			counts[count{shop, w, string(o.Status)}]++
		}
		setRows = append(setRows, []any{shop, id, created, string(o.Status), words})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, nil
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"order_words"}, []string{"shop", "word", "created_at", "id", "status"}, pgx.CopyFromRows(wordRows)); err != nil {
		return 0, err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"order_word_sets"}, []string{"shop", "id", "created_at", "status", "words"}, pgx.CopyFromRows(setRows)); err != nil {
		return 0, err
	}
	var shops, words, statuses []string
	var ns []int64
	for k, v := range counts {
		shops, words, statuses, ns = append(shops, k.shop), append(words, k.word), append(statuses, k.status), append(ns, v)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO order_word_counts (shop, word, status, n) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
		ON CONFLICT (shop, word, status) DO UPDATE SET n = order_word_counts.n + EXCLUDED.n`, shops, words, statuses, ns); err != nil {
		return 0, err
	}
	return n, tx.Commit(ctx)
}

// searchOrders answers a text filter from the index: the page's orders,
// newest first, and how many orders match. One typed word that starts one
// indexed word is counted from order_word_counts and only its page is
// read; otherwise the orders holding a word of each typed word are
// intersected in SQL. A typed word that starts a word every order holds
// rules nothing out and is left out.
func (t *pgShopTx) searchOrders(query [][]string, statuses []string, skip int, limit any) ([]*app.Order, int, error) {
	var all int
	if err := t.tx.QueryRow(t.ctx, `SELECT coalesce(sum(n), 0) FROM order_counts WHERE shop = $1`, t.shop).Scan(&all); err != nil {
		return nil, 0, err
	}
	var sets [][]string
	var everywhere []string
	for _, alts := range query {
		words, every, err := t.resolveWord(alts, all)
		if err != nil || len(words) == 0 {
			return nil, 0, err
		}
		if every != "" {
			if everywhere == nil {
				everywhere = []string{every}
			}
			continue
		}
		sets = append(sets, words)
	}
	if len(sets) == 0 {
		sets = append(sets, everywhere)
	}
	var orders []*app.Order
	read := func(rows pgx.Rows, err error) error {
		if err != nil {
			return err
		}
		return eachJSON(rows, func(b []byte) error {
			var o app.Order
			if err := json.Unmarshal(b, &o); err != nil {
				return fmt.Errorf("stored order: %w", err)
			}
			orders = append(orders, &o)
			return nil
		})
	}
	if len(sets) == 1 && len(sets[0]) == 1 {
		var total int
		if err := t.tx.QueryRow(t.ctx, `SELECT coalesce(sum(n), 0) FROM order_word_counts WHERE shop = $1 AND word = $2
			AND ($3::text[] IS NULL OR status = ANY($3))`, t.shop, sets[0][0], statuses).Scan(&total); err != nil {
			return nil, 0, err
		}
		if total <= skip {
			return orders, total, nil
		}
		err := read(t.tx.Query(t.ctx, `SELECT o.data FROM order_words w JOIN orders o ON o.shop = w.shop AND o.id = w.id
			WHERE w.shop = $1 AND w.word = $2 AND ($3::text[] IS NULL OR w.status = ANY($3))
			ORDER BY w.created_at DESC, w.id LIMIT $4 OFFSET $5`, t.shop, sets[0][0], statuses, limit, skip))
		return orders, total, err
	}
	// m: the ids holding a word of every set, each once.
	args := []any{t.shop, statuses}
	m := ""
	for i, set := range sets {
		if i > 0 {
			m += " INTERSECT "
		}
		args = append(args, set)
		m += fmt.Sprintf(`SELECT id FROM order_words WHERE shop = $1 AND word = ANY($%d::text[]) AND ($2::text[] IS NULL OR status = ANY($2))`, len(args))
	}
	var total int
	if err := t.tx.QueryRow(t.ctx, `SELECT count(DISTINCT id) FROM (`+m+`) m`, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	args = append(args, limit, skip)
	err := read(t.tx.Query(t.ctx, fmt.Sprintf(`SELECT o.data FROM orders o WHERE o.shop = $1 AND o.id IN (`+m+`)
		ORDER BY o.created_at DESC, o.id LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...))
	return orders, total, err
}

// resolveWord lists the indexed words a typed word's alternatives start,
// and one of them that every one of the shop's all orders holds, if any.
func (t *pgShopTx) resolveWord(alts []string, all int) (words []string, everywhere string, err error) {
	for _, alt := range alts {
		rows, err := t.tx.Query(t.ctx, `SELECT word, sum(n) FROM order_word_counts WHERE shop = $1 AND word >= $2 AND word < $3
			GROUP BY word HAVING sum(n) > 0`, t.shop, alt, prefixEnd(alt))
		if err != nil {
			return nil, "", err
		}
		for rows.Next() {
			var w string
			var n int
			if err := rows.Scan(&w, &n); err != nil {
				rows.Close()
				return nil, "", err
			}
			if !slices.Contains(words, w) {
				words = append(words, w)
			}
			if n == all && everywhere == "" {
				everywhere = w
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, "", err
		}
	}
	return words, everywhere, nil
}

// prefixEnd is the least string after every string that starts with p, in
// bytewise order: p with its last rune raised by one.
func prefixEnd(p string) string {
	r := []rune(p)
	for len(r) > 0 {
		last := r[len(r)-1]
		if last < utf8.MaxRune {
			r[len(r)-1] = last + 1
			// Surrogates are no runes of a string: U+D7FF is followed by U+E000.
			if last == 0xD7FF {
				r[len(r)-1] = 0xE000
			}
			return string(r)
		}
		r = r[:len(r)-1]
	}
	return "\U0010FFFF"
}
