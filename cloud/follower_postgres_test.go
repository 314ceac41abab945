package cloud_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/postgres"
)

// seqSet is a follower that records each (shop, seq) it was given.
type seqSet struct {
	mu   sync.Mutex
	seen map[uint64]bool
}

func (*seqSet) Name() string { return "seqs" }
func (f *seqSet) Follow(_ context.Context, e cloud.LogEntry) error {
	f.mu.Lock()
	f.seen[e.Seq] = true
	f.mu.Unlock()
	return nil
}

func (f *seqSet) len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.seen)
}

// TestPostgresFollowerKeepsItsPlace runs a follower over PostgreSQL, stops
// it, appends more, and checks a new instance resumes from the stored cursor.
func TestPostgresFollowerKeepsItsPlace(t *testing.T) {
	dsn := startPostgres(t)
	st, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	shop, err := cloud.AddShop(st, "Toko PG", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	place := func(srv *cloud.Server, ext string) {
		t.Helper()
		o := &app.Order{Channel: app.ChannelWooCommerce, ExternalID: ext, Currency: app.IDR, Buyer: app.Buyer{Name: "Rina"},
			Lines: []app.Line{{SKU: "SKU-1", Name: "Kaos", Qty: 1, UnitPrice: 50000}}}
		if _, err := srv.Execute(shop.ID, app.Command{Action: app.ActionPlace, Args: app.Args{Order: o}}, app.ChannelActor("woocommerce"), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	serve := func(f cloud.Follower) (*cloud.Server, func()) {
		srv := cloud.NewServer(st, cloud.Options{Logger: quietLog(), Followers: []cloud.Follower{f}})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); _ = srv.Serve(ctx, "127.0.0.1:0", "", "", nil) }()
		return srv, func() { cancel(); <-done }
	}
	first := &seqSet{seen: map[uint64]bool{}}
	srv, stop := serve(first)
	for i := range 5 {
		place(srv, fmt.Sprint("P", i))
	}
	waitFor(t, 5*time.Second, "five followed", func() bool { return first.len() == 5 })
	stop() // a graceful stop stores the cursor
	if cur, err := st.FollowerCursor("seqs", shop.ID); err != nil || cur != 5 {
		t.Fatalf("stored cursor %d %v", cur, err)
	}
	for i := 5; i < 8; i++ {
		place(srv, fmt.Sprint("P", i)) // written while no follower runs
	}
	second := &seqSet{seen: map[uint64]bool{}}
	_, stop = serve(second)
	defer stop()
	waitFor(t, 5*time.Second, "the three written while stopped", func() bool { return second.len() == 3 })
	for seq := uint64(6); seq <= 8; seq++ {
		if !second.seen[seq] {
			t.Fatalf("resumed follower missed %d: %v", seq, second.seen)
		}
	}
	// The running follower stores its place in the background (every 100 ms
	// or so); wait for it, so that "never goes back" below tests the table.
	waitFor(t, 5*time.Second, "the resumed place stored", func() bool {
		cur, err := st.FollowerCursor("seqs", shop.ID)
		return err == nil && cur >= 8
	})
	// Pending changes round-trip through the table, and the cursor never goes back.
	p := &cloud.PendingChange{Follower: "seqs", Shop: shop.ID, Seq: 2, Order: "woocommerce:P1", Attempts: 3, Parked: true, Error: "refused", Change: []byte(`{"seq":2}`)}
	if err := st.SaveFollowing("seqs", shop.ID, 1, []*cloud.PendingChange{p}, nil); err != nil {
		t.Fatal(err)
	}
	list, err := st.PendingChanges("", shop.ID)
	if err != nil || len(list) != 1 || !list[0].Parked || list[0].Error != "refused" {
		t.Fatalf("pending %+v %v", list, err)
	}
	if cur, _ := st.FollowerCursor("seqs", shop.ID); cur < 8 {
		t.Fatalf("cursor went back to %d", cur)
	}
	if err := st.SaveFollowing("seqs", shop.ID, 8, nil, []uint64{2}); err != nil {
		t.Fatal(err)
	}
	if list, _ := st.PendingChanges("seqs", ""); len(list) != 0 {
		t.Fatalf("done change still pending: %+v", list)
	}
}

func waitFor(t testing.TB, d time.Duration, what string, ok func() bool) {
	t.Helper()
	end := time.Now().Add(d)
	for !ok() {
		if time.Now().After(end) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestPostgresOneInstanceLeadsAFollower runs the same follower on two
// instances sharing PostgreSQL: one leads and follows, and when it stops the
// other takes over where it left off.
func TestPostgresOneInstanceLeadsAFollower(t *testing.T) {
	dsn := startPostgres(t)
	open := func() *postgres.Store {
		st, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	st1, st2 := open(), open()
	shop, err := cloud.AddShop(st1, "Toko PG", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	serve := func(st cloud.Backend, f cloud.Follower) (*cloud.Server, func()) {
		srv := cloud.NewServer(st, cloud.Options{Logger: quietLog(), Followers: []cloud.Follower{f}})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); _ = srv.Serve(ctx, "127.0.0.1:0", "", "", nil) }()
		stopped := false
		stop := func() {
			if !stopped {
				stopped = true
				cancel()
				<-done
			}
		}
		t.Cleanup(stop)
		return srv, stop
	}
	a, b := &seqSet{seen: map[uint64]bool{}}, &seqSet{seen: map[uint64]bool{}}
	srvA, stopA := serve(st1, a)
	srvB, stopB := serve(st2, b)
	place := func(srv *cloud.Server, ext string) {
		t.Helper()
		o := &app.Order{Channel: app.ChannelWooCommerce, ExternalID: ext, Currency: app.IDR, Buyer: app.Buyer{Name: "Rina"},
			Lines: []app.Line{{SKU: "SKU-1", Name: "Kaos", Qty: 1, UnitPrice: 50000}}}
		if _, err := srv.Execute(shop.ID, app.Command{Action: app.ActionPlace, Args: app.Args{Order: o}}, app.ChannelActor("woocommerce"), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		place(srvA, fmt.Sprint("L", i))
	}
	waitFor(t, 10*time.Second, "five followed", func() bool { return a.len()+b.len() >= 5 })
	time.Sleep(300 * time.Millisecond)
	leader, other, stopLeader, srvOther := a, b, stopA, srvB
	if b.len() > 0 {
		leader, other, stopLeader, srvOther = b, a, stopB, srvA
	}
	if leader.len() != 5 || other.len() != 0 {
		t.Fatalf("both instances followed: %d and %d", leader.len(), other.len())
	}
	stopLeader()
	for i := 5; i < 8; i++ {
		place(srvOther, fmt.Sprint("L", i))
	}
	waitFor(t, 15*time.Second, "the other instance takes the lead and resumes", func() bool { return other.len() >= 3 })
	for seq := uint64(6); seq <= 8; seq++ {
		if !other.seen[seq] {
			t.Fatalf("the new leader missed %d: %v", seq, other.seen)
		}
	}
}
