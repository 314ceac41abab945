package bolt

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
)

// The cloud's search index, two sub-buckets of each shop's bucket kept by
// PutOrder in the same transaction as the order:
//
//	search        word 0x00 be(created) id → status
//	search_words  id → created(8) len(status) status words joined by 0x00
//	search_counts word 0x00 status → be(count)
//
// The words are app.OrderSearchWords. A word's keys are read backwards,
// newest first, so the first page of a search is read from the ends of its
// ranges, and orders placed in time order are appended, never inserted
// (bbolt shifts a node's keys on an insert); the status in the value
// answers a status filter without reading the order. search_words is what
// was indexed, so a changed order's old keys can be removed. The counts
// give a one-word search its total without walking its keys, and tell
// which typed word holds fewest keys.
var (
	subSearch       = []byte("search")
	subSearchWords  = []byte("search_words")
	subSearchCounts = []byte("search_counts")

	searchSubs = [][]byte{subSearch, subSearchWords, subSearchCounts}
)

// searchEntry is what the index holds of one order.
type searchEntry struct {
	created uint64
	status  app.Status
	words   []string
}

func (e searchEntry) encode() []byte {
	b := binary.BigEndian.AppendUint64(nil, e.created)
	b = append(b, byte(len(e.status)))
	b = append(b, e.status...)
	return append(b, strings.Join(e.words, "\x00")...)
}

func decodeSearchEntry(v []byte) (searchEntry, error) {
	if len(v) < 9 || len(v) < 9+int(v[8]) {
		return searchEntry{}, fmt.Errorf("search entry of %d bytes is cut short", len(v))
	}
	n := int(v[8])
	e := searchEntry{created: binary.BigEndian.Uint64(v), status: app.Status(v[9 : 9+n])}
	if rest := string(v[9+n:]); rest != "" {
		e.words = strings.Split(rest, "\x00")
	}
	return e, nil
}

func searchKey(word string, created uint64, id string) []byte {
	k := make([]byte, 0, len(word)+9+len(id))
	k = append(append(k, word...), 0)
	k = binary.BigEndian.AppendUint64(k, created)
	return append(k, id...)
}

// searchBatch holds a transaction's search keys and count changes until
// it ends, to write them in key order: bbolt splits a node only at commit,
// so keys put out of order into a big transaction (the first orders of a
// shop, all in one node) each move the node's later keys.
type searchBatch struct {
	keys   map[string][]byte // nil: delete
	counts map[string]int64
}

func (sb *searchBatch) put(k, v []byte) {
	if sb.keys == nil {
		sb.keys, sb.counts = map[string][]byte{}, map[string]int64{}
	}
	sb.keys[string(k)] = v
}

func (sb *searchBatch) count(word string, s app.Status, d int64) {
	if sb.keys == nil {
		sb.keys, sb.counts = map[string][]byte{}, map[string]int64{}
	}
	sb.counts[word+"\x00"+string(s)] += d
}

