package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"math/bits"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// Search: a query matches an order by app's rule (app.SearchQuery against
// app.OrderSearchWords): each query word starts one of the order's words.
//
// An order's own words (number, external id, buyer, phone) each get an
// idx_search key. A line's words do not: a shop sells the same few hundred
// products in thousands of orders, so a line is indexed once per order by
// one line token ("\x01" and a hash of its SKU and name), and idx_names maps
// each word of the line to that line token, once for the whole store. A
// query word is expanded to the line tokens whose words it prefixes, and
// the orders of those line tokens are read from idx_search.
//
// idx_search keys are token 0x00 inv(created) 0x00 id, so each token's
// orders come out newest first, the order of every list: a search merges
// the ranges of one query word and stops collecting once the page is full,
// counting the rest from the keys alone.

// lineMark starts a line token; app.SearchWords keeps it out of every word.
const lineMark = '\x01'

// lineWords lists a line's distinct words, sorted.
func lineWords(l app.Line) []string {
	set := map[string]struct{}{}
	for _, w := range app.SearchWords(l.SKU) {
		set[w] = struct{}{}
	}
	for _, w := range app.SearchWords(l.Name) {
		set[w] = struct{}{}
	}
	return sortedSet(set)
}

// lineToken names a line's words in idx_search: lines with the same SKU and
// name (compared as their words are) share it. "" for a line without words.
func lineToken(l app.Line) string {
	key := l.SKU + "\x00" + l.Name
	if t, ok := lineTokens.Load(key); ok {
		return t.(string)
	}
	t := ""
	if len(lineWords(l)) > 0 {
		sku := strings.Join(strings.Fields(strings.ToLower(l.SKU)), " ")
		name := strings.Join(strings.Fields(strings.ToLower(l.Name)), " ")
		sum := sha256.Sum256([]byte(sku + "\x00" + name))
		t = string(lineMark) + hex.EncodeToString(sum[:8])
	}
	if lineTokenCount.Add(1) <= maxCachedLines {
		lineTokens.Store(key, t)
	}
	return t
}

// lineTokens caches lineToken by SKU and name: a shop's lines repeat.
var (
	lineTokens     sync.Map
	lineTokenCount atomic.Int64
)

const maxCachedLines = 20000

// orderLines maps each distinct line token of an order to one of its lines.
func orderLines(o *app.Order) map[string]app.Line {
	out := make(map[string]app.Line, len(o.Lines))
	for _, l := range o.Lines {
		if t := lineToken(l); t != "" {
			if _, ok := out[t]; !ok {
				out[t] = l
			}
		}
	}
	return out
}

// indexTokens lists the order's idx_search tokens, sorted: its own words
// and its line tokens.
func indexTokens(o *app.Order, lines map[string]app.Line) []string {
	set := map[string]struct{}{}
	for _, w := range app.OrderOwnSearchWords(o) {
		set[w] = struct{}{}
	}
	for t := range lines {
		set[t] = struct{}{}
	}
	return sortedSet(set)
}

// nameKey is the idx_names key linking a word to a line token.
func nameKey(word, line string) []byte {
	k := make([]byte, 0, len(word)+1+len(line))
	return append(append(append(k, word...), 0), line...)
}

