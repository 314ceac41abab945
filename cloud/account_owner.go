package cloud

import (
	"io"
	"net/http"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/wire"
)

// ownerRoutes serve a terminal's owner: the terminal's token names the
// shop, and the member's signature over the request shows it is the owner
// signed in there, so a terminal token alone reads no account.
func (s *Server) ownerRoutes(mux *http.ServeMux) {
	s.ownerRemoveRoute(mux)
	mux.HandleFunc("POST "+wire.AccountsPath+"/list", s.asOwner(func(w http.ResponseWriter, r *http.Request, shop string, _ []byte) {
		if s.accounts == nil {
			s.writeError(w, errNoAccounts())
			return
		}
		list, err := s.accounts.Masked(shop)
		if err != nil {
			s.writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, list)
	}))
	mux.HandleFunc("POST "+wire.AccountsPath+"/set", s.asOwner(func(w http.ResponseWriter, r *http.Request, shop string, body []byte) {
		var req wire.AccountSet
		if err := decodeJSON(body, &req); err != nil {
			s.writeError(w, err)
			return
		}
		m, err := s.SetAccount(shop, req.Kind, req.Credentials)
		if err != nil {
			s.writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, m)
	}))
	mux.HandleFunc("POST "+wire.AccountsPath+"/connect", s.asOwner(func(w http.ResponseWriter, r *http.Request, shop string, body []byte) {
		var req wire.AccountConnect
		if err := decodeJSON(body, &req); err != nil {
			s.writeError(w, err)
			return
		}
		out, err := s.connectRequest(r.Context(), shop, req.Kind, req.Code)
		if err != nil {
			s.writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	}))
	mux.HandleFunc("POST "+wire.AccountsPath+"/sync", s.asOwner(func(w http.ResponseWriter, r *http.Request, shop string, body []byte) {
		var req wire.ChannelSyncRequest
		if err := decodeJSON(body, &req); err != nil {
			s.writeError(w, err)
			return
		}
		rep, err := s.SyncChannel(r.Context(), shop, req.Kind, req.Days)
		if err != nil {
			s.writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, rep)
	}))
}

// asOwner lets fn run only for the shop's owner: a terminal token that is
// not revoked, and the named member's proof (their key, this terminal, this
// path and body, a time within app.RequestProofWindow), and the role the
// cloud keeps for that member is owner.
func (s *Server) asOwner(fn func(w http.ResponseWriter, r *http.Request, shop string, body []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := bearer(r)
		term, err := s.store.TerminalByToken(HashToken(tok))
		if tok == "" || err != nil || term.Revoked {
			writeJSON(w, http.StatusUnauthorized, apiError{Code: "unauthorized", Message: "Authorization: Bearer <terminal token> is required"})
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		if err != nil {
			s.writeError(w, app.FieldError("body", "cannot be read: %s", err.Error()))
			return
		}
		name := r.Header.Get(wire.HeaderStaff)
		at, err := time.Parse(time.RFC3339Nano, r.Header.Get(wire.HeaderStaffAt))
		if err != nil {
			s.writeError(w, app.Errorf(app.EForbidden, "the request carries no staff signature"))
			return
		}
		var member app.Staff
		var found bool
		err = s.store.View(term.Shop, func(tx ShopTx) error {
			list, err := tx.Staff()
			member, found = app.FindStaff(list, name)
			return err
		})
		if err != nil {
			s.writeError(w, err)
			return
		}
		if !found {
			s.writeError(w, app.Errorf(app.EForbidden, "%s is not on the staff list", name))
			return
		}
		if err := app.CheckRequest(member.Key, term.TokenHash, name, at, s.now(), r.URL.Path, body, r.Header.Get(wire.HeaderStaffProof)); err != nil {
			s.writeError(w, err)
			return
		}
		if member.Role != app.RoleOwner {
			s.writeError(w, app.Errorf(app.EForbidden, "only the owner may see and change the shop's accounts"))
			return
		}
		fn(w, r, term.Shop, body)
	}
}
