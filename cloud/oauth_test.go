package cloud

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// platformCloud is a served cloud whose Lazada channel is testAdapter
// against testPlatform, with one shop holding the app's keys.
type platformCloud struct {
	srv  *Server
	st   Backend
	url  string
	p    *testPlatform
	shop *Shop
}

func startPlatformCloud(t testing.TB, opt Options) *platformCloud {
	t.Helper()
	p := newTestPlatform()
	t.Cleanup(p.Close)
	st, err := OpenBolt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	acc, err := OpenAccounts(st, noticeKey)
	if err != nil {
		t.Fatal(err)
	}
	opt.Logger, opt.Accounts = quiet(), acc
	opt.Followers = append(opt.Followers, NewChannels(newTestAdapter()))
	opt.Hooks = map[string]channel.Hook{"lazada": sellerHook{}}
	s := NewServer(st, opt)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Serve(ctx, "127.0.0.1:0", "", "", func(a string) { ready <- a }); err != nil {
			t.Error(err)
		}
	}()
	pc := &platformCloud{srv: s, st: st, url: "http://" + <-ready, p: p}
	t.Cleanup(func() { cancel(); <-done; st.Close() })
	pc.shop, err = AddShop(st, "Toko Ayu", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	keys := fmt.Sprintf(`{"app_key":%q,"app_secret":%q,"seller_id":"5001","api_base":%q}`, testAppKey, testAppSecret, p.URL)
	if _, err := acc.Set(pc.shop.ID, app.AccountLazada, []byte(keys), time.Now()); err != nil {
		t.Fatal(err)
	}
	return pc
}

func (pc *platformCloud) account(t testing.TB) *Account {
	t.Helper()
	acc, err := pc.srv.accounts.Account(pc.shop.ID, app.AccountLazada)
	if err != nil || acc == nil {
		t.Fatalf("account: %v %v", acc, err)
	}
	return acc
}

