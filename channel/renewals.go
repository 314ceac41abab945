package channel

import (
	"context"
	"sync"
)

// Renewals keeps the token pairs an adapter renewed in the middle of its
// calls, per account, while the account still holds the access token they
// replaced; the cloud stores them in the account soon after. It renews
// once for every call that found the same access token stale, so a
// platform whose refresh token works once (Shopee, TikTok) never sees it
// spent twice. The zero value is ready.
type Renewals struct {
	mu, renewMu sync.Mutex
	pairs       map[string]renewal
}

type renewal struct {
	replaced string
	tok      Tokens
}

// Current is the pair renewed for the account key since stored was kept,
// or stored itself.
func (r *Renewals) Current(key string, stored Tokens) Tokens {
	r.mu.Lock()
	s, ok := r.pairs[key]
	r.mu.Unlock()
	if ok && s.replaced == stored.Access {
		return s.tok
	}
	return stored
}

// Renew calls refresh with the account's refresh token, unless a call
// before this one already replaced stale; the new pair is kept for key and
// told to renewed.
func (r *Renewals) Renew(ctx context.Context, key string, stored Tokens, stale string,
	refresh func(ctx context.Context, refreshToken string) (Tokens, error), renewed func(Tokens)) error {
	r.renewMu.Lock()
	defer r.renewMu.Unlock()
	cur := r.Current(key, stored)
	if cur.Access != stale {
		return nil
	}
	t, err := refresh(ctx, cur.Refresh)
	if err != nil {
		return err
	}
	r.mu.Lock()
	if r.pairs == nil {
		r.pairs = map[string]renewal{}
	}
	r.pairs[key] = renewal{replaced: stored.Access, tok: t}
	r.mu.Unlock()
	if renewed != nil {
		renewed(t)
	}
	return nil
}
