package cloud

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

// fillLog appends n realistic order changes to the shop in a few large
// transactions, as a backlog after downtime looks.
func fillLog(b *testing.B, s *Server, shop string, n int) {
	b.Helper()
	for start := 0; start < n; start += 5000 {
		_, err := s.applyAndLog(shop, func(tx ShopTx, pol app.Policy) ([]*app.Result, error) {
			var out []*app.Result
			for i := start; i < min(start+5000, n); i++ {
				o := &app.Order{Channel: app.ChannelWooCommerce, ExternalID: fmt.Sprint("B", i), Currency: app.IDR,
					Buyer: app.Buyer{Name: fmt.Sprint("Pembeli ", i), Phone: "0812345678", Address: app.Address{Street: "Jl. Braga 5", City: "Bandung", PostalCode: "40111"}},
					Lines: []app.Line{{SKU: "SKU-1", Name: "Kaos polos hitam", Qty: 2, UnitPrice: 50000}, {SKU: "SKU-2", Name: "Topi", Qty: 1, UnitPrice: 35000}}}
				res, err := app.Execute(tx, pol, app.Command{Action: app.ActionPlace, Args: app.Args{Order: o}}, app.ChannelActor("woocommerce"), time.Now())
				if err != nil {
					return nil, err
				}
				out = append(out, res)
			}
			return out, nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

type nopFollower struct{ n int }

func (nopFollower) Name() string { return "nop" }
func (f *nopFollower) Follow(context.Context, LogEntry) error {
	f.n++
	return nil
}

// BenchmarkFollowerThroughput follows a backlog of 50,000 order changes from
// the start, saving the cursor per batch as in production.
func BenchmarkFollowerThroughput(b *testing.B) {
	st, err := OpenBolt(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	f := &nopFollower{}
	s := NewServer(st, Options{Logger: quiet(), Followers: []Follower{f}})
	shop, _ := AddShop(st, "Toko", time.Now())
	const n = 50_000
	fillLog(b, s, shop.ID, n)
	b.ResetTimer()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		r := s.follow.runners[0]
		r.shops = map[string]*followShop{}
		if err := st.SaveFollowing("nop", shop.ID, 0, nil, nil); err != nil {
			b.Fatal(err)
		}
		// The stored cursor only rises; a fresh follower name starts at 0.
		r.f = renamed{f, fmt.Sprint("nop-", i)}
		f.n = 0
		start := time.Now()
		if err := r.catchUp(context.Background(), shop.ID); err != nil {
			b.Fatal(err)
		}
		r.saveCursors(true)
		r.save.flush() // the place is stored before the clock stops
		total += time.Since(start)
		if f.n != n {
			b.Fatalf("followed %d of %d", f.n, n)
		}
	}
	b.ReportMetric(float64(n*b.N)/total.Seconds(), "changes/s")
}

type renamed struct {
	Follower
	name string
}

func (r renamed) Name() string { return r.name }

// lagFollower records when each order's change reached it.
type lagFollower struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

func (*lagFollower) Name() string { return "lag" }
func (f *lagFollower) Follow(_ context.Context, e LogEntry) error {
	f.mu.Lock()
	f.seen[e.Order] = time.Now()
	f.mu.Unlock()
	return nil
}

// BenchmarkFollowerLag appends order changes at 1,000 per second through the
// cloud's apply-and-log path, as webhooks do, and measures the time from each
// commit to the follower receiving the change. It also reports the rate the
// writers reached, since a loaded machine may not sustain 1,000 commits/s.
func BenchmarkFollowerLag(b *testing.B) {
	st, err := OpenBolt(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	f := &lagFollower{seen: map[string]time.Time{}}
	s := NewServer(st, Options{Logger: quiet(), Followers: []Follower{f}})
	shop, _ := AddShop(st, "Toko", time.Now())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.follow.run(ctx) }()
	const n = 2000
	var (
		mu        sync.Mutex
		committed = map[string]time.Time{}
		elapsed   time.Duration
	)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		var wg sync.WaitGroup
		for k := range n {
			// Paced by the clock, not a ticker, so a late tick does not lower the rate.
			if d := time.Until(start.Add(time.Duration(k) * time.Millisecond)); d > 0 {
				time.Sleep(d)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				id := placeOrder(b, s, shop.ID, fmt.Sprint("L", i, "-", k))
				mu.Lock()
				committed[id] = time.Now()
				mu.Unlock()
			}()
		}
		wg.Wait()
		elapsed += time.Since(start)
		waitUntil(b, 10*time.Second, "every change followed", func() bool {
			f.mu.Lock()
			defer f.mu.Unlock()
			return len(f.seen) >= n*(i+1)
		})
	}
	b.StopTimer()
	cancel()
	<-done
	var lags []time.Duration
	for id, at := range committed {
		// The follower may read the change before its writer returns: no lag then.
		lags = append(lags, max(0, f.seen[id].Sub(at)))
	}
	slices.Sort(lags)
	b.ReportMetric(float64(lags[len(lags)*99/100].Microseconds())/1000, "ms/p99")
	b.ReportMetric(float64(lags[len(lags)/2].Microseconds())/1000, "ms/p50")
	b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "changes/s")
}
