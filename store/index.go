package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// Indexes are derived from the order record alone and written in the same
// transaction as it: putOrder computes the entries of the previous record and
// of the new one and writes only the difference. CheckConsistency rebuilds
// them in memory and compares, so a stale key is found by tests.
//
// Every time-ordered key ends in inv(created) id, so a forward cursor walks
// newest first. The list indexes' values are entry values, so a list can
// filter on status, channel, courier, label and deadline without decoding
// the order. The search keys of an order's own words have empty values, so
// a status change (most writes) does not rewrite them: a search filters
// their candidates through the order's idx_tokens value instead.

// statusCodes and channelCodes are fixed on disk: never renumber them.
var statusCodes = map[app.Status]byte{
	app.StatusPaymentReview: 1, app.StatusNew: 2, app.StatusReadyToShip: 3, app.StatusInDelivery: 4,
	app.StatusDelivered: 5, app.StatusCompleted: 6, app.StatusCancelled: 7, app.StatusComplained: 8,
	app.StatusReturned: 9, app.StatusRefunded: 10,
}

var channelCodes = map[app.Channel]byte{
	app.ChannelTokopedia: 1, app.ChannelShopee: 2, app.ChannelLazada: 3, app.ChannelTikTok: 4,
	app.ChannelWooCommerce: 5, app.ChannelStore: 6, app.ChannelManual: 7, app.ChannelInStore: 8,
}

var (
	statusByCode  = invert(statusCodes)
	channelByCode = invert(channelCodes)
)

func invert[K comparable](m map[K]byte) map[byte]K {
	out := make(map[byte]K, len(m))
	for k, v := range m {
		out[v] = k
	}
	return out
}

// Label groups, each with a counter.
const (
	labelPrinted   = "p"
	labelUnprinted = "n"
	labelAwaiting  = "a"
)

// Flags of an entry value.
const (
	flagLabelPrinted  = 1 << 0
	flagAwaitingLabel = 1 << 1
	flagUnlinked      = 1 << 2 // a line is not linked to a product
)

// timeKey maps a time to a uint64 whose order is the time order; the zero
// time is 0, before every real time.
func timeKey(t time.Time) uint64 {
	if t.IsZero() {
		return 0
	}
	switch y := t.Year(); {
	case y < 1678:
		return 1
	case y > 2261:
		return math.MaxUint64 - 1
	}
	return uint64(t.UnixNano()) ^ (1 << 63)
}

// entry is what every index entry's value says about its order.
type entry struct {
	id       string
	created  uint64 // timeKey(CreatedAt)
	acceptBy uint64 // timeKey(AcceptBy)
	status   app.Status
	channel  app.Channel
	flags    byte
	courier  string // lowercased
}

// entryOf summarises an order for its index entries.
func entryOf(o *app.Order) entry {
	e := entry{id: o.ID, created: timeKey(o.CreatedAt), acceptBy: timeKey(o.AcceptBy), status: o.Status,
		channel: o.Channel, courier: courierKey(o.Shipment.Courier)}
	if o.LabelPrinted() {
		e.flags |= flagLabelPrinted
	}
	if o.AwaitingLabel() {
		e.flags |= flagAwaitingLabel
	}
	if o.UnlinkedLines() > 0 {
		e.flags |= flagUnlinked
	}
	return e
}

// courierKey is the courier as the indexes hold it: app's courier code, so
// "J&T" finds "J&T Express" (letters and digits only, so never the key
// separator), bounded.
func courierKey(c string) string {
	return boundKey(string(app.CourierCode(c)), maxCourierKey)
}

// value encodes created(8) accept_by(8) status(1) channel(1) flags(1) courier.
func (e entry) value() []byte {
	b := make([]byte, 19, 19+len(e.courier))
	binary.BigEndian.PutUint64(b[0:], e.created)
	binary.BigEndian.PutUint64(b[8:], e.acceptBy)
	b[16], b[17], b[18] = statusCodes[e.status], channelCodes[e.channel], e.flags
	return append(b, e.courier...)
}

// decodeEntry reads an entry value; id comes from the key.
func decodeEntry(id string, v []byte) (entry, error) {
	if len(v) < 19 {
		return entry{}, fmt.Errorf("store: index entry of order %q is %d bytes, want at least 19", id, len(v))
	}
	return entry{id: id, created: binary.BigEndian.Uint64(v[0:]), acceptBy: binary.BigEndian.Uint64(v[8:]),
		status: statusByCode[v[16]], channel: channelByCode[v[17]], flags: v[18], courier: string(v[19:])}, nil
}

