package cloud

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// inbound is what one webhook delivery asks of a shop, parsed and verified.
type inbound struct {
	// orders are channel pushes for app.Ingest.
	orders []app.Incoming
	// courier is a logistics update for app.CourierCommand.
	courier *courierUpdate
	// delivery names the delivery for dedupe; empty means the body's hash.
	delivery string
	// ignore, when set, is why the delivery is acknowledged without writing.
	ignore string
}

// WebhookReply is the body of a 2xx webhook answer.
type WebhookReply struct {
	OK      bool     `json:"ok"`
	Outcome string   `json:"outcome"`
	Orders  []string `json:"orders,omitempty"`
	Reason  string   `json:"reason,omitempty"`
	// Ack, when the platform wants its own answer (channel.Acker), is sent
	// instead of the JSON reply, with AckType as its Content-Type.
	Ack     []byte `json:"-"`
	AckType string `json:"-"`
}

// Unauthorized is a delivery no account verifies, and why, as the sender is told.
type Unauthorized string

func (u Unauthorized) Error() string { return string(u) }

// ErrSignature is the one refusal of a delivery no account verifies: an
// unknown shop and a wrong signature look the same, so shops cannot be probed.
var ErrSignature error = Unauthorized("signature does not match")

// ErrNotJSON refuses a verified delivery whose body is not JSON (a platform
// pings with a form, but sends orders as JSON).
var ErrNotJSON = errors.New("the body is not JSON")

// WebhookRoute is what the edge must know of a channel's webhook before it
// reads the body.
type WebhookRoute struct {
	// Form says a form-encoded body may come (the platform's ping).
	Form bool
	// MaxBody is the largest body the channel sends.
	MaxBody int64
}

// WebhookRoute says whether channel takes webhooks, and how its bodies are read.
func (s *Server) WebhookRoute(channel string) (WebhookRoute, bool) {
	hook, ok := s.webhookFor(channel)
	if !ok {
		return WebhookRoute{}, false
	}
	r := WebhookRoute{Form: hook.ping != nil, MaxBody: s.opt.MaxBody}
	if hook.statusOnly {
		r.MaxBody = min(r.MaxBody, statusPushBody)
	}
	return r, true
}

// CountWebhook counts a delivery the edge refused before the core saw it, for /metrics.
func (s *Server) CountWebhook(channel, outcome string) { s.metrics.webhook(channel, outcome) }

// Deliver verifies, parses, and applies one webhook delivery to a shop in
// one transaction, and returns only after the commit, so a reply means the
// order is durable. r is read for its headers only; body is what the edge
// read. Errors: ErrSignature, ErrNotJSON, app's codes.
func (s *Server) Deliver(shopID, channel string, r *http.Request, body []byte) (*WebhookReply, error) {
	hook, ok := s.webhookFor(channel)
	if !ok {
		s.metrics.webhook("unknown", "not_found")
		return nil, app.Errorf(app.ENotFound, "channel: unknown webhook channel %s", strconvQuote(channel))
	}
	shop, err := s.store.Shop(shopID)
	if err != nil {
		s.metrics.webhook(channel, "unknown_shop")
		return nil, ErrSignature
	}
	fields, store, err := s.deliveryFields(shop, channel, r)
	if err != nil {
		s.metrics.webhook(channel, "error")
		return nil, err
	}
	if !hook.verify(fields, r, body) {
		if hook.ping != nil && hook.ping(r, body) {
			s.metrics.webhook(channel, "ping")
			return &WebhookReply{OK: true, Outcome: "ignored", Reason: "ping"}, nil
		}
		s.metrics.webhook(channel, "unauthorized")
		s.log.Warn("webhook signature mismatch", "shop", shop.ID, "channel", channel, "remote", r.RemoteAddr)
		return nil, ErrSignature
	}
	if mediaType(r) != "application/json" {
		s.metrics.webhook(channel, "unsupported_type")
		return nil, ErrNotJSON
	}
	in, err := hook.parse(r, body)
	if err == nil {
		in.fromStore(store)
		err = in.validate()
	}
	if err != nil {
		s.metrics.webhook(channel, "invalid")
		return nil, err
	}
	if in.ignore != "" {
		s.metrics.webhook(channel, "ignored")
		return &WebhookReply{OK: true, Outcome: "ignored", Reason: in.ignore}, nil
	}
	reply, err := s.applyInbound(shop, channel, in, body)
	if err != nil {
		s.countFailure(channel, err)
		return nil, err
	}
	s.metrics.webhook(channel, reply.Outcome)
	return reply, nil
}

