package backoffice_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/backoffice"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/pgtest"
	"github.com/kasir/pos/cloud/postgres"
	"github.com/kasir/pos/cloud/web"
)

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// testCloud is a real pos-cloud on loopback with the back office mounted.
type testCloud struct {
	url    string
	store  cloud.Backend
	srv    *cloud.Server
	shop   *cloud.Shop
	owners backoffice.Store
}

const testPassword = "kopi susu gula aren"

func startCloud(t testing.TB) *testCloud { return startCloudOn(t, "bolt") }

// backends are the cloud's stores the back office runs on.
var backends = []string{"bolt", "postgres"}

// eachBackend runs fn against a cloud on bbolt and one on its own PostgreSQL.
func eachBackend(t *testing.T, fn func(t *testing.T, tc *testCloud)) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) { fn(t, startCloudOn(t, b)) })
	}
}

// startCloudOn is a real pos-cloud on the backend named: "bolt", or
// "postgres" on a throwaway server of its own.
func startCloudOn(t testing.TB, backend string) *testCloud { return startCloudWith(t, backend, nil) }

// startCloudWith is startCloudOn with options changed by opt (nil: none).
func startCloudWith(t testing.TB, backend string, opt func(*cloud.Options)) *testCloud {
	t.Helper()
	var st cloud.Backend
	var err error
	if backend == "postgres" {
		st, err = postgres.Open(context.Background(), pgtest.Start(t))
	} else {
		st, err = bolt.Open(t.TempDir())
	}
	if err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	accounts, err := cloud.OpenAccounts(st, key)
	if err != nil {
		t.Fatal(err)
	}
	o := cloud.Options{Logger: quietLog(), Accounts: accounts}
	if opt != nil {
		opt(&o)
	}
	srv := cloud.NewServer(st, o)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = web.Serve(ctx, srv, "127.0.0.1:0", "", "", func(a string) { ready <- a })
	}()
	shop, err := cloud.AddShop(st, "Toko Test", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	owners, err := backoffice.StoreFor(st)
	if err != nil {
		t.Fatal(err)
	}
	tc := &testCloud{url: "http://" + <-ready, store: st, srv: srv, shop: shop, owners: owners}
	t.Cleanup(func() {
		cancel()
		<-done
		st.Close()
	})
	return tc
}

// addOwner creates an account for shop and returns its e-mail.
func (tc *testCloud) addOwner(t testing.TB, email, shop string, role backoffice.Role) string {
	t.Helper()
	if _, err := backoffice.AddOwner(tc.owners, email, testPassword, shop, role, time.Now()); err != nil {
		t.Fatal(err)
	}
	return email
}

// postWoo posts a signed WooCommerce order.created and returns the order's id here.
func postWoo(t testing.TB, baseURL string, shop *cloud.Shop, id int, total int) string {
	t.Helper()
	body := fmt.Sprintf(`{"id":%d,"number":"%d","status":"processing","currency":"IDR","date_created_gmt":"`+time.Now().UTC().Format("2006-01-02T15:04:05")+`",
"total":"%d.00","shipping_total":"15000.00","discount_total":"0.00","total_tax":"0.00","payment_method":"bacs",
"billing":{"first_name":"Budi","last_name":"Santoso","address_1":"Jl. Sudirman 1","city":"Jakarta","state":"JK","postcode":"10220","country":"ID","phone":"0812"},
"shipping":{"first_name":"Budi","last_name":"Santoso","address_1":"Jl. Sudirman 1","city":"Jakarta","state":"JK","postcode":"10220","country":"ID"},
"line_items":[{"id":1,"name":"Kaos","product_id":9,"quantity":2,"sku":"SKU-001","price":%d,"total":"%d.00"}]}`, id, id, total+15000, total/2, total)
	req, _ := http.NewRequest(http.MethodPost, baseURL+"/v1/shops/"+shop.ID+"/webhooks/woocommerce", bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-WC-Webhook-Topic", "order.created")
	req.Header.Set("X-WC-Webhook-Delivery-ID", fmt.Sprint(id))
	req.Header.Set("X-WC-Webhook-Signature", cloud.SignBase64(shop.Secrets[cloud.SecretWooCommerce], []byte(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("webhook %d: %d %s", id, resp.StatusCode, b)
	}
	return app.ChannelOrderID(app.ChannelWooCommerce, fmt.Sprint(id))
}

// browser is a plain HTTP client with cookies, for the checks that need no JS.
type browser struct {
	t    testing.TB
	c    *http.Client
	base string
}

func newBrowser(t testing.TB, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a request and returns the status, the Location and the body.
func (b *browser) do(method, path string, form url.Values) (int, string, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept-Language", "en")
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(data)
}

func (b *browser) signIn(email string) {
	b.t.Helper()
	code, loc, body := b.do("POST", "/backoffice/signin", url.Values{"email": {email}, "password": {testPassword}, "next": {"/backoffice/"}})
	if code != http.StatusSeeOther || loc != "/backoffice/" {
		b.t.Fatalf("sign in: %d %s %s", code, loc, body)
	}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the form token from a page.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	_, _, body := b.do("GET", path, nil)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no csrf token on %s: %s", path, body)
	}
	return m[1]
}

func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func cloudAddShop(tc *testCloud) (string, error) {
	sh, err := cloud.AddShop(tc.store, "Toko Lain", time.Now())
	if err != nil {
		return "", err
	}
	return sh.ID, nil
}
