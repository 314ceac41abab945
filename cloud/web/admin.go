package web

import (
	"io"
	"net/http"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/cloud"
)

// adminRoutes serve the admin socket (pos-cloud's commands, through
// cloud.Admin, while a server holds the data dir): shops, terminals,
// catalogue imports, quarantined changes and the followers' parked changes.
func adminRoutes(core *cloud.Server, mux *http.ServeMux) {
	log := core.Logger()
	now := func() time.Time { return core.Options().Now().UTC() }
	mux.HandleFunc("POST /admin/shops", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Name string `json:"name"`
		}
		if err := cloud.DecodeJSON(r, &req); err != nil {
			core.WriteError(w, err)
			return
		}
		sh, err := cloud.AddShop(core.Store(), req.Name, now())
		if err != nil {
			core.WriteError(w, err)
			return
		}
		log.Info("shop added", "shop", sh.ID)
		cloud.WriteJSON(w, http.StatusOK, cloud.ShopCreated{ID: sh.ID, Secrets: sh.Secrets})
	})
	mux.HandleFunc("POST /admin/terminals", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Shop string `json:"shop"`
			Name string `json:"name"`
		}
		if err := cloud.DecodeJSON(r, &req); err != nil {
			core.WriteError(w, err)
			return
		}
		t, tok, err := cloud.AddTerminal(core.Store(), req.Shop, req.Name, now())
		if err != nil {
			core.WriteError(w, err)
			return
		}
		log.Info("terminal added", "shop", t.Shop, "terminal", t.ID)
		cloud.WriteJSON(w, http.StatusOK, cloud.TerminalCreated{ID: t.ID, Token: tok})
	})
	mux.HandleFunc("POST /admin/shops/{id}/products", func(w http.ResponseWriter, r *http.Request) {
		var ps []*app.Product
		body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<20))
		if err := channel.DecodeJSON(body, &ps); err != nil {
			core.WriteError(w, err)
			return
		}
		if err := core.ImportProducts(r.PathValue("id"), ps); err != nil {
			core.WriteError(w, err)
			return
		}
		cloud.WriteJSON(w, http.StatusOK, map[string]any{"shop": r.PathValue("id"), "products": len(ps)})
	})
	mux.HandleFunc("POST /admin/terminals/{id}/revoke", func(w http.ResponseWriter, r *http.Request) {
		t, err := core.RevokeTerminal(r.PathValue("id"))
		if err != nil {
			core.WriteError(w, err)
			return
		}
		log.Info("terminal revoked", "shop", t.Shop, "terminal", t.ID)
		cloud.WriteJSON(w, http.StatusOK, map[string]any{"id": t.ID, "revoked": true})
	})
	mux.HandleFunc("POST /admin/terminals/{id}/resend", func(w http.ResponseWriter, r *http.Request) {
		kept, err := core.ResendQuarantined(r.PathValue("id"))
		if err != nil {
			core.WriteError(w, err)
			return
		}
		log.Info("quarantined changes marked for resend", "terminal", r.PathValue("id"), "changes", len(kept))
		cloud.WriteJSON(w, http.StatusOK, kept)
	})
	mux.HandleFunc("POST /admin/followers", func(w http.ResponseWriter, _ *http.Request) {
		states, err := cloud.FollowerStates(core.Store(), core.FollowerNames())
		if err != nil {
			core.WriteError(w, err)
			return
		}
		cloud.WriteJSON(w, http.StatusOK, states)
	})
	mux.HandleFunc("POST /admin/followers/retry", func(w http.ResponseWriter, r *http.Request) {
		var req cloud.RetryRequest
		if err := cloud.DecodeJSON(r, &req); err != nil {
			core.WriteError(w, err)
			return
		}
		if err := req.Validate(); err != nil {
			core.WriteError(w, err)
			return
		}
		n, err := core.RetryParked(req.Follower, req.Shop, req.Seq)
		if err != nil {
			core.WriteError(w, err)
			return
		}
		log.Info("parked changes released", "follower", req.Follower, "shop", req.Shop, "seq", req.Seq, "released", n)
		cloud.WriteJSON(w, http.StatusOK, cloud.RetryReply{Released: n})
	})
}
