package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

// shopeeCreds' token has expired, so `account set` makes no call to try it
// (channel/shopee Check: trying it would spend the refresh token).
const shopeeCreds = `{"partner_id": 2001234, "partner_key": "shpk4f6e7a8b9c0d1e2f3a4b5c6d7e8f9a0b", "shop_id": "778899",
 "push_url": "https://cloud.example.id/v1/channels/shopee/push", "access_token": "tok-51a2b3c4d5e6f7a8b9c0", "expires_at": "2026-01-01T00:00:00Z"}`

func runMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb strings.Builder
	code := Main(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestAccountsAreSealedMaskedAndCheckedByField(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenBolt(dir)
	if err != nil {
		t.Fatal(err)
	}
	shop, _ := AddShop(st, "Toko", time.Now())
	st.Close()
	creds := filepath.Join(t.TempDir(), "shopee.json")
	if err := os.WriteFile(creds, []byte(shopeeCreds), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runMain(t, "account", "set", "--shop", shop.ID, "--kind", "shopee", "--file", creds, "--data", dir)
	if code != 0 {
		t.Fatalf("account set: %d %s", code, errs)
	}
	if strings.Contains(out, "shpk4f6e7a8b9c0d1e2f3a4b5c6d7e8f9a0b") || !strings.Contains(out, "••••9a0b") {
		t.Fatalf("set must print the secret masked:\n%s", out)
	}
	// The key file was created in the data directory, for the owner only.
	if fi, err := os.Stat(filepath.Join(dir, SecretsKeyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	code, out, errs = runMain(t, "account", "show", "--shop", shop.ID, "--data", dir, "--json")
	if code != 0 {
		t.Fatalf("account show: %d %s", code, errs)
	}
	var shown []MaskedAccount
	if err := json.Unmarshal([]byte(out), &shown); err != nil || len(shown) != 1 {
		t.Fatalf("show --json: %s %v", out, err)
	}
	f := shown[0].Fields
	if f["partner_id"] != "2001234" || f["shop_id"] != "778899" || f["api_base"] != "https://partner.shopeemobile.com" ||
		f["partner_key"] != "••••9a0b" || f["access_token"] != "••••b9c0" {
		t.Fatalf("masked fields: %v", f)
	}
	// At rest the secret is nowhere in the file.
	raw, err := os.ReadFile(filepath.Join(dir, "cloud.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"shpk4f6e7a8b9c0d1e2f3a4b5c6d7e8f9a0b", "tok-51a2b3c4d5e6f7a8b9c0", "cloud.example.id"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Fatalf("%q is stored in clear", secret)
		}
	}

	bad := map[string]string{
		`{"partner_id": 1, "shop_id": 2, "push_url": "https://x.id/p"}`:                                    "partner_key",
		`{"partner_id": "12a", "partner_key": "k", "shop_id": 2, "push_url": "https://x.id/p"}`:            "partner_id",
		`{"partner_id": 1, "partner_key": "k", "shop_id": 2, "push_url": "ftp://x.id/p"}`:                  "push_url",
		`{"partner_id": 1, "partner_key": "k", "shop_id": 2, "push_url": "https://x.id/p", "pin": "1234"}`: "pin",
		`{"partner_id": 1, "partner_key": ["k"], "shop_id": 2, "push_url": "https://x.id/p"}`:              "partner_key",
		`[1,2]`: "file",
	}
	for body, field := range bad {
		_, err := app.ParseAccount(app.AccountShopee, []byte(body))
		if app.ErrorCode(err) != app.EInvalid || !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(strings.ReplaceAll(field, "_", " "))) &&
			!strings.Contains(strings.ToLower(err.Error()), field) {
			t.Errorf("%s: %v, want a refusal naming %s", body, err, field)
		}
	}
	if err := os.WriteFile(creds, []byte(`{"host":"smtp.example.id","port":587,"tls":"sometimes","from":"toko@example.id"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runMain(t, "account", "set", "--shop", shop.ID, "--kind", "smtp", "--file", creds, "--data", dir)
	if code == 0 || !strings.Contains(strings.ToLower(errs), "tls") {
		t.Fatalf("bad smtp tls: %d %s", code, errs)
	}
	code, _, errs = runMain(t, "account", "set", "--shop", shop.ID, "--kind", "fax", "--file", creds, "--data", dir)
	if code == 0 || !strings.Contains(strings.ToLower(errs), "kind") {
		t.Fatalf("unknown kind: %d %s", code, errs)
	}
}

func TestAWrongOrUnreadableKeyStopsTheCloudAndChangesNothing(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenBolt(dir)
	if err != nil {
		t.Fatal(err)
	}
	shop, _ := AddShop(st, "Toko", time.Now())
	key, err := LoadSecretsKey("", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := OpenAccounts(st, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acc.Set(shop.ID, app.AccountStore, []byte(`{"webhook_secret":"own-secret-0123456789"}`), time.Now()); err != nil {
		t.Fatal(err)
	}
	before, _ := st.SealedAccounts(shop.ID)
	st.Close()

	other := filepath.Join(t.TempDir(), "other.key")
	if err := os.WriteFile(other, []byte(strings.Repeat("ab", 32)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runMain(t, "serve", "--listen", "127.0.0.1:0", "--data", dir, "--secrets-key-file", other)
	if code == 0 || !strings.Contains(errs, "not the one the stored accounts were sealed with") {
		t.Fatalf("wrong key: exit %d: %s", code, errs)
	}
	code, _, errs = runMain(t, "account", "show", "--shop", shop.ID, "--data", dir, "--secrets-key-file", filepath.Join(dir, "missing.key"))
	if code == 0 || !strings.Contains(errs, "cannot be read") {
		t.Fatalf("unreadable key: exit %d: %s", code, errs)
	}
	if err := os.WriteFile(other, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runMain(t, "serve", "--listen", "127.0.0.1:0", "--data", dir, "--secrets-key-file", other)
	if code == 0 || !strings.Contains(errs, "32-byte key") {
		t.Fatalf("malformed key: exit %d: %s", code, errs)
	}
	st, err = OpenBolt(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	after, _ := st.SealedAccounts(shop.ID)
	if !bytes.Equal(before[app.AccountStore], after[app.AccountStore]) {
		t.Fatal("a refused key changed the stored accounts")
	}
	acc, err = OpenAccounts(st, key)
	if err != nil {
		t.Fatalf("the right key no longer opens: %v", err)
	}
	list, err := acc.List(shop.ID)
	if err != nil || list[0].Fields["webhook_secret"] != "own-secret-0123456789" {
		t.Fatalf("after refusals: %+v %v", list, err)
	}
}

func TestWebhooksAreVerifiedWithTheShopsAccountAndNeverLogIt(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenBolt(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	key, _ := LoadSecretsKey("", dir, nil)
	accounts, err := OpenAccounts(st, key)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	s := NewServer(st, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil)), Accounts: accounts})
	withAccount, _ := AddShop(st, "Toko A", time.Now())
	generated, _ := AddShop(st, "Toko B", time.Now())

	// The owner sets the WooCommerce account through the running server's admin socket.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = s.ServeAdmin(ctx, dir) }()
	defer func() { cancel(); <-done }()
	waitUntil(t, 2*time.Second, "admin socket", func() bool { _, err := os.Stat(filepath.Join(dir, AdminSocket)); return err == nil })
	woo := `{"store_url":"https://toko-a.example.id","consumer_key":"ck_0123456789abcdef","consumer_secret":"cs_0123456789abcdef","webhook_secret":"wc-secret-set-in-woocommerce"}`
	if _, err := (Admin{Dir: dir, Backends: testWiring()}).SetAccount(withAccount.ID, app.AccountWooCommerce, []byte(woo)); err != nil {
		t.Fatal(err)
	}

	postWoo := func(shop *Shop, secret string, id int) int {
		body := []byte(`{"id":` + fmt.Sprint(id) + `,"number":"` + fmt.Sprint(id) + `","status":"processing","currency":"IDR",
"date_created_gmt":"` + time.Now().UTC().Format("2006-01-02T15:04:05") + `","total":"50000.00","shipping_total":"0.00","discount_total":"0.00","total_tax":"0.00",
"billing":{"first_name":"Rina","phone":"0812"},"shipping":{"first_name":"Rina","address_1":"Jl. Braga 5","city":"Bandung"},
"line_items":[{"id":1,"name":"Kaos","quantity":1,"sku":"SKU-1","price":50000,"total":"50000.00"}]}`)
		req := httptest.NewRequest("POST", "/v1/shops/"+shop.ID+"/webhooks/woocommerce", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-WC-Webhook-Topic", "order.created")
		req.Header.Set("X-WC-Webhook-Signature", SignBase64(secret, body))
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		return rec.Code
	}
	if code := postWoo(withAccount, "wc-secret-set-in-woocommerce", 1); code != http.StatusOK {
		t.Fatalf("signed with the account's secret: %d", code)
	}
	if code := postWoo(withAccount, withAccount.Secrets[SecretWooCommerce], 2); code != http.StatusUnauthorized {
		t.Fatalf("the generated secret must stop working once the shop set its own: %d", code)
	}
	if code := postWoo(generated, generated.Secrets[SecretWooCommerce], 3); code != http.StatusOK {
		t.Fatalf("a shop that lets the cloud generate its secret: %d", code)
	}
	for _, secret := range []string{"wc-secret-set-in-woocommerce", "ck_0123456789abcdef", "cs_0123456789abcdef"} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("the log holds %q:\n%s", secret, logs.String())
		}
	}
	if !strings.Contains(logs.String(), "account set") {
		t.Fatalf("the account change is not logged at all:\n%s", logs.String())
	}
}
