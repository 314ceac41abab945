package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	stdsync "sync"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/jsonread"
	"github.com/kasir/pos/store"
	"github.com/kasir/pos/sync/wire"
)

// Config says which cloud to follow and as whom.
type Config struct {
	// BaseURL is the cloud's http(s) address; the websocket is ws(s)://…/v1/sync.
	BaseURL string
	// Token is the pairing token from `pos-cloud terminal add`.
	Token string
	// Terminal is the terminal id, when known; the token already implies it.
	Terminal string
	// Shop, when set, must match the token's shop.
	Shop   string
	Logger *slog.Logger
}

const (
	backoffBase  = 500 * time.Millisecond
	backoffCap   = 30 * time.Second
	pushBatch    = 500
	maxInFlight  = 2000
	readTimeout  = 40 * time.Second
	pollInterval = 2 * time.Second
	ackBatch     = 256
)

// Client keeps one terminal's store in step with the cloud. Set the On*
// callbacks before Run; they run on the client's goroutine and must not block.
type Client struct {
	db  *store.DB
	svc *app.Service
	cfg Config
	log *slog.Logger

	// OnState is told whenever State changes.
	OnState func(State)
	// OnChanges is told of every applied page of cloud changes (new orders
	// from webhooks included), after it is durable in the store. A change's
	// Order is its order's last state in the page, which is what was stored;
	// quarantined changes are left out.
	OnChanges func([]wire.Change)
	// OnRejected is told of each mutation the cloud refused.
	OnRejected func(Rejection)
	// OnPolicy is told of the shop's new rules, after they are stored.
	OnPolicy func(app.Policy)
	// OnQuarantined is told of the changes this terminal could not store
	// (all of them, oldest first) when a session starts with some and
	// whenever the list changes; an empty list means all were made good.
	OnQuarantined func([]store.Quarantined)

	// OnStaff is told of the shop's new staff list, after it is stored.
	OnStaff func([]app.Staff)

	kick chan struct{}
	// checks carries sign-in checks to the live session (staff.go).
	checks  chan wire.StaffCheck
	waiting checkWaiters

	mu    stdsync.Mutex
	state State
}

// NewClient wires a client to the terminal's store and service, which
// journals every local command into the store's outbox (store.NewService);
// it observes the service to send each change at once.
func NewClient(db *store.DB, svc *app.Service, cfg Config) *Client {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	c := &Client{db: db, svc: svc, cfg: cfg, log: cfg.Logger.With("component", "sync"), kick: make(chan struct{}, 1), checks: make(chan wire.StaffCheck),
		state: State{Status: Offline, OfflineSince: time.Now().UTC()}}
	if svc != nil {
		svc.Keys.Bind(cfg.Token)
		svc.Observe(func(*app.Result) { c.poke() })
	}
	return c
}

func (c *Client) poke() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// State is the sync state as of now.
func (c *Client) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

func (c *Client) setState(fn func(*State)) {
	c.mu.Lock()
	old := c.state
	fn(&c.state)
	if n, err := c.db.OutboxLen(); err == nil {
		c.state.Pending = n
	}
	now := c.state
	c.mu.Unlock()
	if now != old && c.OnState != nil {
		c.OnState(now)
	}
}

// WebsocketURL derives ws(s)://host/…/v1/sync from an http(s) base URL.
func WebsocketURL(base string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil {
		return "", fmt.Errorf("cloud URL %q: %w", base, err)
	}
	switch u.Scheme {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	case "ws", "wss":
	default:
		return "", fmt.Errorf("cloud URL %q: scheme must be http or https", base)
	}
	u.Path = strings.TrimRight(u.Path, "/") + wire.Path
	return u.String(), nil
}