func getPage(t testing.TB, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestOAuthConnectCallbackKeepsTheGrant: Connect makes a link whose state
// names the shop; the platform's redirect brings a code back, which is
// exchanged and kept in the account with its expiry; the state works once.
func TestOAuthConnectCallbackKeepsTheGrant(t *testing.T) {
	pc := startPlatformCloud(t, Options{})
	link, err := pc.srv.Connect(pc.shop.ID, app.AccountLazada)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(link)
	state, redirect := u.Query().Get("state"), u.Query().Get("redirect_uri")
	if len(state) < 40 || redirect != pc.url+"/v1/oauth/lazada/callback" || u.Query().Get("client_id") != testAppKey {
		t.Fatalf("link %s", link)
	}
	if other, _ := pc.srv.Connect(pc.shop.ID, app.AccountLazada); strings.Contains(other, state) {
		t.Fatal("each Connect must make its own state")
	}
	pc.p.issue("code-1")
	code, page := getPage(t, redirect+"?"+url.Values{"code": {"code-1"}, "state": {state}}.Encode())
	if code != 200 || !strings.Contains(page, "terhubung, token berlaku sampai") || !strings.Contains(page, "connected, token expires at") {
		t.Fatalf("callback: %d %s", code, page)
	}
	acc := pc.account(t)
	exp, err := time.Parse(time.RFC3339, acc.Fields["expires_at"])
	if acc.Fields["access_token"] == "" || acc.Fields["refresh_token"] == "" || err != nil || exp.Before(time.Now().Add(3*time.Hour)) {
		t.Fatalf("kept %v", acc.Fields)
	}
	m, err := pc.srv.accounts.Masked(pc.shop.ID)
	if err != nil || m[0].Status.Connection != app.ConnConnected || strings.Contains(fmt.Sprint(m[0].Fields), acc.Fields["access_token"]) {
		t.Fatalf("masked %+v %v", m, err)
	}

	// The same state again, a made-up one, and one of another platform: refused, nothing kept.
	pc.p.issue("code-2")
	for name, q := range map[string]string{
		"used state":    url.Values{"code": {"code-2"}, "state": {state}}.Encode(),
		"unknown state": url.Values{"code": {"code-2"}, "state": {"x" + state[1:]}}.Encode(),
		"no state":      url.Values{"code": {"code-2"}}.Encode(),
	} {
		if code, page := getPage(t, redirect+"?"+q); code != 400 || !strings.Contains(page, "Connect") {
			t.Errorf("%s: %d %s", name, code, page)
		}
	}
	if pc.account(t).Fields["access_token"] != acc.Fields["access_token"] {
		t.Fatal("a refused callback changed the account")
	}
	if code, _ := getPage(t, pc.url+"/v1/oauth/woocommerce/callback?code=x&state=y"); code != 404 {
		t.Fatalf("woocommerce has no OAuth: %d", code)
	}
}

// TestOAuthPastedCodeAndTheRefusalShown: the owner may paste a code; a code
// the platform refuses is said, and kept as the account's state.
func TestOAuthPastedCodeAndTheRefusalShown(t *testing.T) {
	pc := startPlatformCloud(t, Options{})
	_, err := pc.srv.ConnectCode(context.Background(), pc.shop.ID, app.AccountLazada, "never-issued", nil)
	if err == nil || !strings.Contains(err.Error(), "authorization code is invalid or used") {
		t.Fatalf("refused code: %v", err)
	}
	m, _ := pc.srv.accounts.Masked(pc.shop.ID)
	if m[0].Status.Connection != app.ConnError || !strings.Contains(m[0].Status.Text().In(app.Indonesian), "platform menolak") {
		t.Fatalf("status %+v", m[0].Status)
	}
	pc.p.issue("pasted")
	got, err := pc.srv.ConnectCode(context.Background(), pc.shop.ID, app.AccountLazada, " pasted ", nil)
	if err != nil || got.Status.Connection != app.ConnConnected || got.LastError != "" {
		t.Fatalf("pasted code: %+v %v", got, err)
	}
	if _, err := pc.srv.ConnectCode(context.Background(), pc.shop.ID, app.AccountWooCommerce, "x", nil); app.ErrorCode(err) != app.EInvalid {
		t.Fatalf("woocommerce: %v", err)
	}
}

// TestTokensAreRefreshedBeforeTheyExpire: the refresher renews a token
// that expires within half an hour, leaves a fresh one alone, and a
// refresh the platform refuses shows on the account.
func TestTokensAreRefreshedBeforeTheyExpire(t *testing.T) {
	pc := startPlatformCloud(t, Options{RefreshEvery: time.Hour})
	pc.p.setTTL(10 * time.Minute)
	pc.p.issue("c")
	if _, err := pc.srv.ConnectCode(context.Background(), pc.shop.ID, app.AccountLazada, "c", nil); err != nil {
		t.Fatal(err)
	}
	first := pc.account(t).Fields["access_token"]
	pc.p.setTTL(4 * time.Hour)
	if n := pc.srv.RefreshTokens(context.Background()); n != 1 {
		t.Fatalf("refreshed %d, want 1", n)
	}
	acc := pc.account(t)
	if acc.Fields["access_token"] == first || pc.p.refreshs != 1 {
		t.Fatalf("not refreshed: %v", acc.Fields)
	}
	if n := pc.srv.RefreshTokens(context.Background()); n != 0 || pc.p.refreshs != 1 {
		t.Fatal("a token good for 4 hours must be left alone")
	}
	// A short grant whose refresh token the platform forgets: the refresh is refused and said.
	pc.p.setTTL(10 * time.Minute)
	pc.p.issue("c2")
	if _, err := pc.srv.ConnectCode(context.Background(), pc.shop.ID, app.AccountLazada, "c2", nil); err != nil {
		t.Fatal(err)
	}
	pc.p.mu.Lock()
	pc.p.refresh = map[string]bool{}
	pc.p.mu.Unlock()
	if n := pc.srv.RefreshTokens(context.Background()); n != 0 {
		t.Fatal("a refused refresh counted")
	}
	acc = pc.account(t)
	if !strings.Contains(acc.LastError, "refresh token is invalid") {
		t.Fatalf("last error %q", acc.LastError)
	}
}
