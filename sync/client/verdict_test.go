package client_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

// cutProxy relays sync websockets between terminals and the cloud message
// by message. Armed, it cuts the first session that pushes at one message
// boundary: before the push reaches the cloud (after = -1), or after the
// push and `after` messages of the cloud; when the cloud has nothing more
// to say for a moment, it cuts there (after everything).
type cutProxy struct {
	srv   *httptest.Server
	cloud string

	mu    stdsync.Mutex
	armed bool
	after int
	// cutWhere says where the cut fell, once it did.
	cutWhere string
	cut      chan struct{}
}

const proxyQuiet = 400 * time.Millisecond

func newCutProxy(t *testing.T, cloudURL string) *cutProxy {
	p := &cutProxy{cloud: strings.Replace(cloudURL, "http", "ws", 1)}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		up2, _, err := websocket.DefaultDialer.Dial(p.cloud+r.URL.Path, http.Header{"Authorization": r.Header["Authorization"]})
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		down, err := up.Upgrade(w, r, nil)
		if err != nil {
			up2.Close()
			return
		}
		p.relay(down, up2)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *cutProxy) arm(after int) {
	p.mu.Lock()
	p.armed, p.after, p.cutWhere, p.cut = true, after, "", make(chan struct{})
	p.mu.Unlock()
}

// relay forwards both ways; only the session that pushes first after arm is cut.
func (p *cutProxy) relay(term, cloud *websocket.Conn) {
	var once stdsync.Once
	closeBoth := func() { once.Do(func() { term.Close(); cloud.Close() }) }
	defer closeBoth()
	var (
		mu        stdsync.Mutex
		mine      bool // this session is the one to cut
		forwarded = -1 // cloud messages forwarded since the push; -1 before it
	)
	cutHere := func(where string) {
		p.mu.Lock()
		p.cutWhere = where
		close(p.cut)
		p.mu.Unlock()
		closeBoth()
	}
	go func() {
		defer closeBoth()
		for {
			kind, data, err := term.ReadMessage()
			if err != nil {
				return
			}
			var env wire.Envelope
			_ = json.Unmarshal(data, &env)
			if env.Type == wire.TypePush {
				p.mu.Lock()
				take := p.armed
				p.armed = false
				after := p.after
				p.mu.Unlock()
				if take {
					if after < 0 {
						cutHere("before the push reached the cloud")
						return
					}
					mu.Lock()
					mine, forwarded = true, 0
					mu.Unlock()
					go func() {
						// Cut once the cloud has been quiet for a moment after the push.
						last := -1
						for {
							time.Sleep(proxyQuiet)
							mu.Lock()
							n := forwarded
							mu.Unlock()
							if n < 0 {
								return
							}
							if n == last {
								cutHere(fmt.Sprintf("after the push and all %d messages of the cloud", n))
								mu.Lock()
								forwarded = -1
								mu.Unlock()
								return
							}
							last = n
						}
					}()
				}
			}
			if err := cloud.WriteMessage(kind, data); err != nil {
				return
			}
		}
	}()
	for {
		kind, data, err := cloud.ReadMessage()
		if err != nil {
			return
		}
		mu.Lock()
		if mine && forwarded >= 0 {
			p.mu.Lock()
			after := p.after
			p.mu.Unlock()
			if forwarded == after {
				var env wire.Envelope
				_ = json.Unmarshal(data, &env)
				forwarded = -1
				mu.Unlock()
				cutHere(fmt.Sprintf("after the push and %d messages of the cloud, before a %s", after, env.Type))
				return
			}
			forwarded++
		}
		mu.Unlock()
		if err := term.WriteMessage(kind, data); err != nil {
			return
		}
	}
}

// A verdict reaches the terminal that asked whatever message boundary the
// connection drops at: the refused optimistic accept is rolled back, staff
// are told why, and cloud and terminals agree on status and version, with
// and without a restart of the terminal after the drop.
func TestRefusalSurvivesADropAtEveryMessageBoundary(t *testing.T) {
	for after := -1; ; after++ {
		restart := after%2 != 0
		where := runDropAt(t, after, restart)
		t.Logf("cut %s (restart %v): converged, refusal shown", where, restart)
		if strings.Contains(where, "all") {
			return
		}
		if after > 12 {
			t.Fatal("the cloud never went quiet after the push")
		}
	}
}

