package store

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// A migration moves a file from version v to v+1 inside the open
// transaction; migrate runs every step the file needs in that one
// transaction, so a crash leaves the file at its old version, untouched.
var migrations = map[uint64]func(tx *bolt.Tx) error{
	1: migrateV1,
	2: migrateV2,
	3: migrateV3,
	4: migrateV4,
	5: migrateV5,
	6: migrateV6,
	7: migrateV7,
}

func migrate(tx *bolt.Tx, from uint64, path string) error {
	for v := from; v < SchemaVersion; v++ {
		step, ok := migrations[v]
		if !ok {
			return fmt.Errorf("store: %s: no migration from schema %d to %d", path, v, v+1)
		}
		if err := step(tx); err != nil {
			return fmt.Errorf("store: migrating %s from schema %d to %d: %w", path, v, v+1, err)
		}
		if err := setSchemaVersion(tx, v+1); err != nil {
			return err
		}
	}
	return nil
}

// migrateV1 moves version 1 files to version 2. Version 1 kept each order's
// history inside its record ("history" in the JSON) and had no indexes: the
// list screens decoded every order. Version 2 moves each event to the
// history bucket under its version and builds every index and counter.
func migrateV1(tx *bolt.Tx) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	orders, err := bucket(tx, bucketOrders)
	if err != nil {
		return err
	}
	// Collect first: a bucket must not be written while ForEach walks it.
	var all []*app.Order
	err = orders.ForEach(func(k, v []byte) error {
		var o app.Order
		if err := json.Unmarshal(v, &o); err != nil {
			return fmt.Errorf("order %q cannot be decoded: %w", k, err)
		}
		if o.ID == "" {
			o.ID = string(k)
		}
		if o.ID != string(k) {
			return fmt.Errorf("order under key %q has id %q", k, o.ID)
		}
		all = append(all, &o)
		return nil
	})
	if err != nil {
		return err
	}
	for _, o := range all {
		for i, e := range o.History {
			if e.Version == 0 {
				// v1 did not always number events; their position is their version.
				e.Version = int64(i + 1)
			}
			if err := putEvent(tx, o.ID, e); err != nil {
				return err
			}
		}
		o.History = nil
		data, err := json.Marshal(o)
		if err != nil {
			return fmt.Errorf("encoding order %s: %w", o.ID, err)
		}
		if err := orders.Put([]byte(orderKey(o.ID)), data); err != nil {
			return err
		}
	}
	// migrateV3 follows and rebuilds every index.
	return nil
}

// migrateV2 moves version 2 files to version 3. Version 3 bounds every key
// (keys.go): a record or history key of a long order id, or a product key
// of a long SKU, moves to its bounded key.
func migrateV2(tx *bolt.Tx) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	type move struct{ from, to, v []byte }
	var moves []move
	rekey := func(name []byte, target func(k, v []byte) ([]byte, error)) error {
		b, err := bucket(tx, name)
		if err != nil {
			return err
		}
		moves = moves[:0]
		// Collect first: a bucket must not be written while ForEach walks it.
		err = b.ForEach(func(k, v []byte) error {
			to, err := target(k, v)
			if err != nil {
				return err
			}
			if !bytes.Equal(to, k) {
				moves = append(moves, move{append([]byte(nil), k...), to, append([]byte(nil), v...)})
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, m := range moves {
			if err := b.Delete(m.from); err != nil {
				return err
			}
			if err := b.Put(m.to, m.v); err != nil {
				return fmt.Errorf("%s key %.64q: %w", name, m.from, err)
			}
		}
		return nil
	}
	err := rekey(bucketOrders, func(k, _ []byte) ([]byte, error) { return []byte(orderKey(string(k))), nil })
	if err != nil {
		return err
	}
	err = rekey(bucketHistory, func(k, _ []byte) ([]byte, error) {
		sep := len(k) - 9
		if sep < 0 || k[sep] != 0 {
			return nil, fmt.Errorf("history key %.64q is malformed", k)
		}
		return append(historyPrefix(string(k[:sep])), k[sep+1:]...), nil
	})
	if err != nil {
		return err
	}
	// migrateV3 follows and rebuilds every index.
	return rekey(bucketProducts, func(k, _ []byte) ([]byte, error) { return []byte(productKey(string(k))), nil })
}

// migrateV3 moves version 3 files to version 4. Version 4 keys the courier
// index by app's courier code ("jnt" for "J&T" and "J&T Express"), so the
// indexes are rebuilt from the orders.
func migrateV3(tx *bolt.Tx) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	return rebuildIndexes(tx)
}

// migrateV4 moves version 4 files to version 5. Version 5 keeps the entry
// value in idx_status, idx_deadline and idx_forward only; the other lists
// and the search keys have empty values, so every index is rebuilt.
func migrateV4(tx *bolt.Tx) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	return rebuildIndexes(tx)
}

// migrateV5 moves version 5 files to version 6. Version 6 adds the statuses
// returned (9) and refunded (10) to the status codes, with their own status
// lists and counters, and counts open buyer cancel requests, so every index
// is rebuilt. Orders resolved by a return
// or refund before version 6 stay in Completed: their status is the cloud's
// too, and only a new event may move an order.
func migrateV5(tx *bolt.Tx) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	return rebuildIndexes(tx)
}

// migrateV6 moves version 6 files to version 7. Version 7 starts every
// search key with the epoch of its order's creation time and keeps the
// order's channel code in its value, and drops idx_created and idx_label,
// so those two are deleted and every index is rebuilt.
func migrateV6(tx *bolt.Tx) error {
	for _, name := range droppedBuckets {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return fmt.Errorf("dropping %s: %w", name, err)
			}
		}
	}
	if err := createBuckets(tx); err != nil {
		return err
	}
	return rebuildIndexes(tx)
}

// migrateV7 moves version 7 files to version 8. Version 8's line search
// keys name, in their value, every line of their order and the initials of
// its own words (appendLineSet), so a product name's words are checked
// without reading each candidate's token list; every index is rebuilt.
func migrateV7(tx *bolt.Tx) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	return rebuildIndexes(tx)
}
