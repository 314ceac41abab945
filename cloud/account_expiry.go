package cloud

import (
	"sync"
	"time"

	"github.com/kasir/pos/app"
)

// expiryRescan is how often the refresher opens every account again
// rather than only those the index says are due: another cloud instance
// sharing the store may have connected an account meanwhile.
const expiryRescan = 15 * time.Minute

// expiryIndex is, per shop and OAuth kind, when the account's access token
// expires, so the token refresher opens only the accounts that are due
// instead of every sealed account of every shop each minute. It is kept
// in memory: every account this instance stores updates it, and a full
// scan rebuilds it every expiryRescan.
type expiryIndex struct {
	mu      sync.Mutex
	at      map[expiryKey]time.Time
	scanned time.Time // when the last full scan rebuilt it; zero: never
}

type expiryKey struct {
	shop string
	kind app.AccountKind
}

// refreshable is when acc's token expires, and whether the refresher has
// anything to renew at all (an OAuth account with a refresh token and an expiry).
func refreshable(acc *Account) (time.Time, bool) {
	if acc == nil || !app.GrantedByOAuth(acc.Kind) || acc.Fields["refresh_token"] == "" {
		return time.Time{}, false
	}
	exp, err := time.Parse(time.RFC3339, acc.Fields["expires_at"])
	return exp, err == nil
}

// note records the account as just stored or read.
func (x *expiryIndex) note(shop string, acc *Account) {
	k := expiryKey{shop, acc.Kind}
	exp, ok := refreshable(acc)
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.at == nil {
		x.at = map[expiryKey]time.Time{}
	}
	if ok {
		x.at[k] = exp
	} else {
		delete(x.at, k)
	}
}

// stale reports whether a full scan is due.
func (x *expiryIndex) stale(now time.Time) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.scanned.IsZero() || now.Sub(x.scanned) >= expiryRescan
}

// rebuilt marks a full scan done at when, dropping accounts it did not see.
func (x *expiryIndex) rebuilt(seen map[expiryKey]time.Time, when time.Time) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.at, x.scanned = seen, when
}

// due lists the accounts whose token expires before by.
func (x *expiryIndex) due(by time.Time) []expiryKey {
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []expiryKey
	for k, exp := range x.at {
		if by.After(exp) {
			out = append(out, k)
		}
	}
	return out
}