// timeID builds prefix 0x00 BE(t) orderKey(id).
func timeID(prefix string, t uint64, id string) []byte {
	id = orderKey(id)
	k := make([]byte, 0, len(prefix)+1+8+len(id))
	if prefix != "" {
		k = append(k, prefix...)
		k = append(k, 0)
	}
	k = binary.BigEndian.AppendUint64(k, t)
	return append(k, id...)
}

// splitTimeID reads the time and id after a prefix of n bytes (including its 0x00).
func splitTimeID(k []byte, n int) (uint64, string, bool) {
	if len(k) < n+8 {
		return 0, "", false
	}
	return binary.BigEndian.Uint64(k[n:]), string(k[n+8:]), true
}

// indexEntry is one key an order owns in one index bucket.
type indexEntry struct {
	bucket []byte
	key    []byte
	value  []byte
}

// orderEntries lists every index key of an order. It is the single
// definition of the indexes: putOrder, the migration and CheckConsistency
// all use it.
func orderEntries(o *app.Order) []indexEntry {
	lines := orderLines(o)
	tokens := indexTokens(o, lines)
	return append(baseEntries(o, tokens), searchEntries(o, tokens)...)
}

// baseEntries lists every key but idx_search's. Only idx_status,
// idx_deadline and idx_forward carry the order's entry value: it changes
// with the status, and every copy of it is a page a status change
// rewrites. The other lists' keys have empty values, so a status change
// leaves them alone; a list walking one of them reads the entry from
// idx_forward, keyed in the same order, with one cursor moving forward.
//
// idx_forward is also the list of every order newest first, so there is no
// separate list by creation time; and the label groups are no index of
// their own (a list by label walks another index and reads the entry's
// flags, and the label counters give its total).
func baseEntries(o *app.Order, tokens []string) []indexEntry {
	e := entryOf(o)
	v := e.value()
	inv := ^e.created
	out := make([]indexEntry, 0, 8)
	out = append(out,
		indexEntry{idxStatus, timeID(string(o.Status), inv, o.ID), v},
		indexEntry{idxChannel, timeID(string(o.Channel), inv, o.ID), nil},
	)
	if o.Status == app.StatusNew && !o.AcceptBy.IsZero() {
		out = append(out, indexEntry{idxDeadline, timeID("", e.acceptBy, o.ID), v})
	}
	if o.ExternalID != "" {
		out = append(out, indexEntry{idxExternal, externalKey(o.Channel, o.ExternalID), []byte(o.ID)})
	}
	if e.courier != "" {
		out = append(out, indexEntry{idxCourier, timeID(e.courier, inv, o.ID), nil})
	}
	// An order's report events (see report.go), written with it.
	out = append(out, reportEntries(o)...)
	// The forward entry: uvarint len(entry value), the entry value, then the
	// order's search tokens. A search reads it to filter a candidate and to
	// check its other words on a few candidates instead of walking every
	// key of a common word. It is keyed like the search keys' suffix, so a
	// search reads it in the order it meets its candidates.
	fv := binary.AppendUvarint(make([]byte, 0, 2+len(v)+listLen(tokens)), uint64(len(v)))
	fv = appendList(append(fv, v...), tokens)
	out = append(out, indexEntry{idxTokens, fwdKey(inv, o.ID), fv})
	return out
}

// searchEntries lists the order's idx_search keys: one per token, its own
// words' and its lines'. Their value is the order's channel code, which
// never changes, so only a change of the order's words or lines moves
// them, and a search limited to channels needs no other read.
//
// A line key's value also names every line of its order and the first
// characters of its own words (appendLineSet): a product name's words are
// spread over many products ("kaos", "hitam", "s"), so a search walking one
// word's orders learns from the key alone which of the other words the
// order holds, instead of reading the order's token list for each of
// thousands of candidates.
func searchEntries(o *app.Order, tokens []string) []indexEntry {
	created := timeKey(o.CreatedAt)
	fk := fwdKey(^created, o.ID)
	ep := epochOf(created)
	ch := []byte{channelCodes[o.Channel]}
	lineV := appendLineSet(ch, tokens)
	out := make([]indexEntry, 0, len(tokens))
	for _, tok := range tokens {
		v := ch
		if tok[0] == lineMark {
			v = lineV
		}
		out = append(out, indexEntry{idxSearch, searchKey(ep, tok, fk), v})
	}
	return out
}