func sortedSet(set map[string]struct{}) []string {
	out := make([]string, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// queryToken is one word of a search: it matches an order having a token
// that starts with any of its alternatives.
type queryToken []string

// queryTokens splits a search text by app's rule (app.SearchQuery).
func queryTokens(text string) []queryToken {
	var out []queryToken
	for _, q := range app.SearchQuery(text) {
		out = append(out, queryToken(q))
	}
	return out
}

// wordMatch is a query word resolved against the store: an order matches
// it when one of its own tokens starts with an alternative, or when it has
// one of the line tokens.
type wordMatch struct {
	alts  []string
	lines map[string]struct{}
	est   int64 // how many keys its ranges hold, or more
}

// has reports whether a forward token list matches the word.
func (w *wordMatch) has(list []byte) bool {
	for rest := list; len(rest) > 0; {
		tok := rest
		if i := bytes.IndexByte(rest, 0); i >= 0 {
			tok, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if tok[0] == lineMark {
			if _, ok := w.lines[string(tok)]; ok {
				return true
			}
			continue
		}
		for _, alt := range w.alts {
			if len(tok) >= len(alt) && string(tok[:len(alt)]) == alt {
				return true
			}
		}
	}
	return false
}

// searchEpochs lists the epoch prefixes idx_search holds, newest first:
// one seek per epoch.
func searchEpochs(search *bolt.Bucket) ([][epochLen]byte, error) {
	var out [][epochLen]byte
	c := search.Cursor()
	for k, _ := c.First(); k != nil; {
		if len(k) < epochLen {
			return nil, errBadKey(idxSearch, k)
		}
		var ep [epochLen]byte
		copy(ep[:], k)
		out = append(out, ep)
		n := binary.BigEndian.Uint16(ep[:])
		if n == math.MaxUint16 {
			break
		}
		k, _ = c.Seek(binary.BigEndian.AppendUint16(nil, n+1))
	}
	return out, nil
}

// epochKey is an epoch prefix followed by b.
func epochKey(ep [epochLen]byte, b []byte) []byte {
	k := make([]byte, 0, epochLen+len(b)+1)
	return append(append(k, ep[:]...), b...)
}

// resolveWords expands each query word to its line tokens and estimates its
// size from the line counters and its own-token ranges in every epoch.
func resolveWords(tx *bolt.Tx, search *bolt.Bucket, epochs [][epochLen]byte, tokens []queryToken) ([]wordMatch, error) {
	names, err := bucket(tx, idxNames)
	if err != nil {
		return nil, err
	}
	counts, err := bucket(tx, bucketCounts)
	if err != nil {
		return nil, err
	}
	words := make([]wordMatch, len(tokens))
	best := int64(-1)
	for i, q := range tokens {
		w := wordMatch{alts: q, lines: map[string]struct{}{}}
		for _, alt := range q {
			prefix := []byte(alt)
			c := names.Cursor()
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				sep := bytes.IndexByte(k, 0)
				if sep < 0 {
					return nil, errBadKey(idxNames, k)
				}
				w.lines[string(k[sep+1:])] = struct{}{}
			}
		}
		for t := range w.lines {
			w.est += readCounter(counts, lineCounter(t))
		}
	count:
		for _, ep := range epochs {
			if best >= 0 && w.est >= best {
				break
			}
			for _, alt := range q {
				prefix := epochKey(ep, []byte(alt))
				c := search.Cursor()
				for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
					w.est++
					if best >= 0 && w.est > best {
						break count
					}
				}
			}
		}
		if best < 0 || w.est < best {
			best = w.est
		}
		words[i] = w
	}
	return words, nil
}

// maxMergeRanges bounds the ranges merged key by key; a word whose prefix
// covers more distinct tokens (a number prefix such as "tkp") is collected
// and sorted instead.
const maxMergeRanges = 64

// searchRange walks the keys of one token newest first.
type searchRange struct {
	c      *bolt.Cursor
	prefix []byte // epoch token 0x00
	k, v   []byte
	mask   uint64 // the query words its token satisfies
	inv    uint64 // inv(created) of the current key: compared before the suffix
}

func (r *searchRange) suffix() []byte { return r.k[len(r.prefix):] }

// check ends the range at the first key of another token.
func (r *searchRange) check() {
	if r.k != nil && (len(r.k) < len(r.prefix)+10 || !bytes.HasPrefix(r.k, r.prefix)) {
		r.k = nil
	}
	if r.k != nil {
		r.inv = binary.BigEndian.Uint64(r.k[len(r.prefix):])
	}
}

func (r *searchRange) advance() {
	r.k, r.v = r.c.Next()
	r.check()
}

// epochTokens lists the tokens of the walked word in one epoch: its line
// tokens and each distinct own token its alternatives prefix. more reports
// that they are more than maxMergeRanges.
func epochTokens(search *bolt.Bucket, ep [epochLen]byte, w *wordMatch, lines []string) (toks []string, more bool, err error) {
	toks = append(toks, lines...)
	c := search.Cursor()
	for _, alt := range w.alts {
		prefix := epochKey(ep, []byte(alt))
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); {
			sep := bytes.IndexByte(k[epochLen:], 0)
			if sep < 0 {
				return nil, false, errBadKey(idxSearch, k)
			}
			toks = append(toks, string(k[epochLen:epochLen+sep]))
			if len(toks) > maxMergeRanges {
				return nil, true, nil
			}
			k, _ = c.Seek(append(append([]byte{}, k[:epochLen+sep]...), 1))
		}
	}
	return toks, false, nil
}

