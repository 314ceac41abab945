package client_test

import (
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/store"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

// appendChange puts an order straight into the shop's log, past every check
// a webhook would meet: what a terminal must survive is whatever reaches it.
func appendChange(t testing.TB, tc *testCloud, o *app.Order) uint64 {
	t.Helper()
	var seq uint64
	err := tc.store.Update(tc.shop.ID, func(tx cloud.ShopTx) error {
		var err error
		seq, err = tx.AppendChange(&wire.Change{Order: o, Events: []app.Event{{Version: o.Version, At: time.Now().UTC(), Action: app.ActionAddNote, Note: "poison"}}, At: time.Now().UTC()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

func poisonOrder(id, number string) *app.Order {
	now := time.Now().UTC()
	return &app.Order{ID: id, Channel: app.ChannelWooCommerce, ExternalID: strings.TrimPrefix(id, "woocommerce:"), Number: number,
		Status: app.StatusNew, Version: 1, CreatedAt: now, UpdatedAt: now, Currency: app.IDR,
		Buyer: app.Buyer{Name: "Racun"}, Lines: []app.Line{{SKU: "SKU-1", Name: "Kaos", Qty: 1, UnitPrice: 1000}}}
}

func metric(t testing.TB, baseURL, name string) int {
	t.Helper()
	resp, err := http.Get(baseURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`(?m)^` + name + ` (\d+)$`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("/metrics has no %s:\n%s", name, body)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// The two poisons of the campaign: an order id with a NUL byte and a
// courier name of 40,000 characters. Before quarantine both terminals went
// offline for good; now each sets the change aside, tells the cloud, and
// goes on with the next change.
func TestPoisonChangesAreQuarantinedAndSyncGoesOn(t *testing.T) {
	tc := startCloud(t)
	var terms []*terminal
	var mu stdsync.Mutex
	shown := map[string][]store.Quarantined{}
	for i := 0; i < 2; i++ {
		id, tok := tc.token(t)
		tm := newTerminal(t, tc.url, id, tok)
		tm.stop()
		tm.startWith(func(c *client.Client) {
			c.OnQuarantined = func(qs []store.Quarantined) {
				mu.Lock()
				shown[tm.id] = qs
				mu.Unlock()
			}
		})
		terms = append(terms, tm)
	}
	before := postWoo(t, tc.url, tc.shop, 1)
	nul := appendChange(t, tc, poisonOrder("woocommerce:12\x0034", "12\x0034"))
	long := poisonOrder("woocommerce:77", "77")
	long.Shipment.Courier = strings.Repeat("J", 40000)
	longSeq := appendChange(t, tc, long)
	after := postWoo(t, tc.url, tc.shop, 2)
	head := cloudHead(t, tc.store, tc.shop.ID)

	for _, tm := range terms {
		waitFor(t, 10*time.Second, "terminal past the poison", func() bool {
			return tm.has(before) && tm.has(after) && tm.caughtUp(head)
		})
	}
	// A terminal paired afterwards gets everything too.
	id, tok := tc.token(t)
	late := newTerminal(t, tc.url, id, tok)
	waitFor(t, 10*time.Second, "late terminal caught up", func() bool { return late.has(after) && late.caughtUp(head) })

	// Once store keys are bounded the courier stores; the NUL id never does.
	longStored := terms[0].has(long.ID)
	want := 1
	if !longStored {
		want = 2
	}
	for _, tm := range append(terms, late) {
		qs, err := tm.db.Quarantined()
		if err != nil {
			t.Fatal(err)
		}
		if len(qs) != want {
			t.Fatalf("terminal %s quarantined %d changes, want %d: %+v", tm.id, len(qs), want, qs)
		}
		if qs[0].Seq != nul || qs[0].Number != "12\x0034" || qs[0].Error == "" {
			t.Fatalf("quarantine entry %+v, want change %d", qs[0], nul)
		}
		if !longStored && qs[1].Seq != longSeq {
			t.Fatalf("second entry %+v, want change %d", qs[1], longSeq)
		}
		if st := tm.client.State(); st.Quarantined != want || st.Status != client.Online {
			t.Fatalf("terminal %s state %+v", tm.id, st)
		}
	}
	mu.Lock()
	if len(shown[terms[0].id]) != want {
		t.Fatalf("OnQuarantined told staff of %d changes, want %d", len(shown[terms[0].id]), want)
	}
	mu.Unlock()
	// The cloud keeps each terminal's report and counts each change once.
	waitFor(t, 5*time.Second, "reports counted", func() bool { return metric(t, tc.url, "pos_cloud_quarantined_total") == 3*want })
	for _, tm := range append(terms, late) {
		var kept []wire.Quarantined
		err := tc.store.View(tc.shop.ID, func(tx cloud.ShopTx) error {
			var err error
			kept, err = tx.Quarantined(tm.id)
			return err
		})
		if err != nil || len(kept) != want || kept[0].Seq != nul {
			t.Fatalf("cloud kept %+v for %s (%v)", kept, tm.id, err)
		}
	}

	// A restart reports the same list again: it is not counted twice.
	terms[0].stop()
	terms[0].start()
	waitFor(t, 10*time.Second, "restarted terminal online", func() bool { return terms[0].caughtUp(head) })
	if n := metric(t, tc.url, "pos_cloud_quarantined_total"); n != 3*want {
		t.Fatalf("a second report of the same changes counted: %d", n)
	}

	// An admin asks for a resend: the terminal reconnects, applies the log
	// again from the oldest quarantined change, and converges. The NUL id is
	// still unstorable, so it stays quarantined; the mark is used once.
	changesBefore := func() int { terms[1].mu.Lock(); defer terms[1].mu.Unlock(); return terms[1].changesIn }()
	marked, err := tc.srv.ResendQuarantined(terms[1].id)
	if err != nil || len(marked) != want {
		t.Fatalf("resend marked %d (%v)", len(marked), err)
	}
	waitFor(t, 10*time.Second, "log applied again", func() bool {
		terms[1].mu.Lock()
		defer terms[1].mu.Unlock()
		return terms[1].changesIn > changesBefore && terms[1].client.State().Status == client.Online
	})
	if qs, _ := terms[1].db.Quarantined(); len(qs) != want {
		t.Fatalf("after the resend %d quarantined, want %d", len(qs), want)
	}
	var kept []wire.Quarantined
	_ = tc.store.View(tc.shop.ID, func(tx cloud.ShopTx) error { kept, _ = tx.Quarantined(terms[1].id); return nil })
	for _, q := range kept {
		if q.Resend {
			t.Fatalf("the resend mark survived its resend: %+v", q)
		}
	}
	assertConverged(t, tc.store, tc.shop.ID, terms[1])
}
