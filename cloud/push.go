package cloud

import (
	"net/http"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// pushPlatform is a platform that pushes every shop of one partner app to
// one URL: its adapter reads the shop id (Router) and verifies and parses
// the delivery with that shop's account (Hook).
type pushPlatform struct {
	kind   app.AccountKind
	hook   channel.Hook
	router channel.Router
}

// pushPlatform finds the hook serving /v1/channels/{platform}/push: one
// of the server's hooks whose platform routes by shop id.
func (s *Server) pushPlatform(name string) (pushPlatform, bool) {
	kind := app.AccountKind(name)
	if app.AccountRouteField(kind) == "" {
		return pushPlatform{}, false
	}
	hook, ok := s.opt.Hooks[name]
	if !ok {
		return pushPlatform{}, false
	}
	router, ok := hook.(channel.Router)
	if !ok {
		return pushPlatform{}, false
	}
	return pushPlatform{kind: kind, hook: hook, router: router}, true
}

// unauthorized is the one answer to a push no account verifies: an unknown
// shop id and a wrong signature look the same, so shops cannot be probed.
func unauthorized(w http.ResponseWriter) {
	writeJSON(w, http.StatusUnauthorized, apiError{Code: "unauthorized", Message: "signature does not match"})
}

// servePush is POST /v1/channels/{platform}/push. The shop id in the body
// only chooses whose account verifies the delivery; nothing is parsed or
// written before that account's keys verify it, and a 2xx is sent only
// after the order and its change are committed.
func (s *Server) servePush(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("platform")
	p, ok := s.pushPlatform(name)
	if !ok {
		s.metrics.webhook("unknown", "not_found")
		writeJSON(w, http.StatusNotFound, apiError{Code: app.ENotFound, Message: "platform: no push route for " + strconvQuote(name)})
		return
	}
	now := time.Now()
	if !s.edge.webhookIP.allow(clientIP(r), now) {
		s.metrics.webhook(name, "rate_limited")
		tooMany(w, "webhooks")
		return
	}
	if ct := mediaType(r); ct != "application/json" {
		s.metrics.webhook(name, "unsupported_type")
		unsupportedType(w, ct)
		return
	}
	limit := s.opt.MaxBody
	if sp, ok := p.hook.(channel.StatusPusher); ok && sp.StatusOnly() {
		limit = min(limit, statusPushBody)
	}
	body, berr := s.readBody(w, r, limit)
	if berr != nil {
		s.metrics.webhook(name, "bad_body")
		writeBodyError(w, berr)
		return
	}
	if s.accounts == nil {
		s.metrics.webhook(name, "unknown_shop")
		unauthorized(w)
		return
	}
	platformShop, err := p.router.PushShop(r, body)
	if err != nil || platformShop == "" {
		s.metrics.webhook(name, "unknown_shop")
		unauthorized(w)
		return
	}
	shopID, err := s.store.ShopByRoute(p.kind, platformShop)
	if err != nil {
		s.metrics.webhook(name, "error")
		s.writeError(w, err)
		return
	}
	var fields map[string]string
	if shopID != "" {
		if fields, err = s.accounts.Fields(shopID, p.kind); err != nil {
			s.metrics.webhook(name, "error")
			s.writeError(w, err)
			return
		}
	}
	// The index and the account agree, or the push is nobody's.
	if fields == nil || fields[p.router.ShopField()] != platformShop || !p.hook.Verify(fields, r, body) {
		s.metrics.webhook(name, "unauthorized")
		s.log.Warn("push matches no account", "platform", name, "remote", r.RemoteAddr)
		unauthorized(w)
		return
	}
	if !s.edge.webhookShop.allow(shopID, now) {
		s.metrics.webhook(name, "rate_limited")
		tooMany(w, "webhooks")
		return
	}
	shop, err := s.store.Shop(shopID)
	if err != nil {
		s.metrics.webhook(name, "error")
		s.writeError(w, err)
		return
	}
	parsed, err := p.hook.Parse(r, body)
	var in *inbound
	if err == nil {
		in, err = inboundOf(app.Channel(p.kind), parsed)
	}
	if err == nil {
		err = in.validate()
	}
	if err != nil {
		s.metrics.webhook(name, "invalid")
		s.writeError(w, err)
		return
	}
	reply := &webhookReply{OK: true, Outcome: "ignored", Reason: in.ignore}
	if in.ignore == "" {
		if reply, err = s.applyInbound(shop, name, in, body); err != nil {
			outcome := "error"
			if app.ErrorCode(err) != app.EInternal {
				outcome = "invalid"
			}
			s.metrics.webhook(name, outcome)
			s.writeError(w, err)
			return
		}
	}
	s.metrics.webhook(name, reply.Outcome)
	if a, ok := p.hook.(channel.Acker); ok {
		ct, b := a.Ack()
		if len(b) > 0 {
			w.Header().Set("Content-Type", ct)
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(b)
		return
	}
	writeJSON(w, http.StatusOK, reply)
}

// inboundOf takes what a platform's Hook parsed; an order of another
// channel is refused, since the account that verified it is this one's.
func inboundOf(ch app.Channel, in *channel.Inbound) (*inbound, error) {
	if in == nil {
		return &inbound{ignore: "nothing to apply"}, nil
	}
	out := &inbound{delivery: in.Delivery, ignore: in.Ignore}
	for _, o := range in.Orders {
		if o.Channel != ch {
			return nil, app.FieldError("channel", "a %s push cannot carry a %s order", string(ch), string(o.Channel))
		}
		out.orders = append(out.orders, o)
	}
	return out, nil
}
