package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// FindOrders walks one index (the most selective the filter allows), checks
// the rest of the filter on each entry's value, and decodes only the orders
// of the requested page. When the chosen index and the counters answer the
// filter exactly, it stops after the page and takes Total from the counters.

// source yields index entries newest first (created descending, then id ascending).
type source interface {
	next() (entry, bool, error)
}

// matcher is a Filter compiled for checking entry values.
type matcher struct {
	statuses   []app.Status
	statusSet  map[app.Status]bool
	channels   []app.Channel // nil: any channel; empty: none
	channelSet map[app.Channel]bool
	courier    string
	label      *bool
	from, to   uint64 // timeKey bounds of created: [from, to); to 0 means open
	deadline   uint64 // accept_by at or before this; 0: no deadline filter
	tokens     []queryToken
	online     bool
	unlinked   bool
}

func compileFilter(f app.Filter) matcher {
	m := matcher{courier: courierKey(f.Courier), label: f.LabelPrinted, from: timeKey(f.From), to: timeKey(f.To), online: f.Online, unlinked: f.Unlinked}
	if len(f.Statuses) > 0 {
		m.statusSet = map[app.Status]bool{}
		for _, s := range f.Statuses {
			if !m.statusSet[s] {
				m.statusSet[s] = true
				m.statuses = append(m.statuses, s)
			}
		}
	}
	if len(f.Channels) > 0 || f.Online {
		list := f.Channels
		if len(list) == 0 {
			list = app.Channels
		}
		m.channels = []app.Channel{}
		m.channelSet = map[app.Channel]bool{}
		for _, c := range list {
			if (f.Online && !c.Online()) || m.channelSet[c] {
				continue
			}
			m.channelSet[c] = true
			m.channels = append(m.channels, c)
		}
	}
	if f.DeadlineWithin > 0 {
		now := f.Now
		if now.IsZero() {
			now = time.Now() // app.Service always sets Now; this only serves direct callers.
		}
		m.deadline = timeKey(now.Add(f.DeadlineWithin))
	}
	m.tokens = queryTokens(f.Text)
	return m
}

// match checks everything but the text, which only the search index answers.
func (m *matcher) match(e entry) bool {
	if m.statusSet != nil && !m.statusSet[e.status] {
		return false
	}
	if m.channelSet != nil && !m.channelSet[e.channel] {
		return false
	}
	if m.courier != "" && e.courier != m.courier {
		return false
	}
	if m.label != nil && (e.flags&flagLabelPrinted != 0) != *m.label {
		return false
	}
	if m.unlinked && e.flags&flagUnlinked == 0 {
		return false
	}
	if e.created < m.from || (m.to != 0 && e.created >= m.to) {
		return false
	}
	if m.deadline != 0 && (e.status != app.StatusNew || e.acceptBy == 0 || e.acceptBy > m.deadline) {
		return false
	}
	return true
}

// filtersEntries reports whether anything but the text is filtered on.
func (m *matcher) filtersEntries() bool {
	return m.statusSet != nil || m.channelSet != nil || m.courier != "" || m.label != nil ||
		m.from != 0 || m.to != 0 || m.deadline != 0 || m.unlinked
}

// matchValue is match on an entry value, without copying it.
func (m *matcher) matchValue(id, v []byte) (bool, error) {
	if len(v) < 19 {
		_, err := decodeEntry(string(id), v)
		return false, err
	}
	e := entry{created: binary.BigEndian.Uint64(v[0:]), acceptBy: binary.BigEndian.Uint64(v[8:]),
		status: statusByCode[v[16]], channel: channelByCode[v[17]], flags: v[18], courier: m.courier}
	if m.courier != "" && string(v[19:]) != m.courier {
		return false, nil
	}
	return m.match(e), nil
}

// FindOrders lists orders matching f, newest first unless f.Sort says otherwise, with the number that
// matched in Total. Limit 0 means every match. Errors: EInvalid for a bad filter.
func (db *DB) FindOrders(f app.Filter) (app.Page, error) {
	if err := f.Validate(); err != nil {
		return app.Page{}, err
	}
	m := compileFilter(f)
	if f.Sort != app.SortNewest {
		return db.findSorted(f, &m)
	}
	page := app.Page{Orders: []*app.Order{}}
	err := db.bolt.View(func(tx *bolt.Tx) (err error) {
		if m.channels != nil && len(m.channels) == 0 {
			return nil
		}
		var ids []string
		var n int
		total := int64(-1)
		if len(m.tokens) > 0 {
			ids, n, err = searchPage(tx, &m, f.Offset, f.Limit)
		} else {
			var src source
			if src, total, err = m.plan(tx); err == nil {
				ids, n, err = collectPage(src, &m, f.Offset, f.Limit, total >= 0)
			}
		}
		if err != nil {
			return err
		}
		if total < 0 {
			total = int64(n)
		}
		page.Total = int(total)
		for _, id := range ids {
			o, err := getOrder(tx, id)
			if err != nil {
				return err
			}
			page.Orders = append(page.Orders, o)
		}
		return nil
	})
	return page, err
}

