package cloud

import (
	"context"
	"time"

	"github.com/kasir/pos/app"
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
// It returns how many were refreshed.
func (s *Server) RefreshTokens(ctx context.Context) int {
	if s.accounts == nil {
		return 0
	}
	shops, err := s.store.Shops()
	if err != nil {
		s.log.Error("token refresh: listing shops", "err", err)
		return 0
	}
	n := 0
	for _, sh := range shops {
		list, err := s.accounts.List(sh.ID)
		if err != nil {
			s.log.Error("token refresh: opening accounts", "shop", sh.ID, "err", err)
			continue
		}
		for _, acc := range list {
			if ctx.Err() != nil {
				return n
			}
			if !s.dueForRefresh(acc) {
				continue
			}
			a, ok := s.authorizer(acc.Kind)
			if !ok {
				continue
			}
			cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			tok, err := a.Refresh(cctx, acc.Fields)
			cancel()
			if err != nil {
				s.log.Warn("token refresh failed", "shop", sh.ID, "kind", acc.Kind, "err", s.grantFailed(sh.ID, acc.Kind, "token refresh", err))
				continue
			}
			if _, err := s.keepTokens(sh.ID, acc.Kind, tok); err != nil {
				s.log.Warn("token refresh answer not kept", "shop", sh.ID, "kind", acc.Kind, "err", s.grantFailed(sh.ID, acc.Kind, "token refresh", err))
				continue
			}
			n++
		}
	}
	return n
}

// dueForRefresh: an OAuth account with a refresh token whose access token
// expires within refreshBefore. An account without an expiry never is.
func (s *Server) dueForRefresh(acc *Account) bool {
	if !app.GrantedByOAuth(acc.Kind) || acc.Fields["refresh_token"] == "" {
		return false
	}
	exp, err := time.Parse(time.RFC3339, acc.Fields["expires_at"])
	if err != nil {
		return false
	}
	return s.now().Add(refreshBefore).After(exp)
}
