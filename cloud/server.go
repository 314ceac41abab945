package cloud

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/wire"
)

// Options tune a Server; the zero value is production's defaults.
type Options struct {
	Logger *slog.Logger
	// Retention is how many changes per shop stay in the log; a terminal
	// further behind gets a reset snapshot. Default 200,000.
	Retention uint64
	// PingInterval and ReadTimeout drive websocket liveness (15 s and 20 s).
	PingInterval time.Duration
	ReadTimeout  time.Duration
	// MaxBody caps a webhook body that carries whole orders (1 MiB); pushes
	// that carry only a status are capped at 64 KiB.
	MaxBody int64
	// HeaderTimeout bounds reading a request's headers (5 s), BodyTimeout a
	// webhook's body (10 s), HelloTimeout a socket's first message (10 s).
	HeaderTimeout, BodyTimeout, HelloTimeout time.Duration
	// BodyBudget bounds the bytes of all webhook bodies read at once (16 MiB).
	BodyBudget int64
	// WebhookRate limits webhooks per address and per shop; SyncRate limits
	// sync connections the same way. Over the limit is 429.
	WebhookRate, SyncRate Rate
	// Now is the clock; tests inject one.
	Now func() time.Time
	// Followers consume every shop's change log (follower.go); they run while Serve does.
	Followers []Follower
	// Hooks read each platform's webhook deliveries, by platform; those
	// that are also channel.Router serve /v1/channels/{platform}/push.
	// Nil is DefaultHooks.
	Hooks Hooks
	// PublicURL is the cloud's address as platforms and browsers reach it;
	// OAuth redirects come back to PublicURL/v1/oauth/{platform}/callback.
	PublicURL string
	// SyncEvery is how often every shop's channels are reconciled (15 min).
	SyncEvery time.Duration
	// ListingsEvery is how often every shop's platforms' listings are read
	// (an hour, and at start); negative: only when the owner asks.
	ListingsEvery time.Duration
	// RefreshEvery is how often expiring OAuth tokens are looked for (1 min).
	RefreshEvery time.Duration
	// Accounts opens shops' accounts of the outside world (OpenAccounts);
	// nil serves webhooks with generated secrets only and refuses `account set`.
	Accounts *Accounts
}

// Server is the cloud: the apply-and-log path, followers, accounts, the
// sweep, and (until they move to cloud/web too) the webhooks and the other
// HTTP routes. cloud/web serves the terminals' sync sockets, health and metrics.
type Server struct {
	store Backend
	log   *slog.Logger
	opt   Options
	// conns is the terminals' sync connections (cloud/web); nil when none are served.
	conns   Connections
	metrics *metrics
	mux     *http.ServeMux
	follow  *followers
	// accounts is nil when the server was started without a secrets key.
	accounts *Accounts
	// channels is the connectors follower, when it runs, for /metrics.
	channels *Channels
	watch    headWatch
	// bills keeps the airway bills drawn for terminals (bills.go).
	bills billCache
	// listingReads is how each shop's latest listings reads went (listings_schedule.go).
	listingReads listingReads
	// heads is the newest head of each shop's log this instance has seen,
	// committed here or announced by another (shop → *atomic.Uint64), for
	// the followers' lag.
	heads sync.Map
}

