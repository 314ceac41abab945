package bolt

import (
	"bytes"
	"encoding/json"
	"slices"
	"sync"

	"go.etcd.io/bbolt"
)

// A transaction that puts many orders (a sweep's thousand rejects, a
// reconcile) encodes their records and history on another core: bbolt has
// one writer, and JSON encoding was a fifth of its time. The first
// encodeAheadAfter orders are encoded in place, so a webhook's one-order
// transaction starts no goroutine. What is put ahead is written when the
// transaction's work is done, in key order, later puts of a key winning;
// reading an order put ahead waits for its record.
const encodeAheadAfter = 32

// encodeAhead is one transaction's encoder and the records it holds back.
type encodeAhead struct {
	jobs chan *pendingPut
	done sync.WaitGroup
	puts []*pendingPut
	// orders is the latest put of each order, for reads and the change log.
	orders map[string]*pendingPut
}

// pendingPut is one record to write, encoded by the worker.
type pendingPut struct {
	bucket, key []byte
	value       any
	ready       chan struct{}
	data        []byte
	err         error
}

func newEncodeAhead() *encodeAhead {
	jobs := make(chan *pendingPut, 256)
	e := &encodeAhead{jobs: jobs, orders: map[string]*pendingPut{}}
	e.done.Add(1)
	go func() {
		defer e.done.Done()
		for p := range jobs {
			p.data, p.err = json.Marshal(p.value)
			p.value = nil
			close(p.ready)
		}
	}()
	return e
}

// put hands v, owned by the encoder from now on, to be written under key.
func (e *encodeAhead) put(bucket, key []byte, v any) *pendingPut {
	p := &pendingPut{bucket: bucket, key: key, value: v, ready: make(chan struct{})}
	e.puts = append(e.puts, p)
	e.jobs <- p
	return p
}

// record waits for p's bytes.
func (p *pendingPut) record() ([]byte, error) {
	<-p.ready
	return p.data, p.err
}

// stop ends the worker; what it held back is dropped with the transaction.
func (e *encodeAhead) stop() {
	if e == nil || e.jobs == nil {
		return
	}
	close(e.jobs)
	e.jobs = nil
	e.done.Wait()
}

// write puts every record held back into the shop's bucket, in key order,
// the last put of a key winning, and ends the worker.
func (e *encodeAhead) write(shop *bbolt.Bucket) error {
	if e == nil {
		return nil
	}
	e.stop()
	slices.SortStableFunc(e.puts, func(a, b *pendingPut) int {
		if c := bytes.Compare(a.bucket, b.bucket); c != 0 {
			return c
		}
		return bytes.Compare(a.key, b.key)
	})
	for _, p := range e.puts {
		data, err := p.record()
		if err != nil {
			return err
		}
		b := shop.Bucket(p.bucket)
		if bytes.Equal(p.bucket, subEventLog) {
			b.FillPercent = 1
		}
		if err := b.Put(p.key, data); err != nil {
			return err
		}
	}
	e.puts, e.orders = nil, nil
	return nil
}

// order is the latest put ahead of the order id, nil if none.
func (e *encodeAhead) order(id string) *pendingPut {
	if e == nil {
		return nil
	}
	return e.orders[id]
}
