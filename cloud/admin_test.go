package cloud_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/web"
)

func runCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cloud.Main(context.Background(), args, &out, &errb)
	return code, out.String() + errb.String()
}

func TestAdminCommandsWithAndWithoutServer(t *testing.T) {
	dir := t.TempDir()
	// No server: the CLI opens the file itself.
	code, out := runCLI(t, "shop", "add", "--data", dir, "--name", "Toko Satu", "--json")
	if code != 0 {
		t.Fatalf("shop add: %d %s", code, out)
	}
	var shop cloud.ShopCreated
	if err := json.Unmarshal([]byte(out), &shop); err != nil || shop.ID == "" {
		t.Fatalf("shop add --json: %q %v", out, err)
	}
	for _, k := range []string{"woocommerce", "store", "shopee", "tokopedia", "lazada", "tiktok", "logistics", "lazada_app_key", "tiktok_app_key"} {
		if shop.Secrets[k] == "" {
			t.Errorf("secret %s missing", k)
		}
	}

	// A running server holds the file; the CLI goes through its admin socket.
	st, err := bolt.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := cloud.NewServer(st, cloud.Options{Logger: quietLog()})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = srv.ServeAdmin(ctx, dir) }()
	ready := make(chan string, 1)
	go func() { _ = srv.Serve(ctx, "127.0.0.1:0", "", "", func(a string) { ready <- a }) }()
	base := "http://" + <-ready
	time.Sleep(50 * time.Millisecond)

	code, out = runCLI(t, "terminal", "add", "--data", dir, "--shop", shop.ID, "--name", "Kasir 1", "--json")
	if code != 0 {
		t.Fatalf("terminal add with server running: %d %s", code, out)
	}
	var term cloud.TerminalCreated
	if err := json.Unmarshal([]byte(out), &term); err != nil || term.Token == "" {
		t.Fatalf("terminal add --json: %q %v", out, err)
	}
	if tt, err := st.TerminalByToken(cloud.HashToken(term.Token)); err != nil || tt.ID != term.ID {
		t.Fatalf("token not stored hashed: %v", err)
	}
	if code, out = runCLI(t, "terminal", "revoke", "--data", dir, term.ID); code != 0 {
		t.Fatalf("revoke: %s", out)
	}
	if tt, _ := st.Terminal(term.ID); !tt.Revoked {
		t.Fatal("terminal not revoked")
	}
	catalogue := filepath.Join(t.TempDir(), "products.json")
	_ = os.WriteFile(catalogue, []byte(`[{"sku":"SKU-001","name":"Kaos","currency":"IDR","price":75000,"on_hand":10}]`), 0o600)
	if code, out = runCLI(t, "products", "import", "--data", dir, "--shop", shop.ID, "--file", catalogue); code != 0 {
		t.Fatalf("products import: %s", out)
	}
	if snap, _ := st.Snapshot(shop.ID); len(snap.Products) != 1 || snap.Products[0].OnHand != 10 {
		t.Fatalf("catalogue not imported: %+v", snap.Products)
	}
	if code, out = runCLI(t, "terminal", "add", "--data", dir, "--shop", "shop_nope", "--name", "x"); code == 0 || !strings.Contains(out, "not found") {
		t.Fatalf("unknown shop: %d %s", code, out)
	}

	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"pos_cloud_connections", "pos_cloud_changes_total", "pos_cloud_webhooks_total", "pos_cloud_sync_lag_changes"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestEmbeddedKeepsItsShop(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	e, err := web.StartEmbedded(ctx, bolt.OpenBackend, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if e.ShopID == "" || e.Token == "" || !strings.HasPrefix(e.BaseURL, "http://127.0.0.1:") {
		t.Fatalf("embedded %+v", e)
	}
	resp, err := http.Get(e.BaseURL + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v", err)
	}
	resp.Body.Close()
	first := e.ShopID
	cancel()
	if err := e.Wait(); err != nil {
		t.Fatal(err)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	e2, err := web.StartEmbedded(ctx2, bolt.OpenBackend, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if e2.ShopID != first {
		t.Fatalf("restart made a new shop %s (was %s)", e2.ShopID, first)
	}
	cancel2()
	_ = e2.Wait()
}
