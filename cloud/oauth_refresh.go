package cloud

import (
	"context"
	"time"
)

// refreshBefore is how long before its expiry a token is refreshed: the
// shortest-lived (Shopee's, 4 hours) is refreshed with room for a few
// failed rounds while the old one still works.
const refreshBefore = 30 * time.Minute

// refreshLoop refreshes every shop's expiring tokens until ctx ends, once
// at start (catching up after the cloud's downtime) and then every
// Options.RefreshEvery (one minute).
func (s *Server) refreshLoop(ctx context.Context) {
	every := s.opt.RefreshEvery
	if every <= 0 {
		every = time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		s.RefreshTokens(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RefreshTokens refreshes each OAuth account whose access token expires
// within refreshBefore (or has expired) and that holds a refresh token. A
// refusal is kept as the account's last error and tried again next round.
// It opens only the accounts the expiry index says are due, and every
// account once per expiryRescan (at start, after a downtime, and for
// accounts another instance connected). It returns how many were refreshed.
func (s *Server) RefreshTokens(ctx context.Context) int {
	if s.accounts == nil {
		return 0
	}
	x := &s.accounts.expiry
	if x.stale(s.now()) {
		s.scanExpiries()
	}
	n := 0
	for _, k := range x.due(s.now().Add(refreshBefore)) {
		if ctx.Err() != nil {
			return n
		}
		acc, err := s.accounts.Account(k.shop, k.kind)
		if err != nil {
			s.log.Error("token refresh: opening the account", "shop", k.shop, "kind", k.kind, "err", err)
			continue
		}
		if acc == nil {
			x.rebuilt(nil, time.Time{}) // gone: the next round scans again
			continue
		}
		x.note(k.shop, acc)
		if !s.dueForRefresh(acc) {
			continue // renewed meanwhile (by a call that found it expired, or another instance)
		}
		a, ok := s.authorizer(acc.Kind)
		if !ok {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		tok, err := a.Refresh(cctx, acc.Fields)
		cancel()
		if err != nil {
			s.log.Warn("token refresh failed", "shop", k.shop, "kind", acc.Kind, "err", s.grantFailed(k.shop, acc.Kind, "token refresh", err))
			continue
		}
		if _, err := s.keepTokens(k.shop, acc.Kind, tok); err != nil {
			s.log.Warn("token refresh answer not kept", "shop", k.shop, "kind", acc.Kind, "err", s.grantFailed(k.shop, acc.Kind, "token refresh", err))
			continue
		}
		n++
	}
	return n
}

// scanExpiries opens every account of every shop and rebuilds the expiry
// index from what they hold. A shop whose accounts cannot be opened is
// logged and left out until the next scan.
func (s *Server) scanExpiries() {
	shops, err := s.store.Shops()
	if err != nil {
		s.log.Error("token refresh: listing shops", "err", err)
		return
	}
	seen := map[expiryKey]time.Time{}
	for _, sh := range shops {
		list, err := s.accounts.List(sh.ID)
		if err != nil {
			s.log.Error("token refresh: opening accounts", "shop", sh.ID, "err", err)
			continue
		}
		for _, acc := range list {
			if exp, ok := refreshable(acc); ok {
				seen[expiryKey{sh.ID, acc.Kind}] = exp
			}
		}
	}
	s.accounts.expiry.rebuilt(seen, s.now())
}

// dueForRefresh: an OAuth account with a refresh token whose access token
// expires within refreshBefore. An account without an expiry never is.
func (s *Server) dueForRefresh(acc *Account) bool {
	exp, ok := refreshable(acc)
	return ok && s.now().Add(refreshBefore).After(exp)
}
