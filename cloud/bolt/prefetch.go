package bolt

import (
	"bytes"
	"sync"
	"sync/atomic"

	"go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/jsonread"
)

// prefetch is a run of orders read and decoded on another core while a
// write transaction applies them in the same order: a sweep's thousand
// rejects spend a fifth of their time decoding, and bbolt's one writer
// leaves the second core idle. Nothing a prefetch decoded is trusted: the
// writer takes an order only when the bytes it reads itself are the bytes
// that were decoded, so an order changed meanwhile is decoded again.
type prefetch struct {
	shop  string
	index map[string]int
	items []prefetched
	stop  atomic.Bool
	done  sync.WaitGroup
}

// prefetched is one order of a prefetch; ready is set once the rest is.
type prefetched struct {
	ready atomic.Bool
	raw   []byte
	order *app.Order
	text  string
}

// PrefetchOrders starts decoding the shop's orders ids, in that order, for
// the next write transaction on the shop (see cloud.OrderPrefetcher).
func (s *Store) PrefetchOrders(shop string, ids []string) (done func()) {
	p := &prefetch{shop: shop, index: make(map[string]int, len(ids)), items: make([]prefetched, len(ids))}
	for i, id := range ids {
		p.index[id] = i
	}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		// A read transaction beside the writer: bbolt lets both run.
		_ = s.db.View(func(tx *bbolt.Tx) error {
			b := tx.Bucket(shopBucketName(shop))
			if b == nil {
				return nil
			}
			orders := b.Bucket(subOrders)
			for i, id := range ids {
				if p.stop.Load() {
					return nil
				}
				v := orders.Get([]byte(id))
				if v == nil {
					continue
				}
				it := &p.items[i]
				var o app.Order
				if jsonread.Unmarshal(v, &o) != nil {
					continue
				}
				it.raw, it.order, it.text = bytes.Clone(v), &o, app.OrderSearchText(&o)
				it.ready.Store(true)
			}
			return nil
		})
	}()
	s.pre.Store(p)
	return func() {
		s.pre.CompareAndSwap(p, nil)
		p.stop.Store(true)
		p.done.Wait()
	}
}

// take hands over the prefetched order id when it is decoded and its
// bytes are v, the stored record the writer reads; each order once.
func (p *prefetch) take(id string, v []byte) (*app.Order, string, bool) {
	i, ok := p.index[id]
	if !ok {
		return nil, "", false
	}
	it := &p.items[i]
	if !it.ready.Load() || it.order == nil || !bytes.Equal(it.raw, v) {
		return nil, "", false
	}
	o := it.order
	it.order = nil
	return o, it.text, true
}
