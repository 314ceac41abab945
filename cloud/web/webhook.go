package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// The channels' webhooks (docs/webhooks.md): the edge refuses what costs
// more than a header (unknown channel, a flood, a wrong type, a body too
// large or too slow) before the core verifies, parses and applies the
// delivery; a 2xx is sent only after the commit.

// serveWebhook is POST /v1/shops/{shop}/webhooks/{channel}.
func serveWebhook(core *cloud.Server, e *edge) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		shop, channel := r.PathValue("shop"), r.PathValue("channel")
		route, ok := core.WebhookRoute(channel)
		if !ok {
			core.CountWebhook("unknown", "not_found")
			cloud.WriteJSON(w, http.StatusNotFound, apiError{Code: app.ENotFound, Message: "channel: unknown webhook channel " + jsonQuote(channel)})
			return
		}
		if !e.webhookIP.allow(clientIP(r), time.Now()) || !e.webhookShop.allow(shop, time.Now()) {
			core.CountWebhook(channel, "rate_limited")
			tooMany(w, "webhooks")
			return
		}
		ct := mediaType(r)
		if ct != "application/json" && !(route.Form && ct == "application/x-www-form-urlencoded") {
			core.CountWebhook(channel, "unsupported_type")
			unsupportedType(w, ct)
			return
		}
		body, ok := readBody(core, e, w, r, channel, route.MaxBody)
		if !ok {
			return
		}
		reply, err := core.Deliver(shop, channel, r, body)
		if err != nil {
			writeDeliveryError(core, w, r, err)
			return
		}
		writeReply(w, reply)
	}
}

// servePush is POST /v1/channels/{platform}/push, where a platform pushes
// every shop of one partner app.
func servePush(core *cloud.Server, e *edge) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("platform")
		limit, ok := core.PushRoute(name)
		if !ok {
			core.CountWebhook("unknown", "not_found")
			cloud.WriteJSON(w, http.StatusNotFound, apiError{Code: app.ENotFound, Message: "platform: no push route for " + jsonQuote(name)})
			return
		}
		if !e.webhookIP.allow(clientIP(r), time.Now()) {
			core.CountWebhook(name, "rate_limited")
			tooMany(w, "webhooks")
			return
		}
		if ct := mediaType(r); ct != "application/json" {
			core.CountWebhook(name, "unsupported_type")
			unsupportedType(w, ct)
			return
		}
		body, ok := readBody(core, e, w, r, name, limit)
		if !ok {
			return
		}
		reply, err := core.DeliverPush(name, r, body, e.admit)
		if err != nil {
			writeDeliveryError(core, w, r, err)
			return
		}
		writeReply(w, reply)
	}
}

// readBody reads a delivery's body under the edge's limits, or answers why not.
func readBody(core *cloud.Server, e *edge, w http.ResponseWriter, r *http.Request, channel string, limit int64) ([]byte, bool) {
	body, be := e.readBody(w, r, limit)
	if be == nil {
		return body, true
	}
	core.CountWebhook(channel, "bad_body")
	cloud.WriteJSON(w, be.status, apiError{Code: be.err.Code, Message: be.err.Message})
	return nil, false
}

// writeReply answers a delivery the core took: the platform's own
// acknowledgement when it wants one, else the JSON reply.
func writeReply(w http.ResponseWriter, reply *cloud.WebhookReply) {
	if reply.Ack != nil {
		if len(reply.Ack) > 0 {
			w.Header().Set("Content-Type", reply.AckType)
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(reply.Ack)
		return
	}
	cloud.WriteJSON(w, http.StatusOK, reply)
}

// writeDeliveryError answers a delivery the core refused.
func writeDeliveryError(core *cloud.Server, w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.As(err, new(cloud.Unauthorized)):
		cloud.WriteJSON(w, http.StatusUnauthorized, apiError{Code: "unauthorized", Message: err.Error()})
	case errors.Is(err, cloud.ErrNotJSON):
		unsupportedType(w, mediaType(r))
	case errors.Is(err, cloud.ErrRateLimited):
		tooMany(w, "webhooks")
	default:
		core.WriteError(w, err)
	}
}

// unsupportedType answers 415 naming what the webhook takes.
func unsupportedType(w http.ResponseWriter, got string) {
	if got == "" {
		got = "none"
	}
	cloud.WriteJSON(w, http.StatusUnsupportedMediaType, apiError{Code: app.EInvalid,
		Message: app.FieldError("Content-Type", "must be application/json, got %s", strconv.Quote(got)).Error()})
}
