package cloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

// counter is the test follower that counts: it remembers each (shop, seq)
// once, so the count is idempotent on the change's sequence as the
// mechanism requires, and it records the order in which each order's changes
// arrived. fail, when set, decides whether an attempt fails.
type counter struct {
	name string
	fail func(e LogEntry, attempt int) error
	// file, when set, gets one "shop seq order" line per attempt, for a
	// parent process to read after killing this one.
	file *os.File
	// delay slows each change down, so a kill lands mid-stream.
	delay time.Duration

	mu       sync.Mutex
	seen     map[string]map[uint64]bool
	attempts map[uint64]int
	byOrder  map[string][]uint64
	calls    int
}

func newCounter(name string) *counter {
	return &counter{name: name, seen: map[string]map[uint64]bool{}, attempts: map[uint64]int{}, byOrder: map[string][]uint64{}}
}

func (c *counter) Name() string { return c.name }

func (c *counter) Follow(_ context.Context, e LogEntry) error {
	if c.delay > 0 {
		time.Sleep(c.delay)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	c.attempts[e.Seq]++
	if c.fail != nil {
		if err := c.fail(e, c.attempts[e.Seq]); err != nil {
			return err
		}
	}
	if c.seen[e.Shop] == nil {
		c.seen[e.Shop] = map[uint64]bool{}
	}
	if c.seen[e.Shop][e.Seq] {
		return nil
	}
	c.seen[e.Shop][e.Seq] = true
	c.byOrder[e.Order] = append(c.byOrder[e.Order], e.Seq)
	if c.file != nil {
		if _, err := fmt.Fprintf(c.file, "%s %d %s\n", e.Shop, e.Seq, e.Order); err != nil {
			return err
		}
	}
	return nil
}

func (c *counter) count(shop string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.seen[shop])
}

func (c *counter) orderSeqs(order string) []uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]uint64(nil), c.byOrder[order]...)
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// followedCloud is a server over a temp bbolt store whose followers run
// until the test ends.
func followedCloud(t testing.TB, fs ...Follower) (*Server, *Shop) {
	t.Helper()
	st, err := OpenBolt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer(st, Options{Logger: quiet(), Followers: fs})
	shop, err := AddShop(st, "Toko", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.follow.run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; st.Close() })
	return s, shop
}

var cloudOwner = app.Actor{Staff: "Ayu", Role: app.RoleOwner}

