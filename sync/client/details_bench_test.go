package client_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/tokopedia"
	"github.com/kasir/pos/channel/tokopedia/tokotest"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/web"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

// BenchmarkPushToDetailsOnTerminal measures a status push that names an
// order the cloud has not seen until a terminal's store holds the order
// with its details filled in: the push is applied ("details pending"), the
// channels follower fetches the platform's order from a local fake
// (Tokopedia's Get Single Order, tokotest) and applies it, and the change
// reaches the terminal over sync. Target: p99 ≤ 500 ms.
func BenchmarkPushToDetailsOnTerminal(b *testing.B) {
	fake := tokotest.New("13000", "479573", "kasir-app", "sec_0123456789abcdef")
	defer fake.Close()
	st, err := bolt.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	acc, err := cloud.OpenAccounts(st, bytes.Repeat([]byte{9}, 32))
	if err != nil {
		b.Fatal(err)
	}
	srv := cloud.NewServer(st, cloud.Options{Logger: quietLog(), Accounts: acc, Followers: []cloud.Follower{cloud.NewChannels(tokopedia.New())}})
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = web.Serve(ctx, srv, "127.0.0.1:0", "", "", func(a string) { ready <- a })
	}()
	defer func() { cancel(); <-done; st.Close() }()
	url := "http://" + <-ready
	shop, err := cloud.AddShop(st, "Toko Kopi", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	cred := fmt.Sprintf(`{"fs_id":"13000","shop_id":"479573","client_id":"kasir-app","client_secret":"sec_0123456789abcdef","webhook_secret":"whk_0123456789abcdef","api_base":%q,"auth_base":%q}`, fake.URL, fake.URL)
	if _, err := acc.Set(shop.ID, app.AccountTokopedia, []byte(cred), time.Now()); err != nil {
		b.Fatal(err)
	}
	if err := srv.ImportProducts(shop.ID, []*app.Product{{SKU: "SKU-001", Name: "Kaos Polos", Currency: app.IDR, Price: 75000, OnHand: 1_000_000}}); err != nil {
		b.Fatal(err)
	}
	term, tok, err := cloud.AddTerminal(st, shop.ID, "tablet", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	tm := newTerminal(b, url, term.ID, tok)
	filled := make(chan string, 4096)
	tm.stop()
	tm.startWith(func(c *client.Client) {
		c.OnChanges = func(items []wire.Change) {
			for _, it := range items {
				if it.Order != nil && !it.Order.DetailsPending && len(it.Order.Lines) > 0 {
					filled <- it.Order.ExternalID
				}
			}
		}
	})
	waitFor(b, 10*time.Second, "online", func() bool { return tm.client.State().Status == client.Online })
	var lat []time.Duration
	next := int64(170000000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := 0; k < latencySamples; k++ {
			b.StopTimer()
			next++
			fake.AddOrder(next, 220)
			fake.SetDetail(next, map[string]any{"invoice_number": fmt.Sprintf("INV/20261130/XXI/I/%d", next), "open_amt": 159000, "item_price": 150000,
				"buyer_info": map[string]any{"buyer_fullname": "Budi", "buyer_phone": "081234567890"},
				"order_info": map[string]any{
					"order_detail":  []map[string]any{{"product_id": 15157523, "product_name": "Kaos Polos", "quantity": 2, "product_price": 75000, "sku": "SKU-001"}},
					"destination":   map[string]any{"receiver_name": "Budi Santoso", "receiver_phone": "081234567890", "address_street": "Jl. Sudirman 1", "address_city": "Jakarta Selatan", "address_province": "DKI Jakarta", "address_postal": "12190"},
					"shipping_info": map[string]any{"logistic_name": "JNE", "shipping_price": 9000}}})
			body := []byte(fmt.Sprintf(`{"fs_id":13000,"shop_id":479573,"order_id":%d,"order_status":220}`, next))
			b.StartTimer()
			start := time.Now()
			req, _ := http.NewRequest(http.MethodPost, url+"/v1/shops/"+shop.ID+"/webhooks/tokopedia", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization-Hmac", channel.SignHex("whk_0123456789abcdef", body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil || resp.StatusCode != 200 {
				b.Fatalf("push: %v %v", err, resp)
			}
			resp.Body.Close()
			want := fmt.Sprint(next)
			timeout := time.After(10 * time.Second)
		wait:
			for {
				select {
				case id := <-filled:
					if id == want {
						break wait
					}
				case <-timeout:
					b.Fatalf("order %s never arrived filled in", want)
				}
			}
			lat = append(lat, time.Since(start))
		}
	}
	b.StopTimer()
	b.ReportMetric(ms(percentile(lat, 0.50)), "p50-ms")
	b.ReportMetric(ms(percentile(lat, 0.99)), "p99-ms")
}
