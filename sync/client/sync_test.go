package client_test

import (
	"encoding/json"
	"fmt"
	stdsync "sync"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

func TestWebhookOrderReachesThreeTerminals(t *testing.T) {
	tc := startCloud(t)
	var terms []*terminal
	for i := 0; i < 3; i++ {
		id, tok := tc.token(t)
		terms = append(terms, newTerminal(t, tc.url, id, tok))
	}
	for _, tm := range terms {
		waitFor(t, 5*time.Second, "terminal online", func() bool { return tm.client.State().Status == client.Online })
	}
	start := time.Now()
	id := postWoo(t, tc.url, tc.shop, 4242)
	for i, tm := range terms {
		waitFor(t, time.Second, fmt.Sprintf("order in terminal %d", i), func() bool { return tm.has(id) })
	}
	t.Logf("webhook to three terminals in %s", time.Since(start))
	if o := terms[2].order(t, id); o.Status != app.StatusNew || o.Buyer.Name != "Budi Santoso" {
		t.Fatalf("order in terminal: %+v", o)
	}
}

func TestTenTerminalsAcceptOnce(t *testing.T) {
	tc := startCloud(t)
	var terms []*terminal
	for i := 0; i < 10; i++ {
		id, tok := tc.token(t)
		terms = append(terms, newTerminal(t, tc.url, id, tok))
	}
	id := postWoo(t, tc.url, tc.shop, 77)
	for _, tm := range terms {
		waitFor(t, 5*time.Second, "order everywhere", func() bool { return tm.has(id) })
	}
	var wg stdsync.WaitGroup
	for _, tm := range terms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Every tablet accepts optimistically; the cloud picks one.
			if _, err := tm.svc.Do(app.Command{Action: app.ActionAccept, OrderID: id}, owner); err != nil {
				t.Errorf("local accept: %v", err)
			}
		}()
	}
	wg.Wait()
	head := func() uint64 { return cloudHead(t, tc.store, tc.shop.ID) }
	for _, tm := range terms {
		waitFor(t, 10*time.Second, "terminal caught up", func() bool { return tm.caughtUp(head()) })
	}
	rejected, applied := 0, 0
	for _, tm := range terms {
		tm.mu.Lock()
		for _, r := range tm.rejected {
			if r.Code != app.EAlreadyAccepted {
				t.Errorf("rejection code %q, want ALREADY_ACCEPTED (%s)", r.Code, r.Message)
			}
			rejected++
		}
		tm.mu.Unlock()
		if o := tm.order(t, id); o.Status != app.StatusReadyToShip {
			t.Errorf("terminal %s shows %s", tm.id, o.Status)
		}
	}
	snap, _ := tc.store.Snapshot(tc.shop.ID)
	for _, o := range snap.Orders {
		if o.ID == id {
			applied = int(o.Version) - 1 // version 1 was the webhook
		}
	}
	if applied != 1 || rejected != 9 {
		t.Fatalf("applied %d, rejected %d; want 1 and 9", applied, rejected)
	}
}

func TestOfflineTerminalConverges(t *testing.T) {
	tc := startCloud(t)
	idA, tokA := tc.token(t)
	idB, tokB := tc.token(t)
	a, b := newTerminal(t, tc.url, idA, tokA), newTerminal(t, tc.url, idB, tokB)
	var orders []string
	for i := 0; i < 20; i++ {
		orders = append(orders, postWoo(t, tc.url, tc.shop, 1000+i))
	}
	for _, tm := range []*terminal{a, b} {
		waitFor(t, 5*time.Second, "orders everywhere", func() bool { return tm.has(orders[19]) })
	}
	a.stop()
	note := func(tm *terminal, i int) {
		_, err := tm.svc.Do(app.Command{Action: app.ActionAddNote, OrderID: orders[i%len(orders)], Args: app.Args{Note: fmt.Sprintf("%s note %d", tm.id, i)}}, owner)
		if err != nil {
			t.Fatal(err)
		}
	}
	var wg stdsync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < 500; i++ {
			note(a, i)
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 1000; i++ {
			note(b, i)
		}
	}()
	wg.Wait()
	if n, _ := a.db.OutboxLen(); n != 500 {
		t.Fatalf("offline outbox holds %d, want 500", n)
	}
	start := time.Now()
	a.start()
	head := func() uint64 { return cloudHead(t, tc.store, tc.shop.ID) }
	for _, tm := range []*terminal{a, b} {
		waitFor(t, 30*time.Second, "terminals converge", func() bool { return tm.caughtUp(head()) && head() == 20+1500 })
	}
	t.Logf("offline terminal caught up in %s", time.Since(start))
	// Every mid of both terminals is in the log exactly once.
	items, _, _, err := tc.store.ChangesAfter(tc.shop.ID, 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, raw := range items {
		var c wire.Change
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		if c.Mid > 0 {
			seen[fmt.Sprintf("%s/%d", c.Terminal, c.Mid)]++
		}
	}
	for tm, n := range map[string]int{idA: 500, idB: 1000} {
		for mid := 1; mid <= n; mid++ {
			if got := seen[fmt.Sprintf("%s/%d", tm, mid)]; got != 1 {
				t.Fatalf("terminal %s mid %d applied %d times", tm, mid, got)
			}
		}
	}
	assertConverged(t, tc.store, tc.shop.ID, a, b)
}

// assertConverged compares every order's version and status with the cloud's.
func assertConverged(t *testing.T, st cloud.Backend, shop string, terms ...*terminal) {
	t.Helper()
	snap, err := st.Snapshot(shop)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range snap.Orders {
		for _, tm := range terms {
			got := tm.order(t, want.ID)
			if got.Version != want.Version || got.Status != want.Status {
				t.Fatalf("terminal %s order %s: v%d %s, cloud v%d %s", tm.id, want.ID, got.Version, got.Status, want.Version, want.Status)
			}
			if len(got.History) != int(want.Version) {
				t.Fatalf("terminal %s order %s has %d events, want %d", tm.id, want.ID, len(got.History), want.Version)
			}
		}
	}
}
