package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/store"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

// fakeCloud speaks just enough of the protocol to hand a terminal one
// change of the test's choosing, followed by a good one.
func fakeCloud(t *testing.T, item []byte, good []byte) *httptest.Server {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		var h wire.Hello
		if err := ws.ReadJSON(&h); err != nil {
			return
		}
		_ = ws.WriteJSON(wire.Welcome{Type: wire.TypeWelcome, ServerSeq: 2})
		// Framed by hand, as the cloud frames the stored changes.
		if h.Cursor < 1 {
			_ = ws.WriteMessage(websocket.TextMessage, fmt.Appendf(nil, `{"type":"changes","from":1,"to":1,"head":2,"items":[%s]}`, item))
		}
		if h.Cursor < 2 {
			_ = ws.WriteMessage(websocket.TextMessage, fmt.Appendf(nil, `{"type":"changes","from":2,"to":2,"head":2,"items":[%s]}`, good))
		}
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func fuzzOrder(id string) *app.Order {
	at := time.Date(2026, 11, 20, 7, 30, 0, 0, time.UTC)
	return &app.Order{ID: id, Channel: app.ChannelWooCommerce, ExternalID: strings.TrimPrefix(id, "woocommerce:"), Number: "WC-" + id,
		Status: app.StatusNew, Version: 1, CreatedAt: at, UpdatedAt: at, Currency: app.IDR, Buyer: app.Buyer{Name: "Budi"},
		Lines: []app.Line{{SKU: "SKU-1", Name: "Kaos", Qty: 2, UnitPrice: 75000}}}
}

func changeJSON(seq uint64, o *app.Order) []byte {
	b, _ := json.Marshal(wire.Change{Seq: seq, Order: o, Events: []app.Event{{Version: o.Version, At: o.CreatedAt, Action: app.ActionAddNote, Note: "x"}},
		Products: []*app.Product{{SKU: "SKU-1", Name: "Kaos", OnHand: 5}}})
	return b
}

// FuzzApplyChange feeds a terminal one arbitrary change and then a good
// one: whatever the first holds, the terminal stores or quarantines it and
// goes on to the next. The seeds (run by plain go test) are the campaign's
// poisons and the shapes a decoder trips on.
func FuzzApplyChange(f *testing.F) {
	nul := fuzzOrder("woocommerce:12\x0034")
	long := fuzzOrder("woocommerce:77")
	long.Shipment.Courier = strings.Repeat("J", 40000)
	bogus := fuzzOrder("woocommerce:5")
	bogus.Status = "bogus"
	noID := fuzzOrder("")
	for _, seed := range [][]byte{
		changeJSON(1, fuzzOrder("woocommerce:1")),
		changeJSON(1, nul),
		changeJSON(1, long),
		changeJSON(1, bogus),
		changeJSON(1, noID),
		[]byte(`{"seq":1,"order":{"id":123}}`),
		[]byte(`{"seq":1,"order":{"id":"woocommerce:9","version":"two"}}`),
		[]byte(`{"seq":1,"order":{"id":"woocommerce:9\\","status":"new"}}`),
		[]byte(`{"seq":1,"order":null,"products":[null,{"sku":""}]}`),
		[]byte(`{"seq":1,"order":{"id":"woocommerce:9","channel":"woocommerce","status":"new","version":-4},"events":[{"version":-1}]}`),
		[]byte(`{"seq":1,"policy":{"currency":"IDR","bulk_limit":-1}}`),
		[]byte(`{"seq":1,"products":[{"sku":"` + strings.Repeat("S", 40000) + `"}]}`),
		[]byte(`"just a string"`),
		[]byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`),
		[]byte(`{"seq":0}`),
		[]byte(`{"seq":18446744073709551615,"order":{"id":"woocommerce:9","channel":"woocommerce","status":"new"}}`),
		[]byte(`null`),
	} {
		f.Add(seed)
	}
	good := changeJSON(2, fuzzOrder("woocommerce:4242"))
	f.Fuzz(func(t *testing.T, item []byte) {
		if !json.Valid(item) {
			// The cloud only ever frames valid JSON; anything else reaches
			// the terminal as a value it must still survive.
			item, _ = json.Marshal(string(item))
		}
		srv := fakeCloud(t, item, good)
		db, err := store.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		c := client.NewClient(db, store.NewService(db, app.DefaultPolicy()), client.Config{BaseURL: srv.URL, Token: "t", Logger: quietLog()})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); _ = c.Run(ctx) }()
		defer func() { cancel(); <-done }()
		deadline := time.Now().Add(10 * time.Second)
		for {
			st := c.State()
			if st.Cursor == 2 && st.Status == client.Online {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the sync stopped on %q: %+v", clipBytes(item), st)
			}
			time.Sleep(2 * time.Millisecond)
		}
		if _, err := db.OrderWithHistory("woocommerce:4242"); err != nil {
			t.Fatalf("the change after %q was not stored: %v", clipBytes(item), err)
		}
		if err := db.CheckConsistency(); err != nil {
			t.Fatalf("after %q the store is inconsistent: %v", clipBytes(item), err)
		}
	})
}

func clipBytes(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
