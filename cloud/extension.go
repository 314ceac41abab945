package cloud

import (
	"context"
	"flag"
	"io"
	"net/http"
	"sync"

	"github.com/kasir/pos/app"
)

// Extension is a part of the cloud kept in its own package (the back
// office), which package cloud cannot import; it registers itself from init
// and the server, the admin socket and the CLI call it.
type Extension struct {
	// Routes adds public routes to the server's mux.
	Routes func(s *Server, mux *http.ServeMux)
	// AdminRoutes adds routes to the admin socket.
	AdminRoutes func(s *Server, mux *http.ServeMux)
	// Commands are CLI commands by their words ("owner add"); fs already
	// holds the common flags (--data, --postgres, --json).
	Commands map[string]func(ctx context.Context, fs *flag.FlagSet, args []string, admin func() Admin, stdout io.Writer) error
}

var extensions []Extension

// Extend registers an extension; call it from an init function.
func Extend(e Extension) { extensions = append(extensions, e) }

func mountExtensions(s *Server, mux *http.ServeMux, admin bool) {
	for _, e := range extensions {
		if admin && e.AdminRoutes != nil {
			e.AdminRoutes(s, mux)
		}
		if !admin && e.Routes != nil {
			e.Routes(s, mux)
		}
	}
}

// ExtensionCommand is the command an extension registered under cmd's
// words ("owner add"), or nil; the command line (cloud/command) runs it.
func ExtensionCommand(cmd string) func(ctx context.Context, fs *flag.FlagSet, args []string, admin func() Admin, stdout io.Writer) error {
	for _, e := range extensions {
		if c, ok := e.Commands[cmd]; ok {
			return c
		}
	}
	return nil
}

// Call posts req to the running server's admin socket; it returns
// ErrNoServer when none listens, so the caller opens the store with Direct.
func (a Admin) Call(path string, req, resp any) error { return a.call(path, req, resp) }

// Direct opens the store for one command when no server holds it.
func (a Admin) Direct(fn func(Backend) error) error { return a.direct(fn) }

// ErrNoServer says nobody listens on the admin socket.
var ErrNoServer = errNoServer

// WriteJSON replies with v as JSON.
func WriteJSON(w http.ResponseWriter, code int, v any) { writeJSON(w, code, v) }

// WriteError replies with err's code and message, as the admin socket does.
func (s *Server) WriteError(w http.ResponseWriter, err error) { s.writeError(w, err) }

// DecodeJSON reads a small JSON request body into v.
func DecodeJSON(r *http.Request, v any) error { return decodeJSON(readSmall(r), v) }

// headWatch hands each change-log head of a shop to whoever watches it (the back office's live pages).
type headWatch struct {
	mu   sync.Mutex
	subs map[string]map[chan uint64]struct{}
}

func (h *headWatch) notify(shop string, head uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[shop] {
		select {
		case ch <- head:
		default:
			// A watcher that has not read the last head gets the newer one instead.
			select {
			case <-ch:
			default:
			}
			ch <- head
		}
	}
}

// WatchHead delivers the shop's new change-log heads, the newest when a
// reader lags, until stop is called.
func (s *Server) WatchHead(shop string) (heads <-chan uint64, stop func()) {
	ch := make(chan uint64, 1)
	s.watch.mu.Lock()
	if s.watch.subs == nil {
		s.watch.subs = map[string]map[chan uint64]struct{}{}
	}
	if s.watch.subs[shop] == nil {
		s.watch.subs[shop] = map[chan uint64]struct{}{}
	}
	s.watch.subs[shop][ch] = struct{}{}
	s.watch.mu.Unlock()
	return ch, func() {
		s.watch.mu.Lock()
		delete(s.watch.subs[shop], ch)
		s.watch.mu.Unlock()
	}
}

// HeadOf is the newest sequence of the shop's change log.
func (s *Server) HeadOf(shop string) uint64 {
	var head uint64
	_ = s.store.View(shop, func(tx ShopTx) error {
		head = tx.Head()
		return nil
	})
	return head
}

// CatalogueReader is a Backend that lists a shop's catalogue without reading
// its orders (cloud/bolt); the others answer from their snapshot.
type CatalogueReader interface {
	// Products lists the shop's products. Errors: ENotFound (shop).
	Products(shop string) ([]*app.Product, error)
}

// Products lists a shop's catalogue, without reading its orders when the backend can.
func (s *Server) Products(shop string) ([]*app.Product, error) {
	if cr, ok := s.store.(CatalogueReader); ok {
		return cr.Products(shop)
	}
	snap, err := s.store.Snapshot(shop)
	if err != nil {
		return nil, err
	}
	return snap.Products, nil
}

// Apply runs decide under app's rules in one transaction on the shop and
// logs each result for the terminals: the cloud's apply-and-log path, for a
// change that must read the shop's state first (editing one product).
func (s *Server) Apply(shopID string, decide func(tx ShopTx, pol app.Policy) ([]*app.Result, error)) ([]*app.Result, error) {
	return s.applyAndLog(shopID, decide)
}

// Accounts is the shops' sealed accounts of the outside world; nil when the
// server runs without a secrets key.
func (s *Server) Accounts() *Accounts { return s.accounts }

// Connectable reports whether an account of kind is granted by OAuth here
// (its platform's adapter is a channel.Authorizer), so a Connect button can work.
func (s *Server) Connectable(kind app.AccountKind) bool {
	_, ok := s.authorizer(kind)
	return ok
}

// PublicURL is the cloud's address as browsers and tablets reach it; "" when not set.
func (s *Server) PublicURL() string { return s.opt.PublicURL }
