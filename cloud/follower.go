package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kasir/pos/sync/wire"
)

// Follower is cloud code that consumes every committed change of every shop,
// in sequence order per shop (connectors, couriers and buyer notices).
//
// Delivery is at least once: a crash between Follow and the saved cursor
// hands the same change over again, so Follow must be idempotent on
// (Shop, Seq). A change that fails is retried with backoff on its own; the
// changes of other orders go on meanwhile, and later changes of the same
// order wait behind it, so each order is still followed in order.
type Follower interface {
	// Name identifies the follower's cursor; renaming it starts from the beginning.
	Name() string
	// Follow handles one change. An error retries it later; an error wrapped
	// by Unprocessable parks it at once until someone asks for a retry.
	Follow(ctx context.Context, e LogEntry) error
}

// LogEntry is one committed change as a follower receives it. The change is
// decoded only when the follower asks, so followers that care about a few
// orders stay cheap.
type LogEntry struct {
	Shop string
	Seq  uint64
	// Order is the id of the order the change carries, "" for a catalogue change.
	Order string
	Raw   json.RawMessage
}

// Change decodes the entry.
func (e LogEntry) Change() (*wire.Change, error) {
	var c wire.Change
	if err := json.Unmarshal(e.Raw, &c); err != nil {
		return nil, fmt.Errorf("change %d of shop %s: %w", e.Seq, e.Shop, err)
	}
	return &c, nil
}

// unprocessable marks an error retrying cannot cure.
type unprocessable struct{ err error }

func (u unprocessable) Error() string { return u.err.Error() }
func (u unprocessable) Unwrap() error { return u.err }

// Unprocessable wraps err so the change is parked at once instead of retried.
func Unprocessable(err error) error { return unprocessable{err} }

// PendingChange is a change a follower has not yet processed: it failed and
// waits for its next attempt, waits behind an earlier change of its order, or
// is parked until someone asks for a retry. It is stored with the cursor, so
// the cursor can move past it without the follower losing its place.
type PendingChange struct {
	Follower string          `json:"follower"`
	Shop     string          `json:"shop"`
	Seq      uint64          `json:"seq"`
	Order    string          `json:"order"`
	Attempts int             `json:"attempts"`
	NextAt   time.Time       `json:"next_at,omitzero"`
	Error    string          `json:"error,omitempty"`
	Parked   bool            `json:"parked,omitempty"`
	Change   json.RawMessage `json:"change"`
}

// FollowerLog is where followers keep their place; both backends implement it.
type FollowerLog interface {
	// FollowerCursor is the highest sequence of the shop the follower is past (0 at first).
	FollowerCursor(follower, shop string) (uint64, error)
	// SaveFollowing raises the cursor to cursor (never lowers it), stores put
	// and forgets the pending changes done, all in one commit.
	SaveFollowing(follower, shop string, cursor uint64, put []*PendingChange, done []uint64) error
	// PendingChanges lists the follower's pending changes of a shop by
	// sequence; an empty follower or shop means all of them.
	PendingChanges(follower, shop string) ([]*PendingChange, error)
}

// Retry timing: the first retry comes soon, later ones back off to a
// ceiling, and a change that failed followMaxAttempts times is parked.
const (
	followFirstRetry  = 200 * time.Millisecond
	followMaxBackoff  = 5 * time.Minute
	followMaxAttempts = 12
	followBatch       = 1000
	// followPoll finds changes no wake-up announced (another process's commit).
	followPoll = 2 * time.Second
	// followSaveEvery bounds how often a cursor alone is written: a crash
	// replays at most this much, which at-least-once delivery allows, and
	// the log's writers are not made to queue behind a commit per change.
	followSaveEvery = 100 * time.Millisecond
)

// followBackoff is the wait before attempt n+1, doubling from followFirstRetry.
func followBackoff(attempts int) time.Duration {
	d := followFirstRetry
	for i := 1; i < attempts && d < followMaxBackoff; i++ {
		d *= 2
	}
	return min(d, followMaxBackoff)
}

// followers runs every registered follower, each in its own goroutine, so
// one slow or failing follower never holds back another.
type followers struct {
	srv     *Server
	runners []*followRunner
}