// Run connects, syncs, and reconnects with full-jitter backoff (capped at
// 30 s) until ctx ends; then it returns nil.
func (c *Client) Run(ctx context.Context) error {
	wsURL, err := WebsocketURL(c.cfg.BaseURL)
	if err != nil {
		return err
	}
	attempt := 0
	for {
		caughtUp, err := c.session(ctx, wsURL)
		if ctx.Err() != nil {
			c.setState(func(s *State) { s.Status, s.OfflineSince = Offline, time.Now().UTC() })
			return nil
		}
		msg := "connection closed"
		if websocket.IsCloseError(err, wire.CloseRevoked) {
			msg = "the cloud revoked this terminal; pair it again with a new token"
		} else if err != nil {
			msg = err.Error()
		}
		c.log.Debug("sync disconnected", "err", msg)
		c.setState(func(s *State) {
			if s.Status != Offline {
				s.OfflineSince = time.Now().UTC()
			}
			s.Status, s.LastError = Offline, msg
		})
		if caughtUp {
			attempt = 0
		}
		wait := backoffCap
		if attempt < 16 {
			wait = min(backoffCap, backoffBase<<attempt)
		}
		attempt++
		// Full jitter: after an outage every tablet of every shop would
		// otherwise come back in the same second.
		wait = time.Duration(rand.Int64N(int64(wait) + 1))
		select {
		case <-ctx.Done():
			c.setState(func(s *State) { s.Status = Offline })
			return nil
		case <-time.After(wait):
		}
	}
}

// conn is one live session's bookkeeping; it lives on Run's goroutine.
type conn struct {
	ws       *websocket.Conn
	cursor   uint64
	head     uint64
	sentMid  uint64
	ackedMid uint64
	// resendUpTo is the outbox's last mid at connect; answering it all is part of catching up.
	resendUpTo uint64
	pendingAck uint64
	pulledAt   uint64
	caughtUp   bool
	// reported is the quarantine list last sent to the cloud, so an unchanged one is not sent again.
	reported string
	// quarantined is how many entries that list had.
	quarantined int
}

func (c *Client) session(ctx context.Context, wsURL string) (bool, error) {
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second, ReadBufferSize: 64 << 10, WriteBufferSize: 32 << 10}
	h := http.Header{"Authorization": {"Bearer " + c.cfg.Token}}
	ws, resp, err := d.DialContext(ctx, wsURL, h)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusUnauthorized {
			return false, errors.New("the cloud refused this terminal's token (revoked or unknown)")
		}
		return false, err
	}
	defer ws.Close()
	ws.SetReadLimit(256 << 20)
	st, err := c.db.SyncState()
	if err != nil {
		return false, err
	}
	cn := &conn{ws: ws, cursor: st.Cursor, ackedMid: st.LastAckedMid, resendUpTo: st.LastMid}
	if err := c.write(cn, &wire.Hello{Type: wire.TypeHello, Terminal: c.cfg.Terminal, Shop: c.cfg.Shop, Proto: wire.Proto, Cursor: st.Cursor, LastAckedMid: st.LastAckedMid}); err != nil {
		return false, err
	}
	// The cloud pings every ~15 s; each ping proves the link is alive.
	ws.SetPingHandler(func(data string) error {
		_ = ws.SetReadDeadline(time.Now().Add(readTimeout))
		return ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(10*time.Second))
	})
	in := make(chan []byte, 64)
	rerr := make(chan error, 1)
	quit := make(chan struct{})
	defer close(quit)
	go func() {
		defer close(in)
		for {
			_ = ws.SetReadDeadline(time.Now().Add(readTimeout))
			_, data, err := ws.ReadMessage()
			if err != nil {
				rerr <- err
				return
			}
			select {
			case in <- data:
			case <-quit:
				return
			}
		}
	}()
	stop := context.AfterFunc(ctx, func() {
		_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye"), time.Now().Add(time.Second))
		ws.Close()
	})
	defer stop()
	poll := time.NewTicker(pollInterval)
	defer poll.Stop()
	welcomed := false
	for {
		select {
		case data, ok := <-in:
			if !ok {
				return cn.caughtUp, <-rerr
			}
			if err := c.handleQueued(cn, data, in, &welcomed); err != nil {
				return cn.caughtUp, err
			}
			// Acks are one fsync each; flush them when the socket goes quiet.
			if len(in) == 0 || cn.pendingAck-cn.ackedMid >= ackBatch {
				if err := c.flushAcks(cn); err != nil {
					return cn.caughtUp, err
				}
			}
		case <-c.kick:
			if welcomed {
				if err := c.sendOutbox(cn); err != nil {
					return cn.caughtUp, err
				}
			}
		case req := <-c.checksWhen(welcomed):
			if err := c.write(cn, &req); err != nil {
				return cn.caughtUp, err
			}
		case <-poll.C:
			if welcomed {
				if err := c.flushAcks(cn); err != nil {
					return cn.caughtUp, err
				}
				if err := c.sendOutbox(cn); err != nil {
					return cn.caughtUp, err
				}
			}
		}
	}
}