func runDropAt(t *testing.T, after int, restart bool) string {
	tc := startCloud(t)
	proxy := newCutProxy(t, tc.url)
	idA, tokA := tc.token(t)
	idB, tokB := tc.token(t)
	a := newTerminal(t, tc.url, idA, tokA)
	b := newTerminal(t, proxy.srv.URL, idB, tokB)
	order := postWoo(t, tc.url, tc.shop, 900)
	other := postWoo(t, tc.url, tc.shop, 901)
	for _, tm := range []*terminal{a, b} {
		waitFor(t, 10*time.Second, "orders on both", func() bool { return tm.has(order) && tm.has(other) })
	}
	// B, offline, rejects one order as the owner (the tablet believes it;
	// the cloud, with no staff proof, takes the token for a cashier and
	// refuses) and accepts the other (applied; its change follows its
	// result). Nothing else touches the refused order: only the verdict can
	// undo B's optimistic Cancelled.
	b.stop()
	head := func() uint64 { return cloudHead(t, tc.store, tc.shop.ID) }
	if _, err := b.svc.Do(app.Command{Action: app.ActionReject, OrderID: order, Args: app.Args{Reason: "stok habis"}}, app.Actor{Staff: "Rina", Role: app.RoleOwner}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Do(app.Command{Action: app.ActionAccept, OrderID: other}, app.Actor{Staff: "Rina", Role: app.RoleCashier}); err != nil {
		t.Fatal(err)
	}
	proxy.arm(after)
	b.start()
	select {
	case <-proxy.cut:
	case <-time.After(15 * time.Second):
		t.Fatalf("after %d: the proxy never cut", after)
	}
	proxy.mu.Lock()
	where := proxy.cutWhere
	proxy.mu.Unlock()
	if restart {
		b.stop()
		b.start()
	}
	waitFor(t, 20*time.Second, "B caught up after the cut "+where, func() bool {
		return b.caughtUp(head()) && a.caughtUp(head())
	})
	b.mu.Lock()
	var shown *client.Rejection
	for i := range b.rejected {
		if b.rejected[i].OrderID == order {
			shown = &b.rejected[i]
		}
	}
	b.mu.Unlock()
	if shown == nil {
		t.Fatalf("cut %s: staff were never told of the refusal (told %+v)", where, b.rejected)
	}
	if shown.Code != app.EForbidden || shown.Message == "" || shown.Staff != "Rina" {
		t.Fatalf("cut %s: refusal shown as %+v", where, shown)
	}
	// The verdict carries its message key, so an Indonesian terminal says it in Indonesian.
	if id := shown.Reason().In(app.Indonesian); shown.Text.IsZero() || id == shown.Message || shown.Reason().String() != shown.Message {
		t.Fatalf("cut %s: refusal %q has no key to say it in Indonesian (%q)", where, shown.Message, id)
	}
	assertConverged(t, tc.store, tc.shop.ID, a, b)
	// The optimistic reject is rolled back.
	if o := b.order(t, order); o.Status != app.StatusNew || o.Version != 1 || len(o.History) != 1 {
		t.Fatalf("cut %s: B shows v%d %s with %d events", where, o.Version, o.Status, len(o.History))
	}
	if o := b.order(t, other); o.Status != app.StatusReadyToShip || o.Version != 2 || o.History[1].Actor.Terminal != b.id {
		t.Fatalf("cut %s: B's applied accept shows v%d %s", where, o.Version, o.Status)
	}
	b.mu.Lock()
	for _, r := range b.rejected {
		if r.OrderID == other {
			t.Errorf("cut %s: the applied accept was shown as refused: %+v", where, r)
		}
	}
	b.mu.Unlock()
	b.stop()
	a.stop()
	return where
}
