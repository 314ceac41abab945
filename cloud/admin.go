package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/wire"
)

// AdminSocket is the file name of the admin endpoint inside the data dir. It
// is a unix socket with mode 0600: only the server's own user can reach it,
// so it needs no secret of its own.
const AdminSocket = "admin.sock"

// ShopCreated is what `shop add` prints: the id and one secret per channel.
type ShopCreated struct {
	ID      string  `json:"id"`
	Secrets Secrets `json:"secrets"`
}

// TerminalCreated is what `terminal add` prints: the id and the pairing token,
// shown once because only its hash is kept.
type TerminalCreated struct {
	ID    string `json:"id"`
	Token string `json:"token"`
}

// AddShop creates a shop with fresh webhook secrets. Errors: EInvalid.
func AddShop(b Backend, name string, now time.Time) (*Shop, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, app.FieldError("name", "is required")
	}
	if len(name) > 200 {
		return nil, app.FieldError("name", "is longer than 200 characters")
	}
	sh := &Shop{ID: newID("shop"), Name: name, Currency: app.IDR, Secrets: NewSecrets(), CreatedAt: now.UTC()}
	if err := b.AddShop(sh); err != nil {
		return nil, err
	}
	return sh, nil
}

// AddTerminal pairs a new terminal with a shop and returns its one-time token.
// Errors: EInvalid, ENotFound (shop).
func AddTerminal(b Backend, shop, name string, now time.Time) (*Terminal, string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, "", app.FieldError("name", "is required")
	}
	if _, err := b.Shop(shop); err != nil {
		return nil, "", err
	}
	tok := NewToken()
	t := &Terminal{ID: newID("term"), Shop: shop, Name: name, TokenHash: HashToken(tok), CreatedAt: now.UTC()}
	if err := b.PutTerminal(t); err != nil {
		return nil, "", err
	}
	return t, tok, nil
}

// RevokeTerminal marks a terminal revoked; its token stops working. Errors: ENotFound.
func RevokeTerminal(b Backend, id string) (*Terminal, error) {
	t, err := b.Terminal(id)
	if err != nil {
		return nil, err
	}
	t.Revoked = true
	return t, b.PutTerminal(t)
}

// AdminHandler is the admin socket's routes (cloud/web serves them on
// dir/admin.sock, and adds its own through cloud.Extend).
func (s *Server) AdminHandler() http.Handler { return s.adminHandler() }

func (s *Server) adminHandler() http.Handler {
	mux := http.NewServeMux()
	mountExtensions(s, mux, true)
	return mux
}

func readSmall(r *http.Request) []byte {
	b, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	return b
}

// Admin runs admin commands against a data dir: through the running
// server's socket when there is one (bbolt lets one process hold the file),
// else by opening the store directly.
type Admin struct {
	Dir string
	// Postgres, when set, is the DSN of a shared PostgreSQL store.
	Postgres string
	// Backends opens the store when no server runs: bbolt in Dir, or Postgres.
	Backends Wiring
	// SecretsKeyFile seals accounts when no server runs (default: Dir/secrets.key).
	SecretsKeyFile string
}

// errNoServer says nobody listens on the admin socket.
var errNoServer = errors.New("no server running")

func (a Admin) call(path string, req, resp any) error {
	sock := filepath.Join(a.Dir, AdminSocket)
	if _, err := os.Stat(sock); err != nil {
		return errNoServer
	}
	c := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		},
	}}
	body, _ := json.Marshal(req)
	r, err := c.Post("http://admin"+path, "application/json", bytes.NewReader(body))
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			return errNoServer
		}
		return err
	}
	defer r.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if r.StatusCode != http.StatusOK {
		var e apiError
		if json.Unmarshal(data, &e) == nil && e.Message != "" {
			return &app.Error{Code: e.Code, Message: e.Message}
		}
		return fmt.Errorf("admin %s: %s", path, r.Status)
	}
	return json.Unmarshal(data, resp)
}

// direct opens the store for one command when no server holds it.
func (a Admin) direct(fn func(Backend) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := a.Backends.Open(ctx, a.Dir, a.Postgres)
	if err != nil {
		if a.Postgres != "" {
			return err
		}
		return fmt.Errorf("%w (is a server running without its admin socket?)", err)
	}
	defer st.Close()
	return fn(st)
}

// AddShop creates a shop; see AddShop.
func (a Admin) AddShop(name string) (*ShopCreated, error) {
	var out ShopCreated
	err := a.call("/admin/shops", map[string]string{"name": name}, &out)
	if errors.Is(err, errNoServer) {
		err = a.direct(func(b Backend) error {
			sh, err := AddShop(b, name, time.Now())
			if err == nil {
				out = ShopCreated{ID: sh.ID, Secrets: sh.Secrets}
			}
			return err
		})
	}
	return &out, err
}

// AddTerminal pairs a terminal; see AddTerminal.
func (a Admin) AddTerminal(shop, name string) (*TerminalCreated, error) {
	var out TerminalCreated
	err := a.call("/admin/terminals", map[string]string{"shop": shop, "name": name}, &out)
	if errors.Is(err, errNoServer) {
		err = a.direct(func(b Backend) error {
			t, tok, err := AddTerminal(b, shop, name, time.Now())
			if err == nil {
				out = TerminalCreated{ID: t.ID, Token: tok}
			}
			return err
		})
	}
	return &out, err
}

// RevokeTerminal revokes a terminal; a running server also closes its socket.
func (a Admin) RevokeTerminal(id string) error {
	var out map[string]any
	err := a.call("/admin/terminals/"+id+"/revoke", struct{}{}, &out)
	if errors.Is(err, errNoServer) {
		err = a.direct(func(b Backend) error {
			_, err := RevokeTerminal(b, id)
			return err
		})
	}
	return err
}

// ResendQuarantined marks the changes a terminal quarantined to be sent
// again; a running server also closes its socket so it reconnects at once.
func (a Admin) ResendQuarantined(id string) ([]wire.Quarantined, error) {
	var out []wire.Quarantined
	err := a.call("/admin/terminals/"+id+"/resend", struct{}{}, &out)
	if errors.Is(err, errNoServer) {
		err = a.direct(func(b Backend) error {
			var err error
			out, err = ResendQuarantined(b, id)
			return err
		})
	}
	return out, err
}

// ImportProducts loads a shop's catalogue, so the cloud links lines and moves
// stock exactly as the terminals do. Errors: EInvalid naming the field, ENotFound.
func (a Admin) ImportProducts(shop string, ps []*app.Product) error {
	var out map[string]any
	err := a.call("/admin/shops/"+shop+"/products", ps, &out)
	if errors.Is(err, errNoServer) {
		err = a.direct(func(b Backend) error {
			_, _, err := importCatalogue(b, shop, ps, time.Now().UTC())
			return err
		})
	}
	return err
}
