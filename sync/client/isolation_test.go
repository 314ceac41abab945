package client_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

func TestTokenSeesOnlyItsShop(t *testing.T) {
	tc := startCloud(t)
	other, err := cloud.AddShop(tc.store, "Toko Lain", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	idA, tokA := tc.token(t)
	a := newTerminal(t, tc.url, idA, tokA)
	waitFor(t, 5*time.Second, "online", func() bool { return a.client.State().Status == client.Online })

	// Another shop's order never reaches this terminal.
	foreign := postWoo(t, tc.url, other, 1)
	mine := postWoo(t, tc.url, tc.shop, 2)
	// The order is durable a moment before the cursor the badge reads moves.
	waitFor(t, 2*time.Second, "own order", func() bool { return a.has(mine) && a.client.State().Cursor > 0 })
	if a.has(foreign) {
		t.Fatal("terminal of shop A received shop B's order")
	}
	if c := a.client.State().Cursor; c != 1 {
		t.Fatalf("cursor %d: it must follow only its own shop's log", c)
	}

	// A hello naming the other shop is refused with WRONG_SHOP.
	ws, _, err := websocket.DefaultDialer.Dial(strings.Replace(tc.url, "http", "ws", 1)+wire.Path, http.Header{"Authorization": {"Bearer " + tokA}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if err := ws.WriteJSON(wire.Hello{Type: wire.TypeHello, Shop: other.ID, Proto: wire.Proto}); err != nil {
		t.Fatal(err)
	}
	var e wire.Error
	_ = ws.SetReadDeadline(time.Now().Add(2 * time.Second))
	if err := ws.ReadJSON(&e); err != nil || e.Code != wire.ECodeWrongShop {
		t.Fatalf("hello for another shop: %+v %v", e, err)
	}

	// A pull for a cursor cannot reach past the shop either: an unknown token gets no socket.
	_, resp, err := websocket.DefaultDialer.Dial(strings.Replace(tc.url, "http", "ws", 1)+wire.Path, http.Header{"Authorization": {"Bearer pos_forged"}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("forged token: %v %v", resp, err)
	}
}

func TestRevokeClosesTheSocket(t *testing.T) {
	tc := startCloud(t)
	id, tok := tc.token(t)
	tm := newTerminal(t, tc.url, id, tok)
	waitFor(t, 5*time.Second, "online", func() bool { return tm.client.State().Status == client.Online })
	if _, err := tc.srv.RevokeTerminal(id); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 2*time.Second, "offline after revoke", func() bool { return tm.client.State().Status == client.Offline })
	time.Sleep(1200 * time.Millisecond) // a reconnect attempt or two
	if st := tm.client.State(); st.Status != client.Offline || !strings.Contains(st.LastError, "token") {
		t.Fatalf("revoked terminal state %+v", st)
	}
}
