package bolt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/jsonread"
)

// The cloud's order indexes, sub-buckets of each shop's bucket kept by
// PutOrder in the same transaction as the order:
//
//	order_index  id → created be(8) | accept_by be(8) | len(status) | status | number
//	by_created   be(created) | id → ""         newest first by reverse scan
//	by_status    status 0x00 be(created) | id   one status's list
//	by_deadline  be(accept_by) | id             New orders only: the sweep's list
//	by_number    number → id
//	order_counts status → be(count)             totals without a scan
//
// Times are Unix nanoseconds, so byte order is time order.
var (
	subOrderIndex  = []byte("order_index")
	subByCreated   = []byte("by_created")
	subByStatus    = []byte("by_status")
	subByDeadline  = []byte("by_deadline")
	subByNumber    = []byte("by_number")
	subOrderCounts = []byte("order_counts")

	orderIndexSubs = [][]byte{subOrderIndex, subByCreated, subByStatus, subByDeadline, subByNumber, subOrderCounts}
)

// orderKeys is what the indexes hold of one order.
type orderKeys struct {
	created, deadline uint64
	status            app.Status
	number            string
}

func unixKey(t time.Time) uint64 {
	if t.IsZero() || t.UnixNano() < 0 {
		return 0
	}
	return uint64(t.UnixNano())
}

func keysOf(o *app.Order) orderKeys {
	k := orderKeys{created: unixKey(o.CreatedAt), status: o.Status, number: o.Number}
	if o.Status == app.StatusNew {
		k.deadline = unixKey(o.AcceptBy)
	}
	return k
}

func (k orderKeys) encode() []byte {
	b := make([]byte, 0, 17+len(k.status)+len(k.number))
	b = binary.BigEndian.AppendUint64(b, k.created)
	b = binary.BigEndian.AppendUint64(b, k.deadline)
	b = append(b, byte(len(k.status)))
	b = append(b, k.status...)
	return append(b, k.number...)
}

func decodeOrderKeys(v []byte) (orderKeys, error) {
	if len(v) < 17 || len(v) < 17+int(v[16]) {
		return orderKeys{}, fmt.Errorf("order index entry of %d bytes is cut short", len(v))
	}
	n := int(v[16])
	return orderKeys{created: binary.BigEndian.Uint64(v), deadline: binary.BigEndian.Uint64(v[8:]),
		status: app.Status(v[17 : 17+n]), number: string(v[17+n:])}, nil
}

func timeID(t uint64, id string) []byte { return append(u64(t), id...) }

func statusKey(s app.Status, created uint64, id string) []byte {
	return append(append([]byte(s+"\x00"), u64(created)...), id...)
}