func newFollowers(s *Server, fs []Follower) *followers {
	f := &followers{srv: s}
	for _, fl := range fs {
		r := &followRunner{srv: s, f: fl, wake: make(chan struct{}, 1),
			dirty: map[string]bool{}, shops: map[string]*followShop{}, cmds: make(chan func(), 8)}
		r.save = &followSaver{r: r, kick: make(chan struct{}, 1)}
		f.runners = append(f.runners, r)
	}
	return f
}

// run follows until ctx ends.
func (f *followers) run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, r := range f.runners {
		wg.Add(1)
		go func() { defer wg.Done(); r.run(ctx) }()
	}
	wg.Wait()
}

// wake tells every follower the shop has new changes.
func (f *followers) wake(shop string) {
	for _, r := range f.runners {
		r.mu.Lock()
		r.dirty[shop] = true
		r.mu.Unlock()
		select {
		case r.wake <- struct{}{}:
		default:
		}
	}
}

func (f *followers) runner(name string) *followRunner {
	for _, r := range f.runners {
		if r.f.Name() == name {
			return r
		}
	}
	return nil
}

// followRunner is one follower's loop over every shop.
type followRunner struct {
	srv  *Server
	f    Follower
	wake chan struct{}
	cmds chan func()
	save *followSaver

	mu    sync.Mutex
	dirty map[string]bool
	// shops is only touched by the runner's goroutine.
	shops map[string]*followShop
	// lag per shop, read by /metrics.
	lag sync.Map // shop → *followLag
	// leading is set while this instance runs the follower.
	leading atomic.Bool
	done    atomic.Uint64
	fails   atomic.Uint64
}

// followLag is what /metrics shows of one follower on one shop.
type followLag struct {
	cursor, head     atomic.Uint64
	retrying, parked atomic.Int64
}

// followShop is a follower's place in one shop: the cursor and, by order,
// the pending changes in sequence order.
type followShop struct {
	id      string
	cursor  uint64
	pending map[string][]*PendingChange
	lag     *followLag
	// saved is the cursor in the store and savedAt when it was written.
	saved   uint64
	savedAt time.Time
}

// followerLeader is a store shared by several cloud instances that lets one
// instance at a time run a follower (PostgreSQL: an advisory lock), so a
// change is not handed to the same follower by every instance at once.
type followerLeader interface {
	// LeadFollower blocks until this instance leads the follower or ctx
	// ends; lost closes when the lead is gone, release gives it up.
	LeadFollower(ctx context.Context, name string) (lost <-chan struct{}, release func(), err error)
}

// run follows until ctx ends; on a shared store, only while it leads.
func (r *followRunner) run(ctx context.Context) {
	leader, shared := r.srv.store.(followerLeader)
	if !shared {
		r.follow(ctx)
		return
	}
	for ctx.Err() == nil {
		lost, release, err := leader.LeadFollower(ctx, r.f.Name())
		if err != nil {
			if ctx.Err() == nil {
				r.srv.log.Error("follower: waiting to lead", "follower", r.f.Name(), "err", err)
				select {
				case <-ctx.Done():
				case <-time.After(time.Second):
				}
			}
			continue
		}
		lctx, stop := context.WithCancel(ctx)
		go func() {
			select {
			case <-lost:
				stop()
			case <-lctx.Done():
			}
		}()
		r.leading.Store(true)
		r.shops = map[string]*followShop{} // another instance may have moved on meanwhile
		r.followLoop(lctx)
		r.leading.Store(false)
		stop()
		release()
	}
}

// follow runs the loop on a store no other instance shares.
func (r *followRunner) follow(ctx context.Context) {
	r.leading.Store(true)
	defer r.leading.Store(false)
	r.followLoop(ctx)
}