// searchPage answers a filter with text: the ids of the page and the total.
func searchPage(tx *bolt.Tx, m *matcher, offset, limit int) ([]string, int, error) {
	var ids []string
	n := 0
	inOrder := -1
	if limit > 0 {
		inOrder = offset + limit
	}
	err := searchMatches(tx, m, inOrder, func(suf []byte) {
		if n >= offset && (limit == 0 || n < offset+limit) {
			ids = append(ids, string(suf[9:]))
		}
		n++
	})
	if err != nil {
		return nil, 0, err
	}
	return ids, n, nil
}

// matchedEntries reads the index entry of every order matching a filter
// with text, newest first, from idx_forward: no order is decoded.
func matchedEntries(tx *bolt.Tx, m *matcher) ([]entry, error) {
	fwd, err := bucket(tx, idxTokens)
	if err != nil {
		return nil, err
	}
	fc := &fwdCursor{c: fwd.Cursor()}
	var out []entry
	var ferr error
	err = searchMatches(tx, m, -1, func(suf []byte) {
		if ferr != nil {
			return
		}
		id := suf[9:]
		v := fc.get(suf)
		if v == nil {
			ferr = fmt.Errorf("store: %s has no entry of order %q", idxTokens, id)
			return
		}
		ev, _, err := splitFwd(id, v)
		if err != nil {
			ferr = err
			return
		}
		e, err := decodeEntry(string(id), ev)
		if err != nil {
			ferr = err
			return
		}
		out = append(out, e)
	})
	if err != nil {
		return nil, err
	}
	return out, ferr
}