// indexOrder moves o's index entries from what they were to what they
// are, and says the status they held (empty for a new order). The status
// counts move in counts, written once by writeCounts when the transaction
// ends: a sweep's thousand rejects would read and write the same two
// counts a thousand times. held is the entry the transaction knows the
// index holds, nil to read it.
func indexOrder(shop *bbolt.Bucket, o *app.Order, counts map[app.Status]int64, held *orderKeys) (app.Status, error) {
	idx := shop.Bucket(subOrderIndex)
	now := keysOf(o)
	var was *orderKeys
	if held != nil {
		if *held == now {
			return held.status, nil
		}
		k := *held
		was = &k
	} else if v := idx.Get([]byte(o.ID)); v != nil {
		k, err := decodeOrderKeys(v)
		if err != nil {
			return "", fmt.Errorf("order %s: %w", o.ID, err)
		}
		if k == now {
			return k.status, nil
		}
		was = &k
	}
	byCreated, byStatus, byDeadline, byNumber := shop.Bucket(subByCreated), shop.Bucket(subByStatus),
		shop.Bucket(subByDeadline), shop.Bucket(subByNumber)
	// Only the entries that change are touched: each put or delete dirties
	// a page the commit writes, and a status change (the usual write, and
	// a thousand of them in a sweep) moves only the status and deadline.
	type move struct {
		b        *bbolt.Bucket
		from, to []byte // nil: no entry
	}
	entries := func(k orderKeys) (created, status, deadline []byte) {
		created, status = timeID(k.created, o.ID), statusKey(k.status, k.created, o.ID)
		if k.deadline != 0 {
			deadline = timeID(k.deadline, o.ID)
		}
		return
	}
	var c0, s0, d0 []byte
	if was != nil {
		c0, s0, d0 = entries(*was)
	}
	c1, s1, d1 := entries(now)
	for _, m := range []move{{byCreated, c0, c1}, {byStatus, s0, s1}, {byDeadline, d0, d1}} {
		if bytes.Equal(m.from, m.to) {
			continue
		}
		if m.from != nil {
			if err := m.b.Delete(m.from); err != nil {
				return "", err
			}
		}
		if m.to != nil {
			if err := m.b.Put(m.to, nil); err != nil {
				return "", err
			}
		}
	}
	if was != nil && was.number != now.number && string(byNumber.Get([]byte(was.number))) == o.ID {
		if err := byNumber.Delete([]byte(was.number)); err != nil {
			return "", err
		}
	}
	if now.number != "" && (was == nil || was.number != now.number || string(byNumber.Get([]byte(now.number))) != o.ID) {
		if err := byNumber.Put([]byte(now.number), []byte(o.ID)); err != nil {
			return "", err
		}
	}
	if was == nil || was.status != now.status {
		if was != nil {
			counts[was.status]--
		}
		counts[now.status]++
	}
	var prev app.Status
	if was != nil {
		prev = was.status
	}
	return prev, idx.Put([]byte(o.ID), now.encode())
}

// writeCounts adds the moves indexOrder gathered to the shop's status counts.
func writeCounts(shop *bbolt.Bucket, moves map[app.Status]int64) error {
	counts := shop.Bucket(subOrderCounts)
	for s, d := range moves {
		if d == 0 {
			continue
		}
		var n int64
		if v := counts.Get([]byte(s)); len(v) == 8 {
			n = int64(binary.BigEndian.Uint64(v))
		}
		if err := counts.Put([]byte(s), u64(uint64(max(0, n+d)))); err != nil {
			return err
		}
	}
	return nil
}

// ensureOrderIndexes creates a shop's index buckets when the file predates
// them and fills them from the stored orders.
func ensureOrderIndexes(shop *bbolt.Bucket) error {
	if shop.Bucket(subOrderIndex) != nil {
		return nil
	}
	for _, name := range orderIndexSubs {
		if _, err := shop.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	counts := map[app.Status]int64{}
	err := shop.Bucket(subOrders).ForEach(func(k, v []byte) error {
		var o app.Order
		if err := jsonread.Unmarshal(v, &o); err != nil {
			return fmt.Errorf("indexing order %s: %w", k, err)
		}
		_, err := indexOrder(shop, &o, counts, nil)
		return err
	})
	if err != nil {
		return err
	}
	return writeCounts(shop, counts)
}

// migrateShops brings every shop bucket up to today's layout.
func migrateShops(tx *bbolt.Tx) error {
	return tx.Bucket(bucketShops).ForEach(func(id, _ []byte) error {
		b := tx.Bucket(shopBucketName(string(id)))
		if b == nil {
			return nil
		}
		if err := ensureOrderIndexes(b); err != nil {
			return err
		}
		if err := ensureSearchIndex(b); err != nil {
			return err
		}
		if err := ensureEventLog(b); err != nil {
			return err
		}
		return ensureShipmentIndex(b)
	})
}

// DueForAutoReject lists the shop's New orders whose deadline is at or before now, oldest deadline first.
func (s *Store) DueForAutoReject(shop string, now time.Time, limit int) ([]string, error) {
	var ids []string
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(shopBucketName(shop))
		if b == nil {
			return cloud.NoShop(shop)
		}
		end := unixKey(now)
		c := b.Bucket(subByDeadline).Cursor()
		for k, _ := c.First(); k != nil && len(ids) < limit; k, _ = c.Next() {
			if len(k) < 8 || binary.BigEndian.Uint64(k) > end {
				break
			}
			ids = append(ids, string(k[8:]))
		}
		return nil
	})
	return ids, err
}

