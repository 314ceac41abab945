package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// The history bucket keys an event by order id 0x00 BE uint64(version). The
// version names the event, so the cloud's copy of an event replaces the
// terminal's optimistic one by simply writing the same key, and a prefix
// scan returns an order's history in version order.

// AppendEvent writes an event of the order; an event with the same version replaces it.
func (t *Tx) AppendEvent(orderID string, e app.Event) error { return putEvent(t.tx, orderID, e) }

// OrderWithHistory returns an order with its full history, oldest first, or ENotFound.
func (db *DB) OrderWithHistory(id string) (*app.Order, error) {
	var o *app.Order
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		if o, err = getOrder(tx, id); err != nil {
			return err
		}
		o.History, err = orderHistory(tx, id)
		return err
	})
	return o, err
}

func historyKey(orderID string, version int64) []byte {
	return append(historyPrefix(orderID), be64(uint64(version))...)
}

// historyPrefix is orderKey(id) 0x00, the start of each of the order's history keys.
func historyPrefix(orderID string) []byte {
	k := orderKey(orderID)
	return append(append(make([]byte, 0, len(k)+9), k...), 0)
}

func putEvent(tx *bolt.Tx, orderID string, e app.Event) error {
	if orderID == "" || strings.IndexByte(orderID, 0) >= 0 {
		return app.FieldError("order_id", "%q cannot name an order's history", orderID)
	}
	if e.Version < 0 {
		return app.FieldError("version", "event of order %s has negative version %d", orderID, e.Version)
	}
	b, err := bucket(tx, bucketHistory)
	if err != nil {
		return err
	}
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("store: encoding event %d of order %s: %w", e.Version, orderID, err)
	}
	if err := b.Put(historyKey(orderID, e.Version), data); err != nil {
		return fmt.Errorf("store: writing event %d of order %s: %w", e.Version, orderID, err)
	}
	return nil
}

// orderHistory returns the order's events in version order.
func orderHistory(tx *bolt.Tx, orderID string) ([]app.Event, error) {
	b, err := bucket(tx, bucketHistory)
	if err != nil {
		return nil, err
	}
	prefix := historyPrefix(orderID)
	var out []app.Event
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var e app.Event
		if err := json.Unmarshal(v, &e); err != nil {
			return nil, fmt.Errorf("store: event %q in bucket %s cannot be decoded: %w", k, bucketHistory, err)
		}
		out = append(out, e)
	}
	return out, nil
}
