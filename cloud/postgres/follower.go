package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/kasir/pos/cloud"
	"time"

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
func (s *Store) FollowerCursor(follower, shop string) (uint64, error) {
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
func (s *Store) SaveFollowing(follower, shop string, cursor uint64, put []*cloud.PendingChange, done []uint64) error {
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
func (s *Store) PendingChanges(follower, shop string) ([]*cloud.PendingChange, error) {
	var out []*cloud.PendingChange
	err := s.listJSON(`SELECT data FROM follower_pending WHERE ($1 = '' OR follower = $1) AND ($2 = '' OR shop = $2)
		ORDER BY follower, shop, seq`, []any{follower, shop}, func(b []byte) error {
		var p cloud.PendingChange
		if err := json.Unmarshal(b, &p); err != nil {
			return fmt.Errorf("pending change: %w", err)
		}
		out = append(out, &p)
		return nil
	})
	return out, err
}

// LeadFollower takes a session advisory lock named after the follower on a
// connection of its own (outside the pool, which it would otherwise drain),
// so one instance at a time runs it; the lock goes with the connection, so a
// crashed instance hands the lead on by itself.
func (s *Store) LeadFollower(ctx context.Context, name string) (<-chan struct{}, func(), error) {
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		return nil, nil, err
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(hashtext('pos follower ' || $1))`, name); err != nil {
		_ = conn.Close(context.Background())
		return nil, nil, err
	}
	lost := make(chan struct{})
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(2 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				pctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				err := conn.Ping(pctx)
				cancel()
				if err != nil {
					close(lost)
					return
				}
			}
		}
	}()
	release := func() {
		close(done)
		uctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		// Closing the session ends its locks; the unlock first is only politeness.
		_, _ = conn.Exec(uctx, `SELECT pg_advisory_unlock(hashtext('pos follower ' || $1))`, name)
		_ = conn.Close(uctx)
	}
	return lost, release, nil
}
