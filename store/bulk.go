package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// insertChunk is how many orders share one transaction in a bulk load: big
// enough to amortise the fsync, small enough to bound memory and to leave
// whole chunks behind when the process dies mid-load.
const insertChunk = 1000

// prepareWorkers encode chunks side by side while the writer commits: on a
// 2-core tablet encoding a chunk takes about as long as writing one.
const prepareWorkers = 2

// prepareAhead bounds how many encoded chunks wait for the writer, and so
// the memory a bulk load holds.
const prepareAhead = 3

// InsertOrders writes orders (replacing any with the same id) with their
// indexes, in transactions of up to 1000. Each transaction is all or nothing;
// on error, earlier chunks stay written.
//
// The records and keys of the next chunks are encoded on other goroutines
// while the current transaction writes and commits; chunks commit in order.
func (db *DB) InsertOrders(orders []*app.Order) error {
	if len(orders) == 0 {
		return nil
	}
	n := (len(orders) + insertChunk - 1) / insertChunk
	slots := make([]chan *preparedChunk, n)
	for i := range slots {
		slots[i] = make(chan *preparedChunk, 1) // a worker never waits to hand over
	}
	next := make(chan int)
	ahead := make(chan struct{}, prepareAhead)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(next)
		for i := 0; i < n; i++ {
			select {
			case ahead <- struct{}{}:
			case <-done:
				return
			}
			select {
			case next <- i:
			case <-done:
				return
			}
		}
	}()
	for w := 0; w < prepareWorkers; w++ {
		go func() {
			for i := range next {
				start := i * insertChunk
				slots[i] <- prepareChunk(orders[start:min(start+insertChunk, len(orders))])
			}
		}()
	}
	for i := 0; i < n; i++ {
		p := <-slots[i]
		<-ahead
		if p.err != nil {
			return p.err
		}
		if err := db.bolt.Update(func(tx *bolt.Tx) error { return insertChunkTx(tx, p) }); err != nil {
			return err
		}
	}
	return nil
}

// preparedChunk is a chunk encoded for writing as new orders: every key of
// every bucket, sorted, so bbolt walks each bucket once in key order
// instead of seeking at random, and the counters added once.
type preparedChunk struct {
	orders []*app.Order
	writes []bucketWrites
	delta  map[string]int64
	lines  map[string]app.Line // line tokens of the chunk
	dup    bool                // an id repeats within the chunk
	err    error
}

type bucketWrites struct {
	name []byte
	list []indexEntry
}

func prepareChunk(chunk []*app.Order) *preparedChunk {
	p := &preparedChunk{orders: chunk, delta: map[string]int64{}, lines: map[string]app.Line{}}
	seen := make(map[string]bool, len(chunk))
	byBucket := map[string]*bucketWrites{}
	add := func(e indexEntry) {
		w := byBucket[string(e.bucket)]
		if w == nil {
			w = &bucketWrites{name: e.bucket, list: make([]indexEntry, 0, len(chunk))}
			byBucket[string(e.bucket)] = w
			p.writes = append(p.writes, *w)
		}
		w.list = append(w.list, e)
	}
	for _, o := range chunk {
		if err := checkOrder(o); err != nil {
			p.err = err
			return p
		}
		if seen[o.ID] {
			p.dup = true
		}
		seen[o.ID] = true
		rec := *normalizeText(o)
		rec.History = nil
		data, err := json.Marshal(&rec)
		if err != nil {
			p.err = fmt.Errorf("store: encoding order %s: %w", o.ID, err)
			return p
		}
		add(indexEntry{bucketOrders, []byte(orderKey(o.ID)), data})
		d := derive(&rec)
		for _, e := range baseEntries(&rec, d.tokens) {
			add(e)
		}
		for _, e := range searchEntries(&rec, d.tokens) {
			add(e)
		}
		for _, n := range counterNamesOf(&rec, d.lines) {
			p.delta[n]++
		}
		for t, l := range d.lines {
			p.lines[t] = l
		}
	}
	for i := range p.writes {
		w := byBucket[string(p.writes[i].name)]
		slices.SortFunc(w.list, func(a, b indexEntry) int { return bytes.Compare(a.key, b.key) })
		p.writes[i] = *w
	}
	return p
}

// insertChunkTx writes a prepared chunk. When every order is new, the
// prepared keys go in as they are; otherwise (an id already stored, or
// repeated in the chunk) each order goes through putOrder in its original
// order, so the last write of an id wins and its old index keys are removed.
func insertChunkTx(tx *bolt.Tx, p *preparedChunk) error {
	orders, err := bucket(tx, bucketOrders)
	if err != nil {
		return err
	}
	fresh := !p.dup
	for _, o := range p.orders {
		if !fresh {
			break
		}
		if orders.Get([]byte(orderKey(o.ID))) != nil {
			fresh = false
		}
	}
	if !fresh {
		for _, o := range p.orders {
			if err := putOrder(tx, o); err != nil {
				return err
			}
		}
		return nil
	}
	counts, err := bucket(tx, bucketCounts)
	if err != nil {
		return err
	}
	names, err := bucket(tx, idxNames)
	if err != nil {
		return err
	}
	for t, l := range p.lines {
		if readCounter(counts, lineCounter(t)) > 0 {
			continue
		}
		for _, e := range lineNameEntries(t, l) {
			if err := names.Put(e.key, e.value); err != nil {
				return err
			}
		}
	}
	for _, w := range p.writes {
		b, err := bucket(tx, w.name)
		if err != nil {
			return err
		}
		// A chunk's keys go in sorted, mostly in runs (a channel's ids and
		// a list's times rise together), so pages are filled before they
		// split rather than left half empty: a bulk load is a quarter smaller.
		b.FillPercent = 0.9
		for _, e := range w.list {
			if err := b.Put(e.key, e.value); err != nil {
				return fmt.Errorf("store: writing %s key %q: %w", w.name, e.key, err)
			}
		}
	}
	return addCounters(tx, p.delta)
}
