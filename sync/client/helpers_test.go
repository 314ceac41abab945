package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	stdsync "sync"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/command"
	"github.com/kasir/pos/cloud/web"
	"github.com/kasir/pos/store"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

// TestMain lets the kill test re-exec this binary as a pos-cloud server.
func TestMain(m *testing.M) {
	if args := os.Getenv("POS_CLOUD_CHILD_ARGS"); args != "" {
		var argv []string
		_ = json.Unmarshal([]byte(args), &argv)
		os.Exit(command.Main(context.Background(), cloud.Wiring{Bolt: bolt.OpenBackend, Serve: web.ServeWithAdmin}, argv, io.Discard, io.Discard))
	}
	if args := os.Getenv(envTerminalChild); args != "" {
		runTerminalChild(args)
		return
	}
	os.Exit(m.Run())
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

type testCloud struct {
	url   string
	store *bolt.Store
	srv   *cloud.Server
	shop  *cloud.Shop
}

func startCloud(t testing.TB) *testCloud {
	t.Helper()
	dir := t.TempDir()
	st, err := bolt.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := cloud.NewServer(st, cloud.Options{Logger: quietLog()})
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
	tc := &testCloud{url: "http://" + <-ready, store: st, srv: srv, shop: shop}
	t.Cleanup(func() {
		cancel()
		<-done
		st.Close()
	})
	return tc
}

func (tc *testCloud) token(t testing.TB) (string, string) {
	t.Helper()
	term, tok, err := cloud.AddTerminal(tc.store, tc.shop.ID, "tablet", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return term.ID, tok
}

// postWoo posts a signed WooCommerce order.created for order id and returns its order id here.
func postWoo(t testing.TB, baseURL string, shop *cloud.Shop, id int) string {
	t.Helper()
	// Created now: an older order would be past its deadline, and the cloud rejects those by itself.
	body := fmt.Sprintf(`{"id":%d,"number":"%d","status":"processing","currency":"IDR","date_created_gmt":"`+time.Now().UTC().Format("2006-01-02T15:04:05")+`",
"total":"165000.00","shipping_total":"15000.00","discount_total":"0.00","total_tax":"0.00","payment_method":"bacs",
"billing":{"first_name":"Budi","last_name":"Santoso","address_1":"Jl. Sudirman 1","city":"Jakarta","state":"JK","postcode":"10220","country":"ID","phone":"0812"},
"shipping":{"first_name":"Budi","last_name":"Santoso","address_1":"Jl. Sudirman 1","city":"Jakarta","state":"JK","postcode":"10220","country":"ID"},
"line_items":[{"id":1,"name":"Kaos","product_id":9,"quantity":2,"sku":"SKU-001","price":75000,"total":"150000.00"}]}`, id, id)
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

// terminal is a headless terminal: its own store, service and sync client.
type terminal struct {
	id     string
	db     *store.DB
	svc    *app.Service
	client *client.Client
	cancel context.CancelFunc
	done   chan struct{}
	base   string
	token  string

	mu        stdsync.Mutex
	rejected  []client.Rejection
	changesIn int
}

func newTerminal(t testing.TB, baseURL, id, token string) *terminal {
	t.Helper()
	db, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tm := &terminal{id: id, db: db, svc: store.NewService(db, app.DefaultPolicy()), base: baseURL, token: token}
	tm.start()
	t.Cleanup(func() {
		tm.stop()
		db.Close()
	})
	return tm
}

func (tm *terminal) start() { tm.startWith(nil) }

// startWith starts the client; setup may add callbacks before Run.
func (tm *terminal) startWith(setup func(*client.Client)) {
	tm.client = client.NewClient(tm.db, tm.svc, client.Config{BaseURL: tm.base, Token: tm.token, Terminal: tm.id, Logger: quietLog()})
	tm.client.OnRejected = func(r client.Rejection) {
		tm.mu.Lock()
		tm.rejected = append(tm.rejected, r)
		tm.mu.Unlock()
	}
	tm.client.OnChanges = func(items []wire.Change) {
		tm.mu.Lock()
		tm.changesIn += len(items)
		tm.mu.Unlock()
	}
	if setup != nil {
		setup(tm.client)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tm.cancel, tm.done = cancel, make(chan struct{})
	go func() {
		defer close(tm.done)
		_ = tm.client.Run(ctx)
	}()
}

func (tm *terminal) stop() {
	if tm.cancel != nil {
		tm.cancel()
		<-tm.done
		tm.cancel = nil
	}
}

func (tm *terminal) has(id string) bool {
	_, err := tm.db.OrderWithHistory(id)
	return err == nil
}

func (tm *terminal) order(t testing.TB, id string) *app.Order {
	t.Helper()
	o, err := tm.db.OrderWithHistory(id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func (tm *terminal) caughtUp(head uint64) bool {
	st := tm.client.State()
	n, _ := tm.db.OutboxLen()
	return st.Status == client.Online && st.Cursor >= head && n == 0
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

var owner = app.Actor{Staff: "owner", Role: app.RoleOwner}

func cloudHead(t testing.TB, st cloud.Backend, shop string) uint64 {
	t.Helper()
	_, head, _, err := st.ChangesAfter(shop, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return head
}