// maxLineSet bounds the lines a line key's value names: each line key of an
// order carries the whole set, so an order of hundreds of distinct lines
// would grow with their square. Its line keys carry the channel alone, and
// a search reads its token list instead.
const maxLineSet = 16

// appendLineSet appends to ch the initials of the order's own words (see
// initialBit) and the 8-byte ids of its line tokens (tokens is sorted, so
// they come in token order), or nothing when the lines are none or more
// than maxLineSet.
func appendLineSet(ch []byte, tokens []string) []byte {
	n := 0
	var initials uint64
	for _, t := range tokens {
		if t[0] == lineMark {
			n++
		} else {
			initials |= initialBit(t[0])
		}
	}
	if n == 0 || n > maxLineSet {
		return ch
	}
	v := make([]byte, 0, len(ch)+8+8*n)
	v = binary.BigEndian.AppendUint64(append(v, ch...), initials)
	for _, t := range tokens {
		if t[0] != lineMark {
			continue
		}
		id, ok := lineID(t)
		if !ok {
			return ch // not lineToken's shape: leave the set unsaid rather than wrong
		}
		v = binary.BigEndian.AppendUint64(v, id)
	}
	return v
}

// initialBit is the bit of a word's first byte in a set of initials: one
// bit for each of a–z and 0–9, so a one-character query word is answered
// exactly, and one bit shared by every other byte.
func initialBit(c byte) uint64 {
	switch {
	case c >= 'a' && c <= 'z':
		return 1 << (c - 'a')
	case c >= '0' && c <= '9':
		return 1 << (26 + c - '0')
	}
	return 1 << 63
}

// lineID is the 64-bit hash a line token spells in hex (see lineToken).
func lineID(t string) (uint64, bool) {
	if len(t) != 17 || t[0] != lineMark {
		return 0, false
	}
	id, err := strconv.ParseUint(t[1:], 16, 64)
	return id, err == nil
}

// An idx_search key starts with the epoch of its order's creation time,
// newest epoch first, then the token. Orders arrive in time order, so
// every new key lands in the newest epoch: a phone number or tracking ID,
// random across the whole store, is random only among one epoch's few
// pages, and a bulk load or catch-up rewrites those pages instead of one
// page per key across the store. A search walks the epochs newest first;
// each one's keys of a token are again newest first.

// epochBits is the width of an epoch in timeKey units (ns): 2^49 ns is
// about 6.5 days, so a year is 56 epochs.
const epochBits = 49

// epochLen is the length of an epoch prefix.
const epochLen = 2

// epochOf is the idx_search prefix of orders created at the timeKey t:
// inverted, so the newest epoch comes first.
func epochOf(t uint64) [epochLen]byte {
	var p [epochLen]byte
	binary.BigEndian.PutUint16(p[:], ^uint16(t>>epochBits))
	return p
}

// searchKey is epoch token 0x00 inv(created) 0x00 id.
func searchKey(ep [epochLen]byte, tok string, fk []byte) []byte {
	k := make([]byte, 0, epochLen+len(tok)+1+len(fk))
	return append(append(append(append(k, ep[:]...), tok...), 0), fk...)
}

func listLen(tokens []string) int {
	n := 0
	for _, t := range tokens {
		n += len(t) + 1
	}
	return n
}

// appendList appends the tokens, 0x00-separated.
func appendList(b []byte, tokens []string) []byte {
	for i, t := range tokens {
		if i > 0 {
			b = append(b, 0)
		}
		b = append(b, t...)
	}
	return b
}

// splitFwd splits an idx_tokens value into the entry value and the token list.
func splitFwd(id, v []byte) (entryValue, list []byte, err error) {
	l, k := binary.Uvarint(v)
	if k <= 0 || uint64(len(v)-k) < l {
		return nil, nil, fmt.Errorf("store: malformed %s value of order %q", idxTokens, id)
	}
	return v[k : k+int(l)], v[k+int(l):], nil
}

// fwdKey is inv(created) 0x00 id, the suffix of the order's idx_search keys.
func fwdKey(inv uint64, id string) []byte {
	id = orderKey(id)
	k := make([]byte, 0, 9+len(id))
	k = binary.BigEndian.AppendUint64(k, inv)
	return append(append(k, 0), id...)
}

func externalKey(ch app.Channel, externalID string) []byte {
	externalID = boundKey(externalID, maxIDKey)
	k := make([]byte, 0, len(ch)+1+len(externalID))
	return append(append(append(k, ch...), 0), externalID...)
}