// searchMatches calls emit with the suffix (inv(created) 0x00 id) of every
// order matching a filter with text: the first inOrder newest first, the
// rest in any order (all newest first when inOrder < 0). A page needs its
// own orders in order and only the number of the rest.
func searchMatches(tx *bolt.Tx, m *matcher, inOrder int, emit func(suf []byte)) error {
	search, err := bucket(tx, idxSearch)
	if err != nil {
		return err
	}
	fwd, err := bucket(tx, idxTokens)
	if err != nil {
		return err
	}
	epochs, err := searchEpochs(search)
	if err != nil {
		return err
	}
	words, err := resolveWords(tx, search, epochs, m.tokens)
	if err != nil {
		return err
	}
	walk := 0
	for i := range words {
		if words[i].est < words[walk].est {
			walk = i
		}
	}
	var walkLines []string
	for t := range words[walk].lines {
		walkLines = append(walkLines, t)
	}
	sort.Strings(walkLines)
	filtered := m.filtersEntries()
	// A filter on channels and creation time only is answered by the
	// search keys themselves: the channel is their value, the time their suffix.
	keyOnly := filtered && m.statusSet == nil && m.courier == "" && m.label == nil && m.deadline == 0 && !m.unlinked
	// Each line token's mask says which words it satisfies; own tokens are
	// only checked for the words some own token can match.
	lineMask := map[string]uint64{}
	var needOwn uint64
	nw := min(len(words), 64)
	full := uint64(1)<<nw - 1
	if nw == 64 {
		full = ^uint64(0)
	}
	for i := 0; i < nw; i++ {
		for t := range words[i].lines {
			lineMask[t] |= 1 << i
		}
	own:
		for _, alt := range words[i].alts {
			for _, ep := range epochs {
				p := epochKey(ep, []byte(alt))
				if k, _ := search.Cursor().Seek(p); k != nil && bytes.HasPrefix(k, p) {
					needOwn |= 1 << i
					break own
				}
			}
		}
	}
	masks := newLineMasks(lineMask)
	byID := newLineTable(lineMask)
	// A word some own token may match is settled by a line key's initials
	// when they hold none of its alternatives' first characters (no own
	// token matches), or when an alternative is one character of a–z or
	// 0–9 and they hold it (an own token starts with it).
	exactInit := make([]uint64, nw)
	maybeInit := make([]uint64, nw)
	for i := 0; i < nw; i++ {
		for _, alt := range words[i].alts {
			bit := initialBit(alt[0])
			if len(alt) == 1 && bit != 1<<63 {
				exactInit[i] |= bit
			} else {
				maybeInit[i] |= bit
			}
		}
	}
	matchList := func(list []byte, mask uint64) bool {
		for rest := list; len(rest) > 0 && mask != full; {
			tok := rest
			if i := bytes.IndexByte(rest, 0); i >= 0 {
				tok, rest = rest[:i], rest[i+1:]
			} else {
				rest = nil
			}
			if tok[0] == lineMark {
				mask |= masks.get(tok)
				continue
			}
			for want := needOwn &^ mask; want != 0; want &= want - 1 {
				i := bits.TrailingZeros64(want)
				for _, alt := range words[i].alts {
					if len(tok) >= len(alt) && string(tok[:len(alt)]) == alt {
						mask |= 1 << i
						break
					}
				}
			}
		}
		if mask != full {
			return false
		}
		for i := 64; i < len(words); i++ {
			if !words[i].has(list) {
				return false
			}
		}
		return true
	}
	fc := &fwdCursor{c: fwd.Cursor()}
	// probes are the other words' ranges in the current epoch, when they
	// are few; nil when candidates do not come in key order.
	var probes []*wordProbe
	// accept checks a candidate of the walked word against the rest; mask
	// is what the walked word's tokens already satisfy, v the search key's
	// value (the channel code). A candidate the keys cannot decide is read
	// from idx_forward, in the order candidates come: its entry value and
	// its tokens.
	accept := func(suf, v []byte, mask uint64) (bool, error) {
		id := suf[9:]
		ch, initials, set, ok := splitSearchValue(v)
		if !ok {
			return false, errBadKey(idxSearch, suf)
		}
		if filtered {
			if m.channelSet != nil && !m.channelSet[channelByCode[ch]] {
				return false, nil
			}
			if created := ^binary.BigEndian.Uint64(suf); created < m.from || (m.to != 0 && created >= m.to) {
				return false, nil
			}
		}
		if set != nil && len(words) <= 64 && mask != full {
			// The key names every line of the order: a word that no
			// order's own words can match is settled here.
			for ; len(set) >= 8; set = set[8:] {
				mask |= byID.get(binary.BigEndian.Uint64(set))
			}
			if (full&^mask)&^needOwn != 0 {
				return false, nil
			}
			for need := full &^ mask; need != 0; need &= need - 1 {
				i := bits.TrailingZeros64(need)
				switch {
				case initials&exactInit[i] != 0:
					mask |= 1 << i
				case initials&maybeInit[i] == 0:
					return false, nil
				}
			}
		}
		single := len(words) == 1 || (mask == full && len(words) <= 64)
		if (!filtered || keyOnly) && single {
			return true, nil
		}
		if probes != nil && len(words) <= 64 {
			// The other words' keys in this epoch, walked alongside,
			// settle what they can without reading the order's tokens.
			complete := true
			for need := full &^ mask; need != 0; need &= need - 1 {
				i := bits.TrailingZeros64(need)
				if probes[i] == nil {
					complete = false
					continue
				}
				if !probes[i].has(suf) {
					return false, nil
				}
				mask |= 1 << i
			}
			if complete && (!filtered || keyOnly) {
				return true, nil
			}
		}
		fv := fc.get(suf)
		if fv == nil {
			return false, nil
		}
		ev, list, err := splitFwd(id, fv)
		if err != nil {
			return false, err
		}
		if filtered && !keyOnly {
			if ok, err := m.matchValue(id, ev); err != nil || !ok {
				return false, err
			}
		}
		if single {
			return true, nil
		}
		return matchList(list, mask), nil
	}
	// walked holds the walked word's line ids, to count an order met in
	// several of its ranges once.
	walkedSet := map[string]uint64{}
	for _, t := range walkLines {
		walkedSet[t] = 1
	}
	walked := newLineTable(walkedSet)
	emitted := 0
	emitCount := func(suf []byte) {
		emitted++
		emit(suf)
	}
	ordered := func() bool { return inOrder < 0 || emitted < inOrder }
	for _, ep := range epochs {
		toks, more, err := epochTokens(search, ep, &words[walk], walkLines)
		if err != nil {
			return err
		}
		if !ordered() && allLines(toks) {
			probes = nil // they need candidates in key order
			if err := countRanges(search, ep, toks, lineMask, walked, accept, emitCount); err != nil {
				return err
			}
			continue
		}
		if more {
			probes = nil
			if err := collectSearch(search, ep, &words[walk], accept, emitCount); err != nil {
				return err
			}
			continue
		}
		if probes, err = epochProbes(search, ep, words, walk); err != nil {
			return err
		}
		h := &rangeHeap{}
		for _, t := range toks {
			p := append(epochKey(ep, []byte(t)), 0)
			r := &searchRange{c: search.Cursor(), prefix: p, mask: lineMask[t]}
			if t[0] != lineMark {
				r.mask = 1 << walk
			}
			r.k, r.v = r.c.Seek(p)
			if r.check(); r.k != nil {
				h.push(r)
			}
		}
		var cur []byte
		for len(h.rs) > 0 {
			if !ordered() && allLines(toks) {
				// The page is full: the rest of the epoch is only counted.
				probes = nil
				if err := countHeap(h, walked, accept, emitCount); err != nil {
					return err
				}
				break
			}
			// Every range at this candidate adds what its token satisfies.
			r := h.rs[0]
			cur = append(cur[:0], r.suffix()...)
			inv := r.inv
			v, mask := r.v, uint64(0)
			for len(h.rs) > 0 && h.rs[0].inv == inv && bytes.Equal(h.rs[0].suffix(), cur) {
				top := h.rs[0]
				mask |= top.mask
				if len(top.v) > len(v) {
					v = top.v // a line key's value names the order's lines
				}
				top.advance()
				if top.k == nil {
					h.pop()
				} else {
					h.fix()
				}
			}
			ok, err := accept(cur, v, mask)
			if err != nil {
				return err
			}
			if ok {
				emitCount(cur)
			}
		}
	}
	return nil
}

