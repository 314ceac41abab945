package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/jsonread"
)

// The orders bucket maps an order id to its JSON record. The record never
// holds the history (that lives in the history bucket), so rewriting an
// order stays cheap however long its history grows.

// Order returns the order without its history, or an ENotFound error.
func (t *Tx) Order(id string) (*app.Order, error) {
	b, err := bucket(t.tx, bucketOrders)
	if err != nil {
		return nil, err
	}
	k := []byte(orderKey(id))
	v := b.Get(k)
	if v == nil {
		return nil, app.Errorf(app.ENotFound, "order %s not found", id)
	}
	o, err := decodeOrder(k, v)
	if err != nil {
		return nil, err
	}
	if t.tx.Writable() {
		// A private copy: the caller may change the order it was given.
		t.read = &readOrder{raw: v, d: derive(o.Clone())}
	}
	return o, nil
}

// readOrder is a record as read in a write transaction, with what its
// indexes need.
type readOrder struct {
	raw []byte
	d   *derived
}

// OrderByExternalID finds a channel's order by its id there, or returns ENotFound.
func (t *Tx) OrderByExternalID(ch app.Channel, externalID string) (*app.Order, error) {
	b, err := bucket(t.tx, idxExternal)
	if err != nil {
		return nil, err
	}
	id := b.Get(externalKey(ch, externalID))
	if id == nil {
		return nil, app.Errorf(app.ENotFound, "%s order %s not found", ch.Label(), externalID)
	}
	return getOrder(t.tx, string(id))
}

// PutOrder writes the order and moves its index entries in the same
// transaction. Its History is not stored; use AppendEvent.
func (t *Tx) PutOrder(o *app.Order) error {
	r := t.read
	t.read = nil
	return putOrderKnown(t.tx, o, r)
}

func getOrder(tx *bolt.Tx, id string) (*app.Order, error) {
	b, err := bucket(tx, bucketOrders)
	if err != nil {
		return nil, err
	}
	k := []byte(orderKey(id))
	v := b.Get(k)
	if v == nil {
		return nil, app.Errorf(app.ENotFound, "order %s not found", id)
	}
	return decodeOrder(k, v)
}

// decodeOrder reads a record, naming the key when it is damaged.
func decodeOrder(k, v []byte) (*app.Order, error) {
	var o app.Order
	if err := jsonread.Unmarshal(v, &o); err != nil {
		return nil, fmt.Errorf("store: order %q in bucket %s cannot be decoded: %w", k, bucketOrders, err)
	}
	if orderKey(o.ID) != string(k) {
		return nil, fmt.Errorf("store: order under key %q in bucket %s has id %q", k, bucketOrders, o.ID)
	}
	return &o, nil
}

// checkOrder refuses what the indexes cannot represent. The domain rules
// are app's; these are only the store's own limits.
func checkOrder(o *app.Order) error {
	if o == nil {
		return app.FieldError("order", "is nil")
	}
	if o.ID == "" {
		return app.FieldError("id", "is required to store an order")
	}
	if strings.IndexByte(o.ID, 0) >= 0 || strings.IndexByte(o.ExternalID, 0) >= 0 {
		return app.FieldError("id", "order %q: ids cannot contain a NUL byte", o.ID)
	}
	if !utf8.ValidString(o.ID) {
		// Its JSON record would read back under another id.
		return app.FieldError("id", "order %q: an id must be UTF-8 text", o.ID)
	}
	if _, ok := statusCodes[o.Status]; !ok {
		return app.FieldError("status", "order %s: unknown status %q", o.ID, string(o.Status))
	}
	if _, ok := channelCodes[o.Channel]; !ok {
		return app.FieldError("channel", "order %s: unknown channel %q", o.ID, string(o.Channel))
	}
	return nil
}

// putOrder writes o and its indexes; the previous record's entries are
// removed first so no stale key survives a status change.
func putOrder(tx *bolt.Tx, o *app.Order) error { return putOrderKnown(tx, o, nil) }

// putOrderKnown is putOrder given the record last read, if any: when the
// stored record is still that one, its indexes are not derived again.
func putOrderKnown(tx *bolt.Tx, o *app.Order, known *readOrder) error {
	if err := checkOrder(o); err != nil {
		return err
	}
	b, err := bucket(tx, bucketOrders)
	if err != nil {
		return err
	}
	key := []byte(orderKey(o.ID))
	var old *derived
	if v := b.Get(key); v != nil {
		if known != nil && known.d.o.ID == o.ID && bytes.Equal(known.raw, v) {
			old = known.d
		} else {
			prev, err := decodeOrder(key, v)
			if err != nil {
				return err
			}
			old = derive(prev)
		}
	}
	rec := *normalizeText(o)
	rec.History = nil
	data, err := json.Marshal(&rec)
	if err != nil {
		return fmt.Errorf("store: encoding order %s: %w", o.ID, err)
	}
	if err := b.Put(key, data); err != nil {
		return fmt.Errorf("store: writing order %s: %w", o.ID, err)
	}
	return writeDerived(tx, old, derive(&rec))
}

func errBadKey(b []byte, k []byte) error {
	return fmt.Errorf("store: malformed key %q in bucket %s", k, b)
}
