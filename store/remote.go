package store

import (
	"bytes"
	"fmt"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// The cloud is the authority on order state: what it sends replaces the
// terminal's optimistic guesses, indexes included, in one transaction with
// the cursor, so a crash never leaves changes applied without the cursor
// that covers them (or the reverse).

// Remote is one page of what the cloud decided.
type Remote struct {
	Orders   []*app.Order
	Products []*app.Product
	// Events are keyed by order id; an event replaces the one of its order and version.
	Events map[string][]app.Event
	// Settings are shop-wide settings the cloud sent (the shop's policy), by key.
	Settings map[string]any
	Cursor   uint64
}

// ApplyRemote replaces orders and products as the cloud says, writes its
// events and settings, and sets the cursor, in one transaction.
func (db *DB) ApplyRemote(r Remote) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		if err := putCloudOrders(tx, r.Orders); err != nil {
			return err
		}
		for _, p := range r.Products {
			if err := putProduct(tx, p); err != nil {
				return err
			}
		}
		for id, evs := range r.Events {
			for _, e := range evs {
				if err := putEvent(tx, id, e); err != nil {
					return err
				}
			}
		}
		for k, v := range r.Settings {
			if err := putSetting(tx, k, v); err != nil {
				return err
			}
		}
		return setCursor(tx, r.Cursor)
	})
}

// ReplaceAll resets orders and products to a cloud snapshot and sets the
// cursor. The outbox, settings, print jobs and mid bookkeeping are kept, and
// so is the history of orders still in the snapshot.
func (db *DB) ReplaceAll(orders []*app.Order, products []*app.Product, cursor uint64) error {
	keep := make(map[string]bool, len(orders))
	for _, o := range orders {
		if err := checkOrder(o); err != nil {
			return err
		}
		keep[o.ID] = true
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		for _, name := range append([][]byte{bucketOrders, bucketProducts}, indexBuckets...) {
			if err := tx.DeleteBucket(name); err != nil {
				return fmt.Errorf("store: dropping %s: %w", name, err)
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return fmt.Errorf("store: creating %s: %w", name, err)
			}
		}
		if err := dropHistoryExcept(tx, keep); err != nil {
			return err
		}
		if err := putCloudOrders(tx, orders); err != nil {
			return err
		}
		for _, p := range products {
			if err := putProduct(tx, p); err != nil {
				return err
			}
		}
		return setCursor(tx, cursor)
	})
}

// dropHistoryExcept deletes the history of every order not in keep.
func dropHistoryExcept(tx *bolt.Tx, keep map[string]bool) error {
	b, err := bucket(tx, bucketHistory)
	if err != nil {
		return err
	}
	var gone [][]byte
	err = b.ForEach(func(k, _ []byte) error {
		sep := bytes.IndexByte(k, 0)
		if sep < 0 || !keep[string(k[:sep])] {
			gone = append(gone, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range gone {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("store: deleting history %q: %w", k, err)
		}
	}
	return nil
}

// putCloudOrders writes orders as the cloud decided them. An optimistic
// event above the cloud's version is a guess the cloud overruled, so it goes.
func putCloudOrders(tx *bolt.Tx, orders []*app.Order) error {
	for _, o := range orders {
		if err := putOrder(tx, o); err != nil {
			return err
		}
		if err := trimHistory(tx, o.ID, o.Version); err != nil {
			return err
		}
	}
	return nil
}

// DropOrder removes an order the cloud refused to create, with its indexes
// and history; a missing order is not an error.
func (db *DB) DropOrder(id string) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketOrders)
		if err != nil {
			return err
		}
		k := []byte(orderKey(id))
		v := b.Get(k)
		if v == nil {
			return nil
		}
		old, err := decodeOrder(k, v)
		if err != nil {
			return err
		}
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("store: removing order %s: %w", id, err)
		}
		if err := writeIndexes(tx, old, nil); err != nil {
			return err
		}
		return trimHistory(tx, id, 0)
	})
}

// trimHistory deletes the order's events with a version above keep.
func trimHistory(tx *bolt.Tx, orderID string, keep int64) error {
	b, err := bucket(tx, bucketHistory)
	if err != nil {
		return err
	}
	prefix := historyPrefix(orderID)
	c := b.Cursor()
	for k, _ := c.Seek(historyKey(orderID, keep+1)); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(historyKey(orderID, keep+1)) {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("store: trimming history of order %s: %w", orderID, err)
		}
	}
	return nil
}