// flush writes the held keys and counts, in key order.
func (sb *searchBatch) flush(shop *bbolt.Bucket) error {
	if sb == nil || sb.keys == nil {
		return nil
	}
	search, counts := shop.Bucket(subSearch), shop.Bucket(subSearchCounts)
	for _, k := range sortedKeys(sb.keys) {
		var err error
		if v := sb.keys[k]; v == nil {
			err = search.Delete([]byte(k))
		} else {
			err = search.Put([]byte(k), v)
		}
		if err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(sb.counts) {
		var n int64
		if v := counts.Get([]byte(k)); len(v) == 8 {
			n = int64(binary.BigEndian.Uint64(v))
		}
		var err error
		if n += sb.counts[k]; n <= 0 {
			err = counts.Delete([]byte(k))
		} else {
			err = counts.Put([]byte(k), u64(uint64(n)))
		}
		if err != nil {
			return err
		}
	}
	sb.keys, sb.counts = nil, nil
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// indexSearch moves o's search keys from what they were to what they are,
// into sb: nothing when its words, time and status are unchanged; only the
// values when just its status changed. search_words is written at once, as
// a later put of the same order in the transaction reads it.
func indexSearch(shop *bbolt.Bucket, sb *searchBatch, o *app.Order) error {
	fwd := shop.Bucket(subSearchWords)
	now := searchEntry{created: unixKey(o.CreatedAt), status: o.Status, words: app.OrderSearchWords(o)}
	var was searchEntry
	v := fwd.Get([]byte(o.ID))
	if v != nil {
		var err error
		if was, err = decodeSearchEntry(v); err != nil {
			return fmt.Errorf("order %s: %w", o.ID, err)
		}
		if was.created == now.created && was.status == now.status && slicesEqual(was.words, now.words) {
			return nil
		}
	}
	// keep: words whose key stays (same word, same time).
	keep := map[string]bool{}
	if v != nil && was.created == now.created {
		stay := map[string]bool{}
		for _, w := range now.words {
			stay[w] = true
		}
		for _, w := range was.words {
			keep[w] = stay[w]
		}
	}
	for _, w := range was.words {
		if keep[w] {
			continue
		}
		sb.put(searchKey(w, was.created, o.ID), nil)
		sb.count(w, was.status, -1)
	}
	for _, w := range now.words {
		if keep[w] && was.status == now.status {
			continue
		}
		sb.put(searchKey(w, now.created, o.ID), []byte(now.status))
		if keep[w] {
			sb.count(w, was.status, -1)
		}
		sb.count(w, now.status, 1)
	}
	return fwd.Put([]byte(o.ID), now.encode())
}

// searchCount is how many orders in a wanted status hold the word.
func searchCount(counts *bbolt.Bucket, word string, want func(app.Status) bool) int {
	p := append([]byte(word), 0)
	n := 0
	c := counts.Cursor()
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		if len(v) == 8 && want(app.Status(k[len(p):])) {
			n += int(binary.BigEndian.Uint64(v))
		}
	}
	return n
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ensureSearchIndex creates a shop's search index when the file predates
// it and fills it from the stored orders, in the opening transaction: a
// crash leaves the file as it was, and the next open builds it again.
func ensureSearchIndex(shop *bbolt.Bucket) error {
	if shop.Bucket(subSearch) != nil && shop.Bucket(subSearchWords) != nil && shop.Bucket(subSearchCounts) != nil {
		return nil
	}
	for _, name := range searchSubs {
		if shop.Bucket(name) != nil {
			if err := shop.DeleteBucket(name); err != nil {
				return err
			}
		}
		if _, err := shop.CreateBucket(name); err != nil {
			return err
		}
	}
	// The keys are put in key order: bbolt appends them to its nodes,
	// where orders in id order would insert each one into the middle of
	// a word's node, moving what follows.
	type key struct{ k, v []byte }
	var keys []key
	counts := map[string]int64{}
	fwd := shop.Bucket(subSearchWords)
	err := shop.Bucket(subOrders).ForEach(func(k, v []byte) error {
		var o app.Order
		if err := json.Unmarshal(v, &o); err != nil {
			return fmt.Errorf("indexing the words of order %s: %w", k, err)
		}
		e := searchEntry{created: unixKey(o.CreatedAt), status: o.Status, words: app.OrderSearchWords(&o)}
		for _, w := range e.words {
			keys = append(keys, key{searchKey(w, e.created, o.ID), []byte(e.status)})
			counts[w+"\x00"+string(e.status)]++
		}
		return fwd.Put([]byte(o.ID), e.encode())
	})
	if err != nil {
		return err
	}
	sort.Slice(keys, func(i, j int) bool { return bytes.Compare(keys[i].k, keys[j].k) < 0 })
	search := shop.Bucket(subSearch)
	for _, k := range keys {
		if err := search.Put(k.k, k.v); err != nil {
			return err
		}
	}
	cb := shop.Bucket(subSearchCounts)
	for k, n := range counts {
		if err := cb.Put([]byte(k), u64(uint64(n))); err != nil {
			return err
		}
	}
	return nil
}

// searchWord is one typed word resolved against the index: the distinct
// indexed words it starts, and how many keys they hold.
type searchWord struct {
	alts  []string
	words []string
	keys  int
}

// everyOrder reports whether one of the indexed words the typed word
// starts is held by every one of the shop's all orders.
func (w *searchWord) everyOrder(counts *bbolt.Bucket, all int) bool {
	if w.keys < all || all == 0 {
		return false
	}
	for _, word := range w.words {
		if searchCount(counts, word, func(app.Status) bool { return true }) == all {
			return true
		}
	}
	return false
}

// shopOrderCount is how many orders the shop holds, from the kept counts.
func shopOrderCount(shop *bbolt.Bucket) int {
	n := 0
	_ = shop.Bucket(subOrderCounts).ForEach(func(_, v []byte) error {
		if len(v) == 8 {
			n += int(binary.BigEndian.Uint64(v))
		}
		return nil
	})
	return n
}

// maxMergedWords bounds the ranges merged newest first; a typed word that
// starts more indexed words (a short number) is collected and sorted.
const maxMergedWords = 64

// resolveSearchWord lists the indexed words alts start and counts their keys.
func resolveSearchWord(search, counts *bbolt.Bucket, alts []string) searchWord {
	w := searchWord{alts: alts}
	c := search.Cursor()
	seen := map[string]bool{}
	for _, alt := range alts {
		p := []byte(alt)
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); {
			sep := bytes.IndexByte(k, 0)
			if sep < 0 {
				break
			}
			word := string(k[:sep])
			if !seen[word] {
				seen[word] = true
				w.words = append(w.words, word)
				w.keys += searchCount(counts, word, func(app.Status) bool { return true })
			}
			k, _ = c.Seek(append([]byte(word), 1))
		}
	}
	sort.Strings(w.words)
	return w
}

// searchOrders answers a text filter from the index: the ids of the page,
// newest first, and how many orders match. One typed word that starts one
// indexed word is counted from search_counts and only its page is read.
// Otherwise it walks the typed word of fewest keys; an order it meets is
// checked for the status on the key's value, and for the other words by
// walking their ranges alongside (few ranges) or on its stored words.
func searchOrders(shop *bbolt.Bucket, query [][]string, wantStatus func(app.Status) bool, skip, limit int) ([]string, int, error) {
	search, fwd, counts := shop.Bucket(subSearch), shop.Bucket(subSearchWords), shop.Bucket(subSearchCounts)
	var words []searchWord
	var everywhere *searchWord
	all := shopOrderCount(shop)
	for _, alts := range query {
		w := resolveSearchWord(search, counts, alts)
		if len(w.words) == 0 {
			return nil, 0, nil
		}
		// A typed word that starts a word of every order (the shop's one
		// product, its city) rules nothing out: the others decide.
		if w.everyOrder(counts, all) {
			if everywhere == nil {
				everywhere = &w
			}
			continue
		}
		words = append(words, w)
	}
	if len(words) == 0 {
		words = append(words, *everywhere)
	}
	walk := 0
	for i := range words {
		if words[i].keys < words[walk].keys {
			walk = i
		}
	}
	var ids []string
	if len(words) == 1 && len(words[0].words) == 1 {
		// One indexed word: its counts are the total.
		word := words[0].words[0]
		total := searchCount(counts, word, wantStatus)
		p := append([]byte(word), 0)
		c := search.Cursor()
		n := 0
		k, v := lastWithPrefix(c, p)
		for ; k != nil && bytes.HasPrefix(k, p) && len(ids) < limit && n < total; k, v = c.Prev() {
			if !wantStatus(app.Status(v)) {
				continue
			}
			if n >= skip {
				ids = append(ids, string(k[len(p)+8:]))
			}
			n++
		}
		return ids, total, nil
	}
	var probes []*wordProbe
	var rest [][]string
	for i, w := range words {
		switch {
		case i == walk:
		case len(w.words) <= maxProbeRanges:
			probes = append(probes, newWordProbe(search, w.words))
		default:
			rest = append(rest, w.alts)
		}
	}
	total := 0
	var ferr error
	accept := func(suf, status []byte) {
		if ferr != nil || !wantStatus(app.Status(status)) {
			return
		}
		for _, p := range probes {
			if !p.has(suf) {
				return
			}
		}
		id := suf[8:]
		if len(rest) > 0 {
			v := fwd.Get(id)
			if v == nil {
				return
			}
			e, err := decodeSearchEntry(v)
			if err != nil {
				ferr = fmt.Errorf("order %s: %w", id, err)
				return
			}
			if !app.MatchesSearch(e.words, rest) {
				return
			}
		}
		if total >= skip && len(ids) < limit {
			ids = append(ids, string(id))
		}
		total++
	}
	if w := words[walk]; len(w.words) > maxMergedWords {
		collectRanges(search, w.words, accept)
	} else {
		mergeRanges(search, w.words, accept)
	}
	return ids, total, ferr
}

// maxProbeRanges bounds the ranges of one other word walked alongside the
// candidates; a word of more is checked on the order's stored words.
const maxProbeRanges = 8

// probeSteps is how many keys a probe range steps over before it seeks.
const probeSteps = 8

// wordProbe answers whether a candidate holds one of a word's indexed
// words by walking their ranges forward as the candidates come, newest first.
type wordProbe struct {
	rs []*wordRange
	ps [][]byte
}

func newWordProbe(search *bbolt.Bucket, words []string) *wordProbe {
	p := &wordProbe{}
	for _, w := range words {
		pre := append([]byte(w), 0)
		r := &wordRange{c: search.Cursor(), prefix: len(pre)}
		r.k, r.v = lastWithPrefix(r.c, pre)
		if r.k != nil && bytes.HasPrefix(r.k, pre) {
			p.rs = append(p.rs, r)
			p.ps = append(p.ps, pre)
		}
	}
	return p
}

// has reports whether one of the ranges holds suf; candidates come in
// decreasing suffix order (newest first).
func (p *wordProbe) has(suf []byte) bool {
	found := false
	for i, r := range p.rs {
		for steps := 0; r.k != nil; steps++ {
			c := bytes.Compare(r.suffix(), suf)
			if c == 0 {
				found = true
			}
			if c <= 0 {
				break
			}
			if steps == probeSteps {
				// The last key at or before suf: seek past it and step back.
				k := append(append([]byte{}, p.ps[i]...), suf...)
				r.k, r.v = r.c.Seek(k)
				if r.k == nil || !bytes.Equal(r.k, k) {
					r.k, r.v = r.c.Prev()
				}
				if r.k != nil && !bytes.HasPrefix(r.k, p.ps[i]) {
					r.k = nil
				}
				steps = 0
				continue
			}
			r.next(p.ps[i])
		}
	}
	return found
}

// wordRange walks one indexed word's keys newest first.
type wordRange struct {
	c      *bbolt.Cursor
	prefix int // len(word)+1
	k, v   []byte
}

func (r *wordRange) suffix() []byte { return r.k[r.prefix:] }

func (r *wordRange) next(p []byte) {
	r.k, r.v = r.c.Prev()
	if r.k != nil && !bytes.HasPrefix(r.k, p) {
		r.k = nil
	}
}

// mergeRanges passes each order met in the words' ranges to accept once,
// newest first (suffixes: be(created) id).
func mergeRanges(search *bbolt.Bucket, words []string, accept func(suf, status []byte)) {
	if len(words) == 1 {
		p := append([]byte(words[0]), 0)
		c := search.Cursor()
		k, v := lastWithPrefix(c, p)
		for ; k != nil && bytes.HasPrefix(k, p); k, v = c.Prev() {
			accept(k[len(p):], v)
		}
		return
	}
	var rs []*wordRange
	var ps [][]byte
	for _, w := range words {
		p := append([]byte(w), 0)
		r := &wordRange{c: search.Cursor(), prefix: len(p)}
		r.k, r.v = lastWithPrefix(r.c, p)
		if r.k != nil && bytes.HasPrefix(r.k, p) {
			rs = append(rs, r)
			ps = append(ps, p)
		}
	}
	var last []byte
	for len(rs) > 0 {
		best := 0
		for i := 1; i < len(rs); i++ {
			if bytes.Compare(rs[i].suffix(), rs[best].suffix()) > 0 {
				best = i
			}
		}
		r := rs[best]
		if last == nil || !bytes.Equal(r.suffix(), last) {
			last = append(last[:0], r.suffix()...)
			accept(last, r.v)
		}
		r.next(ps[best])
		if r.k == nil {
			rs = append(rs[:best], rs[best+1:]...)
			ps = append(ps[:best], ps[best+1:]...)
		}
	}
}

// collectRanges is mergeRanges for many words: it gathers every key's
// suffix, sorts them newest first and drops repeats.
func collectRanges(search *bbolt.Bucket, words []string, accept func(suf, status []byte)) {
	type hit struct{ suf, status []byte }
	var hits []hit
	c := search.Cursor()
	for _, w := range words {
		p := append([]byte(w), 0)
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			hits = append(hits, hit{k[len(p):], v})
		}
	}
	sort.Slice(hits, func(i, j int) bool { return bytes.Compare(hits[i].suf, hits[j].suf) > 0 })
	for i, h := range hits {
		if i > 0 && bytes.Equal(h.suf, hits[i-1].suf) {
			continue
		}
		accept(h.suf, h.status)
	}
}
