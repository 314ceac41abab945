package cloud

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/kasir/pos/app"
)

// listingsEvery is how often the cloud reads every connected platform's
// listings on its own, so "Not in POS" is current without the owner's
// click: every fourth reconciliation round, and at start. A read pages
// through the whole shop, so it is slower than the orders' round.
const listingsEvery = time.Hour

// listingsTimeout bounds one platform's scheduled read of one shop.
const listingsTimeout = 5 * time.Minute

// listingReads is the latest read of each shop's listings per platform,
// kept in memory: the next round (one at start) reads them again.
type listingReads struct {
	mu   sync.Mutex
	last map[string]map[app.Channel]app.ListingRead
}

func (r *listingReads) note(shop string, read app.ListingRead) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last == nil {
		r.last = map[string]map[app.Channel]app.ListingRead{}
	}
	if r.last[shop] == nil {
		r.last[shop] = map[app.Channel]app.ListingRead{}
	}
	r.last[shop][read.Channel] = read
}

// ListingReads is how the latest read of each of the shop's platforms'
// listings went, by channel, since the cloud started.
func (s *Server) ListingReads(shop string) []app.ListingRead {
	s.listingReads.mu.Lock()
	defer s.listingReads.mu.Unlock()
	var out []app.ListingRead
	for _, r := range s.listingReads.last[shop] {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Channel < out[j].Channel })
	return out
}

// listingsDue reports whether the scheduled listings read is due, given
// when the last one began (zero: never, so at start), and notes now.
func (s *Server) listingsDue(last *time.Time) bool {
	every := s.opt.ListingsEvery
	if every < 0 {
		return false
	}
	if every == 0 {
		every = listingsEvery
	}
	if !last.IsZero() && time.Since(*last) < every {
		return false
	}
	*last = time.Now()
	return true
}

// ReadAllListings reads the listings of every shop's platform that has an
// account and whose adapter reads listings, keeping the owner's links
// (ReadListings). A platform's error is logged and kept for the "Not in
// POS" page (ListingReads); it does not hold back the other shops.
func (s *Server) ReadAllListings(ctx context.Context) {
	if s.accounts == nil {
		return
	}
	shops, err := s.store.Shops()
	if err != nil {
		s.log.Error("listings: listing shops", "err", err)
		return
	}
	for _, sh := range shops {
		list, err := s.accounts.List(sh.ID)
		if err != nil {
			s.log.Error("listings: opening accounts", "shop", sh.ID, "err", err)
			continue
		}
		read := map[app.Channel]bool{}
		for _, acc := range list {
			if ctx.Err() != nil {
				return
			}
			ch := app.Channel(acc.Kind)
			if read[ch] || !s.ListsCatalogue(ch) {
				continue
			}
			read[ch] = true // a shop's WooCommerce stores are read together
			if app.GrantedByOAuth(acc.Kind) && acc.Fields["access_token"] == "" {
				continue // not connected yet: the platform would only refuse
			}
			rctx, cancel := context.WithTimeout(ctx, listingsTimeout)
			n, err := s.ReadListings(rctx, sh.ID, ch)
			cancel()
			if err != nil {
				s.log.Warn("reading listings failed", "shop", sh.ID, "channel", string(ch), "err", err)
				continue
			}
			s.log.Debug("listings read", "shop", sh.ID, "channel", string(ch), "listings", n)
		}
	}
}