func (r *followRunner) followLoop(ctx context.Context) {
	poll := time.NewTicker(followPoll)
	defer poll.Stop()
	saved := make(chan struct{})
	stopSaving := make(chan struct{})
	go func() { defer close(saved); r.save.run(stopSaving) }()
	defer func() { close(stopSaving); <-saved }()
	all := true // after start, every shop: catching up after downtime
	for ctx.Err() == nil {
		var shops []string
		if all {
			list, err := r.srv.store.Shops()
			if err != nil {
				r.srv.log.Error("follower: listing shops", "follower", r.f.Name(), "err", err)
			}
			for _, sh := range list {
				shops = append(shops, sh.ID)
			}
			r.mu.Lock()
			clear(r.dirty)
			r.mu.Unlock()
			all = false
		} else {
			r.mu.Lock()
			for id := range r.dirty {
				shops = append(shops, id)
			}
			clear(r.dirty)
			r.mu.Unlock()
		}
		for _, id := range shops {
			if err := r.catchUp(ctx, id); err != nil && ctx.Err() == nil {
				r.srv.log.Error("follower: reading the log", "follower", r.f.Name(), "shop", id, "err", err)
			}
		}
		next := r.retryDue(ctx)
		if due := r.saveCursors(false); !due.IsZero() && (next.IsZero() || due.Before(next)) {
			next = due
		}
		var timer <-chan time.Time
		if !next.IsZero() {
			timer = time.After(time.Until(next))
		}
		select {
		case <-ctx.Done():
		case <-r.wake:
		case <-poll.C:
			all = true
			r.reloadPending()
		case <-timer:
		case fn := <-r.cmds:
			fn()
		}
	}
	r.saveCursors(true)
}

// reloadPending rereads pending changes from the store when nothing of this
// runner's is waiting to be written, so a retry asked for on another
// instance (or with no server running) is seen by the one that leads.
func (r *followRunner) reloadPending() {
	r.save.mu.Lock()
	idle := len(r.save.queue) == 0
	r.save.mu.Unlock()
	if !idle {
		return
	}
	for id, fs := range r.shops {
		list, err := r.srv.store.PendingChanges(r.f.Name(), id)
		if err != nil {
			continue
		}
		fs.pending = map[string][]*PendingChange{}
		for _, p := range list {
			fs.pending[p.Order] = append(fs.pending[p.Order], p)
		}
		fs.count()
	}
}

// saveCursors writes the cursors that moved since their last save once
// followSaveEvery has passed (or now, when stopping). It returns when the
// next unsaved cursor is due.
func (r *followRunner) saveCursors(all bool) time.Time {
	var next time.Time
	now := time.Now()
	for id, fs := range r.shops {
		if fs.cursor == fs.saved {
			continue
		}
		if due := fs.savedAt.Add(followSaveEvery); !all && now.Before(due) {
			if next.IsZero() || due.Before(next) {
				next = due
			}
			continue
		}
		r.save.submit(id, fs.cursor, nil, nil)
		fs.saved, fs.savedAt = fs.cursor, now
	}
	return next
}

// followSaver writes a follower's places in the order the runner decided
// them, in its own goroutine, so the runner never waits for a commit: the
// log's writers and the follower share the disk without queueing behind each
// other. A save that fails is kept and tried again; the follower never loses
// its place, and at worst follows some changes twice after a crash.
type followSaver struct {
	r    *followRunner
	kick chan struct{}

	mu    sync.Mutex
	queue map[string]*followSave
	order []string
}

// followSave is what is still to be written for one shop.
type followSave struct {
	cursor uint64
	// ops by sequence: a pending change to store, or nil when it is done.
	ops map[uint64]*PendingChange
}

// submit queues a save; put is copied, as the runner goes on changing its own.
func (sv *followSaver) submit(shop string, cursor uint64, put []*PendingChange, done []uint64) {
	sv.mu.Lock()
	if sv.queue == nil {
		sv.queue = map[string]*followSave{}
	}
	q := sv.queue[shop]
	if q == nil {
		q = &followSave{ops: map[uint64]*PendingChange{}}
		sv.queue[shop] = q
		sv.order = append(sv.order, shop)
	}
	q.cursor = max(q.cursor, cursor)
	for _, p := range put {
		cp := *p
		q.ops[p.Seq] = &cp
	}
	for _, seq := range done {
		q.ops[seq] = nil
	}
	sv.mu.Unlock()
	select {
	case sv.kick <- struct{}{}:
	default:
	}
}