// nameEntries lists the idx_names keys of an order's lines. They are shared
// by every order with the same line: writeIndexes writes them when a line
// token's counter leaves zero and removes them when it returns to zero.
func nameEntries(o *app.Order) []indexEntry {
	var out []indexEntry
	for t, l := range orderLines(o) {
		out = append(out, lineNameEntries(t, l)...)
	}
	return out
}

func lineNameEntries(t string, l app.Line) []indexEntry {
	var out []indexEntry
	for _, w := range lineWords(l) {
		out = append(out, indexEntry{idxNames, nameKey(w, t), nil})
	}
	return out
}

// lineCounter is the counter of orders having a line token.
func lineCounter(t string) string { return "line/" + t[1:] }

// counterCancelRequest counts orders with an open buyer cancel request.
const counterCancelRequest = "alert/cancel_request"

// counterNames lists the counters an order adds one to. Badges and list
// totals read them instead of walking indexes.
func counterNames(o *app.Order) []string { return counterNamesOf(o, orderLines(o)) }

func counterNamesOf(o *app.Order, lines map[string]app.Line) []string {
	names := []string{"orders", "status/" + string(o.Status), "channel/" + string(o.Channel)}
	if o.Channel.Online() {
		names = append(names, "online", "online/"+string(o.Status))
	}
	if c := courierKey(o.Shipment.Courier); c != "" {
		names = append(names, "courier/"+c)
	}
	if o.LabelPrinted() {
		names = append(names, "label/"+labelPrinted)
	} else {
		names = append(names, "label/"+labelUnprinted)
	}
	if o.AwaitingLabel() {
		names = append(names, "label/"+labelAwaiting)
	}
	if app.OpenCancelRequest(o) {
		names = append(names, counterCancelRequest)
	}
	for t := range lines {
		names = append(names, lineCounter(t))
	}
	return names
}

// derived is what the indexes need of one order, computed once.
type derived struct {
	o      *app.Order
	lines  map[string]app.Line // orderLines
	tokens []string            // indexTokens
}

func derive(o *app.Order) *derived {
	if o == nil {
		return nil
	}
	lines := orderLines(o)
	return &derived{o: o, lines: lines, tokens: indexTokens(o, lines)}
}

// writeIndexes moves an order's index entries and counters from what old
// implied to what o implies. old or o may be nil (insert, delete).
func writeIndexes(tx *bolt.Tx, old, o *app.Order) error {
	return writeDerived(tx, derive(old), derive(o))
}

// sameSearchKeys reports whether two versions of an order have the same
// idx_search keys and values: the same id, creation time and tokens.
func sameSearchKeys(a, b *derived) bool {
	return a != nil && b != nil && a.o.ID == b.o.ID && timeKey(a.o.CreatedAt) == timeKey(b.o.CreatedAt) &&
		slices.Equal(a.tokens, b.tokens)
}

func writeDerived(tx *bolt.Tx, old, o *derived) error {
	var oldE, newE []indexEntry
	search := !sameSearchKeys(old, o)
	if old != nil {
		oldE = baseEntries(old.o, old.tokens)
		if search {
			oldE = append(oldE, searchEntries(old.o, old.tokens)...)
		}
	}
	if o != nil {
		newE = baseEntries(o.o, o.tokens)
		if search {
			newE = append(newE, searchEntries(o.o, o.tokens)...)
		}
	}
	have := make(map[string][]byte, len(oldE))
	for _, e := range oldE {
		have[string(e.bucket)+"\x00"+string(e.key)] = e.value
	}
	want := make(map[string]bool, len(newE))
	for _, e := range newE {
		want[string(e.bucket)+"\x00"+string(e.key)] = true
	}
	for _, e := range oldE {
		if want[string(e.bucket)+"\x00"+string(e.key)] {
			continue
		}
		b, err := bucket(tx, e.bucket)
		if err != nil {
			return err
		}
		// An external id is unique per channel; only remove it if it still names this order.
		if bytes.Equal(e.bucket, idxExternal) && !bytes.Equal(b.Get(e.key), e.value) {
			continue
		}
		if err := b.Delete(e.key); err != nil {
			return fmt.Errorf("store: removing %s entry of order %q: %w", e.bucket, old.o.ID, err)
		}
	}
	if len(newE) > 64 {
		sortIndexEntries(newE) // an order of many lines: see moveLineNames
	}
	for _, e := range newE {
		if v, ok := have[string(e.bucket)+"\x00"+string(e.key)]; ok && bytes.Equal(v, e.value) {
			continue
		}
		b, err := bucket(tx, e.bucket)
		if err != nil {
			return err
		}
		if err := b.Put(e.key, e.value); err != nil {
			return fmt.Errorf("store: writing %s entry of order %q: %w", e.bucket, o.o.ID, err)
		}
	}
	if err := moveLineNames(tx, old, o); err != nil {
		return err
	}
	delta := map[string]int64{}
	if old != nil {
		for _, n := range counterNamesOf(old.o, old.lines) {
			delta[n]--
		}
	}
	if o != nil {
		for _, n := range counterNamesOf(o.o, o.lines) {
			delta[n]++
		}
	}
	return addCounters(tx, delta)
}

