package cloud

import (
	"errors"
	"net/http"

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

// PushRoute says whether platform pushes every shop to one URL, and the
// largest body it sends.
func (s *Server) PushRoute(platform string) (maxBody int64, ok bool) {
	p, ok := s.pushPlatform(platform)
	if !ok {
		return 0, false
	}
	maxBody = s.opt.MaxBody
	if sp, ok := p.hook.(channel.StatusPusher); ok && sp.StatusOnly() {
		maxBody = min(maxBody, statusPushBody)
	}
	return maxBody, true
}

// ErrRateLimited says the shop has used its allowance of deliveries.
var ErrRateLimited = errors.New("too many requests")

// DeliverPush applies one push of a platform that pushes every shop to one
// URL. The shop id in the body only chooses whose account verifies the
// delivery; nothing is parsed or written before that account's keys verify
// it, and admit (the shop's allowance) is asked only then. It returns after
// the order and its change are committed. Errors: ErrSignature,
// ErrRateLimited, app's codes.
func (s *Server) DeliverPush(name string, r *http.Request, body []byte, admit func(shop string) bool) (*WebhookReply, error) {
	p, ok := s.pushPlatform(name)
	if !ok {
		s.metrics.webhook("unknown", "not_found")
		return nil, app.Errorf(app.ENotFound, "platform: no push route for %s", strconvQuote(name))
	}
	if s.accounts == nil {
		s.metrics.webhook(name, "unknown_shop")
		return nil, ErrSignature
	}
	platformShop, err := p.router.PushShop(r, body)
	if err != nil || platformShop == "" {
		s.metrics.webhook(name, "unknown_shop")
		return nil, ErrSignature
	}
	shopID, err := s.store.ShopByRoute(p.kind, platformShop)
	if err != nil {
		s.metrics.webhook(name, "error")
		return nil, err
	}
	var fields map[string]string
	if shopID != "" {
		if fields, err = s.accounts.Fields(shopID, p.kind); err != nil {
			s.metrics.webhook(name, "error")
			return nil, err
		}
	}
	// The index and the account agree, or the push is nobody's.
	if fields == nil || fields[p.router.ShopField()] != platformShop || !p.hook.Verify(fields, r, body) {
		s.metrics.webhook(name, "unauthorized")
		s.log.Warn("push matches no account", "platform", name, "remote", r.RemoteAddr)
		return nil, ErrSignature
	}
	if !admit(shopID) {
		s.metrics.webhook(name, "rate_limited")
		return nil, ErrRateLimited
	}
	shop, err := s.store.Shop(shopID)
	if err != nil {
		s.metrics.webhook(name, "error")
		return nil, err
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
		return nil, err
	}
	reply := &WebhookReply{OK: true, Outcome: "ignored", Reason: in.ignore}
	if in.ignore == "" {
		if reply, err = s.applyInbound(shop, name, in, body); err != nil {
			s.countFailure(name, err)
			return nil, err
		}
	}
	s.metrics.webhook(name, reply.Outcome)
	if a, ok := p.hook.(channel.Acker); ok {
		reply.AckType, reply.Ack = a.Ack()
		if reply.Ack == nil {
			reply.Ack = []byte{}
		}
	}
	return reply, nil
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