// run writes queued saves until stop, then writes what is left.
func (sv *followSaver) run(stop <-chan struct{}) {
	for {
		select {
		case <-sv.kick:
			sv.flush()
		case <-stop:
			sv.flush()
			return
		case <-time.After(time.Second):
			sv.flush() // a save that failed before
		}
	}
}

func (sv *followSaver) flush() {
	sv.mu.Lock()
	queue, order := sv.queue, sv.order
	sv.queue, sv.order = nil, nil
	sv.mu.Unlock()
	for _, shop := range order {
		q := queue[shop]
		var put []*PendingChange
		var done []uint64
		for seq, p := range q.ops {
			if p == nil {
				done = append(done, seq)
			} else {
				put = append(put, p)
			}
		}
		if err := sv.r.srv.store.SaveFollowing(sv.r.f.Name(), shop, q.cursor, put, done); err != nil {
			sv.r.srv.log.Error("follower: saving its place; will retry", "follower", sv.r.f.Name(), "shop", shop, "err", err)
			// Requeue under anything submitted since, which is newer.
			sv.submit(shop, q.cursor, nil, nil)
			sv.mu.Lock()
			for seq, p := range q.ops {
				if _, newer := sv.queue[shop].ops[seq]; !newer {
					sv.queue[shop].ops[seq] = p
				}
			}
			sv.mu.Unlock()
		}
	}
}

// place loads the follower's cursor and pending changes of a shop once.
func (r *followRunner) place(shop string) (*followShop, error) {
	if fs := r.shops[shop]; fs != nil {
		return fs, nil
	}
	cur, err := r.srv.store.FollowerCursor(r.f.Name(), shop)
	if err != nil {
		return nil, err
	}
	pend, err := r.srv.store.PendingChanges(r.f.Name(), shop)
	if err != nil {
		return nil, err
	}
	v, _ := r.lag.LoadOrStore(shop, &followLag{})
	fs := &followShop{id: shop, cursor: cur, saved: cur, pending: map[string][]*PendingChange{}, lag: v.(*followLag)}
	for _, p := range pend {
		fs.pending[p.Order] = append(fs.pending[p.Order], p)
	}
	fs.lag.cursor.Store(cur)
	fs.count()
	r.shops[shop] = fs
	return fs, nil
}

func (fs *followShop) count() {
	var retrying, parked int64
	for _, list := range fs.pending {
		for _, p := range list {
			if p.Parked {
				parked++
			} else {
				retrying++
			}
		}
	}
	fs.lag.retrying.Store(retrying)
	fs.lag.parked.Store(parked)
}

// catchUp follows the shop's log from the cursor to the head, one saved batch at a time.
func (r *followRunner) catchUp(ctx context.Context, shop string) error {
	fs, err := r.place(shop)
	if err != nil {
		return err
	}
	for ctx.Err() == nil {
		items, head, oldest, err := r.srv.store.ChangesAfter(shop, fs.cursor, followBatch)
		if err != nil {
			return err
		}
		fs.lag.head.Store(head)
		if len(items) == 0 {
			return nil
		}
		if oldest > fs.cursor+1 {
			// Prune keeps every change a follower has not passed, so this is a lost log.
			r.srv.log.Error("follower: changes were pruned before it read them", "follower", r.f.Name(), "shop", shop, "cursor", fs.cursor, "oldest", oldest)
		}
		var put []*PendingChange
		now := r.srv.now()
		for _, raw := range items {
			e, err := logEntry(shop, raw)
			if err != nil {
				return err
			}
			if e.Seq <= fs.cursor {
				continue
			}
			if len(fs.pending[e.Order]) > 0 {
				// An earlier change of this order is still pending: wait behind it.
				p := &PendingChange{Follower: r.f.Name(), Shop: shop, Seq: e.Seq, Order: e.Order, Change: e.Raw}
				fs.pending[e.Order] = append(fs.pending[e.Order], p)
				put = append(put, p)
			} else if err := r.deliver(ctx, e); err != nil {
				p := &PendingChange{Follower: r.f.Name(), Shop: shop, Seq: e.Seq, Order: e.Order, Change: e.Raw}
				r.failed(p, err, now)
				fs.pending[e.Order] = append(fs.pending[e.Order], p)
				put = append(put, p)
			}
			fs.cursor = e.Seq
		}
		fs.lag.cursor.Store(fs.cursor)
		if len(put) == 0 && fs.cursor-fs.saved < followBatch && time.Since(fs.savedAt) < followSaveEvery {
			continue
		}
		// Pending changes are saved with the cursor that passed them, so none is lost.
		r.save.submit(shop, fs.cursor, put, nil)
		fs.saved, fs.savedAt = fs.cursor, time.Now()
		if len(put) > 0 {
			fs.count()
		}
	}
	return ctx.Err()
}