func (c *Client) write(cn *conn, v any) error {
	_ = cn.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return cn.ws.WriteJSON(v)
}

// pagesPerTx bounds how many queued pages of changes share one transaction.
const pagesPerTx = 10

// handleQueued acts on a message; a changes message takes the changes
// messages queued right behind it along, so a catch-up commits (and
// fsyncs) several pages at once. The first other message is handled after.
func (c *Client) handleQueued(cn *conn, data []byte, in <-chan []byte, welcomed *bool) error {
	if typ, _ := messageType(data); typ != wire.TypeChanges {
		return c.handle(cn, data, welcomed)
	}
	pages := [][]byte{data}
	var held []byte
	for len(pages) < pagesPerTx && len(in) > 0 {
		next, ok := <-in
		if !ok {
			break
		}
		if typ, _ := messageType(next); typ != wire.TypeChanges {
			held = next
			break
		}
		pages = append(pages, next)
	}
	err := recovered(c, func() error { return c.onChanges(cn, pages) })
	if err == nil && held != nil {
		err = c.handle(cn, held, welcomed)
	}
	return err
}

// recovered runs fn, turning a panic into an error that ends the session
// (and is logged) rather than the process; changes are applied by the
// store, which quarantines a change that panics, so the next session goes past it.
func recovered(c *Client, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("sync: panic handling a message", "panic", r)
			err = fmt.Errorf("sync: panic handling a message: %v", r)
		}
	}()
	return fn()
}

// handle acts on one message.
func (c *Client) handle(cn *conn, data []byte, welcomed *bool) error {
	return recovered(c, func() error { return c.handleOne(cn, data, welcomed) })
}

func (c *Client) handleOne(cn *conn, data []byte, welcomed *bool) error {
	typ, err := messageType(data)
	if err != nil {
		return fmt.Errorf("cloud sent non-JSON: %w", err)
	}
	switch typ {
	case wire.TypeWelcome:
		var w wire.Welcome
		if err := json.Unmarshal(data, &w); err != nil {
			return err
		}
		*welcomed = true
		cn.head, cn.sentMid = w.ServerSeq, w.LastMid
		// Verdicts this terminal never handled (the connection dropped
		// before their result) are handled before the outbox is cleared.
		for i := range w.Results {
			r := &w.Results[i]
			if r.Mid <= cn.ackedMid || r.Mid > w.LastMid {
				continue
			}
			if err := c.onResult(cn, r); err != nil {
				return err
			}
		}
		if w.LastMid > cn.ackedMid {
			if err := c.db.AckOutbox(w.LastMid); err != nil {
				return err
			}
			cn.ackedMid, cn.pendingAck = w.LastMid, w.LastMid
		}
		cn.pendingAck = max(cn.pendingAck, cn.ackedMid)
		c.setState(func(s *State) { s.Status, s.LastError, s.Cursor = Syncing, "", cn.cursor })
		c.checkCaughtUp(cn)
		if err := c.reportQuarantine(cn, true); err != nil {
			return err
		}
		return c.sendOutbox(cn)
	case wire.TypeResend:
		var rs wire.Resend
		if err := json.Unmarshal(data, &rs); err != nil {
			return err
		}
		return c.onResend(cn, rs.Cursor)
	case wire.TypeResult:
		var r wire.Result
		if err := json.Unmarshal(data, &r); err != nil {
			return err
		}
		return c.onResult(cn, &r)
	case wire.TypeChanges:
		return c.onChanges(cn, [][]byte{data})
	case wire.TypeReset:
		return c.onReset(cn, data)
	case wire.TypeStaffChecked:
		c.onStaffChecked(data)
		return nil
	case wire.TypeError:
		var e wire.Error
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		if e.Code == wire.ECodeMidGap && e.Expected > 0 && e.Expected-1 < cn.sentMid {
			// Resend from where the cloud stands.
			cn.sentMid = e.Expected - 1
			return c.sendOutbox(cn)
		}
		return &e
	}
	return nil
}

