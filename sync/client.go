package sync

import (
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

	"github.com/gorilla/websocket"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/store"
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
	// from webhooks included), after it is durable in the store.
	OnChanges func([]Change)
	// OnRejected is told of each mutation the cloud refused.
	OnRejected func(Rejection)
	// OnPolicy is told of the shop's new rules, after they are stored.
	OnPolicy func(app.Policy)

	kick chan struct{}

	mu    stdsync.Mutex
	state State
}

// NewClient wires a client to the terminal's store and service: it sets
// svc.Journal so every local command is queued in the outbox in the same
// transaction, and chains svc.OnChange (set yours first) to send at once.
func NewClient(db *store.DB, svc *app.Service, cfg Config) *Client {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	c := &Client{db: db, svc: svc, cfg: cfg, log: cfg.Logger.With("component", "sync"), kick: make(chan struct{}, 1),
		state: State{Status: Offline, OfflineSince: time.Now().UTC()}}
	if svc != nil {
		svc.Journal = c.journal
		prev := svc.OnChange
		svc.OnChange = func(res *app.Result) {
			c.poke()
			if prev != nil {
				prev(res)
			}
		}
	}
	return c
}

// journal queues a local command for the cloud inside the command's own transaction.
func (c *Client) journal(tx app.Tx, j app.Journaled) error {
	_, err := store.AppendOutbox(tx, j.Cmd, j.Actor, j.At)
	return err
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
	u.Path = strings.TrimRight(u.Path, "/") + Path
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
		if err != nil {
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
	if err := c.write(cn, &Hello{Type: TypeHello, Terminal: c.cfg.Terminal, Shop: c.cfg.Shop, Proto: Proto, Cursor: st.Cursor, LastAckedMid: st.LastAckedMid}); err != nil {
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
			if err := c.handle(cn, data, &welcomed); err != nil {
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

func (c *Client) handle(cn *conn, data []byte, welcomed *bool) error {
	var env Envelope
	if err := json.Unmarshal(data, &env); err != nil {
		return fmt.Errorf("cloud sent non-JSON: %w", err)
	}
	switch env.Type {
	case TypeWelcome:
		var w Welcome
		if err := json.Unmarshal(data, &w); err != nil {
			return err
		}
		*welcomed = true
		cn.head, cn.sentMid = w.ServerSeq, w.LastMid
		if w.LastMid > cn.ackedMid {
			if err := c.db.AckOutbox(w.LastMid); err != nil {
				return err
			}
			cn.ackedMid, cn.pendingAck = w.LastMid, w.LastMid
		}
		cn.pendingAck = max(cn.pendingAck, cn.ackedMid)
		c.setState(func(s *State) { s.Status, s.LastError, s.Cursor = Syncing, "", cn.cursor })
		c.checkCaughtUp(cn)
		return c.sendOutbox(cn)
	case TypeResult:
		var r Result
		if err := json.Unmarshal(data, &r); err != nil {
			return err
		}
		return c.onResult(cn, &r)
	case TypeChanges:
		var ch Changes
		if err := json.Unmarshal(data, &ch); err != nil {
			return err
		}
		return c.onChanges(cn, &ch)
	case TypeReset:
		var rs Reset
		if err := json.Unmarshal(data, &rs); err != nil {
			return err
		}
		if err := c.db.ReplaceAll(rs.Snapshot.Orders, rs.Snapshot.Products, rs.Snapshot.Seq); err != nil {
			return err
		}
		if p := rs.Snapshot.Policy; p != nil {
			if err := c.db.PutSetting(store.SettingPolicy, p); err != nil {
				return err
			}
			if c.OnPolicy != nil {
				c.OnPolicy(*p)
			}
		}
		cn.cursor, cn.head = rs.Snapshot.Seq, max(cn.head, rs.Snapshot.Seq)
		if c.OnChanges != nil {
			c.OnChanges(nil)
		}
		c.checkCaughtUp(cn)
		return nil
	case TypeError:
		var e Error
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		if e.Code == ECodeMidGap && e.Expected > 0 && e.Expected-1 < cn.sentMid {
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
		p := Push{Type: TypePush, Mutations: make([]Mutation, len(muts))}
		for i, m := range muts {
			p.Mutations[i] = Mutation{Mid: m.Mid, Command: m.Cmd, Actor: m.Actor, At: m.At}
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
// rewinds so those changes replay on top of it.
func (c *Client) onResult(cn *conn, r *Result) error {
	if r.Mid > cn.pendingAck {
		cn.pendingAck = r.Mid
	}
	if r.Status != StatusRejected {
		return nil
	}
	if r.Order != nil {
		cur := cn.cursor
		if r.Seq < cur {
			cur = r.Seq
		}
		if err := c.db.ApplyRemote(store.Remote{Orders: []*app.Order{r.Order}, Cursor: cur}); err != nil {
			return err
		}
		if cur < cn.cursor {
			cn.cursor = cur
			if err := c.write(cn, &Pull{Type: TypePull, Cursor: cur}); err != nil {
				return err
			}
			cn.pulledAt = cur
		}
	}
	rej := Rejection{Code: r.Code, Message: r.Message}
	m, pending := c.pendingMutation(r.Mid)
	if pending {
		rej.OrderID, rej.Action, rej.Staff = m.Cmd.OrderID, string(m.Cmd.Action), m.Actor.Staff
	}
	if r.Order != nil {
		rej.OrderID, rej.Number = r.Order.ID, r.Order.Number
	} else if pending {
		if m.Cmd.Action == app.ActionPlace && m.Cmd.Args.Order != nil {
			// The cloud never created this order (stock ran out elsewhere, say):
			// the terminal's copy was a guess, and staff are told which one.
			rej.Number = m.Cmd.Args.Order.Number
			if err := c.db.DropOrder(m.Cmd.OrderID); err != nil {
				return err
			}
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

// onChanges applies a page in one transaction with its cursor. Pages must be
// contiguous with the cursor; after a rewind, pages already in flight are
// skipped until the pulled one arrives.
func (c *Client) onChanges(cn *conn, ch *Changes) error {
	cn.head = max(cn.head, ch.Head)
	if ch.From > cn.cursor+1 {
		if cn.pulledAt != cn.cursor {
			cn.pulledAt = cn.cursor
			return c.write(cn, &Pull{Type: TypePull, Cursor: cn.cursor})
		}
		return nil
	}
	if ch.To <= cn.cursor {
		return nil
	}
	var (
		orders   []*app.Order
		index    = map[string]int{}
		products []*app.Product
		pindex   = map[string]int{}
		events   = map[string][]app.Event{}
		applied  = ch.Items[:0:0]
		policy   *app.Policy
	)
	for _, it := range ch.Items {
		if it.Seq <= cn.cursor {
			continue
		}
		for _, p := range it.Products {
			if i, ok := pindex[p.SKU]; ok {
				products[i] = p
			} else {
				pindex[p.SKU] = len(products)
				products = append(products, p)
			}
		}
		if it.Policy != nil {
			policy = it.Policy
		}
		// A catalogue import changes products only, a policy change nothing else.
		if it.Order == nil {
			continue
		}
		applied = append(applied, it)
		if i, ok := index[it.Order.ID]; ok {
			orders[i] = it.Order
		} else {
			index[it.Order.ID] = len(orders)
			orders = append(orders, it.Order)
		}
		events[it.Order.ID] = append(events[it.Order.ID], it.Events...)
	}
	var settings map[string]any
	if policy != nil {
		settings = map[string]any{store.SettingPolicy: policy}
	}
	if err := c.db.ApplyRemote(store.Remote{Orders: orders, Products: products, Events: events, Settings: settings, Cursor: ch.To}); err != nil {
		return err
	}
	if policy != nil && c.OnPolicy != nil {
		c.OnPolicy(*policy)
	}
	cn.cursor = ch.To
	c.checkCaughtUp(cn)
	if c.OnChanges != nil && len(applied) > 0 {
		c.OnChanges(applied)
	}
	return nil
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