// follow hands one change to the follower, turning a panic into an error so
// a bad change never stops the cloud.
func (r *followRunner) deliver(ctx context.Context, e LogEntry) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = Unprocessable(fmt.Errorf("follower panicked: %v", p))
		}
	}()
	err = r.f.Follow(ctx, e)
	if err == nil {
		r.done.Add(1)
	} else {
		r.fails.Add(1)
	}
	return err
}

// failed records a failed attempt: parked when retrying cannot help or has
// been tried enough, else due again after the backoff.
func (r *followRunner) failed(p *PendingChange, err error, now time.Time) {
	p.Attempts++
	p.Error = err.Error()
	wait, tooMany := followBackoff(p.Attempts), p.Attempts >= followMaxAttempts
	if b, ok := r.f.(FollowerBackoff); ok {
		wait, tooMany = b.Backoff(p.Attempts)
	}
	var u unprocessable
	if errors.As(err, &u) || tooMany {
		p.Parked, p.NextAt = true, time.Time{}
		r.srv.log.Warn("follower parked a change", "follower", r.f.Name(), "shop", p.Shop, "seq", p.Seq, "order", p.Order, "err", p.Error)
		return
	}
	p.NextAt = now.Add(wait)
}

// FollowerBackoff is a follower that retries on its own schedule (buyer
// notices retry for a day): the wait before the next attempt, or park.
type FollowerBackoff interface {
	Backoff(attempts int) (wait time.Duration, park bool)
}

// retryDue retries every order's first pending change that is due, and the
// changes waiting behind it once it succeeds. It returns when the next is due.
func (r *followRunner) retryDue(ctx context.Context) time.Time {
	var next time.Time
	now := r.srv.now()
	for _, fs := range r.shops {
		var put []*PendingChange
		var done []uint64
		for order, list := range fs.pending {
			for len(list) > 0 && ctx.Err() == nil {
				p := list[0]
				if p.Parked {
					break
				}
				if p.NextAt.After(now) {
					if next.IsZero() || p.NextAt.Before(next) {
						next = p.NextAt
					}
					break
				}
				e := LogEntry{Shop: fs.id, Seq: p.Seq, Order: p.Order, Raw: p.Change}
				if err := r.deliver(ctx, e); err != nil {
					r.failed(p, err, now)
					put = append(put, p)
					if !p.Parked && (next.IsZero() || p.NextAt.Before(next)) {
						next = p.NextAt
					}
					break
				}
				done = append(done, p.Seq)
				list = list[1:]
			}
			if len(list) == 0 {
				delete(fs.pending, order)
			} else {
				fs.pending[order] = list
			}
		}
		if len(put) == 0 && len(done) == 0 {
			continue
		}
		r.save.submit(fs.id, fs.cursor, put, done)
		fs.saved, fs.savedAt = fs.cursor, time.Now()
		fs.count()
	}
	return next
}

// retry makes parked changes due now: one sequence, or every parked change
// of the shop when seq is 0. It runs in the runner's goroutine.
func (r *followRunner) retry(shop string, seq uint64) (int, error) {
	fs, err := r.place(shop)
	if err != nil {
		return 0, err
	}
	var put []*PendingChange
	for _, list := range fs.pending {
		for _, p := range list {
			if p.Parked && (seq == 0 || p.Seq == seq) {
				p.Parked, p.Attempts, p.NextAt = false, 0, r.srv.now()
				put = append(put, p)
			}
		}
	}
	if len(put) == 0 {
		return 0, nil
	}
	r.save.submit(shop, fs.cursor, put, nil)
	fs.saved, fs.savedAt = fs.cursor, time.Now()
	fs.count()
	return len(put), nil
}

