package store

import (
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
