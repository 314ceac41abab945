package bolt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
)

// An order's history is kept in two sub-buckets of the shop's bucket:
//
//	event_log   be(n) → Event JSON           every event, in the order written
//	event_refs  order id 0x00 be(n) → ""     an order's events, by order
//
// Every change to an order appends an event. Kept under the order's id,
// each event would be written into the middle of the file, beside the
// order's older ones: a sweep rejecting a thousand orders rewrote a
// thousand scattered pages of history. The log only grows at its end, so
// a thousand events fill a few pages; a reference is small, so the scattered
// pages it dirties are fewer. Reading an order's history (its detail page)
// reads its references, then each event from the log.
var (
	subEventLog  = []byte("event_log")
	subEventRefs = []byte("event_refs")

	// subEvents is the first layout, order id 0x00 be(n) → Event JSON,
	// moved to the log on open.
	subEvents = []byte("events")
)

func (t *shopTx) AppendEvent(orderID string, e app.Event) error {
	log := t.sub(subEventLog)
	log.FillPercent = 1
	n, err := log.NextSequence()
	if err != nil {
		return err
	}
	if t.ahead != nil {
		t.ahead.put(subEventLog, u64(n), e)
	} else if err := putJSON(log, u64(n), e); err != nil {
		return err
	}
	return t.sub(subEventRefs).Put(eventRef(orderID, n), nil)
}

func eventRef(orderID string, n uint64) []byte { return append([]byte(orderID+"\x00"), u64(n)...) }

// history reads an order's events, oldest first.
func history(shop *bbolt.Bucket, orderID string) ([]app.Event, error) {
	var out []app.Event
	log, prefix := shop.Bucket(subEventLog), []byte(orderID+"\x00")
	c := shop.Bucket(subEventRefs).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		v := log.Get(k[len(prefix):])
		if v == nil {
			return nil, fmt.Errorf("order %s history: event %x is missing", orderID, k[len(prefix):])
		}
		var e app.Event
		if err := json.Unmarshal(v, &e); err != nil {
			return nil, fmt.Errorf("order %s history: %w", orderID, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// ensureEventLog moves a shop's history from the first layout to the log
// and its references, keeping each event's number and the next one's.
func ensureEventLog(shop *bbolt.Bucket) error {
	if shop.Bucket(subEventLog) != nil {
		return nil
	}
	log, err := shop.CreateBucket(subEventLog)
	if err != nil {
		return err
	}
	refs, err := shop.CreateBucket(subEventRefs)
	if err != nil {
		return err
	}
	old := shop.Bucket(subEvents)
	if old == nil {
		return nil
	}
	log.FillPercent = 1
	// Numbers were handed out in time order, across orders: the log is
	// written in number order, as it will grow.
	type moved struct{ n, k, v []byte }
	var all []moved
	if err := old.ForEach(func(k, v []byte) error {
		if len(k) < 9 || k[len(k)-9] != 0 {
			return fmt.Errorf("history key %q is not order id, 0, number", k)
		}
		all = append(all, moved{n: k[len(k)-8:], k: k, v: v})
		return nil
	}); err != nil {
		return err
	}
	slices.SortFunc(all, func(a, b moved) int { return bytes.Compare(a.n, b.n) })
	for _, m := range all {
		if err := log.Put(m.n, m.v); err != nil {
			return err
		}
		if err := refs.Put(m.k, nil); err != nil {
			return err
		}
	}
	if err := log.SetSequence(old.Sequence()); err != nil {
		return err
	}
	return shop.DeleteBucket(subEvents)
}
