package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/web"
	"github.com/kasir/pos/sync/wire"
)

// startCloud serves a cloud over bbolt on 127.0.0.1 through web.Serve, with
// one shop, until the test ends.
func startCloud(tb testing.TB, opt cloud.Options) (url string, st *bolt.Store, shop *cloud.Shop) {
	tb.Helper()
	st, err := bolt.Open(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := cloud.NewServer(st, opt)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- web.Serve(ctx, srv, "127.0.0.1:0", "", "", func(a string) { ready <- a }) }()
	select {
	case a := <-ready:
		url = "http://" + a
	case err := <-done:
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		cancel()
		<-done
		st.Close()
	})
	shop, err = cloud.AddShop(st, "Fuzz", time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	return url, st, shop
}

// FuzzSyncMessage sends the cloud's sync handler one arbitrary message,
// before or after a good hello. Whatever it holds, the session answers or
// closes, and the next terminal is still welcomed: no message a terminal
// sends can stop the cloud for the others.
func FuzzSyncMessage(f *testing.F) {
	for _, seed := range []string{
		`{"type":"hello","proto":1,"cursor":0}`,
		`{"type":"hello","proto":99}`,
		`{"type":"hello","proto":1,"cursor":18446744073709551615,"last_acked_mid":18446744073709551615}`,
		`{"type":"push","mutations":[{"mid":1,"command":"accept","order_id":"woocommerce:1"}]}`,
		`{"type":"push","mutations":[{"mid":0},{"mid":0},{"mid":18446744073709551615}]}`,
		`{"type":"push","mutations":null}`,
		`{"type":"pull","cursor":-1}`,
		`{"type":"pull","cursor":"x"}`,
		`{"type":"quarantine","items":[{"seq":1,"error":"` + strings.Repeat("e", 5000) + `"}]}`,
		`{"type":"staff_check"}`,
		`{"type":"nope"}`,
		`[]`, `null`, `"hello"`, `{`, ``,
	} {
		f.Add(false, []byte(seed))
		f.Add(true, []byte(seed))
	}
	base, st, shop := startCloud(f, cloud.Options{SyncRate: cloud.Rate{PerSecond: 1e6, Burst: 1e6}})
	_, tok, err := cloud.AddTerminal(st, shop.ID, "T", time.Now())
	if err != nil {
		f.Fatal(err)
	}
	url := "ws" + strings.TrimPrefix(base, "http") + wire.Path
	dial := func(t *testing.T) *websocket.Conn {
		ws, _, err := websocket.DefaultDialer.Dial(url, http.Header{"Authorization": {"Bearer " + tok}})
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		return ws
	}
	welcomed := func(t *testing.T, ws *websocket.Conn) {
		hello, _ := json.Marshal(wire.Hello{Type: wire.TypeHello, Proto: wire.Proto})
		if err := ws.WriteMessage(websocket.TextMessage, hello); err != nil {
			t.Fatalf("hello: %v", err)
		}
		_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				t.Fatalf("no welcome after a good hello: %v", err)
			}
			var env wire.Envelope
			if json.Unmarshal(data, &env) == nil && env.Type == wire.TypeWelcome {
				return
			}
		}
	}
	f.Fuzz(func(t *testing.T, afterHello bool, msg []byte) {
		ws := dial(t)
		if afterHello {
			welcomed(t, ws)
		}
		if err := ws.WriteMessage(websocket.TextMessage, msg); err == nil {
			// The session answers, or closes; either way it does not hang.
			_ = ws.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
			_, _, _ = ws.ReadMessage()
		}
		ws.Close()
		next := dial(t)
		defer next.Close()
		welcomed(t, next)
	})
}
