package feed

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/web"
)

// startCloud serves a real cloud over bbolt on 127.0.0.1 with one shop.
func startCloud(t *testing.T) (url string, st *bolt.Store, shop *cloud.Shop) {
	t.Helper()
	st, err := bolt.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	srv := cloud.NewServer(st, cloud.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := web.Serve(ctx, srv, "127.0.0.1:0", "", "", func(a string) { ready <- a }); err != nil {
			t.Error(err)
		}
	}()
	url = "http://" + <-ready
	t.Cleanup(func() {
		cancel()
		<-done
		st.Close()
	})
	shop, err = cloud.AddShop(st, "Sim", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return url, st, shop
}

func TestSimulatePostsEveryChannel(t *testing.T) {
	url, st, shop := startCloud(t)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	var errs []string
	_ = Simulate(ctx, url, shop.ID, shop.Secrets, 600, nil, func(f string, a ...any) {
		if strings.Contains(f, "%v") {
			errs = append(errs, fmt.Sprintf(f, a...))
		}
	})
	if len(errs) > 0 {
		t.Fatalf("simulate errors: %v", errs)
	}
	snap, err := st.Snapshot(shop.ID)
	if err != nil || len(snap.Orders) < 5 {
		t.Fatalf("simulated %d orders (%v)", len(snap.Orders), err)
	}
}

// TestCommandReadsShopAddOutput: `pos-cloud simulate` signs with the secrets
// that `shop add --json` printed, and names the flag it lacks.
func TestCommandReadsShopAddOutput(t *testing.T) {
	url, st, shop := startCloud(t)
	file := filepath.Join(t.TempDir(), "shop.json")
	data, _ := json.Marshal(cloud.ShopCreated{ID: shop.ID, Secrets: shop.Secrets})
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(ctx context.Context, args ...string) (string, error) {
		var out strings.Builder
		fs := flag.NewFlagSet("pos-cloud simulate", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		err := Command(ctx, fs, args, nil, &out)
		return out.String(), err
	}
	if _, err := run(context.Background(), "--url", url, "--shop", shop.ID); app.ErrorCode(err) != app.EInvalid || !strings.Contains(strings.ToLower(err.Error()), "secrets-file") {
		t.Fatalf("without --secrets-file: %v", err)
	}
	if _, err := run(context.Background(), "--url", url, "--secrets-file", file); err == nil || !strings.Contains(strings.ToLower(err.Error()), "shop") {
		t.Fatalf("without --shop: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	out, err := run(ctx, "--url", url, "--shop", shop.ID, "--secrets-file", file, "--rate", "10/s", "--channel", "woocommerce,store")
	if err != nil || !strings.Contains(out, "simulate woocommerce order") && !strings.Contains(out, "simulate store order") || strings.Contains(out, ": ") {
		t.Fatalf("simulate: %q %v", out, err)
	}
	snap, _ := st.Snapshot(shop.ID)
	for _, o := range snap.Orders {
		if o.Channel != app.ChannelWooCommerce && o.Channel != app.ChannelStore {
			t.Fatalf("asked for woocommerce and store, got a %s order", o.Channel)
		}
	}
	if len(snap.Orders) == 0 {
		t.Fatal("no order arrived")
	}
}
