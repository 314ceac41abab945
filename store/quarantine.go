package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A change from the cloud that this terminal cannot store (an index key the
// file cannot hold, a record it cannot decode, a bug that panics) must not
// stop the terminal: the change is set aside in the quarantine bucket with
// its error and its bytes, the rest of its page is applied and the cursor
// moves on. The cloud is told, and can send it again after a fix. A later
// change of the same order that does store clears the entry, because the
// order is then as the cloud has it.

// bucketQuarantine is created the first time something is quarantined, so
// files of every schema version read it the same way: absent means empty.
var bucketQuarantine = []byte("quarantine") // BE seq, first 8 bytes of sha256(order id) → JSON Quarantined

// Quarantined is one change this terminal could not store.
type Quarantined struct {
	// Seq is the change's sequence in the shop's log (the snapshot's, for a reset).
	Seq uint64 `json:"seq"`
	// OrderID and Number name the order the change carried, when known.
	OrderID string `json:"order_id,omitempty"`
	Number  string `json:"number,omitempty"`
	// Error is why it could not be stored, as the store or decoder said it.
	Error string `json:"error"`
	// At is when the terminal set it aside.
	At time.Time `json:"at"`
	// Change is the change as the cloud sent it, so it can be looked at later.
	Change json.RawMessage `json:"change,omitempty"`
}

// quarantineKey bounds the key whatever the order id's length: the id is in
// the value, the key only needs to tell two entries of one snapshot apart.
func quarantineKey(q *Quarantined) []byte {
	name := q.OrderID
	if name == "" {
		name = "\x00" + q.Error + "\x00" + string(q.Change)
	}
	seq := q.Seq
	h := sha256.Sum256([]byte(name))
	k := make([]byte, 16)
	binary.BigEndian.PutUint64(k, seq)
	copy(k[8:], h[:8])
	return k
}

// Quarantined lists the changes set aside, oldest first.
func (db *DB) Quarantined() ([]Quarantined, error) {
	var out []Quarantined
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketQuarantine)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var q Quarantined
			if err := json.Unmarshal(v, &q); err != nil {
				// A damaged entry is still a change that was not stored.
				q = Quarantined{Seq: seqOfKey(k), Error: fmt.Sprintf("quarantine entry %x cannot be decoded: %v", k, err)}
			}
			out = append(out, q)
			return nil
		})
	})
	return out, err
}

func seqOfKey(k []byte) uint64 {
	if len(k) < 8 {
		return 0
	}
	return binary.BigEndian.Uint64(k)
}

// putQuarantined records q in tx.
func putQuarantined(tx *bolt.Tx, q Quarantined) error {
	b, err := tx.CreateBucketIfNotExists(bucketQuarantine)
	if err != nil {
		return fmt.Errorf("store: creating bucket %s: %w", bucketQuarantine, err)
	}
	data, err := json.Marshal(q)
	if err != nil {
		// The raw change is what failed to encode: keep the rest.
		q.Change = nil
		if data, err = json.Marshal(q); err != nil {
			return fmt.Errorf("store: encoding quarantine entry %d: %w", q.Seq, err)
		}
	}
	if err := b.Put(quarantineKey(&q), data); err != nil {
		return fmt.Errorf("store: writing quarantine entry %d: %w", q.Seq, err)
	}
	return nil
}

// clearQuarantined removes the entries made good since: an order stored
// from a change at or after the entry's (storedAt maps an order id to that
// sequence), or a change with no order applied this time (sent again).
func clearQuarantined(tx *bolt.Tx, storedAt map[string]uint64, applied map[uint64]bool) error {
	b := tx.Bucket(bucketQuarantine)
	if b == nil {
		return nil
	}
	if k, _ := b.Cursor().First(); k == nil {
		return nil
	}
	var gone [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var q struct {
			Seq     uint64 `json:"seq"`
			OrderID string `json:"order_id"`
		}
		if json.Unmarshal(v, &q) != nil {
			return nil
		}
		s, ok := storedAt[q.OrderID]
		if (q.OrderID == "" && applied[q.Seq]) || (q.OrderID != "" && ok && s >= q.Seq) {
			gone = append(gone, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range gone {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("store: clearing quarantine entry %x: %w", k, err)
		}
	}
	return nil
}

// dropQuarantine empties the bucket (a reset replaces everything it held).
func dropQuarantine(tx *bolt.Tx) error {
	if tx.Bucket(bucketQuarantine) == nil {
		return nil
	}
	if err := tx.DeleteBucket(bucketQuarantine); err != nil {
		return fmt.Errorf("store: dropping %s: %w", bucketQuarantine, err)
	}
	return nil
}