// FindOrders lists a shop's orders newest first. Without text it walks one
// index and decodes only the page; with text it walks the search index
// (search.go) and decodes only the page.
func (s *Store) FindOrders(shop string, f app.Filter) (app.Page, error) {
	if err := f.Validate(); err != nil {
		return app.Page{}, err
	}
	query := app.SearchQuery(f.Text)
	q := cloud.NewOrderQuery(f)
	page := app.Page{Orders: []*app.Order{}}
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(shopBucketName(shop))
		if b == nil {
			return cloud.NoShop(shop)
		}
		orders, idx := b.Bucket(subOrders), b.Bucket(subOrderIndex)
		var ids [][]byte
		if len(query) > 0 {
			found, total, err := searchOrders(b, query, q.Statuses, q.Skip, q.Limit)
			if err != nil {
				return err
			}
			page.Total = total
			for _, id := range found {
				ids = append(ids, []byte(id))
			}
		} else {
			counts := b.Bucket(subOrderCounts)
			for _, st := range app.Statuses {
				if q.WantStatus(st) {
					if v := counts.Get([]byte(st)); len(v) == 8 {
						page.Total += int(binary.BigEndian.Uint64(v))
					}
				}
			}
			// One status has its own list; otherwise the list of all,
			// newest first, filtered by the index entry.
			c, prefix := b.Bucket(subByCreated).Cursor(), []byte(nil)
			if len(q.Statuses) == 1 {
				c, prefix = b.Bucket(subByStatus).Cursor(), []byte(q.Statuses[0]+"\x00")
			}
			k, _ := lastWithPrefix(c, prefix)
			for ; k != nil && bytes.HasPrefix(k, prefix) && len(ids) < q.Limit; k, _ = c.Prev() {
				id := k[len(prefix)+8:]
				if len(q.Statuses) > 1 {
					ik, err := decodeOrderKeys(idx.Get(id))
					if err != nil {
						return err
					}
					if !q.WantStatus(ik.status) {
						continue
					}
				}
				if q.Skip > 0 {
					q.Skip--
					continue
				}
				ids = append(ids, id)
			}
		}
		for _, id := range ids {
			v := orders.Get(id)
			if v == nil {
				continue
			}
			var o app.Order
			if err := jsonread.Unmarshal(v, &o); err != nil {
				return fmt.Errorf("order %s: %w", id, err)
			}
			page.Orders = append(page.Orders, &o)
		}
		return nil
	})
	return page, err
}

// lastWithPrefix positions c on the last key with prefix (the whole bucket when prefix is empty).
func lastWithPrefix(c *bbolt.Cursor, prefix []byte) ([]byte, []byte) {
	if len(prefix) == 0 {
		return c.Last()
	}
	end := append(append([]byte(nil), prefix[:len(prefix)-1]...), prefix[len(prefix)-1]+1)
	k, _ := c.Seek(end)
	if k == nil {
		return c.Last()
	}
	return c.Prev()
}

// OrderByRef finds an order by id, or else by number, with its history.
func (s *Store) OrderByRef(shop, ref string) (*app.Order, error) {
	var o *app.Order
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(shopBucketName(shop))
		if b == nil {
			return cloud.NoShop(shop)
		}
		t := &shopTx{b: b, ro: true}
		var err error
		o, err = t.Order(ref)
		if app.ErrorCode(err) == app.ENotFound {
			if id := b.Bucket(subByNumber).Get([]byte(strings.TrimSpace(ref))); id != nil {
				o, err = t.Order(string(id))
			}
		}
		if err != nil {
			return err
		}
		o.History, err = history(b, o.ID)
		return err
	})
	return o, err
}

// StatusCounts is how many orders the shop holds in each status, read from
// the kept counts without walking an index.
func (s *Store) StatusCounts(shop string) (map[app.Status]int, error) {
	out := map[app.Status]int{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(shopBucketName(shop))
		if b == nil {
			return cloud.NoShop(shop)
		}
		return b.Bucket(subOrderCounts).ForEach(func(k, v []byte) error {
			if len(v) == 8 {
				out[app.Status(k)] = int(binary.BigEndian.Uint64(v))
			}
			return nil
		})
	})
	return out, err
}