// collectPage walks src and returns the ids of the page and how many matched.
// With exact set the total is known, so it stops once the page is full.
func collectPage(src source, m *matcher, offset, limit int, exact bool) ([]string, int, error) {
	var ids []string
	n := 0
	for {
		e, ok, err := src.next()
		if err != nil {
			return nil, 0, err
		}
		if !ok {
			return ids, n, nil
		}
		if !m.match(e) {
			continue
		}
		if n >= offset && (limit == 0 || n < offset+limit) {
			ids = append(ids, e.id)
		}
		n++
		if exact && limit > 0 && n >= offset+limit {
			return ids, n, nil
		}
	}
}

// plan picks the index to walk. total is the exact number of matches when
// the counters know it, or -1.
func (m *matcher) plan(tx *bolt.Tx) (source, int64, error) {
	counts, err := bucket(tx, bucketCounts)
	if err != nil {
		return nil, 0, err
	}
	timed := m.from != 0 || m.to != 0
	type option struct {
		est   int64
		exact int64
		build func() (source, error)
	}
	best := option{est: readCounter(counts, "orders"), exact: -1, build: func() (source, error) { return newCreatedSource(tx, m.from, m.to) }}
	if m.statuses == nil && m.channels == nil && m.courier == "" && m.label == nil && m.deadline == 0 && !timed {
		best.exact = best.est
	}
	consider := func(o option) {
		if o.est < best.est {
			best = o
		}
	}
	if m.statuses != nil {
		var est, exact int64
		for _, s := range m.statuses {
			est += readCounter(counts, "status/"+string(s))
			exact += readCounter(counts, "online/"+string(s))
		}
		o := option{est: est, exact: -1, build: func() (source, error) { return m.mergedSource(tx, idxStatus, statusPrefixes(m.statuses)) }}
		if m.courier == "" && m.label == nil && m.deadline == 0 && !timed {
			switch {
			case m.channels == nil:
				o.exact = est
			case m.online && len(m.channels) == len(app.Channels)-1:
				o.exact = exact // Online and no channel named: exactly the online counters.
			}
		}
		consider(o)
	}
	if m.channels != nil {
		var est int64
		for _, c := range m.channels {
			est += readCounter(counts, "channel/"+string(c))
		}
		o := option{est: est, exact: -1, build: func() (source, error) { return m.mergedSource(tx, idxChannel, channelPrefixes(m.channels)) }}
		if m.statuses == nil && m.courier == "" && m.label == nil && m.deadline == 0 && !timed {
			o.exact = est
		}
		consider(o)
	}
	if m.courier != "" {
		est := readCounter(counts, "courier/"+m.courier)
		o := option{est: est, exact: -1, build: func() (source, error) { return m.mergedSource(tx, idxCourier, []string{m.courier}) }}
		if m.statuses == nil && m.channels == nil && m.label == nil && m.deadline == 0 && !timed {
			o.exact = est
		}
		consider(o)
	}
	if m.label != nil && m.statuses == nil && m.channels == nil && m.courier == "" && m.deadline == 0 && !timed && best.exact < 0 {
		// Labels have no list of their own: the walk checks each entry's
		// flag, and the label counters give the total.
		group := labelUnprinted
		if *m.label {
			group = labelPrinted
		}
		best.exact = readCounter(counts, "label/"+group)
	}
	if m.deadline != 0 {
		// Only New orders are in idx_deadline, so it is never larger than that.
		consider(option{est: readCounter(counts, "status/"+string(app.StatusNew)), exact: -1, build: func() (source, error) {
			found, err := deadlineEntries(tx, m.deadline, 0)
			if err != nil {
				return nil, err
			}
			return sortedSource(found), nil
		}})
	}
	if m.unlinked {
		best.exact = -1 // no counter counts orders with unlinked lines
	}
	src, err := best.build()
	return src, best.exact, err
}

func statusPrefixes(ss []app.Status) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

func channelPrefixes(cs []app.Channel) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

// rangeSource walks one prefix of a time-ordered index (prefix 0x00 inv id)
// newest first, within the filter's creation bounds.
type rangeSource struct {
	c       *bolt.Cursor
	prefix  []byte // including the 0x00
	stopInv uint64 // last inv(created) inside the bounds
	k, v    []byte
	done    bool
	fwd     *forwardEntries // the index has no entry values: read them here
}

