package cloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/kasir/pos/app"
)

// accountRequest carries credentials to the running server's admin socket.
type accountRequest struct {
	Kind        app.AccountKind `json:"kind"`
	Credentials json.RawMessage `json:"credentials"`
}

// errNoAccounts says the server holds no secrets key.
func errNoAccounts() error {
	return app.Errorf(app.EInvalid, "this cloud was started without a secrets key, so it keeps no accounts")
}

// accountRoutes adds the accounts' admin endpoints. Credentials come in and
// only masked values go out; neither is logged.
func (s *Server) accountRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /admin/shops/{id}/accounts", func(w http.ResponseWriter, r *http.Request) {
		if s.accounts == nil {
			s.writeError(w, errNoAccounts())
			return
		}
		var req accountRequest
		if err := decodeJSON(readSmall(r), &req); err != nil {
			s.writeError(w, err)
			return
		}
		shop := r.PathValue("id")
		acc, err := s.accounts.Set(shop, req.Kind, req.Credentials, s.now())
		if err != nil {
			s.writeError(w, err)
			return
		}
		s.log.Info("account set", "shop", shop, "kind", acc.Kind)
		writeJSON(w, http.StatusOK, MaskedAccount{Shop: shop, Kind: acc.Kind, Fields: app.MaskAccount(acc.Kind, acc.Fields), UpdatedAt: acc.UpdatedAt})
	})
	mux.HandleFunc("POST /admin/shops/{id}/accounts/show", func(w http.ResponseWriter, r *http.Request) {
		if s.accounts == nil {
			s.writeError(w, errNoAccounts())
			return
		}
		list, err := s.accounts.Masked(r.PathValue("id"))
		if err != nil {
			s.writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, list)
	})
}

// directAccounts opens the accounts with the key file when no server runs.
func (a Admin) directAccounts(fn func(*Accounts) error) error {
	return a.direct(func(b Backend) error {
		key, err := LoadSecretsKey(a.SecretsKeyFile, a.Dir, nil)
		if err != nil {
			return err
		}
		acc, err := OpenAccounts(b, key)
		if err != nil {
			return err
		}
		return fn(acc)
	})
}

// SetAccount validates and stores a shop's credentials for one kind,
// through the running server when there is one. Errors: EInvalid naming the field, ENotFound.
func (a Admin) SetAccount(shop string, kind app.AccountKind, raw []byte) (*MaskedAccount, error) {
	if strings.TrimSpace(shop) == "" {
		return nil, app.FieldError("shop", "is required")
	}
	// Checked here too, so a malformed file is refused before it travels anywhere.
	if _, err := app.ParseAccount(kind, raw); err != nil {
		return nil, err
	}
	var out MaskedAccount
	err := a.call("/admin/shops/"+shop+"/accounts", accountRequest{Kind: kind, Credentials: raw}, &out)
	if errors.Is(err, errNoServer) {
		err = a.directAccounts(func(acc *Accounts) error {
			set, err := acc.Set(shop, kind, raw, time.Now())
			if err == nil {
				out = MaskedAccount{Shop: shop, Kind: set.Kind, Fields: app.MaskAccount(set.Kind, set.Fields), UpdatedAt: set.UpdatedAt}
			}
			return err
		})
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Accounts lists a shop's accounts, masked.
func (a Admin) Accounts(shop string) ([]MaskedAccount, error) {
	if strings.TrimSpace(shop) == "" {
		return nil, app.FieldError("shop", "is required")
	}
	var out []MaskedAccount
	err := a.call("/admin/shops/"+shop+"/accounts/show", struct{}{}, &out)
	if errors.Is(err, errNoServer) {
		err = a.directAccounts(func(acc *Accounts) error {
			var err error
			out, err = acc.Masked(shop)
			return err
		})
	}
	if out == nil {
		out = []MaskedAccount{}
	}
	return out, err
}

// printAccounts writes masked accounts, one field a line.
func printAccounts(w io.Writer, list []MaskedAccount) {
	if len(list) == 0 {
		fmt.Fprintln(w, "no accounts")
		return
	}
	for _, acc := range list {
		fmt.Fprintf(w, "%s (updated %s)\n", acc.Kind, acc.UpdatedAt.Local().Format(time.DateTime))
		names := make([]string, 0, len(acc.Fields))
		for n := range acc.Fields {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(w, "  %-20s %s\n", n, acc.Fields[n])
		}
		if acc.LastError != "" {
			fmt.Fprintf(w, "  %-20s %s\n", "last error", acc.LastError)
		}
	}
}
