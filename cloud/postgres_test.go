package cloud_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/postgres"
	"github.com/kasir/pos/sync/wire"
)

// startPostgres runs a throwaway PostgreSQL 15; see cloud.StartTestPostgres.
func startPostgres(t testing.TB) string { return cloud.StartTestPostgres(t) }

// instance is one pos-cloud process sharing the PostgreSQL store.
func startInstance(t *testing.T, dsn string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	st, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	srv := cloud.NewServer(st, cloud.Options{Logger: quietLog()})
	ready := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ctx, "127.0.0.1:0", "", "", func(a string) { ready <- a })
	}()
	t.Cleanup(func() { cancel(); <-done; st.Close() })
	return "http://" + <-ready
}

// rawTerminal is a bare websocket speaking the protocol.
type rawTerminal struct {
	ws  *websocket.Conn
	msg chan map[string]any
}

func dialRaw(t *testing.T, base, token string) *rawTerminal {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(strings.Replace(base, "http", "ws", 1)+wire.Path, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		t.Fatal(err)
	}
	rt := &rawTerminal{ws: ws, msg: make(chan map[string]any, 256)}
	go func() {
		for {
			var m map[string]any
			if err := ws.ReadJSON(&m); err != nil {
				close(rt.msg)
				return
			}
			rt.msg <- m
		}
	}()
	t.Cleanup(func() { ws.Close() })
	if err := ws.WriteJSON(wire.Hello{Type: wire.TypeHello, Proto: wire.Proto}); err != nil {
		t.Fatal(err)
	}
	rt.next(t, wire.TypeWelcome)
	return rt
}

func (rt *rawTerminal) next(t *testing.T, typ string) map[string]any {
	t.Helper()
	timeout := time.After(3 * time.Second)
	for {
		select {
		case m, ok := <-rt.msg:
			if !ok {
				t.Fatalf("socket closed waiting for %s", typ)
			}
			if m["type"] == typ {
				return m
			}
		case <-timeout:
			t.Fatalf("no %s within 3 s", typ)
		}
	}
}

func TestPostgresScaleOut(t *testing.T) {
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
	_, tokA, _ := cloud.AddTerminal(st, shop.ID, "A", time.Now())
	_, tokB, _ := cloud.AddTerminal(st, shop.ID, "B", time.Now())
	one, two := startInstance(t, dsn), startInstance(t, dsn)
	a, b := dialRaw(t, one, tokA), dialRaw(t, two, tokB)

	// A webhook on instance two reaches a terminal on instance one (pg_notify wake-up).
	tc := &testCloud{url: two}
	body := wooBody(t, 9001, "processing")
	for i := 0; i < 2; i++ {
		if code, resp := tc.postWoo(t, shop, body, "dup"); code != 200 {
			t.Fatalf("webhook: %d %s", code, resp)
		}
	}
	ch := a.next(t, wire.TypeChanges)
	if items := ch["items"].([]any); len(items) != 1 {
		t.Fatalf("changes %v", ch)
	}
	b.next(t, wire.TypeChanges)
	snap, err := st.Snapshot(shop.ID)
	if err != nil || len(snap.Orders) != 1 || snap.Seq != 1 {
		t.Fatalf("duplicate delivery: %d orders at seq %d (%v)", len(snap.Orders), snap.Seq, err)
	}

	// Two terminals on two instances accept at once: exactly one wins.
	id := app.ChannelOrderID(app.ChannelWooCommerce, "9001")
	var wg sync.WaitGroup
	for _, rt := range []*rawTerminal{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = rt.ws.WriteJSON(wire.Push{Type: wire.TypePush, Mutations: []wire.Mutation{{Mid: 1,
				Command: app.Command{Action: app.ActionAccept, OrderID: id}, Actor: app.Actor{Staff: "x", Role: app.RoleOwner}}}})
		}()
	}
	wg.Wait()
	verdicts := map[string]int{}
	for _, rt := range []*rawTerminal{a, b} {
		r := rt.next(t, wire.TypeResult)
		verdicts[fmt.Sprint(r["status"], " ", r["code"])]++
	}
	if verdicts["applied <nil>"] != 1 || verdicts["rejected ALREADY_ACCEPTED"] != 1 {
		t.Fatalf("verdicts %v", verdicts)
	}
	// A replayed mid returns the stored verdict and applies nothing.
	_ = a.ws.WriteJSON(wire.Push{Type: wire.TypePush, Mutations: []wire.Mutation{{Mid: 1,
		Command: app.Command{Action: app.ActionAccept, OrderID: id}, Actor: app.Actor{Staff: "x", Role: app.RoleOwner}}}})
	a.next(t, wire.TypeResult)
	if snap, _ := st.Snapshot(shop.ID); snap.Seq != 2 {
		t.Fatalf("log head %d after a replay, want 2", snap.Seq)
	}
}
