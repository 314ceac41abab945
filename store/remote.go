package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

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

// Change is one change of a page the cloud sent, as the sync client decoded it.
type Change struct {
	// Seq is its sequence in the shop's log.
	Seq uint64
	// Order is the order after the change; nil for a catalogue or policy change.
	Order    *app.Order
	Products []*app.Product
	// Events are the order's history the change added; each replaces the event of its version.
	Events []app.Event
	// EventsJSON, when it has one entry per event, is each event as the cloud
	// encoded it (the same JSON the store writes), stored as it is.
	EventsJSON []json.RawMessage
	// Settings are shop-wide settings the change set (the shop's policy), by key.
	Settings map[string]any
	// Raw is the change as sent; it is kept if the change must be quarantined.
	Raw []byte
	// Err, when set, says the change could not be decoded: it is quarantined
	// as it is. Order may then hold what was read of its id and number.
	Err error
}

// Page is consecutive changes of the shop's log; Cursor is the sequence
// the terminal stands at once the page is applied.
type Page struct {
	Changes []Change
	Cursor  uint64
}

// ApplyPage stores a page in one transaction with its cursor: the last
// state of each order (and its index entries), every event, the last state
// of each product and setting. A change that cannot be stored, whatever the
// reason (a key the file cannot hold, a panic in an index), is quarantined
// in the same transaction and the rest of the page is applied; the
// quarantined entries are returned. Only a failure of the file itself (the
// commit, a missing bucket) returns an error, and then nothing was written.
func (db *DB) ApplyPage(p Page) ([]Quarantined, error) {
	return db.applyPage(p, nil)
}

// ApplyReset replaces every order and product with a cloud snapshot (one
// change per order and product at the snapshot's sequence), stores its
// settings and sets the cursor, in one transaction. The outbox, settings,
// print jobs and mid bookkeeping are kept, and so is the history of orders
// still in the snapshot. Orders it cannot store are quarantined as in ApplyPage.
func (db *DB) ApplyReset(orders []*app.Order, products []*app.Product, settings map[string]any, cursor uint64) ([]Quarantined, error) {
	p := Page{Cursor: cursor, Changes: make([]Change, 0, len(orders)+len(products)+1)}
	keep := make(map[string]bool, len(orders))
	for _, o := range orders {
		p.Changes = append(p.Changes, Change{Seq: cursor, Order: o})
		if o != nil {
			keep[o.ID] = true
		}
	}
	for _, pr := range products {
		p.Changes = append(p.Changes, Change{Seq: cursor, Products: []*app.Product{pr}})
	}
	if len(settings) > 0 {
		p.Changes = append(p.Changes, Change{Seq: cursor, Settings: settings})
	}
	return db.applyPage(p, func(tx *bolt.Tx) error {
		for _, name := range append([][]byte{bucketOrders, bucketProducts}, indexBuckets...) {
			if err := tx.DeleteBucket(name); err != nil {
				return fmt.Errorf("store: dropping %s: %w", name, err)
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return fmt.Errorf("store: creating %s: %w", name, err)
			}
		}
		if err := dropQuarantine(tx); err != nil {
			return err
		}
		return dropHistoryExcept(tx, keep)
	})
}

// changeError is a failure that belongs to one change of a page. inOrder
// says it failed writing the change's order: every change of the page that
// carries the very same order value fails with it.
type changeError struct {
	index   int
	err     error
	inOrder bool
}

func (e *changeError) Error() string { return e.err.Error() }
func (e *changeError) Unwrap() error { return e.err }

// guard runs one change's writes and pins any failure, a panic included, on that change.
func guard(index int, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &changeError{index: index, err: fmt.Errorf("store: panic while storing the change: %v", r)}
		}
	}()
	if err := fn(); err != nil {
		return &changeError{index: index, err: err}
	}
	return nil
}