// placeOrder puts a WooCommerce order through the cloud's apply-and-log path.
func placeOrder(t testing.TB, s *Server, shop, ext string) string {
	t.Helper()
	o := &app.Order{Channel: app.ChannelWooCommerce, ExternalID: ext, Currency: app.IDR,
		Buyer: app.Buyer{Name: "Rina " + ext, Phone: "0812345678"}, Lines: []app.Line{{SKU: "SKU-1", Name: "Kaos", Qty: 1, UnitPrice: 50000}}}
	res, err := s.Execute(shop, app.Command{Action: app.ActionPlace, Args: app.Args{Order: o}}, app.ChannelActor("woocommerce"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return res.Order.ID
}

func addNote(t testing.TB, s *Server, shop, id, note string) {
	t.Helper()
	if _, err := s.Execute(shop, app.Command{Action: app.ActionAddNote, OrderID: id, Args: app.Args{Note: note}}, cloudOwner, time.Now()); err != nil {
		t.Fatal(err)
	}
}

func waitUntil(t testing.TB, d time.Duration, what string, ok func() bool) {
	t.Helper()
	end := time.Now().Add(d)
	for !ok() {
		if time.Now().After(end) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestFollowerSeesEveryChangeOfEveryShopOnce(t *testing.T) {
	c := newCounter("count")
	s, shop := followedCloud(t, c)
	other, err := AddShop(s.store, "Toko B", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		id := placeOrder(t, s, shop.ID, fmt.Sprint("A", i))
		addNote(t, s, shop.ID, id, "wrapped")
		placeOrder(t, s, other.ID, fmt.Sprint("B", i))
	}
	waitUntil(t, 5*time.Second, "every change followed", func() bool { return c.count(shop.ID) == 40 && c.count(other.ID) == 20 })
	for _, sh := range []string{shop.ID, other.ID} {
		cur, err := s.store.FollowerCursor("count", sh)
		if err != nil {
			t.Fatal(err)
		}
		_, head, _, _ := s.store.ChangesAfter(sh, 0, 0)
		waitUntil(t, 2*time.Second, "cursor saved", func() bool {
			cur, _ = s.store.FollowerCursor("count", sh)
			return cur == head
		})
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	want := fmt.Sprintf(`pos_cloud_follower_lag_changes{follower="count",shop=%q} 0`, shop.ID)
	if !strings.Contains(rec.Body.String(), want) {
		t.Fatalf("metrics lack %s:\n%s", want, rec.Body.String())
	}
}

func TestFailingChangeRetriesWithoutHoldingBackOtherOrdersOrFollowers(t *testing.T) {
	var stuck string
	flaky := newCounter("flaky")
	flaky.fail = func(e LogEntry, attempt int) error {
		if e.Order == stuck && attempt <= 2 {
			return errors.New("platform answered 503")
		}
		return nil
	}
	steady := newCounter("steady")
	s, shop := followedCloud(t, flaky, steady)
	stuck = "woocommerce:S"
	placeOrder(t, s, shop.ID, "S")             // seq 1: fails twice
	addNote(t, s, shop.ID, stuck, "gift wrap") // seq 2: waits behind seq 1
	for i := range 5 {
		placeOrder(t, s, shop.ID, fmt.Sprint("O", i)) // seq 3..7: not held back
	}
	waitUntil(t, 2*time.Second, "other orders followed while one retries", func() bool {
		return flaky.count(shop.ID) == 5 && steady.count(shop.ID) == 7
	})
	if got := flaky.orderSeqs(stuck); len(got) != 0 {
		t.Fatalf("the failing order's changes ran early: %v", got)
	}
	waitUntil(t, 5*time.Second, "the failing change retried with backoff", func() bool { return flaky.count(shop.ID) == 7 })
	if got := flaky.orderSeqs(stuck); fmt.Sprint(got) != "[1 2]" {
		t.Fatalf("order %s followed as %v, want [1 2] in order", stuck, got)
	}
	waitUntil(t, 2*time.Second, "nothing pending", func() bool {
		p, _ := s.store.PendingChanges("flaky", shop.ID)
		return len(p) == 0
	})
}

func TestUnprocessableChangeIsParkedShownAndRetriedOnRequest(t *testing.T) {
	fixed := false
	var mu sync.Mutex
	c := newCounter("parking")
	c.fail = func(e LogEntry, _ int) error {
		mu.Lock()
		defer mu.Unlock()
		if e.Order == "woocommerce:BAD" && !fixed {
			return Unprocessable(errors.New("pickup address is not set"))
		}
		return nil
	}
	s, shop := followedCloud(t, c)
	placeOrder(t, s, shop.ID, "BAD")
	addNote(t, s, shop.ID, "woocommerce:BAD", "second")
	placeOrder(t, s, shop.ID, "GOOD")
	waitUntil(t, 2*time.Second, "the good order followed", func() bool { return c.count(shop.ID) == 1 })
	var states []FollowerState
	waitUntil(t, 2*time.Second, "the parked change shown", func() bool {
		var err error
		states, err = FollowerStates(s.store, s.FollowerNames())
		return err == nil && len(states) == 1 && len(states[0].Pending) == 2 && states[0].Cursor == 3
	})
	st := states[0]
	if st.Lag != 0 {
		t.Fatalf("the cursor passes the parked change: %+v", st)
	}
	p := st.Pending[0]
	if !p.Parked || p.Seq != 1 || !strings.Contains(p.Error, "pickup address is not set") || st.Pending[1].Parked || st.Pending[1].Attempts != 0 {
		t.Fatalf("pending: %+v %+v", p, st.Pending[1])
	}
	time.Sleep(300 * time.Millisecond)
	if c.count(shop.ID) != 1 {
		t.Fatal("a parked change was retried without being asked")
	}
	mu.Lock()
	fixed = true
	mu.Unlock()
	n, err := s.RetryParked("parking", shop.ID, 0)
	if err != nil || n != 1 {
		t.Fatalf("retry: %d %v", n, err)
	}
	waitUntil(t, 2*time.Second, "parked change and the one behind it followed", func() bool { return c.count(shop.ID) == 3 })
	if got := c.orderSeqs("woocommerce:BAD"); fmt.Sprint(got) != "[1 2]" {
		t.Fatalf("order followed as %v", got)
	}
}

func TestPruneKeepsChangesAFollowerHasNotPassed(t *testing.T) {
	st, err := OpenBolt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := newCounter("late")
	s := NewServer(st, Options{Logger: quiet(), Followers: []Follower{c}, Retention: 2})
	shop, _ := AddShop(st, "Toko", time.Now())
	for i := range 10 {
		placeOrder(t, s, shop.ID, fmt.Sprint("P", i))
	}
	if err := s.Prune(); err != nil {
		t.Fatal(err)
	}
	_, _, oldest, _ := st.ChangesAfter(shop.ID, 0, 0)
	if oldest != 1 {
		t.Fatalf("prune dropped changes the follower never read: oldest is %d", oldest)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.follow.run(ctx) }()
	waitUntil(t, 2*time.Second, "caught up", func() bool { return c.count(shop.ID) == 10 })
	waitUntil(t, 2*time.Second, "cursor saved", func() bool { cur, _ := st.FollowerCursor("late", shop.ID); return cur == 10 })
	cancel()
	<-done
	if err := s.Prune(); err != nil {
		t.Fatal(err)
	}
	_, _, oldest, _ = st.ChangesAfter(shop.ID, 0, 0)
	if oldest != 9 {
		t.Fatalf("after the follower passed, retention applies: oldest %d, want 9", oldest)
	}
}

func TestEntryPrefixReadsTheRoutingFieldsOrFallsBack(t *testing.T) {
	cases := []struct {
		raw   string
		seq   uint64
		order string
	}{
		{`{"seq":42,"order":{"id":"woocommerce:7","channel":"woocommerce"}}`, 42, "woocommerce:7"},
		{`{"seq":7,"order":null,"products":[]}`, 7, ""},
		{`{"order":{"id":"x"},"seq":9}`, 9, "x"},
		{`{"seq":3,"order":{"id":"a\"b"}}`, 3, `a"b`},
	}
	for _, c := range cases {
		e, err := logEntry("s", []byte(c.raw))
		if err != nil || e.Seq != c.seq || e.Order != c.order {
			t.Errorf("%s: %+v %v", c.raw, e, err)
		}
	}
	if _, err := logEntry("s", []byte(`{"seq":`)); err == nil {
		t.Error("a truncated change must be an error")
	}
}

func TestFollowersShowAndRetryFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenBolt(dir)
	if err != nil {
		t.Fatal(err)
	}
	shop, _ := AddShop(st, "Toko", time.Now())
	parked := &PendingChange{Follower: "notices", Shop: shop.ID, Seq: 4, Order: "woocommerce:9", Attempts: 12, Parked: true,
		Error: "mailbox unavailable (550)", Change: []byte(`{"seq":4}`)}
	if err := st.SaveFollowing("notices", shop.ID, 7, []*PendingChange{parked}, nil); err != nil {
		t.Fatal(err)
	}
	st.Close()
	run := func(args ...string) string {
		t.Helper()
		var out, errb strings.Builder
		if code := Main(context.Background(), append(args, "--data", dir), &out, &errb); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errb.String())
		}
		return out.String()
	}
	text := run("followers", "show")
	if !strings.Contains(text, "seq 4 order woocommerce:9: parked after 12 attempts: mailbox unavailable (550)") {
		t.Fatalf("show:\n%s", text)
	}
	if js := run("followers", "show", "--json"); !strings.Contains(js, `"cursor":7`) || !strings.Contains(js, `"parked":true`) {
		t.Fatalf("show --json: %s", js)
	}
	if out := run("followers", "retry", "--follower", "notices", "--shop", shop.ID); !strings.Contains(out, "1 parked changes released") {
		t.Fatalf("retry: %s", out)
	}
	if js := run("followers", "show", "--json"); strings.Contains(js, `"parked":true`) || !strings.Contains(js, `"attempts":0`) {
		t.Fatalf("after retry the change is due again, not parked: %s", js)
	}
	var errb strings.Builder
	if code := Main(context.Background(), []string{"followers", "retry", "--shop", shop.ID, "--data", dir}, io.Discard, &errb); code == 0 || !strings.Contains(strings.ToLower(errb.String()), "follower") {
		t.Fatalf("retry without --follower: %d %s", code, errb.String())
	}
}
