package cloud

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// syncEvery is how often every shop's channels are reconciled on their
// own: pushes get lost (PlugoSync's FAQ), and a quarter of an hour is as
// late as a lost order may be found.
const syncEvery = 15 * time.Minute

// syncOverlap reaches back before the last reconciliation's end, so an
// order the platform stamped just before it is not missed.
const syncOverlap = 5 * time.Minute

// syncFirstWindow is how far back the first reconciliation of an account
// looks, and syncMaxWindow the furthest any looks after a long downtime.
const (
	syncFirstWindow = 24 * time.Hour
	syncMaxWindow   = 30 * 24 * time.Hour
)

// SyncReport is what one reconciliation of one shop's channel did.
type SyncReport = app.ChannelSync

// Sync reconciles one shop's channel: it lists the orders the platform
// updated in [from, to), fetches each, and applies it through the
// webhook's own path, so a missing order is created, one that is behind
// moves on, and none is doubled (orders are one per platform id, and an
// answer already applied is a duplicate delivery). Errors: EInvalid naming
// the field when the platform cannot list or the shop has no account; a
// platform that is down or refuses the list.
func (c *Channels) Sync(ctx context.Context, shop string, kind app.AccountKind, from, to time.Time) (*SyncReport, error) {
	ch := app.Channel(kind)
	ad, ok := c.adapters[ch]
	lister, isLister := ad.(channel.Lister)
	_, isParser := ad.(channel.DetailParser)
	if !ok || !isLister || !isParser {
		return nil, app.FieldError("kind", "%s orders cannot be listed from the platform", string(kind))
	}
	if c.srv == nil {
		return nil, errors.New("channels: not attached to a server")
	}
	if _, err := c.srv.store.Shop(shop); err != nil {
		return nil, err
	}
	sources, err := c.syncSources(shop, kind)
	if err != nil {
		return nil, err
	}
	if len(sources) == 0 {
		return nil, app.FieldError("kind", "the shop has no %s account", string(kind))
	}
	rep := &SyncReport{Shop: shop, Kind: kind, From: from.UTC(), To: to.UTC()}
	seen := map[string]bool{}
	for _, src := range sources {
		ids, err := lister.Updated(ctx, src.fields, from, to)
		if err != nil {
			if len(sources) == 1 {
				return rep, syncFailed(kind, err)
			}
			// One store that does not answer leaves the others' orders to sync;
			// the round counts as failed, so its window is tried again.
			rep.Failed = append(rep.Failed, fmt.Sprintf("%s: %s", src.name, app.ErrorMessage(syncFailed(kind, err))))
			continue
		}
		for _, id := range ids {
			if err := app.ValidateExternalID(ch, "order_id", id); err != nil {
				rep.Listed++
				rep.Failed = append(rep.Failed, fmt.Sprintf("%s: %s", id, app.ErrorMessage(err)))
				continue
			}
			ext := app.WooExternalID(src.store, id)
			if seen[ext] {
				continue
			}
			seen[ext] = true
			rep.Listed++
			// Keyed by the answer itself: an order fetched twice unchanged is one delivery.
			reply, err := c.fetchDetails(ctx, shop, ch, ext, "")
			if err != nil {
				if ctx.Err() != nil {
					return rep, ctx.Err()
				}
				rep.Failed = append(rep.Failed, fmt.Sprintf("%s: %v", ext, err))
				continue
			}
			switch {
			case reply == nil, reply.Outcome == "unchanged", reply.Outcome == "duplicate", reply.Outcome == "ignored":
				rep.Unchanged++
			case reply.Outcome == "created":
				rep.Created++
			default:
				rep.Updated++
			}
		}
	}
	return rep, nil
}

// syncSource is one account a reconciliation lists orders with: the
// platform's one account, or one of a shop's WooCommerce stores.
type syncSource struct {
	// store is the WooCommerce store key its orders' external ids carry
	// ("" for the shop's first store and for other platforms).
	store string
	// name is how the report names it: the store, or the platform.
	name   string
	fields map[string]string
}

// syncSources are the accounts a reconciliation of kind lists: every one
// of the shop's WooCommerce stores, or the platform's one account.
func (c *Channels) syncSources(shop string, kind app.AccountKind) ([]syncSource, error) {
	if kind != app.AccountWooCommerce || c.srv.accounts == nil {
		f, err := c.fields(shop, kind)
		if f == nil || err != nil {
			return nil, err
		}
		return []syncSource{{name: string(kind), fields: f}}, nil
	}
	stores, err := c.srv.accounts.WooStores(shop)
	return wooSources(stores), err
}

