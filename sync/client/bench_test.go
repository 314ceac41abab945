package client_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	bolt "go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/store"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// latencySamples is how many webhooks each benchmark iteration times, so the
// percentiles mean something even at -benchtime 1x.
const latencySamples = 200

// BenchmarkWebhookToTerminal times a WooCommerce webhook until the order is
// committed in a terminal's bbolt while 50 terminals of the shop are
// connected: one full headless terminal, and 49 protocol-level terminals
// (they say hello and read every change) standing in for the other tablets.
// In a shop each tablet has its own disk; on this one machine 50 bbolt
// files would queue behind one disk's fsync, which BenchmarkWebhookTo50FullTerminals shows.
func BenchmarkWebhookToTerminal(b *testing.B) { benchWebhook(b, false) }

// BenchmarkWebhookTo50FullTerminals is the same with 50 full terminals,
// every one applying every change to its own bbolt file on this one disk.
func BenchmarkWebhookTo50FullTerminals(b *testing.B) { benchWebhook(b, true) }

func benchWebhook(b *testing.B, full bool) {
	tc := startCloud(b)
	const others = 49
	var wg stdsync.WaitGroup
	stop := make(chan struct{})
	for i := 0; i < others; i++ {
		id, tok := tc.token(b)
		if full {
			other := newTerminal(b, tc.url, id, tok)
			waitFor(b, 20*time.Second, "online", func() bool { return other.client.State().Status == client.Online })
			continue
		}
		ws, _, err := websocket.DefaultDialer.Dial(strings.Replace(tc.url, "http", "ws", 1)+wire.Path, http.Header{"Authorization": {"Bearer " + tok}})
		if err != nil {
			b.Fatal(err)
		}
		_ = ws.WriteJSON(wire.Hello{Type: wire.TypeHello, Proto: wire.Proto})
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if _, _, err := ws.ReadMessage(); err != nil {
					return
				}
			}
		}()
		go func() { <-stop; ws.Close() }()
	}
	defer func() { close(stop); wg.Wait() }()
	id, tok := tc.token(b)
	tm := newTerminal(b, tc.url, id, tok)
	arrived := make(chan string, 1024)
	tm.stop()
	tm.client = nil
	tm.startWith(func(c *client.Client) {
		c.OnChanges = func(items []wire.Change) {
			for _, it := range items {
				arrived <- it.Order.ID
			}
		}
	})
	waitFor(b, 10*time.Second, "online", func() bool { return tm.client.State().Status == client.Online })
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := 0; k < latencySamples; k++ {
			start := time.Now()
			id := postWoo(b, tc.url, tc.shop, 100000+i*latencySamples+k)
			for got := <-arrived; got != id; got = <-arrived {
			}
			lat = append(lat, time.Since(start))
		}
	}
	b.StopTimer()
	b.ReportMetric(ms(percentile(lat, 0.50)), "p50-ms")
	b.ReportMetric(ms(percentile(lat, 0.99)), "p99-ms")
}

