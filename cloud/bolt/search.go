package bolt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"

	"go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/jsonread"
)

// The cloud's search index, three sub-buckets of each shop's bucket kept by
// PutOrder in the same transaction as the order:
//
//	word_keys    word 0x00 be(created) id → ""
//	word_sets    id → be(created) words joined by 0x00
//	word_counts  word 0x00 → be(orders holding it);
//	             word 0x00 status → be(count), for a word of more than hotWord orders
//
// The words are app.OrderSearchWords. A word's keys are read backwards,
// newest first, so the first page of a search is read from the ends of its
// ranges, and orders placed in time order are appended, never inserted
// (bbolt shifts a node's keys on an insert). word_sets is what was indexed,
// so a changed order's old keys can be removed. The counts give a one-word
// search its total without walking its keys, and tell which typed word
// holds fewest keys.
//
// The status is in none of the keys: an order's status changes far more
// often than its words (accepted, shipped, a sweep's thousand rejects), and
// a key or record holding it would be rewritten, somewhere else in the
// file, for each of the order's words. A status change touches only the
// status counts of the order's common words, a few hot keys shared by
// every order; a rare word (an order number, a buyer) has no status counts,
// its few keys are counted at read time. A status filter is answered from
// by_status, walked alongside the candidates as another word's ranges are.
var (
	subSearch       = []byte("word_keys")
	subSearchWords  = []byte("word_sets")
	subSearchCounts = []byte("word_counts")

	searchSubs = [][]byte{subSearch, subSearchWords, subSearchCounts}

	// The first shape of the index (11e2a19), with the status in every
	// word key, its record and its counts; rebuilt on open.
	legacySearchSubs = [][]byte{[]byte("search"), []byte("search_words"), []byte("search_counts")}
)

// hotWord is the most orders a word is held by without counts per status:
// counting that many keys' statuses at read time costs less than a
// scattered count key rewritten by every status change. A variable so
// tests can move words across it.
var hotWord int64 = 64

// searchEntry is what the index holds of one order.
type searchEntry struct {
	created uint64
	words   []string
}

func (e searchEntry) encode() []byte {
	b := binary.BigEndian.AppendUint64(nil, e.created)
	return append(b, strings.Join(e.words, "\x00")...)
}

