package web

import (
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/sync/wire"
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
	shopAdminRoutes(core, mux)
}

// shopAdminRoutes serve the admin socket's per-shop commands: staff,
// orders, accounts (credentials come in and only masked values go out;
// neither is logged) and buyer notices.
func shopAdminRoutes(core *cloud.Server, mux *http.ServeMux) {
	log := core.Logger()
	route := func(pattern string, fn func(r *http.Request, shop string) (any, error)) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			out, err := fn(r, r.PathValue("id"))
			if err != nil {
				core.WriteError(w, err)
				return
			}
			cloud.WriteJSON(w, http.StatusOK, out)
		})
	}
	route("POST /admin/shops/{id}/staff", func(r *http.Request, shop string) (any, error) {
		var req cloud.StaffRequest
		if err := cloud.DecodeJSON(r, &req); err != nil {
			return nil, err
		}
		list, err := core.AddStaff(shop, req.Name, app.Role(req.Role), req.PIN)
		if err == nil {
			log.Info("staff added", "shop", shop, "staff", strings.TrimSpace(req.Name))
		}
		return list, err
	})
	route("POST /admin/shops/{id}/staff/list", func(r *http.Request, shop string) (any, error) {
		return cloud.ShopStaff(core.Store(), shop)
	})
	route("POST /admin/shops/{id}/staff/remove", func(r *http.Request, shop string) (any, error) {
		var req cloud.StaffRequest
		if err := cloud.DecodeJSON(r, &req); err != nil {
			return nil, err
		}
		list, err := core.RemoveStaff(shop, req.Name)
		if err == nil {
			log.Info("staff removed", "shop", shop, "staff", req.Name)
		}
		return list, err
	})
	route("POST /admin/shops/{id}/orders/find", func(r *http.Request, shop string) (any, error) {
		var f app.Filter
		if err := cloud.DecodeJSON(r, &f); err != nil {
			return nil, err
		}
		return core.Store().FindOrders(shop, f)
	})
	route("POST /admin/shops/{id}/orders/show", func(r *http.Request, shop string) (any, error) {
		var req cloud.OrderShowRequest
		if err := cloud.DecodeJSON(r, &req); err != nil {
			return nil, err
		}
		return core.Store().OrderByRef(shop, req.Ref)
	})
	route("POST /admin/shops/{id}/accounts", func(r *http.Request, shop string) (any, error) {
		var req cloud.AccountRequest
		if err := cloud.DecodeJSON(r, &req); err != nil {
			return nil, err
		}
		return core.SetAccount(shop, req.Kind, req.Credentials)
	})
	route("POST /admin/shops/{id}/accounts/{kind}/connect", func(r *http.Request, shop string) (any, error) {
		var req cloud.ConnectCodeRequest
		if err := cloud.DecodeJSON(r, &req); err != nil {
			return nil, err
		}
		return core.ConnectRequest(r.Context(), shop, app.AccountKind(r.PathValue("kind")), req.Code)
	})
	route("POST /admin/shops/{id}/channels/{kind}/sync", func(r *http.Request, shop string) (any, error) {
		var req cloud.SyncRequest
		if err := cloud.DecodeJSON(r, &req); err != nil {
			return nil, err
		}
		return core.SyncChannel(r.Context(), shop, app.AccountKind(r.PathValue("kind")), req.Days)
	})
	route("POST /admin/shops/{id}/accounts/show", func(r *http.Request, shop string) (any, error) {
		return core.MaskedAccounts(shop)
	})
	route("POST /admin/shops/{id}/accounts/remove", func(r *http.Request, shop string) (any, error) {
		var req wire.AccountRemove
		if err := cloud.DecodeJSON(r, &req); err != nil {
			return nil, err
		}
		return core.RemoveAccount(shop, req.Kind, req.StoreURL)
	})
	route("POST /admin/shops/{id}/notices/show", func(r *http.Request, shop string) (any, error) {
		return core.NoticesView(shop)
	})
	route("POST /admin/shops/{id}/notices", func(r *http.Request, shop string) (any, error) {
		var c cloud.NoticesChange
		if err := cloud.DecodeJSON(r, &c); err != nil {
			return nil, err
		}
		return core.ChangeNotices(shop, c)
	})
	route("POST /admin/shops/{id}/notices/revoke", func(r *http.Request, shop string) (any, error) {
		var req struct {
			Order string `json:"order"`
		}
		if err := cloud.DecodeJSON(r, &req); err != nil {
			return nil, err
		}
		return core.RevokePage(shop, req.Order)
	})
}