// entryHead is the part of a stored change a follower needs to route it.
type entryHead struct {
	Seq   uint64 `json:"seq"`
	Order *struct {
		ID string `json:"id"`
	} `json:"order"`
}

// logEntry reads the sequence and order id of a stored change. Both
// backends store wire.Change as encoding/json writes it, seq first and
// the order's id first within it, so the common case reads a prefix only.
func logEntry(shop string, raw json.RawMessage) (LogEntry, error) {
	if seq, order, ok := entryPrefix(raw); ok {
		return LogEntry{Shop: shop, Seq: seq, Order: order, Raw: raw}, nil
	}
	var h entryHead
	if err := json.Unmarshal(raw, &h); err != nil {
		return LogEntry{}, fmt.Errorf("stored change of shop %s: %w", shop, err)
	}
	e := LogEntry{Shop: shop, Seq: h.Seq, Raw: raw}
	if h.Order != nil {
		e.Order = h.Order.ID
	}
	return e, nil
}

var (
	prefixSeq   = []byte(`{"seq":`)
	prefixOrder = []byte(`,"order":{"id":"`)
	prefixNull  = []byte(`,"order":null`)
)

// entryPrefix parses `{"seq":N,"order":{"id":"X"` or `{"seq":N,"order":null`;
// anything else (an id with escapes, another field order) says !ok.
func entryPrefix(raw []byte) (seq uint64, order string, ok bool) {
	rest, found := bytes.CutPrefix(raw, prefixSeq)
	if !found {
		return 0, "", false
	}
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' && i < 20 {
		seq = seq*10 + uint64(rest[i]-'0')
		i++
	}
	if i == 0 {
		return 0, "", false
	}
	rest = rest[i:]
	if bytes.HasPrefix(rest, prefixNull) {
		return seq, "", true
	}
	rest, found = bytes.CutPrefix(rest, prefixOrder)
	if !found {
		return 0, "", false
	}
	end := bytes.IndexByte(rest, '"')
	if end < 0 || bytes.IndexByte(rest[:end], '\\') >= 0 {
		return 0, "", false
	}
	return seq, string(rest[:end]), true
}

// FollowerState is one follower's place in one shop, as `followers show` prints it.
type FollowerState struct {
	Follower string           `json:"follower"`
	Shop     string           `json:"shop"`
	Cursor   uint64           `json:"cursor"`
	Head     uint64           `json:"head"`
	Lag      uint64           `json:"lag"`
	Pending  []*PendingChange `json:"pending"`
}

// FollowerStates reads every follower's place in every shop from the store,
// so it answers with or without a running server. names are the followers
// to show besides those with stored pending changes.
func FollowerStates(b Backend, names []string) ([]FollowerState, error) {
	shops, err := b.Shops()
	if err != nil {
		return nil, err
	}
	pend, err := b.PendingChanges("", "")
	if err != nil {
		return nil, err
	}
	byKey := map[[2]string][]*PendingChange{}
	seen := map[string]bool{}
	for _, n := range names {
		seen[n] = true
	}
	for _, p := range pend {
		byKey[[2]string{p.Follower, p.Shop}] = append(byKey[[2]string{p.Follower, p.Shop}], p)
		if !seen[p.Follower] {
			seen[p.Follower] = true
			names = append(names, p.Follower)
		}
	}
	sort.Strings(names)
	var out []FollowerState
	for _, n := range names {
		for _, sh := range shops {
			cur, err := b.FollowerCursor(n, sh.ID)
			if err != nil {
				return nil, err
			}
			_, head, _, err := b.ChangesAfter(sh.ID, 0, 0)
			if err != nil {
				return nil, err
			}
			st := FollowerState{Follower: n, Shop: sh.ID, Cursor: cur, Head: head, Pending: byKey[[2]string{n, sh.ID}]}
			if head > cur {
				st.Lag = head - cur
			}
			if st.Pending == nil {
				st.Pending = []*PendingChange{}
			}
			out = append(out, st)
		}
	}
	return out, nil
}

