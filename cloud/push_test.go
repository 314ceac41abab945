package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// sellerHook is this test's own reader of pushes in the shape Lazada
// documents for its trade order message
// (https://open.lazada.com/apps/doc/doc?nodeId=29526&docId=120168):
// Authorization = hex HMAC-SHA256(app_secret, app_key + body), the shop
// named by seller_id. It exists to test the cloud's routing, not Lazada.
type sellerHook struct{}

func (sellerHook) Verify(f map[string]string, r *http.Request, body []byte) bool {
	return channel.EqualHex(f["app_secret"], r.Header.Get("Authorization"), channel.SignHex(f["app_secret"], append([]byte(f["app_key"]), body...)))
}

type sellerPush struct {
	SellerID string `json:"seller_id"`
	Data     struct {
		OrderStatus  string `json:"order_status"`
		TradeOrderID string `json:"trade_order_id"`
	} `json:"data"`
}

func (sellerHook) Parse(_ *http.Request, body []byte) (*channel.Inbound, error) {
	var p sellerPush
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, app.FieldError("body", "%s", err.Error())
	}
	return &channel.Inbound{Orders: []app.Incoming{{Channel: app.ChannelLazada, ExternalID: p.Data.TradeOrderID, ChannelStatus: p.Data.OrderStatus}}}, nil
}

func (sellerHook) ShopField() string { return "seller_id" }

func (sellerHook) PushShop(_ *http.Request, body []byte) (string, error) {
	var p sellerPush
	if err := json.Unmarshal(body, &p); err != nil {
		return "", err
	}
	return p.SellerID, nil
}

// ackingHook is sellerHook answering with an empty body.
type ackingHook struct{ sellerHook }

func (ackingHook) Ack() (string, []byte) { return "", nil }

func lazadaCreds(seller, secret string) string {
	return fmt.Sprintf(`{"app_key":"100%s","app_secret":"%s","seller_id":"%s"}`, seller, secret, seller)
}

func sellerBody(seller, order string) []byte {
	return []byte(fmt.Sprintf(`{"seller_id":"%s","message_type":0,"data":{"order_status":"pending","trade_order_id":"%s"}}`, seller, order))
}

func signSeller(key, secret string, body []byte) string {
	return channel.SignHex(secret, append([]byte(key), body...))
}

func pushTo(t testing.TB, url string, body []byte, sig string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func startPushCloud(t testing.TB, st Backend, hooks map[string]channel.Hook) (*Server, string) {
	t.Helper()
	acc, err := OpenAccounts(st, noticeKey)
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer(st, Options{Logger: quiet(), Accounts: acc, Hooks: hooks})
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Serve(ctx, "127.0.0.1:0", "", "", func(a string) { ready <- a }); err != nil {
			t.Error(err)
		}
	}()
	url := "http://" + <-ready
	t.Cleanup(func() { cancel(); <-done })
	return s, url
}

func orderCount(t testing.TB, st Backend, shop string) int {
	t.Helper()
	snap, err := st.Snapshot(shop)
	if err != nil {
		t.Fatal(err)
	}
	return len(snap.Orders)
}

