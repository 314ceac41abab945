package client_test

import (
	"context"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/web"
)

// serveAt runs a cloud over st whose clock is offset from now, until the test ends or stop is called.
func serveAt(t *testing.T, st cloud.Backend, offset time.Duration) (base string, stop func()) {
	t.Helper()
	srv := cloud.NewServer(st, cloud.Options{Logger: quietLog(), Now: func() time.Time { return time.Now().Add(offset) }})
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = web.Serve(ctx, srv, "127.0.0.1:0", "", "", func(a string) { ready <- a })
	}()
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			cancel()
			<-done
		}
	}
	t.Cleanup(stop)
	return "http://" + <-ready, stop
}

func TestCloudRejectsOverdueOrderWithNoTerminalAndATerminalLearnsLater(t *testing.T) {
	st, err := bolt.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	shop, err := cloud.AddShop(st, "Toko", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	termID, tok, err := cloud.AddTerminal(st, shop.ID, "tablet", time.Now())
	if err != nil {
		t.Fatal(err)
	}

	base, stop := serveAt(t, st, 0)
	id := postWoo(t, base, shop, 4401)
	stop() // the cloud goes down; no terminal was ever connected

	snap, _ := st.Snapshot(shop.ID)
	if len(snap.Orders) != 1 || snap.Orders[0].Status != app.StatusNew || snap.Orders[0].AcceptBy.IsZero() {
		t.Fatalf("the order should wait for acceptance: %+v", snap.Orders)
	}
	window := time.Until(snap.Orders[0].AcceptBy)

	// It comes back after the deadline and catches up at once, terminal or not.
	base, _ = serveAt(t, st, window+time.Hour)
	waitFor(t, 5*time.Second, "the cloud's sweep", func() bool {
		snap, _ := st.Snapshot(shop.ID)
		return snap.Orders[0].Status == app.StatusCancelled
	})
	o, err := st.OrderByRef(shop.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	last := o.History[len(o.History)-1]
	if last.Action != app.ActionAutoReject || last.Actor != app.SystemActor || o.CancelReason == "" {
		t.Fatalf("rejection not recorded as the cloud's: %+v reason %q", last, o.CancelReason)
	}

	// A terminal connecting now receives the rejection through the log.
	tm := newTerminal(t, base, termID.ID, tok)
	waitFor(t, 5*time.Second, "the terminal learns of the rejection", func() bool {
		return tm.has(id) && tm.order(t, id).Status == app.StatusCancelled
	})
	got := tm.order(t, id)
	if got.History[len(got.History)-1].Action != app.ActionAutoReject {
		t.Fatalf("terminal history: %+v", got.History)
	}
	if ids, _ := st.DueForAutoReject(shop.ID, time.Now().Add(window+2*time.Hour), 10); len(ids) != 0 {
		t.Fatalf("a rejected order is still in the deadline index: %v", ids)
	}
}
