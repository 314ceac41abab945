package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// insertChunk is how many orders share one transaction in a bulk load: big
// enough to amortise the fsync, small enough to bound memory and to leave
// whole chunks behind when the process dies mid-load.
const insertChunk = 1000

// InsertOrders writes orders (replacing any with the same id) with their
// indexes, in transactions of up to 1000. Each transaction is all or nothing;
// on error, earlier chunks stay written.
func (db *DB) InsertOrders(orders []*app.Order) error {
	for start := 0; start < len(orders); start += insertChunk {
		chunk := orders[start:min(start+insertChunk, len(orders))]
		if err := db.bolt.Update(func(tx *bolt.Tx) error { return insertChunkTx(tx, chunk) }); err != nil {
			return err
		}
	}
	return nil
}

// insertChunkTx writes new orders with every key of every bucket sorted, so
// bbolt walks each bucket once in key order instead of seeking at random,
// and adds the counters once. Orders that already exist, or repeat an id of
// the chunk, go through putOrder afterwards, in their original order, so the
// last write of an id wins and its old index keys are removed.
func insertChunkTx(tx *bolt.Tx, chunk []*app.Order) error {
	orders, err := bucket(tx, bucketOrders)
	if err != nil {
		return err
	}
	writes := map[string][]indexEntry{}
	delta := map[string]int64{}
	seen := make(map[string]bool, len(chunk))
	var later []*app.Order
	for _, o := range chunk {
		if err := checkOrder(o); err != nil {
			return err
		}
		if seen[o.ID] || orders.Get([]byte(o.ID)) != nil {
			later = append(later, o)
			continue
		}
		seen[o.ID] = true
		rec := *o
		rec.History = nil
		data, err := json.Marshal(&rec)
		if err != nil {
			return fmt.Errorf("store: encoding order %s: %w", o.ID, err)
		}
		writes[string(bucketOrders)] = append(writes[string(bucketOrders)], indexEntry{bucketOrders, []byte(o.ID), data})
		for _, e := range orderEntries(&rec) {
			writes[string(e.bucket)] = append(writes[string(e.bucket)], e)
		}
		for _, n := range counterNames(&rec) {
			delta[n]++
		}
	}
	for name, list := range writes {
		b, err := bucket(tx, []byte(name))
		if err != nil {
			return err
		}
		sort.Slice(list, func(i, j int) bool { return bytes.Compare(list[i].key, list[j].key) < 0 })
		for _, e := range list {
			if err := b.Put(e.key, e.value); err != nil {
				return fmt.Errorf("store: writing %s key %q: %w", name, e.key, err)
			}
		}
	}
	if err := addCounters(tx, delta); err != nil {
		return err
	}
	for _, o := range later {
		if err := putOrder(tx, o); err != nil {
			return err
		}
	}
	return nil
}