// moveLineNames writes the idx_names keys of a line token the store gains
// and removes those of one it loses; the line counters, not yet moved,
// say which.
func moveLineNames(tx *bolt.Tx, old, o *derived) error {
	var oldL, newL map[string]app.Line
	if old != nil {
		oldL = old.lines
	}
	if o != nil {
		newL = o.lines
	}
	if len(oldL) == len(newL) {
		same := true
		for t := range oldL {
			if _, ok := newL[t]; !ok {
				same = false
				break
			}
		}
		if same {
			return nil
		}
	}
	counts, err := bucket(tx, bucketCounts)
	if err != nil {
		return err
	}
	names, err := bucket(tx, idxNames)
	if err != nil {
		return err
	}
	for t, l := range oldL {
		if _, ok := newL[t]; ok || readCounter(counts, lineCounter(t)) > 1 {
			continue
		}
		for _, e := range lineNameEntries(t, l) {
			if err := names.Delete(e.key); err != nil {
				return err
			}
		}
	}
	var add []indexEntry
	for t, l := range newL {
		if _, ok := oldL[t]; ok || readCounter(counts, lineCounter(t)) > 0 {
			continue
		}
		add = append(add, lineNameEntries(t, l)...)
	}
	// In key order: bbolt inserts each key into its page's sorted list, so
	// an order of many new lines puts its names at the end, not the middle.
	sortIndexEntries(add)
	for _, e := range add {
		if err := names.Put(e.key, e.value); err != nil {
			return err
		}
	}
	return nil
}

// sortIndexEntries orders entries by bucket, then key.
func sortIndexEntries(es []indexEntry) {
	slices.SortFunc(es, func(a, b indexEntry) int {
		if c := bytes.Compare(a.bucket, b.bucket); c != 0 {
			return c
		}
		return bytes.Compare(a.key, b.key)
	})
}

// addCounters applies deltas; a counter that reaches zero is deleted so the
// bucket holds only what exists.
func addCounters(tx *bolt.Tx, delta map[string]int64) error {
	b, err := bucket(tx, bucketCounts)
	if err != nil {
		return err
	}
	// In key order, for the reason moveLineNames sorts.
	for _, name := range slices.Sorted(maps.Keys(delta)) {
		d := delta[name]
		if d == 0 {
			continue
		}
		n := readCounter(b, name) + d
		if n == 0 {
			if err := b.Delete([]byte(name)); err != nil {
				return err
			}
			continue
		}
		if err := b.Put([]byte(name), be64(uint64(n))); err != nil {
			return fmt.Errorf("store: counter %s: %w", name, err)
		}
	}
	return nil
}

// readCounter returns a counter's value, 0 when absent or garbled.
func readCounter(b *bolt.Bucket, name string) int64 {
	v := b.Get([]byte(name))
	if len(v) != 8 {
		return 0
	}
	return int64(binary.BigEndian.Uint64(v))
}

// rebuildIndexes drops every derived bucket and rebuilds it from the orders;
// the v1 migration and ReplaceAll use it.
func rebuildIndexes(tx *bolt.Tx) error {
	for _, name := range obsoleteBuckets {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return fmt.Errorf("store: dropping %s: %w", name, err)
			}
		}
	}
	for _, name := range indexBuckets {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return fmt.Errorf("store: dropping %s: %w", name, err)
			}
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return fmt.Errorf("store: creating %s: %w", name, err)
		}
	}
	orders, err := bucket(tx, bucketOrders)
	if err != nil {
		return err
	}
	return orders.ForEach(func(k, v []byte) error {
		o, err := decodeOrder(k, v)
		if err != nil {
			return err
		}
		return writeIndexes(tx, nil, o)
	})
}
