package cloud

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel/woocommerce/wootest"
)

// runChannelsCloud serves a cloud over the store in dir until stop is
// called, which waits for it to end and closes the store.
func runChannelsCloud(t *testing.T, dir string, window time.Duration) (cc *channelsCloud, stop func()) {
	t.Helper()
	st, err := OpenBolt(dir)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := OpenAccounts(st, noticeKey)
	if err != nil {
		t.Fatal(err)
	}
	w, tk := fastAdapters()
	c := NewChannels(w, tk)
	c.stock.window = window
	// Listings are not read at start: the test counts the store's product reads as stock lookups.
	s := NewServer(st, Options{Logger: quiet(), Followers: []Follower{c}, Accounts: acc, SyncEvery: time.Hour, ListingsEvery: -1})
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Serve(ctx, "127.0.0.1:0", "", "", func(a string) { ready <- a }); err != nil {
			t.Error(err)
		}
	}()
	cc = &channelsCloud{srv: s, st: st, url: "http://" + <-ready, c: c}
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			cancel()
			<-done
			st.Close()
		}
	}
	t.Cleanup(stop)
	return cc, stop
}

// TestStockFigureSurvivesARestart: a figure queued when the cloud stops,
// after the follower passed its change, reaches the store once when the
// cloud starts again; a third start pushes nothing more.
func TestStockFigureSurvivesARestart(t *testing.T) {
	store := wootest.New("ck_live_0123456789", "cs_live_0123456789")
	defer store.Close()
	store.AddProduct(50, 0, "SKU-STOK", 0)
	dir := t.TempDir()
	cc, stop := runChannelsCloud(t, dir, time.Hour) // the figure waits: the cloud stops first
	shop := cc.shop(t, app.AccountWooCommerce, fmt.Sprintf(`{"store_url":%q,"consumer_key":"ck_live_0123456789","consumer_secret":"cs_live_0123456789","webhook_secret":"whsec_abcdefghijkl"}`, store.URL))
	if err := cc.srv.ImportProducts(shop.ID, []*app.Product{{SKU: "SKU-STOK", Name: "Stok", Currency: app.IDR, Price: 1000, OnHand: 9}}); err != nil {
		t.Fatal(err)
	}
	head := cc.srv.HeadOf(shop.ID)
	eventually(t, "the follower to pass the import", func() bool {
		cur, err := cc.st.FollowerCursor(ChannelsName, shop.ID)
		return err == nil && cur >= head
	})
	stop()
	const put = "PUT /wp-json/wc/v3/products/{id}"
	if store.Writes(put) != 0 {
		t.Fatalf("pushed before the stop: %d", store.Writes(put))
	}

	cc, stop = runChannelsCloud(t, dir, 50*time.Millisecond)
	eventually(t, "the figure after the restart", func() bool { return store.Stock(50) == 9 })
	eventually(t, "the stock cursor to pass the import", func() bool {
		cur, err := cc.st.FollowerCursor(stockCursor, shop.ID)
		return err == nil && cur >= head
	})
	time.Sleep(200 * time.Millisecond)
	stop()
	if n := store.Writes(put); n != 1 {
		t.Fatalf("%d pushes, want 1", n)
	}
	_, stop = runChannelsCloud(t, dir, 50*time.Millisecond)
	time.Sleep(500 * time.Millisecond)
	stop()
	if n := store.Calls("GET /wp-json/wc/v3/products"); n != 1 {
		t.Fatalf("the third start asked the store again: %d", n)
	}
}
