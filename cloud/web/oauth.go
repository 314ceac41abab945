package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// oauthCallback serves GET /v1/oauth/{platform}/callback, where the
// platform sends the owner's browser back with a code and our state. The
// page says in words what happened; nothing else about the shop is shown.
func oauthCallback(core *cloud.Server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		kind := app.AccountKind(r.PathValue("platform"))
		q := map[string]string{}
		for k, v := range r.URL.Query() {
			if len(v) > 0 {
				q[k] = v[0]
			}
		}
		if !app.GrantedByOAuth(kind) {
			oauthPage(w, http.StatusNotFound, app.Text("%s is not connected by authorization", string(kind)))
			return
		}
		shop, err := core.TakeGrant(kind, q["state"])
		if err != nil {
			oauthPage(w, http.StatusBadRequest, app.MessageOf(err))
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		m, err := core.ConnectCode(ctx, shop, kind, q["code"], q)
		if err != nil {
			oauthPage(w, http.StatusBadGateway, app.MessageOf(err))
			return
		}
		oauthPage(w, http.StatusOK, m.Status.Text())
	}
}

// oauthPage answers the owner's browser in Indonesian, then English.
func oauthPage(w http.ResponseWriter, code int, m app.Message) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	fmt.Fprintf(w, "<!doctype html><meta charset=utf-8><meta name=viewport content=\"width=device-width\"><title>Kasir POS</title><p>%s</p><p lang=en>%s</p>\n",
		html.EscapeString(m.In(app.Indonesian)), html.EscapeString(m.In(app.English)))
}