// seedChanges writes n changes to the shop's log: orders placed by webhook
// and notes on them, committed in large batches to keep setup short.
func seedChanges(b testing.TB, tc *testCloud, n int) {
	pol := tc.shop.Policy()
	now := time.Now()
	const perTx = 500
	for done := 0; done < n; {
		err := tc.store.Update(tc.shop.ID, func(tx cloud.ShopTx) error {
			for k := 0; k < perTx && done+k < n; k++ {
				i := done + k
				var res *app.Result
				var err error
				if i%10 == 0 {
					res, err = app.Ingest(tx, pol, app.Incoming{Channel: app.ChannelTokopedia, ExternalID: fmt.Sprint(i/10 + 1), ChannelStatus: "220",
						Order: &app.Order{Buyer: app.Buyer{Name: "Dewi Lestari"}, Lines: []app.Line{{SKU: "SKU-001", Name: "Kaos", Qty: 1, UnitPrice: 75000, ExternalID: "1"}}}}, now)
				} else {
					res, err = app.Execute(tx, pol, app.Command{Action: app.ActionAddNote, OrderID: app.ChannelOrderID(app.ChannelTokopedia, fmt.Sprint(i/10+1)),
						Args: app.Args{Note: "catatan"}}, owner, now)
				}
				if err != nil {
					return err
				}
				if _, err := tx.AppendChange(&wire.Change{Order: res.Order, Products: res.Products, Events: res.Events, At: now}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		done += perTx
	}
}

// BenchmarkCatchUp times a fresh terminal applying 10,000 changes, and
// beside it, in the same run, the hardware floor: raw bbolt puts of the same
// change bytes in transactions of one page each (the same number of fsyncs).
func BenchmarkCatchUp(b *testing.B) {
	tc := startCloud(b)
	const n = 10_000
	seedChanges(b, tc, n)
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		id, tok := tc.token(b)
		db, err := store.Open(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		svc := store.NewService(db, app.DefaultPolicy())
		c := client.NewClient(db, svc, client.Config{BaseURL: tc.url, Token: tok, Terminal: id, Logger: quietLog()})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		b.StartTimer()
		start := time.Now()
		go func() { defer close(done); _ = c.Run(ctx) }()
		waitFor(b, 60*time.Second, "caught up", func() bool { return c.State().Cursor >= n })
		total += time.Since(start)
		b.StopTimer()
		cancel()
		<-done
		db.Close()
		b.StartTimer()
	}
	b.StopTimer()
	rate := float64(n*b.N) / total.Seconds()
	raw := rawPutRate(b, tc, n)
	b.ReportMetric(rate, "changes/s")
	b.ReportMetric(raw, "raw-bbolt-changes/s")
	b.ReportMetric(rate/raw, "ratio-to-raw")
}

// rawPutRate is how many of the log's change records per second plain bbolt
// stores, a page of 1,000 per transaction, keyed by sequence: what the disk
// and bbolt allow for these bytes before any decoding or index.
func rawPutRate(b *testing.B, tc *testCloud, n int) float64 {
	items, _, _, err := tc.store.ChangesAfter(tc.shop.ID, 0, n)
	if err != nil {
		b.Fatal(err)
	}
	bdb, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, &bolt.Options{FreelistType: bolt.FreelistMapType})
	if err != nil {
		b.Fatal(err)
	}
	defer bdb.Close()
	start := time.Now()
	for from := 0; from < len(items); from += 1000 {
		err := bdb.Update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucketIfNotExists([]byte("changes"))
			if err != nil {
				return err
			}
			for i := from; i < min(from+1000, len(items)); i++ {
				if err := bk.Put(binary.BigEndian.AppendUint64(nil, uint64(i+1)), items[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return float64(len(items)) / time.Since(start).Seconds()
}

// rawTerminal pushes mutations over a bare websocket, so the benchmark
// measures the cloud alone.
func rawPush(b *testing.B, url, token string, cursor uint64, orders []string, count int, done *stdsync.WaitGroup) {
	defer done.Done()
	ws, _, err := websocket.DefaultDialer.Dial(strings.Replace(url, "http", "ws", 1)+wire.Path, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		b.Error(err)
		return
	}
	defer ws.Close()
	_ = ws.WriteJSON(wire.Hello{Type: wire.TypeHello, Proto: wire.Proto, Cursor: cursor})
	results := make(chan uint64, 1024)
	go func() {
		defer close(results)
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				return
			}
			// A remote tablet decodes changes on its own CPU; here only results matter.
			if !bytes.HasPrefix(data, []byte(`{"type":"result"`)) {
				continue
			}
			var m wire.Result
			if err := json.Unmarshal(data, &m); err == nil {
				results <- m.Mid
			}
		}
	}()
	const batch = 250
	mid := uint64(0)
	for sent := 0; sent < count; {
		p := wire.Push{Type: wire.TypePush}
		for k := 0; k < batch && sent < count; k++ {
			mid++
			sent++
			p.Mutations = append(p.Mutations, wire.Mutation{Mid: mid, Actor: owner, At: time.Now(),
				Command: app.Command{Action: app.ActionAddNote, OrderID: orders[int(mid)%len(orders)], Args: app.Args{Note: "n"}}})
		}
		if err := ws.WriteJSON(&p); err != nil {
			b.Error(err)
			return
		}
	}
	for got := range results {
		if got == uint64(count) {
			return
		}
	}
	b.Error("socket closed before every result came back")
}

// BenchmarkCloudMutations measures mutations decided and committed per
// second by one cloud, eight terminals pushing at once.
func BenchmarkCloudMutations(b *testing.B) {
	tc := startCloud(b)
	seedChanges(b, tc, 1000)
	orders := make([]string, 100)
	for i := range orders {
		orders[i] = app.ChannelOrderID(app.ChannelTokopedia, fmt.Sprint(i+1))
	}
	const terminals, each = 8, 2500
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		toks := make([]string, terminals)
		for k := range toks {
			_, toks[k] = tc.token(b)
		}
		b.StartTimer()
		start := time.Now()
		var wg stdsync.WaitGroup
		for k := 0; k < terminals; k++ {
			wg.Add(1)
			go rawPush(b, tc.url, toks[k], cloudHead(b, tc.store, tc.shop.ID), orders, each, &wg)
		}
		wg.Wait()
		total += time.Since(start)
	}
	b.ReportMetric(float64(terminals*each*b.N)/total.Seconds(), "mutations/s")
}

// BenchmarkCloudSendTo50 is what a shop sees: one full terminal (its own
// bbolt, as on a tablet) and 50 connected sessions reading every change.
// It times a WooCommerce webhook until the order is committed in the full
// terminal, and the cloud's send time to the 50 sessions: from the commit
// (the webhook's reply, or the first session to hear of it, if earlier)
// until the 50th session has the change; target p99 ≤ 5 ms.
func BenchmarkCloudSendTo50(b *testing.B) {
	tc := startCloud(b)
	const sessions = 50
	type heard struct {
		session int
		at      time.Time
		msg     []byte
	}
	heardCh := make(chan heard, 4096)
	var wg stdsync.WaitGroup
	stop := make(chan struct{})
	for i := 0; i < sessions; i++ {
		_, tok := tc.token(b)
		ws, _, err := websocket.DefaultDialer.Dial(strings.Replace(tc.url, "http", "ws", 1)+wire.Path, http.Header{"Authorization": {"Bearer " + tok}})
		if err != nil {
			b.Fatal(err)
		}
		if err := ws.WriteJSON(wire.Hello{Type: wire.TypeHello, Proto: wire.Proto}); err != nil {
			b.Fatal(err)
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for {
				_, msg, err := ws.ReadMessage()
				if err != nil {
					return
				}
				heardCh <- heard{i, time.Now(), msg}
			}
		}(i)
		go func() { <-stop; ws.Close() }()
	}
	defer func() { close(stop); wg.Wait() }()
	id, tok := tc.token(b)
	tm := newTerminal(b, tc.url, id, tok)
	arrived := make(chan string, 1024)
	tm.stop()
	tm.client = nil
	tm.startWith(func(c *client.Client) {
		c.OnChanges = func(items []wire.Change) {
			for _, it := range items {
				arrived <- it.Order.ID
			}
		}
	})
	waitFor(b, 10*time.Second, "online", func() bool { return tm.client.State().Status == client.Online })
	// Let the sessions' welcome and catch-up pass before timing.
	for quiet := time.After(500 * time.Millisecond); ; {
		select {
		case <-heardCh:
			continue
		case <-quiet:
		}
		break
	}
	var full, send, total []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := 0; k < latencySamples; k++ {
			start := time.Now()
			orderID := postWoo(b, tc.url, tc.shop, 200000+i*latencySamples+k)
			replied := time.Now()
			// The external id is in every message about the order, whatever its framing.
			needle := []byte(fmt.Sprintf(`"%d"`, 200000+i*latencySamples+k))
			got := map[int]bool{}
			first, last := replied, time.Time{}
			deadline := time.After(10 * time.Second)
			for len(got) < sessions {
				select {
				case h := <-heardCh:
					if got[h.session] || !bytes.Contains(h.msg, needle) {
						continue
					}
					got[h.session] = true
					if h.at.Before(first) {
						first = h.at
					}
					if h.at.After(last) {
						last = h.at
					}
				case <-deadline:
					b.Fatalf("order %s reached %d of %d sessions in 10 s", orderID, len(got), sessions)
				}
			}
			for got := <-arrived; got != orderID; got = <-arrived {
			}
			full = append(full, time.Since(start))
			send = append(send, last.Sub(first))
			total = append(total, last.Sub(start))
		}
	}
	b.StopTimer()
	b.ReportMetric(ms(percentile(full, 0.50)), "full-terminal-p50-ms")
	b.ReportMetric(ms(percentile(full, 0.99)), "full-terminal-p99-ms")
	b.ReportMetric(ms(percentile(send, 0.50)), "send-to-50-p50-ms")
	b.ReportMetric(ms(percentile(send, 0.99)), "send-to-50-p99-ms")
	b.ReportMetric(ms(percentile(total, 0.99)), "webhook-to-50-p99-ms")
}