// allLines reports whether every token is a line token.
func allLines(toks []string) bool {
	for _, t := range toks {
		if t[0] != lineMark {
			return false
		}
	}
	return true
}

// countRanges passes every match among one epoch's keys of the line tokens
// toks to emit, in no particular order; see countHeap.
func countRanges(search *bolt.Bucket, ep [epochLen]byte, toks []string, lineMask map[string]uint64, walked *lineTable,
	accept func(suf, v []byte, mask uint64) (bool, error), emit func(suf []byte)) error {
	h := &rangeHeap{}
	for _, t := range toks {
		p := append(epochKey(ep, []byte(t)), 0)
		r := &searchRange{c: search.Cursor(), prefix: p, mask: lineMask[t]}
		r.k, r.v = r.c.Seek(p)
		if r.check(); r.k != nil {
			h.rs = append(h.rs, r)
		}
	}
	return countHeap(h, walked, accept, emit)
}

// countHeap passes every match left in the ranges of h, all of line tokens
// of the walked word, to emit, walking each range on its own instead of
// merging them: an order met in several of them is counted in the range of
// the smallest walked line id its key names. An order whose keys do not
// name its lines (more than maxLineSet) is gathered, merged and counted once.
func countHeap(h *rangeHeap, walked *lineTable, accept func(suf, v []byte, mask uint64) (bool, error), emit func(suf []byte)) error {
	type unnamed struct {
		v    []byte
		mask uint64
	}
	var rest map[string]*unnamed
	for _, r := range h.rs {
		tok := r.prefix[epochLen : len(r.prefix)-1]
		rid, ok := lineID(string(tok))
		if !ok {
			return errBadKey(idxSearch, r.k)
		}
	keys:
		for ; r.k != nil; r.advance() {
			_, _, set, ok := splitSearchValue(r.v)
			if !ok {
				return errBadKey(idxSearch, r.k)
			}
			if set == nil {
				if rest == nil {
					rest = map[string]*unnamed{}
				}
				u := rest[string(r.suffix())]
				if u == nil {
					u = &unnamed{v: r.v}
					rest[string(r.suffix())] = u
				}
				u.mask |= r.mask
				continue
			}
			for b := set; len(b) >= 8; b = b[8:] {
				if id := binary.BigEndian.Uint64(b); id < rid && walked.get(id) != 0 {
					continue keys // counted in that line's range
				}
			}
			ok, err := accept(r.suffix(), r.v, r.mask)
			if err != nil {
				return err
			}
			if ok {
				emit(r.suffix())
			}
		}
	}
	for suf, u := range rest {
		ok, err := accept([]byte(suf), u.v, u.mask)
		if err != nil {
			return err
		}
		if ok {
			emit([]byte(suf))
		}
	}
	return nil
}

