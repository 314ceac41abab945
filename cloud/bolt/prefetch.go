package bolt

import (
	"bytes"
	"encoding/json"
	"runtime"
	"sync"

	"go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
)

// A sweep rejects a thousand orders in one write transaction, and decoding
// their JSON is the largest part of its CPU while it holds the store's one
// writer. PrefetchOrders reads their records in a read transaction and
// decodes them on every core first; the write transaction takes a decoded
// order only when the record it reads is byte for byte the one decoded, so
// an order changed in between is decoded again, as it would have been.

// prefetched holds decoded orders until a transaction reads them.
type prefetched struct {
	mu     sync.Mutex
	orders map[string]decodedOrder // shop 0x00 order id →
}

// decodedOrder is a record and the order decoded from it.
type decodedOrder struct {
	raw []byte
	o   *app.Order
}

// minPrefetch is the fewest orders worth decoding ahead: a sweep every 15
// seconds usually finds none or a few due.
const minPrefetch = 32

func prefetchKey(shop, id string) string { return shop + "\x00" + id }

// PrefetchOrders decodes the shop's orders ids for the next transaction that
// reads them, replacing what an earlier call left unread. Orders it cannot
// read or decode are left out: the transaction reports them.
func (s *Store) PrefetchOrders(shop string, ids []string) {
	if len(ids) < minPrefetch {
		return
	}
	raws := make([][]byte, len(ids))
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(shopBucketName(shop))
		if b == nil {
			return nil
		}
		orders := b.Bucket(subOrders)
		for i, id := range ids {
			if v := orders.Get([]byte(id)); v != nil {
				raws[i] = append([]byte(nil), v...)
			}
		}
		return nil
	})
	if err != nil {
		return
	}
	decoded := make([]*app.Order, len(ids))
	workers := min(runtime.GOMAXPROCS(0), len(ids))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(ids); i += workers {
				if raws[i] == nil {
					continue
				}
				var o app.Order
				if json.Unmarshal(raws[i], &o) == nil {
					decoded[i] = &o
				}
			}
		}()
	}
	wg.Wait()
	m := make(map[string]decodedOrder, len(ids))
	for i, id := range ids {
		if decoded[i] != nil {
			m[prefetchKey(shop, id)] = decodedOrder{raw: raws[i], o: decoded[i]}
		}
	}
	s.pre.mu.Lock()
	s.pre.orders = m
	s.pre.mu.Unlock()
}

// take hands over the order decoded from raw, once, or nil.
func (p *prefetched) take(shop, id string, raw []byte) *app.Order {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.orders) == 0 {
		return nil
	}
	k := prefetchKey(shop, id)
	d, ok := p.orders[k]
	if !ok {
		return nil
	}
	delete(p.orders, k)
	if !bytes.Equal(d.raw, raw) {
		return nil
	}
	return d.o
}
