package web

import (
	"io"
	"net/http"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/sync/wire"
)

// ownerRoutes serve a terminal's owner: the terminal's token names the
// shop, and the member's signature over the request shows it is the owner
// signed in there (cloud.Server.CheckOwner).
func ownerRoutes(core *cloud.Server, mux *http.ServeMux) {
	mux.HandleFunc("POST "+wire.AccountsPath+"/list", asOwner(core, func(r *http.Request, shop string, _ []byte) (any, error) {
		return core.MaskedAccounts(shop)
	}))
	mux.HandleFunc("POST "+wire.AccountsPath+"/set", asOwner(core, func(r *http.Request, shop string, body []byte) (any, error) {
		var req wire.AccountSet
		if err := channel.DecodeJSON(body, &req); err != nil {
			return nil, err
		}
		return core.SetAccount(shop, req.Kind, req.Credentials)
	}))
	mux.HandleFunc("POST "+wire.AccountsPath+"/connect", asOwner(core, func(r *http.Request, shop string, body []byte) (any, error) {
		var req wire.AccountConnect
		if err := channel.DecodeJSON(body, &req); err != nil {
			return nil, err
		}
		return core.ConnectRequest(r.Context(), shop, req.Kind, req.Code)
	}))
	mux.HandleFunc("POST "+wire.AccountsPath+"/sync", asOwner(core, func(r *http.Request, shop string, body []byte) (any, error) {
		var req wire.ChannelSyncRequest
		if err := channel.DecodeJSON(body, &req); err != nil {
			return nil, err
		}
		return core.SyncChannel(r.Context(), shop, req.Kind, req.Days)
	}))
	mux.HandleFunc("POST "+wire.AccountsPath+"/remove", asOwner(core, func(r *http.Request, shop string, body []byte) (any, error) {
		var req wire.AccountRemove
		if err := channel.DecodeJSON(body, &req); err != nil {
			return nil, err
		}
		return core.RemoveAccount(shop, req.Kind, req.StoreURL)
	}))
}

// asOwner runs fn only for the shop's owner, signed in at a terminal whose
// token is not revoked, and answers what fn returns as JSON.
func asOwner(core *cloud.Server, fn func(r *http.Request, shop string, body []byte) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		term := terminal(core, w, r)
		if term == nil {
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		if err != nil {
			core.WriteError(w, app.FieldError("body", "cannot be read: %s", err.Error()))
			return
		}
		if err := core.CheckOwner(cloud.OwnerRequest{Terminal: term, Staff: r.Header.Get(wire.HeaderStaff), At: r.Header.Get(wire.HeaderStaffAt),
			Proof: r.Header.Get(wire.HeaderStaffProof), Path: r.URL.Path, Body: body}); err != nil {
			core.WriteError(w, err)
			return
		}
		out, err := fn(r, term.Shop, body)
		if err != nil {
			core.WriteError(w, err)
			return
		}
		cloud.WriteJSON(w, http.StatusOK, out)
	}
}