// splitSearchValue splits an idx_search value into the order's channel code
// and, for a line key, the initials of the order's own words and the 8-byte
// ids of its lines (nil when the value does not name them).
func splitSearchValue(v []byte) (ch byte, initials uint64, lines []byte, ok bool) {
	switch {
	case len(v) == 1:
		return v[0], 0, nil, true
	case len(v) >= 17 && (len(v)-9)%8 == 0:
		return v[0], binary.BigEndian.Uint64(v[1:]), v[9:], true
	}
	return 0, 0, nil, false
}

// maxProbeRanges bounds the ranges of one word walked alongside the
// candidates; a word of more tokens is checked on the order's token list.
const maxProbeRanges = 8

// probeSteps is how many keys a probe range steps over before it seeks.
const probeSteps = 8

// wordProbe answers whether a candidate has one of a word's tokens by
// walking that word's ranges forward as the candidates come, newest first.
type wordProbe struct{ rs []*searchRange }

// epochProbes builds a probe for each word but the walked one whose tokens
// in the epoch are few; the others stay nil.
func epochProbes(search *bolt.Bucket, ep [epochLen]byte, words []wordMatch, walk int) ([]*wordProbe, error) {
	probes := make([]*wordProbe, min(len(words), 64))
	for i := range probes {
		if i == walk || len(words[i].lines) > maxProbeRanges {
			continue
		}
		lines := make([]string, 0, len(words[i].lines))
		for t := range words[i].lines {
			lines = append(lines, t)
		}
		toks, more, err := epochTokens(search, ep, &words[i], lines)
		if err != nil {
			return nil, err
		}
		if more || len(toks) > maxProbeRanges {
			continue
		}
		p := &wordProbe{}
		for _, t := range toks {
			pre := append(epochKey(ep, []byte(t)), 0)
			r := &searchRange{c: search.Cursor(), prefix: pre}
			r.k, r.v = r.c.Seek(pre)
			if r.check(); r.k != nil {
				p.rs = append(p.rs, r)
			}
		}
		probes[i] = p
	}
	return probes, nil
}