// TestPushRoutesByShopIDToTheAccountThatOwnsIt: one URL for every shop of
// a partner app; the seller id picks the account, whose keys verify.
func TestPushRoutesByShopIDToTheAccountThatOwnsIt(t *testing.T) {
	st, err := OpenBolt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, url := startPushCloud(t, st, map[string]channel.Hook{"lazada": sellerHook{}})
	url += "/v1/channels/lazada/push"
	a, _ := AddShop(st, "Toko A", time.Now())
	b, _ := AddShop(st, "Toko B", time.Now())
	if _, err := s.accounts.Set(a.ID, app.AccountLazada, []byte(lazadaCreds("5001", "secretAAAAAAAAAAAA")), time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.accounts.Set(b.ID, app.AccountLazada, []byte(lazadaCreds("5002", "secretBBBBBBBBBBBB")), time.Now()); err != nil {
		t.Fatal(err)
	}

	body := sellerBody("5001", "260422900198")
	if code, out := pushTo(t, url, body, signSeller("1005001", "secretAAAAAAAAAAAA", body)); code != 200 || !strings.Contains(out, `"created"`) {
		t.Fatalf("push for seller 5001: %d %s", code, out)
	}
	if orderCount(t, st, a.ID) != 1 || orderCount(t, st, b.ID) != 0 {
		t.Fatal("the push must land in the shop whose account holds seller 5001, and only there")
	}

	headA, headB := headOf(t, st, a.ID), headOf(t, st, b.ID)
	for name, tc := range map[string]struct {
		body []byte
		sig  string
	}{
		"unknown seller":            {sellerBody("9999", "260422900199"), signSeller("1009999", "secretAAAAAAAAAAAA", sellerBody("9999", "260422900199"))},
		"another shop's secret":     {sellerBody("5001", "260422900200"), signSeller("1005002", "secretBBBBBBBBBBBB", sellerBody("5001", "260422900200"))},
		"no seller id":              {[]byte(`{"data":{}}`), "00"},
		"signature of another body": {sellerBody("5002", "260422900201"), signSeller("1005002", "secretBBBBBBBBBBBB", sellerBody("5002", "260422900202"))},
	} {
		if code, out := pushTo(t, url, tc.body, tc.sig); code != 401 {
			t.Errorf("%s: got %d %s, want 401", name, code, out)
		}
	}
	if headOf(t, st, a.ID) != headA || headOf(t, st, b.ID) != headB {
		t.Fatal("a refused push wrote something")
	}

	// Hex in either case verifies.
	body = sellerBody("5002", "260422900203")
	sig := signSeller("1005002", "secretBBBBBBBBBBBB", body)
	if code, out := pushTo(t, url, body, upper(sig)); code != 200 {
		t.Fatalf("upper-case hex: %d %s", code, out)
	}
	if orderCount(t, st, b.ID) != 1 {
		t.Fatal("seller 5002's push must land in shop B")
	}

	// Another shop cannot claim a seller id that is connected already.
	if _, err := s.accounts.Set(b.ID, app.AccountLazada, []byte(lazadaCreds("5001", "secretBBBBBBBBBBBB")), time.Now()); app.ErrorCode(err) != app.EConflict {
		t.Fatalf("claiming another shop's seller id: %v, want conflict", err)
	}
	// A replaced account drops its old route.
	if _, err := s.accounts.Set(a.ID, app.AccountLazada, []byte(lazadaCreds("5003", "secretAAAAAAAAAAAA")), time.Now()); err != nil {
		t.Fatal(err)
	}
	body = sellerBody("5001", "260422900204")
	if code, _ := pushTo(t, url, body, signSeller("1005001", "secretAAAAAAAAAAAA", body)); code != 401 {
		t.Fatalf("the old seller id must no longer route: %d", code)
	}
	body = sellerBody("5003", "260422900205")
	if code, out := pushTo(t, url, body, signSeller("1005003", "secretAAAAAAAAAAAA", body)); code != 200 {
		t.Fatalf("the new seller id routes: %d %s", code, out)
	}

	// A platform with no push route is 404.
	if code, _ := pushTo(t, url[:len(url)-len("lazada/push")]+"woocommerce/push", body, ""); code != 404 {
		t.Fatalf("woocommerce has no push route: %d", code)
	}
}

// TestPushAckIsTheHooksOwn: a hook that is a channel.Acker answers 200
// with its own body (Shopee: none at all).
func TestPushAckIsTheHooksOwn(t *testing.T) {
	st, err := OpenBolt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, url := startPushCloud(t, st, map[string]channel.Hook{"lazada": ackingHook{}})
	a, _ := AddShop(st, "Toko A", time.Now())
	if _, err := s.accounts.Set(a.ID, app.AccountLazada, []byte(lazadaCreds("5001", "secretAAAAAAAAAAAA")), time.Now()); err != nil {
		t.Fatal(err)
	}
	body := sellerBody("5001", "260422900198")
	code, out := pushTo(t, url+"/v1/channels/lazada/push", body, signSeller("1005001", "secretAAAAAAAAAAAA", body))
	if code != 200 || out != "" {
		t.Fatalf("ack: %d %q, want 200 and an empty body", code, out)
	}
	if orderCount(t, st, a.ID) != 1 {
		t.Fatal("the acknowledged push must be applied")
	}
}

func headOf(t testing.TB, st Backend, shop string) uint64 {
	t.Helper()
	_, head, _, err := st.ChangesAfter(shop, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return head
}

func upper(s string) string { return string(bytes.ToUpper([]byte(s))) }

// TestTokopediaPushesToOneURL: Tokopedia's notifications for every shop of
// the app arrive at /v1/channels/tokopedia/push and land in the shop whose
// account holds the body's shop_id, verified with that account's secret.
func TestTokopediaPushesToOneURL(t *testing.T) {
	cc := startChannelsCloud(t)
	a := cc.shop(t, app.AccountTokopedia, fmt.Sprintf(tokoCred, "http://127.0.0.1:1", "http://127.0.0.1:1"))
	other := strings.NewReplacer(`"479573"`, `"479574"`, "whk_0123456789abcdef", "whk_fedcba9876543210").Replace(tokoCred)
	b := cc.shop(t, app.AccountTokopedia, fmt.Sprintf(other, "http://127.0.0.1:1", "http://127.0.0.1:1"))
	body := []byte(strings.Replace(fmt.Sprintf(string(tokoPush), time.Now().Unix()), `"shop_id":479573`, `"shop_id":479574`, 1))
	url := cc.url + "/v1/channels/tokopedia/push"
	if code, out := pushTo(t, url, body, ""); code != 401 {
		t.Fatalf("unsigned: %d %s", code, out)
	}
	req := func(sig string) int {
		r, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization-Hmac", sig)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := req(channel.SignHex("whk_0123456789abcdef", body)); code != 401 {
		t.Fatalf("shop A's secret on shop B's push: %d", code)
	}
	if code := req(channel.SignHex("whk_fedcba9876543210", body)); code != 200 {
		t.Fatalf("shop B's push: %d", code)
	}
	if orderCount(t, cc.st, b.ID) != 1 || orderCount(t, cc.st, a.ID) != 0 {
		t.Fatal("the push must land in shop B only")
	}
}