// sendOutbox pushes outbox entries above what this session already sent,
// keeping at most maxInFlight unanswered.
func (c *Client) sendOutbox(cn *conn) error {
	for cn.sentMid-cn.pendingAck < maxInFlight {
		muts, err := c.db.Outbox(cn.sentMid, pushBatch)
		if err != nil {
			return err
		}
		if len(muts) == 0 {
			return nil
		}
		p := wire.Push{Type: wire.TypePush, Mutations: make([]wire.Mutation, len(muts))}
		for i, m := range muts {
			p.Mutations[i] = wire.Mutation{Mid: m.Mid, Command: m.Cmd, Actor: m.Actor, At: m.At, Proof: m.Proof, Approval: m.Approval}
		}
		if err := c.write(cn, &p); err != nil {
			return err
		}
		cn.sentMid = muts[len(muts)-1].Mid
	}
	return nil
}

func (c *Client) flushAcks(cn *conn) error {
	if cn.pendingAck <= cn.ackedMid {
		return nil
	}
	if err := c.db.AckOutbox(cn.pendingAck); err != nil {
		return err
	}
	cn.ackedMid = cn.pendingAck
	c.setState(func(*State) {})
	c.checkCaughtUp(cn)
	return c.sendOutbox(cn)
}

// onResult records a verdict. A rejection replaces the optimistic order with
// the cloud's; if the verdict predates changes already applied, the cursor
// rewinds so those changes replay on top of it. The outbox entry stays until
// the ack is recorded, so a crash before that hands the verdict back in the
// next welcome.
func (c *Client) onResult(cn *conn, r *wire.Result) error {
	if r.Mid > cn.pendingAck {
		cn.pendingAck = r.Mid
	}
	if r.Status != wire.StatusRejected {
		return nil
	}
	rej := Rejection{Code: r.Code, Message: r.Message}
	if r.Text != nil {
		rej.Text = *r.Text
	}
	m, pending := c.pendingMutation(r.Mid)
	if pending {
		rej.OrderID, rej.Action, rej.Staff = m.Cmd.OrderID, string(m.Cmd.Action), m.Actor.Staff
	}
	if r.Order != nil {
		cur := min(cn.cursor, r.Seq)
		q, err := c.db.ApplyPage(store.Page{Changes: []store.Change{{Seq: r.Seq, Order: r.Order}}, Cursor: cur})
		if err != nil {
			return err
		}
		if len(q) > 0 {
			c.log.Warn("the cloud's order in a verdict could not be stored", "mid", r.Mid, "err", q[0].Error)
			if err := c.reportQuarantine(cn, false); err != nil {
				return err
			}
		}
		if cur < cn.cursor {
			cn.cursor = cur
			if err := c.write(cn, &wire.Pull{Type: wire.TypePull, Cursor: cur}); err != nil {
				return err
			}
			cn.pulledAt = cur
		}
		rej.OrderID, rej.Number = r.Order.ID, r.Order.Number
	} else if pending && m.Cmd.Action == app.ActionPlace && m.Cmd.Args.Order != nil {
		// The cloud never created this order (stock ran out elsewhere, say):
		// the terminal's copy was a guess, and staff are told which one.
		rej.Number = m.Cmd.Args.Order.Number
		if err := c.db.DropOrder(m.Cmd.OrderID); err != nil {
			return err
		}
	}
	c.log.Info("change rejected by the cloud", "mid", r.Mid, "order", rej.Number, "code", r.Code)
	if c.OnRejected != nil {
		c.OnRejected(rej)
	}
	if c.OnChanges != nil && r.Order != nil {
		c.OnChanges(nil)
	}
	return nil
}

// pendingMutation finds a mutation not yet acknowledged in the outbox.
func (c *Client) pendingMutation(mid uint64) (store.Mutation, bool) {
	ms, err := c.db.Outbox(mid-1, 1)
	if err != nil || len(ms) == 0 || ms[0].Mid != mid {
		return store.Mutation{}, false
	}
	return ms[0], true
}

// wireChange is a change as it arrives, its order left undecoded: a page
// usually carries several changes of one order, and only the last is stored.
type wireChange struct {
	Seq      uint64          `json:"seq"`
	Order    json.RawMessage `json:"order"`
	Products []*app.Product  `json:"products"`
	Events   []app.Event     `json:"events"`
	// eventsJSON are the events as sent, one per event, when splitPage read them.
	eventsJSON []json.RawMessage
	Policy     *app.Policy `json:"policy"`
	Staff      []app.Staff `json:"staff"`
	Terminal   string      `json:"terminal"`
	Mid        uint64      `json:"mid"`
	At         time.Time   `json:"at"`
}

// wirePage is a changes message with its items as above.
type wirePage struct {
	From  uint64       `json:"from"`
	To    uint64       `json:"to"`
	Head  uint64       `json:"head"`
	Items []wireChange `json:"items"`
}