// has reports whether one of the word's ranges holds the suffix suf.
// Candidates must come in increasing suffix order.
func (p *wordProbe) has(suf []byte) bool {
	inv := binary.BigEndian.Uint64(suf)
	found := false
	for _, r := range p.rs {
		for steps := 0; r.k != nil; steps++ {
			c := compareSuffix(r, inv, suf)
			if c == 0 {
				found = true
			}
			if c >= 0 {
				break
			}
			if steps == probeSteps {
				r.k, r.v = r.c.Seek(append(append([]byte{}, r.prefix...), suf...))
				r.check()
				steps = 0
				continue
			}
			r.advance()
		}
		if found {
			return true
		}
	}
	return false
}

// compareSuffix compares a range's current key's suffix with suf, whose
// first 8 bytes are inv.
func compareSuffix(r *searchRange, inv uint64, suf []byte) int {
	switch {
	case r.inv < inv:
		return -1
	case r.inv > inv:
		return 1
	}
	return bytes.Compare(r.suffix(), suf)
}

// collectSearch serves a word whose prefix covers many tokens in one
// epoch: it gathers the sort keys of every accepted candidate, sorts them
// and drops repeats.
func collectSearch(search *bolt.Bucket, ep [epochLen]byte, w *wordMatch, accept func(suf, v []byte, mask uint64) (bool, error), emit func(suf []byte)) error {
	var found [][]byte
	visit := func(k, v []byte) error {
		sep := bytes.IndexByte(k[epochLen:], 0)
		if sep < 0 || len(k) < epochLen+sep+10 {
			return errBadKey(idxSearch, k)
		}
		suf := k[epochLen+sep+1:]
		ok, err := accept(suf, v, 0)
		if ok {
			found = append(found, append([]byte(nil), suf...))
		}
		return err
	}
	ranges := make([][]byte, 0, len(w.alts)+len(w.lines))
	for _, alt := range w.alts {
		ranges = append(ranges, epochKey(ep, []byte(alt)))
	}
	for t := range w.lines {
		ranges = append(ranges, append(epochKey(ep, []byte(t)), 0))
	}
	for _, prefix := range ranges {
		c := search.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if err := visit(k, v); err != nil {
				return err
			}
		}
	}
	sort.Slice(found, func(i, j int) bool { return bytes.Compare(found[i], found[j]) < 0 })
	for i, s := range found {
		if i > 0 && bytes.Equal(s, found[i-1]) {
			continue
		}
		emit(s)
	}
	return nil
}

// fwdCursor reads idx_tokens for candidates met mostly in key order:
// nearby keys are reached by stepping, far ones by seeking.
type fwdCursor struct {
	c       *bolt.Cursor
	k, v    []byte
	started bool
}

func (f *fwdCursor) get(suf []byte) []byte {
	if f.started && len(suf) >= 8 {
		inv := binary.BigEndian.Uint64(suf)
		for i := 0; len(f.k) >= 8 && i < fwdSteps; i++ {
			if at := binary.BigEndian.Uint64(f.k); at != inv {
				if at > inv {
					break // behind us: seek
				}
				f.k, f.v = f.c.Next()
				continue
			}
			switch c := bytes.Compare(f.k, suf); {
			case c == 0:
				return f.v
			case c > 0:
				i = fwdSteps // behind us: seek
				continue
			}
			f.k, f.v = f.c.Next()
		}
	}
	f.started = true
	f.k, f.v = f.c.Seek(suf)
	if bytes.Equal(f.k, suf) {
		return f.v
	}
	return nil
}

