package cloud

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

// countingVault counts how often a shop's sealed accounts are read.
type countingVault struct {
	Backend
	opens atomic.Int64
}

func (c *countingVault) SealedAccounts(shop string) (map[app.AccountKind][]byte, error) {
	c.opens.Add(1)
	return c.Backend.SealedAccounts(shop)
}

// TestRefresherOpensOnlyDueAccounts: after one full scan, a refresher
// round opens only the accounts whose token is due, not every account of
// every shop; an account stored meanwhile is indexed at once; a full scan
// comes again after expiryRescan.
func TestRefresherOpensOnlyDueAccounts(t *testing.T) {
	st, err := OpenBolt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	vault := &countingVault{Backend: st}
	acc, err := OpenAccounts(vault, noticeKey)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	clock := func() time.Time { return now }
	srv := NewServer(st, Options{Logger: quiet(), Accounts: acc, Now: func() time.Time { return clock() }})
	lazada := func(seller string, expires time.Time) []byte {
		return []byte(fmt.Sprintf(`{"app_key":"k","app_secret":"s","seller_id":%q,"api_base":"http://127.0.0.1:1","access_token":"a%s","refresh_token":"r%s","expires_at":%q}`,
			seller, seller, seller, expires.Format(time.RFC3339)))
	}
	var shops []*Shop
	for i := range 6 {
		sh, err := AddShop(st, fmt.Sprintf("Toko %d", i), now)
		if err != nil {
			t.Fatal(err)
		}
		shops = append(shops, sh)
		raw := lazada(fmt.Sprint(5000+i), now.Add(4*time.Hour))
		if i == 0 {
			raw = lazada("5000", now.Add(10*time.Minute)) // due
		}
		if _, err := acc.Set(sh.ID, app.AccountLazada, raw, now); err != nil {
			t.Fatal(err)
		}
	}
	acc.expiry.rebuilt(nil, time.Time{}) // as a cloud that just started
	ctx := context.Background()
	vault.opens.Store(0)
	srv.RefreshTokens(ctx)
	if n := vault.opens.Load(); n != 7 { // the scan (six shops) and the one due
		t.Fatalf("the first round opened %d times", n)
	}
	vault.opens.Store(0)
	srv.RefreshTokens(ctx)
	if n := vault.opens.Load(); n != 1 {
		t.Fatalf("a later round opened %d times, want only the due account", n)
	}
	// Connected meanwhile with a short token: indexed when stored.
	if _, err := acc.Set(shops[3].ID, app.AccountLazada, lazada("5003", now.Add(5*time.Minute)), now); err != nil {
		t.Fatal(err)
	}
	vault.opens.Store(0)
	srv.RefreshTokens(ctx)
	if n := vault.opens.Load(); n != 2 {
		t.Fatalf("opened %d times, want the two due", n)
	}
	now = now.Add(expiryRescan)
	vault.opens.Store(0)
	srv.RefreshTokens(ctx)
	if n := vault.opens.Load(); n < 6 {
		t.Fatalf("no full scan after %s: %d opens", expiryRescan, n)
	}
}
