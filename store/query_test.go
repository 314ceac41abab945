package store

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

var testBase = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// loaded is a store filled with fake orders and the same orders in memory.
func loaded(t testing.TB, n int) (*DB, []*app.Order) {
	t.Helper()
	db := openTest(t)
	orders := fakeOrders(42, n, testBase)
	// A few orders share a creation time, so ties are ordered by id.
	for i := 1; i < len(orders); i += 17 {
		orders[i].CreatedAt = orders[i-1].CreatedAt
	}
	if err := db.InsertOrders(orders); err != nil {
		t.Fatal(err)
	}
	return db, orders
}

// reference answers a filter the slow way, by reading every order.
func reference(orders []*app.Order, f app.Filter) app.Page {
	var out []*app.Order
	tokens := queryTokens(f.Text)
	for _, o := range orders {
		if len(f.Statuses) > 0 && !containsStatus(f.Statuses, o.Status) {
			continue
		}
		if len(f.Channels) > 0 && !containsChannel(f.Channels, o.Channel) {
			continue
		}
		if f.Online && !o.Channel.Online() {
			continue
		}
		if f.Courier != "" && !strings.EqualFold(strings.TrimSpace(f.Courier), o.Shipment.Courier) {
			continue
		}
		if f.LabelPrinted != nil && o.LabelPrinted() != *f.LabelPrinted {
			continue
		}
		if !f.From.IsZero() && o.CreatedAt.Before(f.From) {
			continue
		}
		if !f.To.IsZero() && !o.CreatedAt.Before(f.To) {
			continue
		}
		if f.DeadlineWithin > 0 && (o.Status != app.StatusNew || o.AcceptBy.IsZero() || o.AcceptBy.After(f.Now.Add(f.DeadlineWithin))) {
			continue
		}
		if !matchesText(o, tokens) {
			continue
		}
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	page := app.Page{Total: len(out), Orders: []*app.Order{}}
	for i := f.Offset; i < len(out) && (f.Limit == 0 || i < f.Offset+f.Limit); i++ {
		page.Orders = append(page.Orders, out[i])
	}
	return page
}

func matchesText(o *app.Order, tokens []queryToken) bool {
	have := app.OrderSearchWords(o)
	for _, q := range tokens {
		ok := false
		for _, h := range have {
			for _, alt := range q {
				if strings.HasPrefix(h, alt) {
					ok = true
				}
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func containsStatus(ss []app.Status, s app.Status) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func containsChannel(cs []app.Channel, c app.Channel) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

func pageIDs(p app.Page) string {
	ids := make([]string, len(p.Orders))
	for i, o := range p.Orders {
		ids[i] = o.ID
	}
	return fmt.Sprintf("total=%d %v", p.Total, ids)
}

func checkFilter(t *testing.T, db *DB, orders []*app.Order, f app.Filter) {
	t.Helper()
	got, err := db.FindOrders(f)
	if err != nil {
		t.Fatalf("%+v: %v", f, err)
	}
	want := reference(orders, f)
	if pageIDs(got) != pageIDs(want) {
		t.Fatalf("filter %+v:\n got %s\nwant %s", f, pageIDs(got), pageIDs(want))
	}
}

func TestFindOrdersEveryField(t *testing.T) {
	db, orders := loaded(t, 600)
	yes, no := true, false
	now := testBase.Add(-10 * 24 * time.Hour)
	cases := []app.Filter{
		{},
		{Limit: 50},
		{Limit: 20, Offset: 30},
		{Offset: 590, Limit: 50},
		{Statuses: []app.Status{app.StatusNew}, Limit: 50},
		{Statuses: []app.Status{app.StatusNew, app.StatusPaymentReview, app.StatusNew}, Limit: 10, Offset: 5},
		{Statuses: []app.Status{app.StatusCompleted}, Online: true, Limit: 25},
		{Statuses: []app.Status{app.StatusCompleted}, Online: true, Limit: 25, Offset: 100},
		{Channels: []app.Channel{app.ChannelShopee}},
		{Channels: []app.Channel{app.ChannelShopee, app.ChannelLazada}, Limit: 7},
		{Channels: []app.Channel{app.ChannelInStore}, Online: true},
		{Channels: []app.Channel{app.ChannelInStore, app.ChannelTikTok}, Online: true, Limit: 5},
		{Online: true, Limit: 40},
		{Courier: "JNE"},
		{Courier: " jne ", Limit: 3},
		{Courier: "J&T Express", Statuses: []app.Status{app.StatusInDelivery}},
		{LabelPrinted: &yes, Limit: 10},
		{LabelPrinted: &no, Limit: 10, Offset: 10},
		{LabelPrinted: &no, Statuses: []app.Status{app.StatusReadyToShip}},
		{From: testBase.Add(-30 * 24 * time.Hour)},
		{To: testBase.Add(-30 * 24 * time.Hour), Limit: 20},
		{From: testBase.Add(-40 * 24 * time.Hour), To: testBase.Add(-20 * 24 * time.Hour), Statuses: []app.Status{app.StatusCompleted, app.StatusCancelled}},
		{From: minTime(orders[5].CreatedAt, orders[9].CreatedAt), To: maxTime(orders[5].CreatedAt, orders[9].CreatedAt).Add(time.Second)},
		{From: orders[5].CreatedAt, To: orders[5].CreatedAt},
		{DeadlineWithin: 48 * time.Hour, Now: now},
		{DeadlineWithin: 30 * 24 * time.Hour, Now: now, Limit: 5},
		{DeadlineWithin: 30 * 24 * time.Hour, Now: now, Channels: []app.Channel{app.ChannelTokopedia}},
		{Text: orders[3].Number},
		{Text: "siti"},
		{Text: "Siti Ra", Limit: 5},
		{Text: "kopi gayo", Statuses: []app.Status{app.StatusNew, app.StatusReadyToShip}},
		{Text: "KAOS-HTM", Online: true, Limit: 10, Offset: 2},
		{Text: "nothing-like-this"},
		{Text: "   "},
		{Text: "hoodie", LabelPrinted: &no, Courier: "sicepat"},
		{Text: "tkp", DeadlineWithin: 60 * 24 * time.Hour, Now: now},
	}
	for _, f := range cases {
		checkFilter(t, db, orders, f)
	}
	// Random combinations of every field.
	r := rand.New(rand.NewSource(7))
	words := []string{"siti", "budi", "kaos", "kopi", "tkp-1", "shp", "08", "jne", "hitam", "rahayu", "xl"}
	for i := 0; i < 400; i++ {
		var f app.Filter
		if r.Intn(3) == 0 {
			for k := r.Intn(3) + 1; k > 0; k-- {
				f.Statuses = append(f.Statuses, app.Statuses[r.Intn(len(app.Statuses))])
			}
		}
		if r.Intn(3) == 0 {
			for k := r.Intn(3) + 1; k > 0; k-- {
				f.Channels = append(f.Channels, app.Channels[r.Intn(len(app.Channels))])
			}
		}
		f.Online = r.Intn(2) == 0
		if r.Intn(5) == 0 {
			f.Courier = couriers[r.Intn(len(couriers))]
		}
		if r.Intn(4) == 0 {
			b := r.Intn(2) == 0
			f.LabelPrinted = &b
		}
		if r.Intn(4) == 0 {
			f.From = testBase.Add(-time.Duration(r.Intn(90*24)) * time.Hour)
		}
		if r.Intn(4) == 0 {
			f.To = f.From.Add(time.Duration(r.Intn(60*24)) * time.Hour)
			if f.From.IsZero() {
				f.To = testBase.Add(-time.Duration(r.Intn(90*24)) * time.Hour)
			}
		}
		if !f.From.IsZero() && !f.To.IsZero() && f.From.After(f.To) {
			f.From, f.To = f.To, f.From
		}
		if r.Intn(5) == 0 {
			f.DeadlineWithin, f.Now = time.Duration(1+r.Intn(60*24))*time.Hour, testBase.Add(-time.Duration(r.Intn(90*24))*time.Hour)
		}
		if r.Intn(3) == 0 {
			f.Text = words[r.Intn(len(words))]
			if r.Intn(2) == 0 {
				f.Text += " " + words[r.Intn(len(words))]
			}
		}
		if r.Intn(2) == 0 {
			f.Limit = r.Intn(30)
			f.Offset = r.Intn(30)
		}
		checkFilter(t, db, orders, f)
	}
}

func TestFindOrdersRefusesBadFilter(t *testing.T) {
	db := openTest(t)
	for _, f := range []app.Filter{
		{Statuses: []app.Status{"lost"}},
		{Channels: []app.Channel{"bukalapak"}},
		{Limit: -1},
		{From: testBase, To: testBase.Add(-time.Hour)},
	} {
		if _, err := db.FindOrders(f); app.ErrorCode(err) != app.EInvalid {
			t.Errorf("%+v: want EInvalid, got %v", f, err)
		}
	}
}

func TestSearch(t *testing.T) {
	db := openTest(t)
	mk := func(id, number, name, phone string, lines ...app.Line) *app.Order {
		return &app.Order{ID: id, Channel: app.ChannelTokopedia, ExternalID: strings.TrimPrefix(number, "TKP-"), Number: number, Status: app.StatusNew,
			Buyer: app.Buyer{Name: name, Phone: phone}, Lines: lines, Currency: app.IDR, CreatedAt: testBase}
	}
	orders := []*app.Order{
		mk("a", "TKP-12345", "Siti Nurhaliza", "+62 812-3456-7890", app.Line{SKU: "KOPI-GAYO-250", Name: "Kopi Arabika Gayo", Qty: 1}),
		mk("b", "TKP-12399", "Budi Santoso", "081299998888", app.Line{SKU: "KAOS-HTM-L", Name: "Kaos Polos Hitam L", Qty: 1}),
		mk("c", "TKP-55555", "Dewi Sitompul", "0856 1111 2222", app.Line{SKU: "SAMBAL-BWG", Name: "Sambal Bawang Pédas", Qty: 1}),
	}
	if err := db.InsertOrders(orders); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"TKP-123":       "a b",
		"tkp-12345":     "a",
		"12345":         "a",
		"123":           "a b",
		"TKP":           "a b c",
		"siti":          "a",
		"SIT":           "a c",
		"siti nur":      "a",
		"nur siti":      "a",
		"budi siti":     "",
		"0812-3456":     "a",
		"08123456":      "a",
		"8123456":       "a",
		"6281234":       "a",
		"+62812-3":      "a",
		"+62812":        "a b",
		"628129999":     "b",
		"0856":          "c",
		"kopi-gayo":     "a",
		"gayo":          "a",
		"KAOS-HTM-L":    "b",
		"hitam":         "b",
		"arabika kopi":  "a",
		"pédas":         "c",
		"sambal budi":   "",
		"zzz":           "",
		"polos hitam l": "b",
	}
	for q, want := range cases {
		p, err := db.FindOrders(app.Filter{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, o := range p.Orders {
			ids = append(ids, o.ID)
		}
		sort.Strings(ids)
		if got := strings.Join(ids, " "); got != want || p.Total != len(ids) {
			t.Errorf("search %q = %q (total %d), want %q", q, got, p.Total, want)
		}
	}
}

func TestIndexesFollowChanges(t *testing.T) {
	db, orders := loaded(t, 200)
	r := rand.New(rand.NewSource(3))
	// Rewrite orders with new statuses, couriers, prints, buyers and deadlines.
	for step := 0; step < 300; step++ {
		o := orders[r.Intn(len(orders))].Clone()
		o.Status = app.Statuses[r.Intn(len(app.Statuses))]
		if o.Channel == app.ChannelInStore {
			o.Status = app.StatusCompleted
		}
		o.AcceptBy = time.Time{}
		if o.Status == app.StatusNew {
			o.AcceptBy = testBase.Add(time.Duration(r.Intn(48)) * time.Hour)
		}
		o.Shipment.Courier = []string{"", "JNE", "SiCepat", "jne"}[r.Intn(4)]
		o.Shipment.TrackingID = []string{"", "TRK1"}[r.Intn(2)]
		o.Prints.LabelCount = r.Intn(2)
		o.Buyer.Name = firstNames[r.Intn(len(firstNames))]
		o.Lines = o.Lines[:1+r.Intn(len(o.Lines))]
		o.Version++
		if err := db.Update(func(tx app.Tx) error { return tx.PutOrder(o) }); err != nil {
			t.Fatal(err)
		}
		for i := range orders {
			if orders[i].ID == o.ID {
				orders[i] = o
			}
		}
		if step%25 == 0 {
			mustConsistent(t, db)
			for _, s := range app.Statuses {
				checkFilter(t, db, orders, app.Filter{Statuses: []app.Status{s}})
			}
		}
	}
	mustConsistent(t, db)
	checkFilter(t, db, orders, app.Filter{Text: "siti"})
	checkFilter(t, db, orders, app.Filter{Courier: "jne"})
	checkFilter(t, db, orders, app.Filter{DeadlineWithin: time.Hour, Now: testBase.Add(12 * time.Hour)})
}

func TestBadges(t *testing.T) {
	db, orders := loaded(t, 500)
	now := testBase.Add(-20 * 24 * time.Hour)
	within := 6 * time.Hour
	got, err := db.Badges(now, within)
	if err != nil {
		t.Fatal(err)
	}
	want := app.Badges{ByStatus: map[app.Status]int{}}
	for _, s := range app.Statuses {
		want.ByStatus[s] = 0
	}
	for _, o := range orders {
		if !o.Channel.Online() {
			continue
		}
		want.ByStatus[o.Status]++
		if o.Status == app.StatusNew || o.Status == app.StatusPaymentReview {
			want.New++
		}
		if o.Status == app.StatusNew && !o.AcceptBy.After(now.Add(within)) {
			want.Expiring++
		}
		if o.AwaitingLabel() {
			want.AwaitingLabel++
		}
		if app.OpenCancelRequest(o) {
			want.CancelRequests++
		}
	}
	if asJSON(t, got) != asJSON(t, want) {
		t.Fatalf("badges\n got %s\nwant %s", asJSON(t, got), asJSON(t, want))
	}
	if want.Expiring == 0 || want.AwaitingLabel == 0 || want.New == 0 {
		t.Fatalf("fixture too thin to test badges: %+v", want)
	}
}

func TestDueForAutoReject(t *testing.T) {
	db, orders := loaded(t, 400)
	now := testBase.Add(-45 * 24 * time.Hour)
	var want []*app.Order
	for _, o := range orders {
		if o.Status == app.StatusNew && !o.AcceptBy.After(now) {
			want = append(want, o)
		}
	}
	sort.Slice(want, func(i, j int) bool {
		if !want[i].AcceptBy.Equal(want[j].AcceptBy) {
			return want[i].AcceptBy.Before(want[j].AcceptBy)
		}
		return want[i].ID < want[j].ID
	})
	ids, err := db.DueForAutoReject(now, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(want) || len(want) < 3 {
		t.Fatalf("got %d due, want %d", len(ids), len(want))
	}
	for i := range ids {
		if ids[i] != want[i].ID {
			t.Fatalf("due[%d] = %s, want %s", i, ids[i], want[i].ID)
		}
	}
	few, _ := db.DueForAutoReject(now, 2)
	if len(few) != 2 || few[0] != ids[0] || few[1] != ids[1] {
		t.Fatalf("limit 2 gave %v", few)
	}
}

func TestScanCreated(t *testing.T) {
	db, orders := loaded(t, 300)
	from, to := testBase.Add(-50*24*time.Hour), testBase.Add(-10*24*time.Hour)
	var got []*app.Order
	if err := db.ScanCreated(from, to, func(o *app.Order) error { got = append(got, o); return nil }); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, o := range orders {
		if !o.CreatedAt.Before(from) && o.CreatedAt.Before(to) {
			n++
		}
	}
	if len(got) != n || n == 0 {
		t.Fatalf("scanned %d, want %d", len(got), n)
	}
	for i := 1; i < len(got); i++ {
		if got[i].CreatedAt.Before(got[i-1].CreatedAt) {
			t.Fatalf("not oldest first at %d", i)
		}
	}
	all := 0
	db.ScanCreated(time.Time{}, time.Time{}, func(*app.Order) error { all++; return nil })
	if all != len(orders) {
		t.Fatalf("open scan saw %d of %d", all, len(orders))
	}
	stop := fmt.Errorf("stop")
	if err := db.ScanCreated(time.Time{}, time.Time{}, func(*app.Order) error { return stop }); err != stop {
		t.Fatalf("fn's error not returned: %v", err)
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