// onChanges applies pages in one transaction with the cursor. Pages must
// be contiguous with the cursor; after a rewind, pages already in flight are
// skipped until the pulled one arrives. A change that cannot be decoded or
// stored is quarantined and the rest applied.
func (c *Client) onChanges(cn *conn, msgs [][]byte) error {
	var (
		page   store.Page
		out    []wire.Change
		policy *pagePolicy
		staff  []app.Staff
		gap    bool
	)
	cursor := cn.cursor
	for _, data := range msgs {
		wp, raws, bad, err := decodePage(data, cursor)
		if err != nil {
			return err
		}
		cn.head = max(cn.head, wp.Head)
		if wp.From > cursor+1 {
			gap = true
			break
		}
		if wp.To <= cursor {
			continue
		}
		p, o, pol := buildPage(wp, raws, bad, cursor)
		page.Changes = append(page.Changes, p.Changes...)
		out = append(out, o...)
		if pol != nil {
			policy = pol
		}
		if st := pageStaff(wp, bad, cursor); st != nil {
			staff = st
		}
		cursor = wp.To
	}
	if cursor > cn.cursor {
		page.Cursor = cursor
		if err := c.applyChanges(cn, page, out, policy); err != nil {
			return err
		}
		c.tellStaff(staff)
	}
	if gap && cn.pulledAt != cn.cursor {
		cn.pulledAt = cn.cursor
		return c.write(cn, &wire.Pull{Type: wire.TypePull, Cursor: cn.cursor})
	}
	return nil
}

// applyChanges stores a page built from one or more messages and tells
// whoever listens.
func (c *Client) applyChanges(cn *conn, page store.Page, out []wire.Change, policy *pagePolicy) error {
	q, err := c.db.ApplyPage(page)
	if err != nil {
		return err
	}
	if len(q) > 0 {
		failed := make(map[uint64]bool, len(q))
		for _, e := range q {
			failed[e.Seq] = true
			c.log.Warn("a change could not be stored on this terminal; it is quarantined", "seq", e.Seq, "order", e.Number, "err", e.Error)
		}
		kept := out[:0]
		for _, ch := range out {
			if !failed[ch.Seq] {
				kept = append(kept, ch)
			}
		}
		out = kept
		if policy != nil && failed[policy.seq] {
			policy = nil
		}
	}
	cn.cursor = page.Cursor
	if len(q) > 0 || cn.quarantined > 0 {
		if err := c.reportQuarantine(cn, false); err != nil {
			return err
		}
	}
	if policy != nil && c.OnPolicy != nil {
		c.OnPolicy(*policy.p)
	}
	c.checkCaughtUp(cn)
	if c.OnChanges != nil && len(out) > 0 {
		c.OnChanges(out)
	}
	return nil
}

// decodePage reads a changes message: the fast way when it has the shape
// the cloud writes, else change by change, so that a change that does not
// decode is only marked bad (by index) and the rest still apply. raws, when
// set, are the changes as sent. Only a message whose frame cannot be read
// at all is an error.
func decodePage(data []byte, cursor uint64) (wirePage, []json.RawMessage, map[int]error, error) {
	bad := map[int]error{}
	if wp, ok := splitPage(data); ok {
		return wp, nil, bad, nil
	}
	var wp wirePage
	err := json.Unmarshal(data, &wp)
	if err == nil {
		return wp, nil, bad, nil
	}
	var loose struct {
		From  uint64            `json:"from"`
		To    uint64            `json:"to"`
		Head  uint64            `json:"head"`
		Items []json.RawMessage `json:"items"`
	}
	if lerr := json.Unmarshal(data, &loose); lerr != nil {
		var frame struct {
			From uint64 `json:"from"`
			To   uint64 `json:"to"`
			Head uint64 `json:"head"`
		}
		if json.Unmarshal(data, &frame) != nil || frame.From == 0 || frame.To < frame.From {
			return wirePage{}, nil, nil, fmt.Errorf("cloud sent a changes message that cannot be read: %w", err)
		}
		// Not one item reads: the whole page is one quarantined entry.
		wp = wirePage{From: frame.From, To: frame.To, Head: frame.Head, Items: []wireChange{{Seq: max(frame.From, cursor+1)}}}
		bad[0] = fmt.Errorf("changes %d to %d cannot be read: %w", frame.From, frame.To, lerr)
		return wp, []json.RawMessage{data}, bad, nil
	}
	wp = wirePage{From: loose.From, To: loose.To, Head: loose.Head, Items: make([]wireChange, len(loose.Items))}
	for i, raw := range loose.Items {
		if ierr := json.Unmarshal(raw, &wp.Items[i]); ierr != nil {
			bad[i] = fmt.Errorf("change cannot be read: %w", ierr)
			if wp.Items[i].Seq == 0 {
				wp.Items[i].Seq = loose.From + uint64(i)
			}
		}
	}
	return wp, loose.Items, bad, nil
}

