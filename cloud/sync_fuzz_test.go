package cloud_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/sync/wire"
)

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
	tc := startEdgeCloud(f, cloud.Options{SyncRate: cloud.Rate{PerSecond: 1e6, Burst: 1e6}})
	shop := tc.addShop(f, "Fuzz")
	_, tok, err := cloud.AddTerminal(tc.store, shop.ID, "T", time.Now())
	if err != nil {
		f.Fatal(err)
	}
	url := "ws" + strings.TrimPrefix(tc.url, "http") + wire.Path
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