func newRangeSource(b *bolt.Bucket, prefix string, from, to uint64) *rangeSource {
	p := append([]byte(prefix), 0)
	start := uint64(0)
	if to != 0 {
		start = ^to + 1 // created < to  ⇔  inv(created) > inv(to)
	}
	stop := uint64(math.MaxUint64)
	if from != 0 {
		stop = ^from
	}
	r := &rangeSource{c: b.Cursor(), prefix: p, stopInv: stop}
	r.k, r.v = r.c.Seek(append(append([]byte{}, p...), be64(start)...))
	r.check()
	return r
}

// check ends the walk at the end of the prefix or of the time bounds.
func (r *rangeSource) check() {
	if r.k == nil || !bytes.HasPrefix(r.k, r.prefix) || len(r.k) < len(r.prefix)+8 ||
		binary.BigEndian.Uint64(r.k[len(r.prefix):]) > r.stopInv {
		r.done = true
	}
}

// suffix is inv(created) id, the sort key shared by all prefixes.
func (r *rangeSource) suffix() []byte { return r.k[len(r.prefix):] }

func (r *rangeSource) pop() (entry, error) {
	var e entry
	var err error
	if r.fwd != nil {
		e, err = r.fwd.entry(binary.BigEndian.Uint64(r.k[len(r.prefix):]), r.k[len(r.prefix)+8:])
	} else {
		_, id, _ := splitTimeID(r.k, len(r.prefix))
		e, err = decodeEntry(id, r.v)
	}
	r.k, r.v = r.c.Next()
	r.check()
	return e, err
}

// mergeSource merges several prefixes of one index into one newest-first stream.
type mergeSource struct{ parts []*rangeSource }

func (m *matcher) mergedSource(tx *bolt.Tx, name []byte, prefixes []string) (source, error) {
	b, err := bucket(tx, name)
	if err != nil {
		return nil, err
	}
	var fwd *forwardEntries
	if !bytes.Equal(name, idxStatus) {
		// The parts are popped in one newest-first order, so they share a cursor.
		if fwd, err = newForwardEntries(tx); err != nil {
			return nil, err
		}
	}
	ms := &mergeSource{}
	for _, p := range prefixes {
		r := newRangeSource(b, p, m.from, m.to)
		r.fwd = fwd
		ms.parts = append(ms.parts, r)
	}
	return ms, nil
}

// forwardEntries reads entry values from idx_forward for a list whose own
// index holds none. A list asks newest first, which is idx_forward's key
// order, so one cursor steps forward through it.
type forwardEntries struct {
	fc  *fwdCursor
	key []byte
}

func newForwardEntries(tx *bolt.Tx) (*forwardEntries, error) {
	b, err := bucket(tx, idxTokens)
	if err != nil {
		return nil, err
	}
	return &forwardEntries{fc: &fwdCursor{c: b.Cursor()}}, nil
}

// entry is the entry of the order whose time-ordered keys end in inv id.
func (f *forwardEntries) entry(inv uint64, id []byte) (entry, error) {
	f.key = binary.BigEndian.AppendUint64(f.key[:0], inv)
	f.key = append(append(f.key, 0), id...)
	v := f.fc.get(f.key)
	if v == nil {
		return entry{}, fmt.Errorf("store: %s has no entry of order %q", idxTokens, id)
	}
	ev, _, err := splitFwd(id, v)
	if err != nil {
		return entry{}, err
	}
	return decodeEntry(string(id), ev)
}

func (ms *mergeSource) next() (entry, bool, error) {
	var best *rangeSource
	for _, r := range ms.parts {
		if !r.done && (best == nil || bytes.Compare(r.suffix(), best.suffix()) < 0) {
			best = r
		}
	}
	if best == nil {
		return entry{}, false, nil
	}
	e, err := best.pop()
	return e, err == nil, err
}

// createdSource walks idx_forward, every order newest first, within
// [from, to); its values hold the entries. Orders created at the same
// instant come out in id order, like every other index, so a page never
// depends on which index served it.
type createdSource struct {
	c       *bolt.Cursor
	stopInv uint64 // last inv(created) inside the bounds
	k, v    []byte
}

func newCreatedSource(tx *bolt.Tx, from, to uint64) (source, error) {
	b, err := bucket(tx, idxTokens)
	if err != nil {
		return nil, err
	}
	s := &createdSource{c: b.Cursor(), stopInv: math.MaxUint64}
	if from != 0 {
		s.stopInv = ^from
	}
	if to == 0 {
		s.k, s.v = s.c.First()
	} else {
		s.k, s.v = s.c.Seek(be64(^to + 1)) // created < to  ⇔  inv(created) > inv(to)
	}
	return s, nil
}