// pagePolicy is the newest policy a page set and the change that set it.
type pagePolicy struct {
	p   *app.Policy
	seq uint64
}

// buildPage decodes the last state of each order of the page and turns the
// items above cursor into the store's page and the changes OnChanges is
// told of. Earlier changes of an order point at its last state, which is
// what the store keeps. An order that does not decode is quarantined with
// its change, and the order's previous change in the page is tried instead.
func buildPage(wp wirePage, raws []json.RawMessage, bad map[int]error, cursor uint64) (store.Page, []wire.Change, *pagePolicy) {
	items := wp.Items
	ids := make([]string, len(items))
	byID := map[string][]int{}
	for i := range items {
		if items[i].Seq <= cursor || bad[i] != nil || !hasOrder(items[i].Order) {
			continue
		}
		id, ok := peekOrderID(items[i].Order)
		if !ok {
			bad[i] = errors.New("change cannot be read: order.id is missing or not a string")
			continue
		}
		ids[i] = id
		byID[id] = append(byID[id], i)
	}
	orders := make([]*app.Order, len(items))
	for _, idx := range byID {
		var last *app.Order
		for k := len(idx) - 1; k >= 0 && last == nil; k-- {
			i := idx[k]
			var o app.Order
			if err := jsonread.Unmarshal(items[i].Order, &o); err != nil {
				bad[i] = fmt.Errorf("change cannot be read: order: %w", err)
				continue
			}
			last = &o
		}
		for _, i := range idx {
			if bad[i] == nil {
				orders[i] = last
			}
		}
	}
	page := store.Page{Cursor: wp.To, Changes: make([]store.Change, 0, len(items))}
	out := make([]wire.Change, 0, len(items))
	var policy *pagePolicy
	for i := range items {
		it := &items[i]
		if it.Seq <= cursor {
			continue
		}
		sc := store.Change{Seq: it.Seq, Order: orders[i], Products: it.Products, Events: it.Events, EventsJSON: it.eventsJSON, Raw: it.Order}
		if raws != nil {
			sc.Raw = raws[i]
		}
		if err := bad[i]; err != nil {
			sc.Err = err
			sc.Order = &app.Order{ID: ids[i]}
			if ids[i] == "" {
				sc.Order = nil
			}
			if sc.Order != nil {
				sc.Order.Number = peekOrderNumber(it.Order)
			}
			page.Changes = append(page.Changes, sc)
			continue
		}
		if it.Policy != nil {
			sc.Settings = map[string]any{store.SettingPolicy: it.Policy}
			policy = &pagePolicy{p: it.Policy, seq: it.Seq}
		}
		sc.Settings = withStaff(sc.Settings, it.Staff)
		page.Changes = append(page.Changes, sc)
		if orders[i] != nil {
			out = append(out, wire.Change{Seq: it.Seq, Order: orders[i], Products: it.Products, Events: it.Events, Policy: it.Policy, Terminal: it.Terminal, Mid: it.Mid, At: it.At})
		}
	}
	return page, out, policy
}