// NewServer wires a server over a backend. It never closes the backend.
func NewServer(store Backend, opt Options) *Server {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Retention == 0 {
		opt.Retention = 200_000
	}
	if opt.PingInterval == 0 {
		opt.PingInterval = 15 * time.Second
	}
	if opt.ReadTimeout == 0 {
		opt.ReadTimeout = 20 * time.Second
	}
	if opt.MaxBody == 0 {
		opt.MaxBody = 1 << 20
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Hooks == nil {
		opt.Hooks = DefaultHooks()
	}
	opt.edgeDefaults()
	s := &Server{store: store, log: opt.Logger, opt: opt, metrics: newMetrics()}
	s.follow = newFollowers(s, opt.Followers)
	for _, f := range opt.Followers {
		if a, ok := f.(interface{ attach(*Server) }); ok {
			a.attach(s) // a follower that acts through the server (notices)
		}
		if c, ok := f.(*Channels); ok {
			s.channels = c
		}
	}
	s.accounts = opt.Accounts
	mux := http.NewServeMux()
	mountExtensions(s, mux, false)
	s.mux = mux
	return s
}

// Handler is the public HTTP API.
func (s *Server) Handler() http.Handler { return s.mux }

// Store is the backend the server writes to.
func (s *Server) Store() Backend { return s.store }

func (s *Server) now() time.Time { return s.opt.Now().UTC() }

// Close drops every websocket; terminals reconnect to whoever serves next.
func (s *Server) Close() {
	if s.conns != nil {
		s.conns.CloseAll()
	}
}

// RevokeTerminal marks the terminal revoked and closes its socket at once.
func (s *Server) RevokeTerminal(id string) (*Terminal, error) {
	t, err := RevokeTerminal(s.store, id)
	if err != nil {
		return nil, err
	}
	if s.conns != nil {
		s.conns.Drop(t.Shop, t.ID, wire.CloseRevoked, "terminal revoked")
	}
	return t, nil
}

// Prune applies retention to every shop; Serve runs it hourly.
func (s *Server) Prune() error {
	shops, err := s.store.Shops()
	if err != nil {
		return err
	}
	for _, sh := range shops {
		keep, err := s.retained(sh.ID)
		if err != nil {
			return err
		}
		if err := s.store.Prune(sh.ID, keep, s.now().Add(-7*24*time.Hour)); err != nil {
			return err
		}
	}
	return nil
}

// retained is how many of the shop's newest changes Prune keeps: the
// retention, or more while a follower has not yet passed them, so a follower
// that was stopped for long never loses its place.
func (s *Server) retained(shop string) (uint64, error) {
	keep := s.opt.Retention
	if len(s.follow.runners) == 0 {
		return keep, nil
	}
	_, head, _, err := s.store.ChangesAfter(shop, 0, 0)
	if err != nil {
		return 0, err
	}
	for _, r := range s.follow.runners {
		cur, err := s.store.FollowerCursor(r.f.Name(), shop)
		if err != nil {
			return 0, err
		}
		if head > cur {
			keep = max(keep, head-cur)
		}
	}
	return keep, nil
}

// notify wakes the shop's sessions and followers after a commit that appended changes.
func (s *Server) notify(shop string, head uint64, n int) {
	if n == 0 {
		return
	}
	s.metrics.changes.Add(uint64(n))
	s.raiseHead(shop, head)
	if s.conns != nil {
		s.conns.Notify(shop, head)
	}
	s.follow.wake(shop)
	s.watch.notify(shop, head)
}

// wakeAll is a commit another instance announced.
func (s *Server) wakeAll(shop string, head uint64) {
	s.raiseHead(shop, head)
	if s.conns != nil {
		s.conns.Notify(shop, head)
	}
	s.follow.wake(shop)
	s.watch.notify(shop, head)
}

// raiseHead records a newer head of the shop's log; it never moves backwards.
func (s *Server) raiseHead(shop string, head uint64) {
	v, _ := s.heads.LoadOrStore(shop, new(atomic.Uint64))
	h := v.(*atomic.Uint64)
	for {
		cur := h.Load()
		if head <= cur || h.CompareAndSwap(cur, head) {
			return
		}
	}
}

// headSeen is the newest head of the shop's log this instance has seen.
func (s *Server) headSeen(shop string) uint64 {
	if v, ok := s.heads.Load(shop); ok {
		return v.(*atomic.Uint64).Load()
	}
	return 0
}

// strconvQuote quotes s as JSON does, for a message that names a value.
func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Bearer extracts the token of an "Authorization: Bearer T" header.
func Bearer(r *http.Request) string { return bearer(r) }

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if t, ok := strings.CutPrefix(h, "Bearer "); ok {
		return strings.TrimSpace(t)
	}
	return ""
}

// Run starts the server's background work until ctx ends: the deadline
// sweep, token refresh, channel sync and followers, the hourly prune and,
// on a backend shared by several instances, their commits' wake-ups. stop
// ends the sweep, refresh, sync and followers and waits for them, so the
// caller may close the store after it.
func (s *Server) Run(ctx context.Context) (stop func()) {
	go s.pruneLoop(ctx)
	bctx, stopBackground := context.WithCancel(ctx)
	var background sync.WaitGroup
	background.Add(4)
	go func() { defer background.Done(); s.sweepLoop(bctx) }()
	go func() { defer background.Done(); s.refreshLoop(bctx) }()
	go func() { defer background.Done(); s.syncLoop(bctx) }()
	go func() { defer background.Done(); s.follow.run(bctx) }()
	if w, ok := s.store.(watcher); ok {
		// Other instances' commits wake this instance's sessions and followers.
		go w.Watch(ctx, s.wakeAll)
	}
	return func() { stopBackground(); background.Wait() }
}

// ListeningAt tells the server where it listens (addr, on network tcp or
// unix); a server given no PublicURL is reached there over TCP, as the
// embedded one is. One behind a proxy is told its address with --public-url.
func (s *Server) ListeningAt(network, addr string) {
	if s.opt.PublicURL == "" && network == "tcp" {
		s.opt.PublicURL = "http://" + addr
	}
}

func (s *Server) pruneLoop(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Prune(); err != nil {
				s.log.Error("prune", "err", err)
			}
		}
	}
}

// watcher is a backend shared by several instances that announces commits.
type watcher interface {
	Watch(ctx context.Context, wake func(shop string, head uint64))
}

// writeJSON replies with v; encoding errors only reach the log.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// apiError is the body of every error reply.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError maps an application error to a status; internals are logged, not shown.
func (s *Server) writeError(w http.ResponseWriter, err error) {
	code := app.ErrorCode(err)
	status := http.StatusInternalServerError
	switch code {
	case app.EInvalid:
		status = http.StatusBadRequest
	case app.ENotFound:
		status = http.StatusNotFound
	case app.EForbidden:
		status = http.StatusForbidden
	case app.EConflict, app.EInvalidTransition, app.EAlreadyAccepted, app.EOutOfStock:
		status = http.StatusConflict
	case "unauthorized":
		status = http.StatusUnauthorized
	}
	if status == http.StatusInternalServerError {
		s.log.Error("internal error", "err", err)
	}
	writeJSON(w, status, apiError{Code: code, Message: app.ErrorMessage(err)})
}
