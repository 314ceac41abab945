package cloud

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"time"

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

// webhookReply is the body of a 2xx webhook answer.
type webhookReply struct {
	OK      bool     `json:"ok"`
	Outcome string   `json:"outcome"`
	Orders  []string `json:"orders,omitempty"`
	Reason  string   `json:"reason,omitempty"`
}

// serveWebhook verifies, parses, and applies a delivery in one transaction,
// and replies only after the commit, so a 2xx means the order is durable.
func (s *Server) serveWebhook(w http.ResponseWriter, r *http.Request) {
	shopID, channel := r.PathValue("shop"), r.PathValue("channel")
	hook, ok := s.webhookFor(channel)
	if !ok {
		s.metrics.webhook("unknown", "not_found")
		writeJSON(w, http.StatusNotFound, apiError{Code: app.ENotFound, Message: "channel: unknown webhook channel " + strconvQuote(channel)})
		return
	}
	now := time.Now()
	if !s.edge.webhookIP.allow(clientIP(r), now) || !s.edge.webhookShop.allow(shopID, now) {
		s.metrics.webhook(channel, "rate_limited")
		tooMany(w, "webhooks")
		return
	}
	ct := mediaType(r)
	if ct != "application/json" && !(hook.ping != nil && ct == "application/x-www-form-urlencoded") {
		s.metrics.webhook(channel, "unsupported_type")
		unsupportedType(w, ct)
		return
	}
	limit := s.opt.MaxBody
	if hook.statusOnly {
		limit = min(limit, statusPushBody)
	}
	body, berr := s.readBody(w, r, limit)
	if berr != nil {
		s.metrics.webhook(channel, "bad_body")
		writeBodyError(w, berr)
		return
	}
	shop, err := s.store.Shop(shopID)
	if err != nil {
		s.metrics.webhook(channel, "unknown_shop")
		// Same answer as a bad signature: a probe learns nothing about which shops exist.
		writeJSON(w, http.StatusUnauthorized, apiError{Code: "unauthorized", Message: "signature does not match"})
		return
	}
	fields, store, err := s.deliveryFields(shop, channel, r)
	if err != nil {
		s.metrics.webhook(channel, "error")
		s.writeError(w, err)
		return
	}
	if !hook.verify(fields, r, body) {
		if hook.ping != nil && hook.ping(r, body) {
			s.metrics.webhook(channel, "ping")
			writeJSON(w, http.StatusOK, webhookReply{OK: true, Outcome: "ignored", Reason: "ping"})
			return
		}
		s.metrics.webhook(channel, "unauthorized")
		s.log.Warn("webhook signature mismatch", "shop", shop.ID, "channel", channel, "remote", r.RemoteAddr)
		writeJSON(w, http.StatusUnauthorized, apiError{Code: "unauthorized", Message: "signature does not match"})
		return
	}
	if ct != "application/json" {
		s.metrics.webhook(channel, "unsupported_type")
		unsupportedType(w, ct)
		return
	}
	in, err := hook.parse(r, body)
	if err == nil {
		in.fromStore(store)
		err = in.validate()
	}
	if err != nil {
		s.metrics.webhook(channel, "invalid")
		s.writeError(w, err)
		return
	}
	if in.ignore != "" {
		s.metrics.webhook(channel, "ignored")
		writeJSON(w, http.StatusOK, webhookReply{OK: true, Outcome: "ignored", Reason: in.ignore})
		return
	}
	reply, err := s.applyInbound(shop, channel, in, body)
	if err != nil {
		outcome := "error"
		if c := app.ErrorCode(err); c != app.EInternal {
			outcome = "invalid"
		}
		s.metrics.webhook(channel, outcome)
		s.writeError(w, err)
		return
	}
	s.metrics.webhook(channel, reply.Outcome)
	writeJSON(w, http.StatusOK, reply)
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
func (s *Server) applyInbound(shop *Shop, channel string, in *inbound, body []byte) (*webhookReply, error) {
	key := in.delivery
	if key == "" {
		sum := sha256.Sum256(body)
		key = "sha256:" + hex.EncodeToString(sum[:])
	}
	key = channel + ":" + key
	var reply webhookReply
	now := s.now()
	results, head, err := applyLog(s.store, shop, now, func(tx ShopTx, pol app.Policy) ([]*app.Result, error) {
		reply = webhookReply{OK: true, Outcome: "duplicate"}
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