// countFailure counts a delivery the apply refused: invalid when app's
// rules said no, error when the cloud failed.
func (s *Server) countFailure(channel string, err error) {
	outcome := "error"
	if app.ErrorCode(err) != app.EInternal {
		outcome = "invalid"
	}
	s.metrics.webhook(channel, outcome)
}

// validate applies app's rules to everything the delivery carries, so
// nothing a terminal could not store reaches the transaction.
func (in *inbound) validate() error {
	if in.delivery != "" {
		if err := app.CheckID("delivery_id", in.delivery, app.MaxIDLen); err != nil {
			return err
		}
	}
	for _, o := range in.orders {
		if err := o.Validate(); err != nil {
			return err
		}
	}
	if in.courier != nil {
		if _, err := app.CourierCommand(in.courier.OrderID, in.courier.CourierUpdate); err != nil {
			return err
		}
	}
	return nil
}

// applyInbound runs the whole delivery in one transaction through the
// apply-and-log path: dedupe, app.Ingest (or the courier command), the
// change log, the delivery mark.
func (s *Server) applyInbound(shop *Shop, channel string, in *inbound, body []byte) (*WebhookReply, error) {
	key := in.delivery
	if key == "" {
		sum := sha256.Sum256(body)
		key = "sha256:" + hex.EncodeToString(sum[:])
	}
	key = channel + ":" + key
	var reply WebhookReply
	now := s.now()
	results, head, err := applyLog(s.store, shop, now, func(tx ShopTx, pol app.Policy) ([]*app.Result, error) {
		reply = WebhookReply{OK: true, Outcome: "duplicate"}
		seen, err := tx.Delivered(key)
		if err != nil || seen {
			return nil, err
		}
		if err := linkListedLines(tx, in.orders); err != nil {
			return nil, err
		}
		// Channel orders take the acceptance windows the shop's owner set (pol).
		var results []*app.Result
		if in.courier != nil {
			res, err := applyCourier(tx, pol, in.courier, now)
			if err != nil {
				return nil, err
			}
			results = append(results, res)
		}
		for _, inc := range in.orders {
			res, err := app.Ingest(tx, pol, inc, now)
			if err != nil {
				var te *app.TransitionError
				if errors.As(err, &te) {
					// The channel moved on where our life cycle cannot follow;
					// retrying would not help, so the delivery is acknowledged.
					reply.Reason = err.Error()
					continue
				}
				return nil, err
			}
			results = append(results, res)
		}
		reply.Outcome = "unchanged"
		var logged []*app.Result
		for _, res := range results {
			if res == nil {
				continue
			}
			logged = append(logged, res)
			reply.Orders = append(reply.Orders, res.Order.ID)
			if res.Order.Version == 1 {
				reply.Outcome = "created"
			} else if reply.Outcome != "created" {
				reply.Outcome = "updated"
			}
		}
		if reply.Reason != "" && len(logged) == 0 {
			reply.Outcome = "ignored"
		}
		return logged, tx.MarkDelivered(key, now)
	})
	if err != nil {
		return nil, err
	}
	added := len(results)
	s.notify(shop.ID, head, added)
	return &reply, nil
}

// decodeJSON decodes body into v and names the offending field on failure.
func decodeJSON(body []byte, v any) error { return channel.DecodeJSON(body, v) }