// RetryParked makes a follower's parked changes of a shop due now: one
// sequence, or all of them when seq is 0. It returns how many it released.
func RetryParked(b Backend, follower, shop string, seq uint64, now time.Time) (int, error) {
	list, err := b.PendingChanges(follower, shop)
	if err != nil {
		return 0, err
	}
	cur, err := b.FollowerCursor(follower, shop)
	if err != nil {
		return 0, err
	}
	var put []*PendingChange
	for _, p := range list {
		if p.Parked && (seq == 0 || p.Seq == seq) {
			p.Parked, p.Attempts, p.NextAt = false, 0, now
			put = append(put, p)
		}
	}
	if len(put) == 0 {
		return 0, nil
	}
	return len(put), b.SaveFollowing(follower, shop, cur, put, nil)
}

// writeMetrics renders each follower's lag, pending changes and attempts.
func (f *followers) writeMetrics(b *strings.Builder, metric func(name, typ, help string)) {
	if len(f.runners) == 0 {
		return
	}
	type row struct {
		follower, shop string
		lag            *followLag
	}
	var rows []row
	for _, r := range f.runners {
		r.lag.Range(func(k, v any) bool {
			rows = append(rows, row{r.f.Name(), k.(string), v.(*followLag)})
			return true
		})
	}
	sort.Slice(rows, func(i, j int) bool {
		return rows[i].follower+"\x00"+rows[i].shop < rows[j].follower+"\x00"+rows[j].shop
	})
	metric("pos_cloud_follower_lag_changes", "gauge", "Changes of the shop's log the follower has not yet passed.")
	for _, rw := range rows {
		head := max(rw.lag.head.Load(), f.srv.headSeen(rw.shop))
		var lag uint64
		if cur := rw.lag.cursor.Load(); head > cur {
			lag = head - cur
		}
		fmt.Fprintf(b, "pos_cloud_follower_lag_changes{%s,%s} %d\n", label("follower", rw.follower), label("shop", rw.shop), lag)
	}
	metric("pos_cloud_follower_pending_changes", "gauge", "Changes a follower passed but has not processed: retrying, or parked until a retry is asked for.")
	for _, rw := range rows {
		fmt.Fprintf(b, "pos_cloud_follower_pending_changes{%s,%s,state=\"retrying\"} %d\n", label("follower", rw.follower), label("shop", rw.shop), rw.lag.retrying.Load())
		fmt.Fprintf(b, "pos_cloud_follower_pending_changes{%s,%s,state=\"parked\"} %d\n", label("follower", rw.follower), label("shop", rw.shop), rw.lag.parked.Load())
	}
	metric("pos_cloud_follower_attempts_total", "counter", "Changes handed to a follower, by outcome.")
	for _, r := range f.runners {
		fmt.Fprintf(b, "pos_cloud_follower_attempts_total{%s,outcome=\"done\"} %d\n", label("follower", r.f.Name()), r.done.Load())
		fmt.Fprintf(b, "pos_cloud_follower_attempts_total{%s,outcome=\"failed\"} %d\n", label("follower", r.f.Name()), r.fails.Load())
	}
}

// RetryParked releases parked changes: through the running follower when it
// runs in this server, else in the store. seq 0 means every parked change of the shop.
func (s *Server) RetryParked(follower, shop string, seq uint64) (int, error) {
	if _, err := s.store.Shop(shop); err != nil {
		return 0, err
	}
	r := s.follow.runner(follower)
	if r == nil || !r.leading.Load() {
		// Not run here, or led by another instance: the store is the truth, and the leader rereads it.
		return RetryParked(s.store, follower, shop, seq, s.now())
	}
	type answer struct {
		n   int
		err error
	}
	ch := make(chan answer, 1)
	select {
	case r.cmds <- func() { n, err := r.retry(shop, seq); ch <- answer{n, err} }:
	case <-time.After(30 * time.Second):
		return 0, fmt.Errorf("follower %s is busy; try again", follower)
	}
	a := <-ch
	return a.n, a.err
}

// FollowerNames lists the followers this server runs.
func (s *Server) FollowerNames() []string {
	var out []string
	for _, r := range s.follow.runners {
		out = append(out, r.f.Name())
	}
	return out
}
