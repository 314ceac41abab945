package store

import (
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
		if err := orders.Put([]byte(o.ID), data); err != nil {
			return err
		}
	}
	return rebuildIndexes(tx)
}