func decodeSearchEntry(v []byte) (searchEntry, error) {
	if len(v) < 8 {
		return searchEntry{}, fmt.Errorf("search entry of %d bytes is cut short", len(v))
	}
	e := searchEntry{created: binary.BigEndian.Uint64(v)}
	if rest := string(v[8:]); rest != "" {
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

// totalKey is a word's count key; statusCountKey one of its status counts.
func totalKey(word string) []byte { return append([]byte(word), 0) }

func statusCountKey(word string, s app.Status) []byte { return append(totalKey(word), s...) }

// searchBatch holds a transaction's search keys and count changes until
// it ends, to write them in key order: bbolt splits a node only at commit,
// so keys put out of order into a big transaction (the first orders of a
// shop, all in one node) each move the node's later keys.
type searchBatch struct {
	keys   map[string]bool // true: put, false: delete
	totals map[string]int64
	moves  map[wordStatus]int64
}

// wordStatus names one status count of a word.
type wordStatus struct {
	word   string
	status app.Status
}

func (sb *searchBatch) init() {
	if sb.keys == nil {
		sb.keys, sb.totals, sb.moves = map[string]bool{}, map[string]int64{}, map[wordStatus]int64{}
	}
}

func (sb *searchBatch) key(k []byte, put bool) {
	sb.init()
	sb.keys[string(k)] = put
}

// add changes how many orders hold word by d, in status s.
func (sb *searchBatch) add(word string, s app.Status, d int64) {
	sb.init()
	sb.totals[word] += d
	sb.move(word, s, d)
}

// move changes how many orders in status s hold word by d.
func (sb *searchBatch) move(word string, s app.Status, d int64) {
	sb.init()
	if s == "" {
		// No list asks for it, and its key would be the word's total.
		return
	}
	sb.moves[wordStatus{word, s}] += d
}

// flush writes the held keys and counts, in key order.
func (sb *searchBatch) flush(shop *bbolt.Bucket) error {
	if sb == nil || sb.keys == nil {
		return nil
	}
	search := shop.Bucket(subSearch)
	for _, k := range sortedKeys(sb.keys) {
		var err error
		if sb.keys[k] {
			err = search.Put([]byte(k), nil)
		} else {
			err = search.Delete([]byte(k))
		}
		if err != nil {
			return err
		}
	}
	// Each word once, with its status changes.
	byWord := map[string]map[app.Status]int64{}
	for w := range sb.totals {
		byWord[w] = map[app.Status]int64{}
	}
	for m, d := range sb.moves {
		if byWord[m.word] == nil {
			byWord[m.word] = map[app.Status]int64{}
		}
		byWord[m.word][m.status] += d
	}
	for _, w := range sortedKeys(byWord) {
		if err := sb.settle(shop, w, byWord[w]); err != nil {
			return err
		}
	}
	sb.keys, sb.totals, sb.moves = nil, nil, nil
	return nil
}

// settle writes word's counts once its keys are written: its total, and
// its status counts while it is held by more than hotWord orders, built
// from its keys when it gets there and dropped when it falls back.
func (sb *searchBatch) settle(shop *bbolt.Bucket, word string, moves map[app.Status]int64) error {
	counts := shop.Bucket(subSearchCounts)
	tk := totalKey(word)
	was := getCount(counts, tk)
	now := was + sb.totals[word]
	if now != was {
		if err := putCount(counts, tk, now); err != nil {
			return err
		}
	}
	wasHot, isHot := was > hotWord, now > hotWord
	switch {
	case wasHot && isHot:
		for _, s := range sortedStatuses(moves) {
			if d := moves[s]; d != 0 {
				k := statusCountKey(word, s)
				if err := putCount(counts, k, getCount(counts, k)+d); err != nil {
					return err
				}
			}
		}
	case wasHot:
		c := counts.Cursor()
		var drop [][]byte
		for k, _ := c.Seek(tk); k != nil && bytes.HasPrefix(k, tk); k, _ = c.Next() {
			if len(k) > len(tk) {
				drop = append(drop, append([]byte(nil), k...))
			}
		}
		for _, k := range drop {
			if err := counts.Delete(k); err != nil {
				return err
			}
		}
	case isHot:
		n, err := statusTally(shop, word)
		if err != nil {
			return err
		}
		for _, s := range sortedStatuses(n) {
			if err := putCount(counts, statusCountKey(word, s), n[s]); err != nil {
				return err
			}
		}
	}
	return nil
}

// statusTally counts word's orders by status, from its keys and order_index.
func statusTally(shop *bbolt.Bucket, word string) (map[app.Status]int64, error) {
	idx := shop.Bucket(subOrderIndex)
	p := totalKey(word)
	n := map[app.Status]int64{}
	c := shop.Bucket(subSearch).Cursor()
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		if len(k) < len(p)+8 {
			continue
		}
		id := k[len(p)+8:]
		ok, err := decodeOrderKeys(idx.Get(id))
		if err != nil {
			return nil, fmt.Errorf("order %s: %w", id, err)
		}
		if ok.status != "" {
			n[ok.status]++
		}
	}
	return n, nil
}

func getCount(counts *bbolt.Bucket, k []byte) int64 {
	if v := counts.Get(k); len(v) == 8 {
		return int64(binary.BigEndian.Uint64(v))
	}
	return 0
}

// putCount stores n at k, or deletes k when n is none.
func putCount(counts *bbolt.Bucket, k []byte, n int64) error {
	if n <= 0 {
		return counts.Delete(k)
	}
	return counts.Put(k, u64(uint64(n)))
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedStatuses(m map[app.Status]int64) []app.Status {
	out := make([]app.Status, 0, len(m))
	for s := range m {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// indexSearch moves o's search keys from what they were to what they are,
// into sb; was is the status order_index held before this put (empty for
// a new order). A status change alone writes no key and no record, only
// count changes; sameText says the order's search text is the one whose
// words word_sets holds, so they are read back rather than worked out.
// word_sets is written at once, as a later put of the same order in the
// transaction reads it.
func indexSearch(shop *bbolt.Bucket, sb *searchBatch, o *app.Order, was app.Status, sameText bool) error {
	fwd := shop.Bucket(subSearchWords)
	v := fwd.Get([]byte(o.ID))
	if sameText && v != nil {
		// The order's words are those held: only its status may move.
		held, err := decodeSearchEntry(v)
		if err != nil {
			return fmt.Errorf("order %s: %w", o.ID, err)
		}
		if held.created == unixKey(o.CreatedAt) {
			if was != o.Status {
				for _, w := range held.words {
					sb.move(w, was, -1)
					sb.move(w, o.Status, 1)
				}
			}
			return nil
		}
	}
	now := searchEntry{created: unixKey(o.CreatedAt), words: app.OrderSearchWords(o)}
	rec := now.encode()
	if bytes.Equal(v, rec) {
		// The usual write: its keys stay, its status may move.
		if was != o.Status {
			for _, w := range now.words {
				sb.move(w, was, -1)
				sb.move(w, o.Status, 1)
			}
		}
		return nil
	}
	var old searchEntry
	if v != nil {
		var err error
		if old, err = decodeSearchEntry(v); err != nil {
			return fmt.Errorf("order %s: %w", o.ID, err)
		}
	}
	// keep: words whose key stays (same word, same time).
	keep := map[string]bool{}
	if v != nil && old.created == now.created {
		stay := map[string]bool{}
		for _, w := range now.words {
			stay[w] = true
		}
		for _, w := range old.words {
			keep[w] = stay[w]
		}
	}
	for _, w := range old.words {
		if keep[w] {
			if was != o.Status {
				sb.move(w, was, -1)
				sb.move(w, o.Status, 1)
			}
			continue
		}
		sb.key(searchKey(w, old.created, o.ID), false)
		sb.add(w, was, -1)
	}
	for _, w := range now.words {
		if keep[w] {
			continue
		}
		sb.key(searchKey(w, now.created, o.ID), true)
		sb.add(w, o.Status, 1)
	}
	return fwd.Put([]byte(o.ID), rec)
}

// wordTotal is how many orders hold the word.
func wordTotal(counts *bbolt.Bucket, word string) int {
	return int(getCount(counts, totalKey(word)))
}

// wordCount is how many orders in one of statuses (nil: any) hold the word:
// its status counts when it has them, else its few keys' statuses.
func wordCount(shop *bbolt.Bucket, word string, statuses []app.Status) (int, error) {
	counts := shop.Bucket(subSearchCounts)
	total := getCount(counts, totalKey(word))
	if statuses == nil {
		return int(total), nil
	}
	n := int64(0)
	if total > hotWord {
		for _, s := range statuses {
			n += getCount(counts, statusCountKey(word, s))
		}
		return int(n), nil
	}
	tally, err := statusTally(shop, word)
	if err != nil {
		return 0, err
	}
	for _, s := range statuses {
		n += tally[s]
	}
	return int(n), nil
}

// ensureSearchIndex creates a shop's search index when the file predates
// it, or holds its first shape, and fills it from the stored orders, in
// the opening transaction: a crash leaves the file as it was, and the next
// open builds it again. The order indexes must be in place (their status
// is what the counts are built from).
func ensureSearchIndex(shop *bbolt.Bucket) error {
	legacy := false
	for _, name := range legacySearchSubs {
		if shop.Bucket(name) != nil {
			legacy = true
			if err := shop.DeleteBucket(name); err != nil {
				return err
			}
		}
	}
	if !legacy && shop.Bucket(subSearch) != nil && shop.Bucket(subSearchWords) != nil && shop.Bucket(subSearchCounts) != nil {
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
	var keys [][]byte
	totals := map[string]int64{}
	byStatus := map[string]map[app.Status]int64{}
	fwd := shop.Bucket(subSearchWords)
	err := shop.Bucket(subOrders).ForEach(func(k, v []byte) error {
		var o app.Order
		if err := jsonread.Unmarshal(v, &o); err != nil {
			return fmt.Errorf("indexing the words of order %s: %w", k, err)
		}
		e := searchEntry{created: unixKey(o.CreatedAt), words: app.OrderSearchWords(&o)}
		for _, w := range e.words {
			keys = append(keys, searchKey(w, e.created, o.ID))
			totals[w]++
			if byStatus[w] == nil {
				byStatus[w] = map[app.Status]int64{}
			}
			if o.Status != "" {
				byStatus[w][o.Status]++
			}
		}
		return fwd.Put([]byte(o.ID), e.encode())
	})
	if err != nil {
		return err
	}
	sort.Slice(keys, func(i, j int) bool { return bytes.Compare(keys[i], keys[j]) < 0 })
	search := shop.Bucket(subSearch)
	for _, k := range keys {
		if err := search.Put(k, nil); err != nil {
			return err
		}
	}
	cb := shop.Bucket(subSearchCounts)
	for _, w := range sortedKeys(totals) {
		if err := putCount(cb, totalKey(w), totals[w]); err != nil {
			return err
		}
		if totals[w] <= hotWord {
			continue
		}
		for _, s := range sortedStatuses(byStatus[w]) {
			if err := putCount(cb, statusCountKey(w, s), byStatus[w][s]); err != nil {
				return err
			}
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
		if wordTotal(counts, word) == all {
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
				w.keys += wordTotal(counts, word)
			}
			k, _ = c.Seek(append([]byte(word), 1))
		}
	}
	sort.Strings(w.words)
	return w
}

// searchOrders answers a text filter from the index: the ids of the page,
// newest first, and how many orders in one of statuses (nil: any) match.
// One typed word that starts one indexed word is counted from word_counts
// and only its page is read. Otherwise it walks the typed word of fewest
// keys; an order it meets is checked for the other words by walking their
// ranges alongside (few ranges) or on its stored words, and for its status
// by walking by_status's ranges of the statuses alongside.
func searchOrders(shop *bbolt.Bucket, query [][]string, statuses []app.Status, skip, limit int) ([]string, int, error) {
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
	// inStatus is nil when any status will do.
	var inStatus *wordProbe
	if statuses != nil {
		names := make([]string, len(statuses))
		for i, s := range statuses {
			names[i] = string(s)
		}
		inStatus = newWordProbe(shop.Bucket(subByStatus), names)
	}
	var ids []string
	if len(words) == 1 && len(words[0].words) == 1 {
		// One indexed word: its counts are the total.
		word := words[0].words[0]
		total, err := wordCount(shop, word, statuses)
		if err != nil {
			return nil, 0, err
		}
		p := totalKey(word)
		c := search.Cursor()
		n := 0
		k, _ := lastWithPrefix(c, p)
		for ; k != nil && bytes.HasPrefix(k, p) && len(ids) < limit && n < total; k, _ = c.Prev() {
			suf := k[len(p):]
			if inStatus != nil && !inStatus.has(suf) {
				continue
			}
			if n >= skip {
				ids = append(ids, string(suf[8:]))
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
	if inStatus != nil {
		probes = append(probes, inStatus)
	}
	total := 0
	var ferr error
	accept := func(suf []byte) {
		if ferr != nil {
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
// words by walking their ranges forward as the candidates come, newest
// first. Over by_status, whose keys are status 0x00 be(created) id, the
// "words" are statuses.
type wordProbe struct {
	rs []*wordRange
	ps [][]byte
}

func newWordProbe(b *bbolt.Bucket, words []string) *wordProbe {
	p := &wordProbe{}
	for _, w := range words {
		pre := append([]byte(w), 0)
		r := &wordRange{c: b.Cursor(), prefix: len(pre)}
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
func mergeRanges(search *bbolt.Bucket, words []string, accept func(suf []byte)) {
	if len(words) == 1 {
		p := append([]byte(words[0]), 0)
		c := search.Cursor()
		k, _ := lastWithPrefix(c, p)
		for ; k != nil && bytes.HasPrefix(k, p); k, _ = c.Prev() {
			accept(k[len(p):])
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
			accept(last)
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
func collectRanges(search *bbolt.Bucket, words []string, accept func(suf []byte)) {
	var hits [][]byte
	c := search.Cursor()
	for _, w := range words {
		p := append([]byte(w), 0)
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
			hits = append(hits, k[len(p):])
		}
	}
	sort.Slice(hits, func(i, j int) bool { return bytes.Compare(hits[i], hits[j]) > 0 })
	for i, h := range hits {
		if i > 0 && bytes.Equal(h, hits[i-1]) {
			continue
		}
		accept(h)
	}
}