// rangeHeap orders ranges by their current key's suffix, smallest (newest) first.
type rangeHeap struct{ rs []*searchRange }

func (h *rangeHeap) less(i, j int) bool {
	a, b := h.rs[i], h.rs[j]
	if a.inv != b.inv {
		return a.inv < b.inv
	}
	return bytes.Compare(a.suffix(), b.suffix()) < 0
}

func (h *rangeHeap) push(r *searchRange) {
	h.rs = append(h.rs, r)
	for i := len(h.rs) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h.rs[i], h.rs[p] = h.rs[p], h.rs[i]
		i = p
	}
}

func (h *rangeHeap) pop() {
	last := len(h.rs) - 1
	h.rs[0] = h.rs[last]
	h.rs = h.rs[:last]
	h.fix()
}

// fix restores the heap after the top's key changed.
func (h *rangeHeap) fix() {
	i, n := 0, len(h.rs)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			return
		}
		h.rs[i], h.rs[m] = h.rs[m], h.rs[i]
		i = m
	}
}

// fwdSteps is how many keys fwdCursor steps over before it seeks instead:
// a step costs a comparison, a seek a descent of the tree.
const fwdSteps = 12

// lineMasks looks up the query words a line token satisfies. Line tokens
// are lineMark and 16 hex digits, so most are told apart by 8 of their
// bytes: the lookup hashes a uint64 instead of a string, and compares the
// whole token on a hit.
type lineMasks struct {
	byWord map[uint64]lineMaskEntry
	all    map[string]uint64 // when two tokens share those 8 bytes
}

type lineMaskEntry struct {
	tok  string
	mask uint64
}

func newLineMasks(m map[string]uint64) *lineMasks {
	lm := &lineMasks{byWord: make(map[uint64]lineMaskEntry, len(m))}
	for t, mask := range m {
		if len(t) < 9 {
			return &lineMasks{all: m}
		}
		w := binary.LittleEndian.Uint64([]byte(t[1:9]))
		if _, dup := lm.byWord[w]; dup {
			return &lineMasks{all: m}
		}
		lm.byWord[w] = lineMaskEntry{t, mask}
	}
	return lm
}

func (lm *lineMasks) get(tok []byte) uint64 {
	if lm.all != nil {
		return lm.all[string(tok)]
	}
	if len(tok) < 9 {
		return 0
	}
	if e, ok := lm.byWord[binary.LittleEndian.Uint64(tok[1:9])]; ok && e.tok == string(tok) {
		return e.mask
	}
	return 0
}

// lineTable is lineMask by the ids a line key's value names its order's
// lines by. It is read for every line of every candidate, so it is an
// open-addressed table indexed by the id's low bits (the ids are hashes)
// rather than a map.
type lineTable struct {
	ids   []uint64
	masks []uint64
	used  []bool
}

func newLineTable(lineMask map[string]uint64) *lineTable {
	size := 8
	for size < 4*len(lineMask) {
		size *= 2
	}
	lt := &lineTable{ids: make([]uint64, size), masks: make([]uint64, size), used: make([]bool, size)}
	for t, mask := range lineMask {
		id, ok := lineID(t)
		if !ok {
			continue
		}
		i := id & uint64(size-1)
		for lt.used[i] && lt.ids[i] != id {
			i = (i + 1) & uint64(size-1)
		}
		lt.ids[i], lt.masks[i], lt.used[i] = id, lt.masks[i]|mask, true
	}
	return lt
}

// get returns the words the line id satisfies, 0 for a line of no word.
func (lt *lineTable) get(id uint64) uint64 {
	n := uint64(len(lt.ids) - 1)
	for i := id & n; lt.used[i]; i = (i + 1) & n {
		if lt.ids[i] == id {
			return lt.masks[i]
		}
	}
	return 0
}