// applyPage retries the page's transaction without each change that failed
// in it; bbolt has no savepoints, and a page normally commits the first time.
// prepare, when given, runs first in every attempt.
func (db *DB) applyPage(p Page, prepare func(*bolt.Tx) error) ([]Quarantined, error) {
	bad := make(map[int]error)
	for i, c := range p.Changes {
		if c.Err != nil {
			bad[i] = c.Err
		}
	}
	now := time.Now().UTC()
	for {
		var q []Quarantined
		err := db.bolt.Update(func(tx *bolt.Tx) error {
			if prepare != nil {
				if err := prepare(tx); err != nil {
					return err
				}
			}
			var err error
			q, err = writePage(tx, p, bad, now)
			return err
		})
		var ce *changeError
		if errors.As(err, &ce) && ce.index >= 0 && ce.index < len(p.Changes) && bad[ce.index] == nil {
			bad[ce.index] = ce.err
			if o := p.Changes[ce.index].Order; ce.inOrder && o != nil {
				for i, c := range p.Changes {
					if c.Order == o && bad[i] == nil {
						bad[i] = ce.err
					}
				}
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		return q, nil
	}
}

// writePage writes the page less the changes in bad, quarantines those, and
// sets the cursor.
func writePage(tx *bolt.Tx, p Page, bad map[int]error, now time.Time) ([]Quarantined, error) {
	lastOrder := make(map[string]int)
	lastProduct := make(map[string]int)
	lastSetting := make(map[string]int)
	for i, c := range p.Changes {
		if bad[i] != nil {
			continue
		}
		if c.Order != nil {
			lastOrder[c.Order.ID] = i
		}
		for _, pr := range c.Products {
			if pr != nil {
				lastProduct[pr.SKU] = i
			}
		}
		for k := range c.Settings {
			lastSetting[k] = i
		}
	}
	storedAt := make(map[string]uint64, len(lastOrder))
	// applied are the sequences of changes with no order that were stored.
	applied := make(map[uint64]bool)
	for i, c := range p.Changes {
		if bad[i] != nil {
			continue
		}
		// Only an order's last state in the page is written, so its index
		// entries move once per page, not once per change.
		if o := c.Order; o != nil && lastOrder[o.ID] == i {
			err := guard(i, func() error {
				if err := putOrder(tx, o); err != nil {
					return err
				}
				return trimHistory(tx, o.ID, o.Version)
			})
			if err != nil {
				err.(*changeError).inOrder = true
				return nil, err
			}
			storedAt[o.ID] = c.Seq
		}
		err := guard(i, func() error {
			for _, pr := range c.Products {
				if pr == nil || lastProduct[pr.SKU] == i {
					if err := putProduct(tx, pr); err != nil {
						return err
					}
				}
			}
			for k, v := range c.Settings {
				if lastSetting[k] == i {
					if err := putSetting(tx, k, v); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if c.Order == nil {
			applied[c.Seq] = true
		}
	}
	// Events after every order: an order written later in the page trims
	// the history above its version, which must not take an event with it.
	for i, c := range p.Changes {
		if bad[i] != nil || c.Order == nil || len(c.Events) == 0 {
			continue
		}
		err := guard(i, func() error {
			raw := len(c.EventsJSON) == len(c.Events)
			for k, e := range c.Events {
				if raw {
					if err := putEventJSON(tx, c.Order.ID, e.Version, c.EventsJSON[k]); err != nil {
						return err
					}
					continue
				}
				if err := putEvent(tx, c.Order.ID, e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if err := clearQuarantined(tx, storedAt, applied); err != nil {
		return nil, err
	}
	var q []Quarantined
	for i, c := range p.Changes {
		cause := bad[i]
		if cause == nil {
			continue
		}
		e := Quarantined{Seq: c.Seq, Error: cause.Error(), At: now, Change: c.Raw}
		if c.Order != nil {
			e.OrderID, e.Number = c.Order.ID, c.Order.Number
			if s, ok := storedAt[e.OrderID]; ok && s >= c.Seq {
				// A later change of the same order in this page stored it.
				continue
			}
		}
		if err := putQuarantined(tx, e); err != nil {
			return nil, err
		}
		q = append(q, e)
	}
	return q, setCursor(tx, p.Cursor)
}

// putEventJSON writes an event already encoded (and decoded once, so known
// to read back) under its version.
func putEventJSON(tx *bolt.Tx, orderID string, version int64, data []byte) error {
	if orderID == "" || strings.IndexByte(orderID, 0) >= 0 {
		return app.FieldError("order_id", "%q cannot name an order's history", orderID)
	}
	if version < 0 {
		return app.FieldError("version", "event of order %s has negative version %d", orderID, version)
	}
	b, err := bucket(tx, bucketHistory)
	if err != nil {
		return err
	}
	if err := b.Put(historyKey(orderID, version), data); err != nil {
		return fmt.Errorf("store: writing event %d of order %s: %w", version, orderID, err)
	}
	return nil
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