// wooSources are a shop's WooCommerce stores as accounts to read with.
func wooSources(stores []WooStore) []syncSource {
	out := make([]syncSource, 0, len(stores))
	for _, st := range stores {
		src := syncSource{name: st.Key, fields: st.Fields}
		if !st.First {
			src.store = st.Key
		}
		out = append(out, src)
	}
	return out
}

// syncFailed says in words why the platform's list could not be had.
func syncFailed(kind app.AccountKind, err error) error {
	if r, ok := channel.IsRefusal(err); ok {
		return app.Errorf(app.EInvalid, "%s refused to list its orders: %s", string(kind), r.Message)
	}
	return app.Errorf(app.EInvalid, "%s did not answer the order list; try again: %s", string(kind), err.Error())
}

// SyncChannel reconciles a shop's channel over the last days, as the
// "Sync now" button and `pos-cloud channel sync` ask. Errors: EInvalid
// naming the field.
func (s *Server) SyncChannel(ctx context.Context, shop string, kind app.AccountKind, days int) (*SyncReport, error) {
	if s.channels == nil {
		return nil, app.FieldError("kind", "%s orders cannot be listed from the platform", string(kind))
	}
	if days < 1 || days > 90 {
		return nil, app.FieldError("days", "must be from 1 to 90, got %d", days)
	}
	to := s.now()
	rep, err := s.channels.Sync(ctx, shop, kind, to.Add(-time.Duration(days)*24*time.Hour), to)
	if err == nil {
		s.syncedTo(shop, kind, to)
	}
	return rep, err
}

// syncedTo remembers, in the account, where the last reconciliation ended,
// so the next (and the first after a downtime) starts there.
func (s *Server) syncedTo(shop string, kind app.AccountKind, to time.Time) {
	err := s.accounts.update(shop, kind, func(acc *Account) (*Account, error) {
		if acc == nil || !acc.SyncedTo.Before(to) {
			return nil, nil
		}
		acc.SyncedTo = to.UTC()
		return acc, nil
	})
	if err != nil {
		s.log.Error("keeping the reconciliation's end", "shop", shop, "kind", kind, "err", err)
	}
}

// syncLoop reconciles every shop's listable channels at start, which
// catches up after the cloud's downtime, then every syncEvery; every
// listingsEvery of those rounds (and at start) it reads their listings too.
func (s *Server) syncLoop(ctx context.Context) {
	every := s.opt.SyncEvery
	if every <= 0 {
		every = syncEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	if s.channels != nil {
		// Stock figures queued when the cloud stopped go out first.
		s.channels.stock.recover(ctx)
	}
	var listed time.Time
	for {
		s.SyncAll(ctx)
		if s.listingsDue(&listed) {
			s.ReadAllListings(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SyncAll reconciles each account whose platform can list its orders,
// from where its last reconciliation ended (less an overlap) to now. One
// shop's failure is logged and does not hold back the others.
func (s *Server) SyncAll(ctx context.Context) {
	if s.channels == nil || s.accounts == nil {
		return
	}
	shops, err := s.store.Shops()
	if err != nil {
		s.log.Error("reconciliation: listing shops", "err", err)
		return
	}
	for _, sh := range shops {
		list, err := s.accounts.List(sh.ID)
		if err != nil {
			s.log.Error("reconciliation: opening accounts", "shop", sh.ID, "err", err)
			continue
		}
		for _, acc := range list {
			if ctx.Err() != nil {
				return
			}
			ad, ok := s.channels.adapters[app.Channel(acc.Kind)]
			if _, lists := ad.(channel.Lister); !ok || !lists {
				continue
			}
			if app.GrantedByOAuth(acc.Kind) && acc.Fields["access_token"] == "" {
				continue // not connected yet: the platform would only refuse
			}
			to := s.now()
			from := acc.SyncedTo.Add(-syncOverlap)
			if acc.SyncedTo.IsZero() {
				from = to.Add(-syncFirstWindow)
			}
			if to.Sub(from) > syncMaxWindow {
				from = to.Add(-syncMaxWindow)
			}
			rep, err := s.channels.Sync(ctx, sh.ID, acc.Kind, from, to)
			if err != nil {
				s.log.Warn("reconciliation failed", "shop", sh.ID, "kind", acc.Kind, "err", err)
				continue
			}
			if len(rep.Failed) > 0 {
				s.log.Warn("reconciliation left orders behind", "shop", sh.ID, "kind", acc.Kind, "failed", len(rep.Failed))
				continue // the same window is tried again next round
			}
			if rep.Created+rep.Updated > 0 {
				s.log.Info("reconciliation found lost pushes", "shop", sh.ID, "kind", acc.Kind, "created", rep.Created, "updated", rep.Updated)
			}
			s.syncedTo(sh.ID, acc.Kind, to)
		}
	}
}