func hasOrder(raw json.RawMessage) bool {
	return len(raw) > 0 && !bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// peekOrderID reads an order's id without decoding the order: the cloud
// writes "id" first, and anything else falls back to the decoder.
func peekOrderID(raw json.RawMessage) (string, bool) {
	const prefix = `{"id":"`
	if bytes.HasPrefix(raw, []byte(prefix)) {
		rest := raw[len(prefix):]
		if end := bytes.IndexByte(rest, '"'); end >= 0 && bytes.IndexByte(rest[:end], '\\') < 0 {
			return string(rest[:end]), true
		}
	}
	var o struct {
		ID *string `json:"id"`
	}
	if json.Unmarshal(raw, &o) != nil || o.ID == nil {
		return "", false
	}
	return *o.ID, true
}

// peekOrderNumber reads what it can of an order's number, for staff.
func peekOrderNumber(raw json.RawMessage) string {
	var o struct {
		Number string `json:"number"`
	}
	_ = json.Unmarshal(raw, &o)
	return o.Number
}

// onReset replaces the terminal's orders and products with a snapshot; an
// order it cannot store is quarantined like a change.
func (c *Client) onReset(cn *conn, data []byte) error {
	var rs wire.Reset
	if err := json.Unmarshal(data, &rs); err != nil {
		return fmt.Errorf("cloud sent a reset that cannot be read: %w", err)
	}
	var settings map[string]any
	if p := rs.Snapshot.Policy; p != nil {
		settings = map[string]any{store.SettingPolicy: p}
	}
	settings = withStaff(settings, rs.Snapshot.Staff)
	q, err := c.db.ApplyReset(rs.Snapshot.Orders, rs.Snapshot.Products, settings, rs.Snapshot.Seq)
	if err != nil {
		return err
	}
	cn.cursor, cn.head = rs.Snapshot.Seq, max(cn.head, rs.Snapshot.Seq)
	for _, e := range q {
		c.log.Warn("an order of the cloud's snapshot could not be stored; it is quarantined", "order", e.Number, "err", e.Error)
	}
	// A reset empties the quarantine first, so the cloud's copy is replaced too.
	if err := c.reportQuarantine(cn, false); err != nil {
		return err
	}
	if p := rs.Snapshot.Policy; p != nil && c.OnPolicy != nil {
		c.OnPolicy(*p)
	}
	c.tellStaff(rs.Snapshot.Staff)
	if c.OnChanges != nil {
		c.OnChanges(nil)
	}
	c.checkCaughtUp(cn)
	return nil
}

// onResend sets the cursor back, durably, so the log is applied again from
// there and the quarantined changes get another try; a crash during the
// replay resumes it.
func (c *Client) onResend(cn *conn, cursor uint64) error {
	if cursor >= cn.cursor {
		return nil
	}
	if err := c.db.SetCursor(cursor); err != nil {
		return err
	}
	c.log.Info("the cloud resends changes from a cursor", "cursor", cursor)
	cn.cursor, cn.pulledAt = cursor, cursor
	c.checkCaughtUp(cn)
	return nil
}

// Report limits: the list is for people and metrics, and a message must
// stay small whatever the changes held.
const (
	reportItems = 100
	reportText  = 200
)

// reportQuarantine sends the cloud the current list when it differs from
// the one last sent, and at a session's start (empty or not, so the cloud's
// copy is never stale), and tells OnQuarantined.
func (c *Client) reportQuarantine(cn *conn, start bool) error {
	qs, err := c.db.Quarantined()
	if err != nil {
		return err
	}
	msg := wire.Quarantine{Type: wire.TypeQuarantine, Items: make([]wire.Quarantined, 0, min(len(qs), reportItems))}
	for _, q := range qs {
		if len(msg.Items) == reportItems {
			break
		}
		msg.Items = append(msg.Items, wire.Quarantined{Seq: q.Seq, OrderID: clip(q.OrderID), Number: clip(q.Number), Error: clip(q.Error), At: q.At})
	}
	body, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	if !start && string(body) == cn.reported {
		return nil
	}
	if err := c.write(cn, json.RawMessage(body)); err != nil {
		return err
	}
	cn.reported, cn.quarantined = string(body), len(qs)
	c.setState(func(s *State) { s.Quarantined = len(qs) })
	if c.OnQuarantined != nil && (len(qs) > 0 || !start) {
		c.OnQuarantined(qs)
	}
	return nil
}

// clip shortens s to at most reportText bytes on a rune boundary, marking the cut.
func clip(s string) string {
	if len(s) <= reportText {
		return s
	}
	cut := reportText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// checkCaughtUp turns the badge Online once the log and the resend are done.
func (c *Client) checkCaughtUp(cn *conn) {
	done := cn.cursor >= cn.head && cn.ackedMid >= cn.resendUpTo
	if done {
		cn.caughtUp = true
	}
	c.setState(func(s *State) {
		s.Cursor = cn.cursor
		if done {
			s.Status, s.OfflineSince, s.LastError = Online, time.Time{}, ""
		} else if s.Status != Online {
			s.Status = Syncing
		}
	})
}
