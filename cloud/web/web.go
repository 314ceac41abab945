// Package web is the cloud's HTTP face, standing on the core's exported API
// (package cloud): it listens (Serve, and the admin socket, ServeAdmin), runs
// the embedded cloud of a one-tablet shop (StartEmbedded), and serves the
// terminals' sync websockets (docs/sync-protocol.md), the channels'
// webhooks and pushes, the couriers' pushes, the terminals' rates and
// airway bills, the owner's account routes, the buyer's order page, the
// platforms' OAuth callbacks, health and metrics, which it mounts on every
// cloud server through cloud.Extend, and every route of the admin socket
// (admin.go). The core keeps the decisions and serves no route of its own.
package web

import (
	"net/http"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/sync/wire"
)

func init() {
	cloud.Extend(cloud.Extension{Routes: mount, AdminRoutes: adminRoutes})
}

// mount serves a cloud server's sync sockets, webhooks, courier pushes,
// terminals' and owners' requests, the buyer's order pages, the
// OAuth callbacks, health and metrics, and hands the core the connections it must wake,
// drop and count.
func mount(core *cloud.Server, mux *http.ServeMux) {
	e := newEdge(core.Options())
	s := &syncServer{core: core, log: core.Logger(), opt: core.Options(), hubs: newHubs(), edge: e}
	core.AttachConnections(s)
	mux.HandleFunc("GET "+wire.Path, s.serveSync)
	mux.HandleFunc("POST /v1/shops/{shop}/webhooks/{channel}", serveWebhook(core, e))
	mux.HandleFunc("POST /v1/channels/{platform}/push", servePush(core, e))
	mux.HandleFunc("POST /v1/couriers/shipper/push", serveCourierPush(core, e, app.ProviderShipper))
	mux.HandleFunc("POST /v1/couriers/biteship/push", serveCourierPush(core, e, app.ProviderBiteship))
	mux.HandleFunc("GET /v1/orders/{id}/rates", serveRates(core))
	mux.HandleFunc("GET "+wire.BillPath, serveBill(core))
	ownerRoutes(core, mux)
	mux.HandleFunc("GET /o/{token}", (&orderPages{core: core, log: core.Logger()}).serve)
	mux.HandleFunc("GET /v1/oauth/{platform}/callback", oauthCallback(core))
	mux.HandleFunc("GET /healthz", healthz)
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		_ = core.WriteMetrics(w)
	})
}

func healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
}

// apiError is the body of an error reply, as every route of the cloud writes it.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}
