package store

import (
	"bytes"
	"encoding/binary"
	"math/rand"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// TestSearchLineTokens covers line words found through idx_names: a prefix
// matching several words and lines, words met on different lines of one
// order, and renamed, shortened and removed lines leaving no stale keys.
func TestSearchLineTokens(t *testing.T) {
	db := openTest(t)
	mk := func(id string, lines ...app.Line) *app.Order {
		return &app.Order{ID: id, Channel: app.ChannelManual, Number: "WA-" + id, Status: app.StatusNew,
			Buyer: app.Buyer{Name: "Lestari"}, Lines: lines, Currency: app.IDR, CreatedAt: testBase.Add(-time1(id))}
	}
	kaosL := app.Line{SKU: "KAOS-HTM-L", Name: "Kaos Polos Hitam L", Qty: 1}
	kaosM := app.Line{SKU: "KAOS-PTH-M", Name: "Kaos Polos Putih M", Qty: 1}
	hood := app.Line{SKU: "HOOD-HTM-M", Name: "Hoodie Katun Hitam M", Qty: 1}
	kopi := app.Line{SKU: "KOPI-GAYO-250", Name: "Kopi Arabika Gayo 250g", Qty: 1}
	orders := []*app.Order{mk("a", kaosL), mk("b", kaosM, hood), mk("c", hood), mk("d", kopi, kaosM), mk("e", kaosL, kaosL)}
	if err := db.InsertOrders(orders); err != nil {
		t.Fatal(err)
	}
	expect := func(q, want string) {
		t.Helper()
		for _, limit := range []int{0, 1} {
			p, err := db.FindOrders(app.Filter{Text: q, Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, o := range p.Orders {
				ids = append(ids, o.ID)
			}
			all := strings.Fields(want)
			if limit == 0 {
				sort.Strings(ids)
				if got := strings.Join(ids, " "); got != want || p.Total != len(all) {
					t.Errorf("search %q = %q (total %d), want %q", q, got, p.Total, want)
				}
			} else if p.Total != len(all) || len(ids) != min(1, len(all)) {
				t.Errorf("search %q limit 1: %v of %d, want 1 of %d", q, ids, p.Total, len(all))
			}
		}
	}
	expect("h", "a b c e")        // "hitam", "hoodie", "htm", "hood-htm-m" across lines
	expect("kaos hitam", "a b e") // b: kaos from one line, hitam from another
	expect("polos hitam m", "b")  // three words over two lines
	expect("hitam lestari", "a b c e")
	expect("kopi putih", "d")
	expect("kaos-htm", "a e")
	expect("l", "a b c d e") // the buyer's own "lestari" and line words
	mustConsistent(t, db)

	// Rename and drop lines: the old words must stop matching.
	b := orders[1].Clone()
	b.Lines = []app.Line{{SKU: "KAOS-PTH-M", Name: "Kaos Oversize Putih M", Qty: 1}}
	d := orders[3].Clone()
	d.Lines = d.Lines[1:]
	if err := db.Update(func(tx app.Tx) error {
		if err := tx.PutOrder(b); err != nil {
			return err
		}
		return tx.PutOrder(d)
	}); err != nil {
		t.Fatal(err)
	}
	mustConsistent(t, db)
	expect("oversize", "b")
	expect("kopi", "")
	expect("arabika", "")
	expect("polos putih", "d")
	expect("kaos hitam", "a e")

	// Removing every order leaves idx_names, idx_search and idx_tokens empty.
	if err := db.bolt.Update(func(tx *bolt.Tx) error {
		for _, o := range []*app.Order{orders[0], b, orders[2], d, orders[4]} {
			old, err := getOrder(tx, o.ID)
			if err != nil {
				return err
			}
			if err := tx.Bucket(bucketOrders).Delete([]byte(o.ID)); err != nil {
				return err
			}
			if err := writeIndexes(tx, old, nil); err != nil {
				return err
			}
		}
		for _, name := range [][]byte{idxNames, idxSearch, idxTokens} {
			if k, _ := tx.Bucket(name).Cursor().First(); k != nil {
				t.Errorf("%s still holds %q", name, k)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	mustConsistent(t, db)
	expect("kaos", "")
}

func time1(id string) time.Duration { return time.Duration(id[0]) * time.Second }

// TestSearchAcrossEpochsMatchesReference compares searches over 90 days
// of orders (every search epoch of them) with the reference: one and
// several words, own words and line words, prefixes, and filters the
// search keys answer alone (channels, creation time) or with the order's
// entry (status), in pages.
func TestSearchAcrossEpochsMatchesReference(t *testing.T) {
	db, orders := loaded(t, 1500)
	r := rand.New(rand.NewSource(7))
	var queries []string
	for i := 0; i < 12; i++ {
		o := orders[r.Intn(len(orders))]
		first := strings.Fields(o.Buyer.Name)[0]
		queries = append(queries,
			o.Buyer.Name, first, first[:2], o.Number[:len(o.Number)-3], digitsOf(o.Buyer.Phone)[:6],
			o.Lines[0].Name, o.Lines[0].SKU, first+" "+strings.Fields(o.Lines[0].Name)[0],
			strings.Fields(o.Lines[len(o.Lines)-1].Name)[1]+" "+strings.Fields(o.Lines[0].Name)[0])
	}
	mid := testBase.Add(-40 * 24 * time.Hour)
	filters := []app.Filter{
		{}, {Limit: 7, Offset: 3}, {Online: true, Limit: 50}, {Channels: []app.Channel{app.ChannelShopee, app.ChannelInStore}},
		{From: mid, Limit: 20}, {To: mid, Online: true}, {Statuses: []app.Status{app.StatusNew, app.StatusCompleted}, Limit: 10},
	}
	for _, q := range queries {
		for _, f := range filters {
			f.Text = q
			checkFilter(t, db, orders, f)
		}
	}
}

// manyLines gives o n distinct lines of the catalogue, more than a line
// key's value names when n > maxLineSet.
func manyLines(o *app.Order, n int) {
	o.Lines = nil
	for i := 0; i < n; i++ {
		it := catalog[(i*5+len(o.ID))%len(catalog)]
		o.Lines = append(o.Lines, app.Line{SKU: it.sku, Name: it.name, Qty: 1, UnitPrice: it.price, Linked: true})
	}
	o.Parcels = nil
	o.Total = o.ComputedTotal()
}

// TestSearchLineSetsMatchReference compares with the reference the
// searches that line keys' values settle: product names whose words are
// spread over many products, one-letter words that buyers' names and
// order numbers also start with (answered by the initials), words no own
// word starts with, own words starting with a byte outside a–z and 0–9,
// and orders of more lines than a value names (read from their token
// list); then again after orders gain and lose lines.
func TestSearchLineSetsMatchReference(t *testing.T) {
	db := openTest(t)
	orders := fakeOrders(17, 600, testBase)
	for i := 3; i < len(orders); i += 40 {
		manyLines(orders[i], maxLineSet+1+i%5)
	}
	for i := 5; i < len(orders); i += 61 {
		orders[i].Buyer.Name = "Ñoman " + orders[i].Buyer.Name
	}
	for i := 7; i < len(orders); i += 83 {
		orders[i].Buyer.Name = "_xavier"
	}
	if err := db.InsertOrders(orders); err != nil {
		t.Fatal(err)
	}
	mustConsistent(t, db)
	var queries []string
	for i, it := range catalog {
		if i%3 == 0 {
			queries = append(queries, it.name)
		}
	}
	queries = append(queries, "s", "m", "l", "x", "2", "1", "0", "k", "ñ", "_", "_x", "kaos s", "hitam l", "hoodie xl siti",
		"kaos ñ", "polos 08", "navy xl 2", "katun _", "kopi s m", "x s", "teh tarik 10", "kaos-htm s", "sicepat kaos", "250g l",
		"kaos sx", "hitam bz", "hoodie si", "polos 8z", "kopi ma", "navy _y")
	filters := []app.Filter{{}, {Limit: 50}, {Limit: 5, Offset: 40}, {Online: true, Limit: 10},
		{Statuses: []app.Status{app.StatusNew, app.StatusCompleted}, Limit: 20}, {Channels: []app.Channel{app.ChannelInStore}}}
	check := func() {
		t.Helper()
		for _, q := range queries {
			for _, f := range filters {
				f.Text = q
				checkFilter(t, db, orders, f)
			}
		}
	}
	check()
	// Orders gain lines past the bound, lose them, and change their own words.
	err := db.Update(func(tx app.Tx) error {
		for i := 0; i < len(orders); i += 47 {
			o := orders[i].Clone()
			switch i % 3 {
			case 0:
				manyLines(o, maxLineSet+2)
			case 1:
				o.Lines = o.Lines[:1]
				o.Parcels = nil
				o.Total = o.ComputedTotal()
			case 2:
				o.Buyer.Name = "Siti Xena"
			}
			if err := tx.PutOrder(o); err != nil {
				return err
			}
			orders[i] = o
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mustConsistent(t, db)
	check()
}

// TestLineKeysNameTheirOrder checks the values of an order's line keys:
// the channel, the initials of its own words, and the ids of every line,
// or the channel alone for an order of more lines than maxLineSet.
func TestLineKeysNameTheirOrder(t *testing.T) {
	db := openTest(t)
	small := fakeOrders(3, 1, testBase)[0]
	small.ID, small.Number, small.ExternalID = "web-small", "WEB-77", ""
	small.Channel = app.ChannelStore
	small.Buyer.Name, small.Buyer.Phone, small.Shipment.TrackingID = "Budi Santoso", "", ""
	small.Lines = []app.Line{
		{SKU: "KAOS-HTM-L", Name: "Kaos Polos Hitam L", Qty: 1, UnitPrice: 1},
		{SKU: "KOPI-GAYO-250", Name: "Kopi Arabika Gayo 250g", Qty: 1, UnitPrice: 1},
		{SKU: "KAOS-HTM-L", Name: "kaos polos  hitam l", Qty: 2, UnitPrice: 1}, // the same line token
	}
	small.Parcels = nil
	big := small.Clone()
	big.ID, big.Number = "web-big", "WEB-78"
	manyLines(big, maxLineSet+1)
	if err := db.InsertOrders([]*app.Order{small, big}); err != nil {
		t.Fatal(err)
	}
	lineIDs := func(o *app.Order) map[uint64]bool {
		out := map[uint64]bool{}
		for tok := range orderLines(o) {
			id, ok := lineID(tok)
			if !ok {
				t.Fatalf("line token %q has no id", tok)
			}
			out[id] = true
		}
		return out
	}
	wantSmall := lineIDs(small)
	if len(wantSmall) != 2 {
		t.Fatalf("%d line tokens for two distinct lines", len(wantSmall))
	}
	// Own words: "web-77" and "77", "budi", "santoso".
	wantInitials := initialBit('w') | initialBit('7') | initialBit('b') | initialBit('s')
	seen := map[string]int{}
	db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(idxSearch).ForEach(func(k, v []byte) error {
			sep := bytes.IndexByte(k[epochLen:], 0)
			tok := k[epochLen : epochLen+sep]
			id := string(k[len(k)-len("web-small"):])
			if !strings.HasSuffix(string(k), "web-small") && !strings.HasSuffix(string(k), "web-big") {
				t.Fatalf("key %q of neither order", k)
			}
			ch, initials, lines, ok := splitSearchValue(v)
			if !ok || ch != channelCodes[app.ChannelStore] {
				t.Fatalf("key %q: value %x", k, v)
			}
			if tok[0] != lineMark || strings.HasSuffix(string(k), "web-big") {
				if len(v) != 1 {
					t.Errorf("key %q: value %x, want the channel alone", k, v)
				}
				return nil
			}
			seen[id]++
			if initials != wantInitials {
				t.Errorf("key %q: initials %b, want %b", k, initials, wantInitials)
			}
			got := map[uint64]bool{}
			for ; len(lines) > 0; lines = lines[8:] {
				got[binary.BigEndian.Uint64(lines)] = true
			}
			if len(got) != len(wantSmall) {
				t.Errorf("key %q names %d lines, want %d", k, len(got), len(wantSmall))
			}
			for id := range wantSmall {
				if !got[id] {
					t.Errorf("key %q does not name line %x", k, id)
				}
			}
			return nil
		})
	})
	if seen["web-small"] != 2 {
		t.Errorf("%d line keys of the small order, want 2", seen["web-small"])
	}
	// An initial alone does not settle a longer word: "budi" starts with b, not bz.
	other := small.Clone()
	other.ID, other.Number, other.Buyer.Name = "web-other", "WEB-79", "Bzura Halim"
	other.Lines = []app.Line{{SKU: "SABUN-SEREH", Name: "Sabun Sereh Wangi", Qty: 1, UnitPrice: 1}}
	if err := db.InsertOrders([]*app.Order{other}); err != nil {
		t.Fatal(err)
	}
	all := []*app.Order{small, big, other}
	for _, q := range []string{"kaos s", "gayo b", "hitam x", "gayo bz", "gayo bu", "kaos h", "sereh b", "sereh bu", "kopi 7", "kopi 78"} {
		checkFilter(t, db, all, app.Filter{Text: q})
	}
}

func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