func (s *createdSource) next() (entry, bool, error) {
	if s.k == nil {
		return entry{}, false, nil
	}
	if len(s.k) < 9 {
		return entry{}, false, errBadKey(idxTokens, s.k)
	}
	if binary.BigEndian.Uint64(s.k) > s.stopInv {
		s.k = nil
		return entry{}, false, nil
	}
	id := s.k[9:]
	ev, _, err := splitFwd(id, s.v)
	if err != nil {
		return entry{}, false, err
	}
	e, err := decodeEntry(string(id), ev)
	if err != nil {
		return entry{}, false, err
	}
	s.k, s.v = s.c.Next()
	return e, true, nil
}

// scanOldestFirst calls fn with the id of each order created in [from, to)
// (timeKeys; a zero bound is open), oldest first, walking idx_forward
// backwards. Orders created at the same instant come in id order.
func scanOldestFirst(tx *bolt.Tx, from, to uint64, fn func(id []byte) error) error {
	b, err := bucket(tx, idxTokens)
	if err != nil {
		return err
	}
	c := b.Cursor()
	var k []byte
	if from == 0 {
		k, _ = c.Last()
	} else if k, _ = c.Seek(be64(^from + 1)); k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	stop := uint64(0) // created < to  ⇔  inv(created) > inv(to)
	if to != 0 {
		stop = ^to
	}
	var group [][]byte // one instant's ids, met in reverse id order
	var at uint64
	flush := func() error {
		for i := len(group) - 1; i >= 0; i-- {
			if err := fn(group[i]); err != nil {
				return err
			}
		}
		group = group[:0]
		return nil
	}
	for ; k != nil; k, _ = c.Prev() {
		if len(k) < 9 {
			return errBadKey(idxTokens, k)
		}
		inv := binary.BigEndian.Uint64(k)
		if to != 0 && inv <= stop {
			break
		}
		if len(group) > 0 && inv != at {
			if err := flush(); err != nil {
				return err
			}
		}
		at = inv
		group = append(group, append([]byte(nil), k[9:]...))
	}
	return flush()
}

// sliceSource serves a set found by search or deadline, sorted newest first.
type sliceSource struct {
	entries []entry
	i       int
}

func sortedSource(found map[string]entry) *sliceSource {
	s := &sliceSource{entries: make([]entry, 0, len(found))}
	for _, e := range found {
		s.entries = append(s.entries, e)
	}
	sort.Slice(s.entries, func(i, j int) bool {
		a, b := s.entries[i], s.entries[j]
		if a.created != b.created {
			return a.created > b.created
		}
		return a.id < b.id
	})
	return s
}

func (s *sliceSource) next() (entry, bool, error) {
	if s.i >= len(s.entries) {
		return entry{}, false, nil
	}
	s.i++
	return s.entries[s.i-1], true, nil
}

// deadlineEntries returns New orders whose accept_by is at or before until,
// earliest first in the index; limit 0 means all.
func deadlineEntries(tx *bolt.Tx, until uint64, limit int) (map[string]entry, error) {
	_, found, err := scanDeadline(tx, until, limit)
	return found, err
}

func scanDeadline(tx *bolt.Tx, until uint64, limit int) ([]string, map[string]entry, error) {
	b, err := bucket(tx, idxDeadline)
	if err != nil {
		return nil, nil, err
	}
	var ids []string
	found := map[string]entry{}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		t, id, ok := splitTimeID(k, 0)
		if !ok {
			return nil, nil, errBadKey(idxDeadline, k)
		}
		if t > until || (limit > 0 && len(ids) >= limit) {
			break
		}
		e, err := decodeEntry(id, v)
		if err != nil {
			return nil, nil, err
		}
		ids = append(ids, id)
		found[id] = e
	}
	return ids, found, nil
}

// DueForAutoReject lists New orders whose accept deadline is at or before
// now, earliest deadline first; limit 0 means all.
func (db *DB) DueForAutoReject(now time.Time, limit int) ([]string, error) {
	var ids []string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		ids, _, err = scanDeadline(tx, timeKey(now), limit)
		return err
	})
	return ids, err
}

// ScanCreated calls fn for each order created in [from, to), oldest first; a
// zero bound is open. fn runs inside a read transaction and must not write to
// the store; its error stops the scan and is returned.
func (db *DB) ScanCreated(from, to time.Time, fn func(*app.Order) error) error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		return scanOldestFirst(tx, timeKey(from), timeKey(to), func(id []byte) error {
			o, err := getOrder(tx, string(id))
			if err != nil {
				return err
			}
			return fn(o)
		})
	})
}
