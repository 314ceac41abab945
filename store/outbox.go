package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// The outbox holds the commands this terminal applied locally and has not
// yet seen acknowledged by the cloud, keyed by BE uint64 mid. A mutation is
// appended in the same transaction as the local change, so the two cannot
// disagree after a crash. Mids are dense and increasing: sync_state's
// last_mid is the last one handed out and is never reused, even after ack.

// Mutation is one outbox entry: a command this terminal applied, to be sent to the cloud.
type Mutation struct {
	Mid   uint64      `json:"mid"`
	Cmd   app.Command `json:"cmd"`
	Actor app.Actor   `json:"actor"`
	At    time.Time   `json:"at"`
	// Proof is the signed-in member's signature, when there was one.
	Proof *app.StaffProof `json:"proof,omitempty"`
	// Approval is the approving owner's signature, when the change names one.
	Approval *app.StaffProof `json:"approval,omitempty"`
}

// SyncState is where this terminal stands with the cloud.
type SyncState struct {
	// Cursor is the last change-log sequence applied from the cloud.
	Cursor uint64
	// LastMid is the last mutation id handed out.
	LastMid uint64
	// LastAckedMid is the highest mid the cloud acknowledged.
	LastAckedMid uint64
}

var (
	stateCursor    = []byte("cursor")
	stateLastMid   = []byte("last_mid")
	stateLastAcked = []byte("last_acked_mid")
)

// AppendOutbox queues cmd under the next mid and returns it. tx must be the
// *Tx of a DB.Update callback, so the entry commits with the local change.
func AppendOutbox(tx app.Tx, cmd app.Command, actor app.Actor, at time.Time) (uint64, error) {
	return AppendJournaled(tx, app.Journaled{Cmd: cmd, Actor: actor, At: at})
}

// AppendJournaled queues a journaled command like AppendOutbox, with the
// staff proof j.Prove makes for its mid.
func AppendJournaled(tx app.Tx, j app.Journaled) (uint64, error) {
	cmd, actor, at := j.Cmd, j.Actor, j.At
	btx, err := boltTx(tx)
	if err != nil {
		return 0, err
	}
	state, err := bucket(btx, bucketSyncState)
	if err != nil {
		return 0, err
	}
	out, err := bucket(btx, bucketOutbox)
	if err != nil {
		return 0, err
	}
	mid := readState(state, stateLastMid) + 1
	m := Mutation{Mid: mid, Cmd: cmd, Actor: actor, At: at.UTC()}
	if j.Prove != nil {
		m.Proof = j.Prove(mid)
	}
	if j.Approve != nil {
		m.Approval = j.Approve(mid)
	}
	data, err := json.Marshal(m)
	if err != nil {
		return 0, fmt.Errorf("store: encoding outbox mutation %d (%s): %w", mid, cmd.Action, err)
	}
	if err := out.Put(be64(mid), data); err != nil {
		return 0, fmt.Errorf("store: writing outbox mutation %d: %w", mid, err)
	}
	if err := state.Put(stateLastMid, be64(mid)); err != nil {
		return 0, fmt.Errorf("store: writing sync_state.last_mid: %w", err)
	}
	return mid, nil
}

// Outbox returns up to limit mutations with mid > afterMid, in mid order; limit 0 means all.
func (db *DB) Outbox(afterMid uint64, limit int) ([]Mutation, error) {
	var out []Mutation
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketOutbox)
		if err != nil {
			return err
		}
		c := b.Cursor()
		for k, v := c.Seek(be64(afterMid + 1)); k != nil; k, v = c.Next() {
			if limit > 0 && len(out) >= limit {
				break
			}
			var m Mutation
			if err := json.Unmarshal(v, &m); err != nil {
				return fmt.Errorf("store: outbox mutation %x cannot be decoded: %w", k, err)
			}
			out = append(out, m)
		}
		return nil
	})
	return out, err
}

// AckOutbox deletes every mutation with mid ≤ uptoMid and records the ack.
// An ack above LastMid (the cloud knows mids this file lost, e.g. after a
// restore) raises LastMid, so a new mutation never reuses a mid.
func (db *DB) AckOutbox(uptoMid uint64) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketOutbox)
		if err != nil {
			return err
		}
		state, err := bucket(tx, bucketSyncState)
		if err != nil {
			return err
		}
		var done [][]byte
		c := b.Cursor()
		for k, _ := c.First(); k != nil && binary.BigEndian.Uint64(k) <= uptoMid; k, _ = c.Next() {
			done = append(done, append([]byte(nil), k...))
		}
		for _, k := range done {
			if err := b.Delete(k); err != nil {
				return fmt.Errorf("store: deleting outbox mutation %x: %w", k, err)
			}
		}
		if uptoMid > readState(state, stateLastAcked) {
			if err := state.Put(stateLastAcked, be64(uptoMid)); err != nil {
				return err
			}
		}
		if uptoMid > readState(state, stateLastMid) {
			return state.Put(stateLastMid, be64(uptoMid))
		}
		return nil
	})
}

// OutboxLen counts the mutations not yet acknowledged.
func (db *DB) OutboxLen() (int, error) {
	n := 0
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketOutbox)
		if err != nil {
			return err
		}
		n = b.Stats().KeyN
		return nil
	})
	return n, err
}

// SyncState returns the cursor and mid bookkeeping.
func (db *DB) SyncState() (SyncState, error) {
	var s SyncState
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketSyncState)
		if err != nil {
			return err
		}
		s = SyncState{Cursor: readState(b, stateCursor), LastMid: readState(b, stateLastMid), LastAckedMid: readState(b, stateLastAcked)}
		return nil
	})
	return s, err
}

// SetCursor records the last change-log sequence applied from the cloud.
func (db *DB) SetCursor(cursor uint64) error {
	return db.bolt.Update(func(tx *bolt.Tx) error { return setCursor(tx, cursor) })
}

// SetCursorTx records the cursor inside an Update, with the changes it covers.
func SetCursorTx(tx app.Tx, cursor uint64) error {
	btx, err := boltTx(tx)
	if err != nil {
		return err
	}
	return setCursor(btx, cursor)
}

func setCursor(tx *bolt.Tx, cursor uint64) error {
	b, err := bucket(tx, bucketSyncState)
	if err != nil {
		return err
	}
	if err := b.Put(stateCursor, be64(cursor)); err != nil {
		return fmt.Errorf("store: writing sync_state.cursor: %w", err)
	}
	return nil
}

func readState(b *bolt.Bucket, name []byte) uint64 {
	v := b.Get(name)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

// NewService is the terminal's use cases over db: every command applied is
// queued in the outbox in its own transaction, so the terminal never holds
// a change the cloud will not hear of, with no sync running too.
func NewService(db *DB, pol app.Policy, opts ...app.ServiceOption) *app.Service {
	journal := app.WithJournal(func(tx app.Tx, j app.Journaled) error {
		_, err := AppendJournaled(tx, j)
		return err
	})
	return app.NewService(db, pol, append([]app.ServiceOption{journal}, opts...)...)
}
