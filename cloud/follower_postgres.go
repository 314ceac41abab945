package cloud

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// pgFollowerSchema keeps followers' places: the cursor per follower and shop,
// and the pending changes with the change itself, so pruning never takes one.
const pgFollowerSchema = `
CREATE TABLE IF NOT EXISTS follower_cursors (follower text NOT NULL, shop text NOT NULL, cursor bigint NOT NULL,
  PRIMARY KEY (follower, shop));
CREATE TABLE IF NOT EXISTS follower_pending (follower text NOT NULL, shop text NOT NULL, seq bigint NOT NULL,
  data text NOT NULL, PRIMARY KEY (follower, shop, seq));
`

// FollowerCursor reads the follower's cursor in the shop.
func (s *PgStore) FollowerCursor(follower, shop string) (uint64, error) {
	ctx, cancel := pgCtx()
	defer cancel()
	var cur int64
	err := s.pool.QueryRow(ctx, `SELECT cursor FROM follower_cursors WHERE follower = $1 AND shop = $2`, follower, shop).Scan(&cur)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return uint64(cur), err
}

// SaveFollowing stores the cursor and pending changes in one transaction.
func (s *PgStore) SaveFollowing(follower, shop string, cursor uint64, put []*PendingChange, done []uint64) error {
	ctx, cancel := pgCtx()
	defer cancel()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `INSERT INTO follower_cursors (follower, shop, cursor) VALUES ($1, $2, $3)
		ON CONFLICT (follower, shop) DO UPDATE SET cursor = GREATEST(follower_cursors.cursor, EXCLUDED.cursor)`,
		follower, shop, int64(cursor)); err != nil {
		return err
	}
	var batch pgx.Batch
	for _, p := range put {
		data, err := json.Marshal(p)
		if err != nil {
			return err
		}
		batch.Queue(`INSERT INTO follower_pending (follower, shop, seq, data) VALUES ($1, $2, $3, $4)
			ON CONFLICT (follower, shop, seq) DO UPDATE SET data = EXCLUDED.data`, follower, shop, int64(p.Seq), string(data))
	}
	for _, seq := range done {
		batch.Queue(`DELETE FROM follower_pending WHERE follower = $1 AND shop = $2 AND seq = $3`, follower, shop, int64(seq))
	}
	if batch.Len() > 0 {
		if err := tx.SendBatch(ctx, &batch).Close(); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// PendingChanges lists pending changes by follower, shop and sequence.
func (s *PgStore) PendingChanges(follower, shop string) ([]*PendingChange, error) {
	var out []*PendingChange
	err := s.listJSON(`SELECT data FROM follower_pending WHERE ($1 = '' OR follower = $1) AND ($2 = '' OR shop = $2)
		ORDER BY follower, shop, seq`, []any{follower, shop}, func(b []byte) error {
		var p PendingChange
		if err := json.Unmarshal(b, &p); err != nil {
			return fmt.Errorf("pending change: %w", err)
		}
		out = append(out, &p)
		return nil
	})
	return out, err
}
