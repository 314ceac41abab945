package bolt

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"maps"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

func searchOrder(i int, t0 time.Time) *app.Order {
	return &app.Order{ID: fmt.Sprint("ord_", i), Number: fmt.Sprint("WC-", 100+i), ExternalID: fmt.Sprint(100 + i), Channel: app.ChannelWooCommerce,
		Status: []app.Status{app.StatusNew, app.StatusReadyToShip, app.StatusCompleted}[i%3], Currency: app.IDR, CreatedAt: t0.Add(time.Duration(i) * time.Minute),
		Buyer: app.Buyer{Name: []string{"Siti Aminah", "Budi Santoso", "Rina"}[i%3], Phone: fmt.Sprint("+62 812-555-", 1000+i)},
		Lines: []app.Line{{SKU: fmt.Sprint("SKU-", i%4), Name: []string{"Kaos polos hitam", "Topi", "Kemeja batik", "Tas"}[i%4], Qty: 1, UnitPrice: 1000},
			{SKU: "BAG", Name: "Kantong kertas", Qty: 1}}}
}

// searchShop opens a store holding one shop, and makes n orders of
// searchOrder's kind, placed over the last hour, that it does not store.
func searchShop(t *testing.T, n int) (*Store, string, []*app.Order) {
	t.Helper()
	st, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	shop, err := cloud.AddShop(st, "Toko", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().Add(-time.Hour)
	var orders []*app.Order
	for i := range n {
		orders = append(orders, searchOrder(i, t0))
	}
	return st, shop.ID, orders
}

// putOrders stores orders in one transaction.
func putOrders(t *testing.T, st *Store, shop string, orders ...*app.Order) {
	t.Helper()
	if err := st.Update(shop, func(tx cloud.ShopTx) error {
		for _, o := range orders {
			if err := tx.PutOrder(o); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// scanned is the page a full scan with app's rule gives: what the index must give.
func scanned(orders []*app.Order, f app.Filter) ([]string, int) {
	var all []*app.Order
	for _, o := range orders {
		if (len(f.Statuses) == 0 || slices.Contains(f.Statuses, o.Status)) && o.MatchesText(f.Text) {
			all = append(all, o)
		}
	}
	// Orders placed in the same nanosecond come by id, last first, as
	// bbolt's list without text gives them.
	slices.SortFunc(all, func(a, b *app.Order) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	var ids []string
	for i, o := range all {
		if i >= f.Offset && (f.Limit == 0 || len(ids) < f.Limit) {
			ids = append(ids, o.ID)
		}
	}
	return ids, len(all)
}

func checkSearches(t *testing.T, st *Store, shop string, orders []*app.Order) {
	t.Helper()
	texts := []string{"siti", "sit ami", "WC-1", "wc-105", "105", "0812-555-1007", "+6281255510", "sku-3", "kaos", "KAOS HITAM", "batik budi",
		"topi rina", "nobody", "tas", "k", "1", "8125551", "hitam 4",
		"kantong", "kantong topi", "kertas kantong", "kantong nobody"}
	statuses := [][]app.Status{nil, {app.StatusNew}, {app.StatusReadyToShip, app.StatusCompleted}}
	for _, text := range texts {
		for _, sts := range statuses {
			for _, pg := range [][2]int{{0, 0}, {0, 5}, {3, 4}} {
				f := app.Filter{Text: text, Statuses: sts, Offset: pg[0], Limit: pg[1]}
				want, total := scanned(orders, f)
				page, err := st.FindOrders(shop, f)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, o := range page.Orders {
					got = append(got, o.ID)
				}
				if page.Total != total || !slices.Equal(got, want) {
					t.Fatalf("%+v: index gives %v of %d, a scan %v of %d", f, got, page.Total, want, total)
				}
			}
		}
	}
}

// setHotWord moves the status counts' threshold for one test and gives
// back the undo.
func setHotWord(n int64) func() {
	was := hotWord
	hotWord = n
	return func() { hotWord = was }
}

// bucketDump is a bucket's keys and values.
func bucketDump(b *bbolt.Bucket) map[string]string {
	out := map[string]string{}
	_ = b.ForEach(func(k, v []byte) error {
		out[string(k)] = string(v)
		return nil
	})
	return out
}

// checkAsRebuilt fails unless the shop's search index, kept write by write,
// is the one built afresh from its orders.
func checkAsRebuilt(t *testing.T, st *Store, shop string) {
	t.Helper()
	err := st.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(shopBucketName(shop))
		var kept []map[string]string
		for _, name := range searchSubs {
			kept = append(kept, bucketDump(b.Bucket(name)))
		}
		if err := b.DeleteBucket(subSearch); err != nil {
			return err
		}
		if err := ensureSearchIndex(b); err != nil {
			return err
		}
		for i, name := range searchSubs {
			if built := bucketDump(b.Bucket(name)); !maps.Equal(built, kept[i]) {
				return fmt.Errorf("%s: kept %d keys, built afresh %d, differently", name, len(kept[i]), len(built))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSearchIndexAnswersAsAScan runs with words' status counts kept for
// every word, for some, and for none, so that orders' changes move words
// across the threshold both ways.
func TestSearchIndexAnswersAsAScan(t *testing.T) {
	for _, hot := range []int64{0, 2, 64, 99, 1 << 40} {
		t.Run(fmt.Sprint("status counts above ", hot), func(t *testing.T) {
			defer setHotWord(hot)()
			searchIndexAnswersAsAScan(t)
		})
	}
}

func searchIndexAnswersAsAScan(t *testing.T) {
	st, shop, orders := searchShop(t, 300)
	put := func(os ...*app.Order) { t.Helper(); putOrders(t, st, shop, os...) }
	put(orders...)
	checkSearches(t, st, shop, orders)

	// Orders change: a status, a buyer's name, a line, a creation time.
	// Their old words no longer find them; their new ones do.
	rnd := rand.New(rand.NewSource(7))
	for range 40 {
		o := *orders[rnd.Intn(len(orders))]
		switch rnd.Intn(4) {
		case 0:
			o.Status = app.StatusCancelled
		case 1:
			o.Buyer.Name = fmt.Sprint("Dewi ", rnd.Intn(100))
		case 2:
			o.Lines = []app.Line{{SKU: "SKU-9", Name: "Sarung tenun", Qty: 1, UnitPrice: 1}}
		case 3:
			o.CreatedAt = o.CreatedAt.Add(-time.Duration(rnd.Intn(90)) * time.Minute)
		}
		for i := range orders {
			if orders[i].ID == o.ID {
				orders[i] = &o
			}
		}
		put(&o)
	}
	checkSearches(t, st, shop, orders)
	for _, text := range []string{"dewi", "sarung", "sku-9"} {
		if page, _ := st.FindOrders(shop, app.Filter{Text: text}); page.Total == 0 {
			t.Fatalf("%q finds nothing after the change", text)
		}
	}
	checkAsRebuilt(t, st, shop)
}

// TestStatusChangeWritesNoWordKey: accepting, shipping or auto-rejecting
// an order (its words unchanged) leaves its word keys, its word record and
// its rare words' counts as they were; only common words' status counts move.
func TestStatusChangeWritesNoWordKey(t *testing.T) {
	st, shop, orders := searchShop(t, 300)
	put := func(os []*app.Order) { t.Helper(); putOrders(t, st, shop, os...) }
	put(orders)
	dump := func() (keys, sets, counts map[string]string) {
		_ = st.db.View(func(tx *bbolt.Tx) error {
			b := tx.Bucket(shopBucketName(shop))
			keys, sets, counts = bucketDump(b.Bucket(subSearch)), bucketDump(b.Bucket(subSearchWords)), bucketDump(b.Bucket(subSearchCounts))
			return nil
		})
		return
	}
	keys0, sets0, counts0 := dump()
	var changed []*app.Order
	for _, o := range orders[:60] {
		c := *o
		c.Status = app.StatusCancelled
		changed = append(changed, &c)
	}
	put(changed)
	copy(orders, changed)
	keys1, sets1, counts1 := dump()
	if !maps.Equal(keys0, keys1) || !maps.Equal(sets0, sets1) {
		t.Fatal("a status change rewrote word keys or word records")
	}
	for k, v := range counts0 {
		word := k[:strings.IndexByte(k, 0)]
		if rare := len(k) == len(word)+1 && len(v) == 8 && int64(binary.BigEndian.Uint64([]byte(v))) <= hotWord; rare && counts1[k] != v {
			t.Fatalf("rare word %q's count changed", word)
		}
		if strings.HasPrefix(k, "wc-100\x00") && len(k) > len("wc-100\x00") {
			t.Fatalf("a rare word has status counts: %q", k)
		}
	}
	if counts1["kantong\x00"+string(app.StatusCancelled)] != string(u64(60)) {
		t.Fatalf("kantong's cancelled count is %x, want 60", counts1["kantong\x00"+string(app.StatusCancelled)])
	}
	checkSearches(t, st, shop, orders)
	checkAsRebuilt(t, st, shop)
}

func TestIndexesWordsOfAnOlderFile(t *testing.T) {
	t0 := time.Now().Add(-time.Hour)
	var orders []*app.Order
	for i := range 20 {
		orders = append(orders, searchOrder(i, t0))
	}
	st, shop := olderFile(t, orders, func(b *bbolt.Bucket) error {
		if err := b.DeleteBucket(subSearch); err != nil {
			return err
		}
		return b.DeleteBucket(subSearchWords)
	})
	checkSearches(t, st, shop, orders)
}

// TestRebuildsTheFirstShapeOfTheIndex: a file whose index holds the status
// in its word keys (search, search_words, search_counts) gets today's
// index on open, and the old buckets are gone.
func TestRebuildsTheFirstShapeOfTheIndex(t *testing.T) {
	t0 := time.Now().Add(-time.Hour)
	var orders []*app.Order
	for i := range 120 {
		orders = append(orders, searchOrder(i, t0))
	}
	st, shop := olderFile(t, orders, func(b *bbolt.Bucket) error {
		for _, name := range searchSubs {
			if err := b.DeleteBucket(name); err != nil {
				return err
			}
		}
		// The first shape, as 11e2a19 wrote it for each order's words.
		search, _ := b.CreateBucket([]byte("search"))
		words, _ := b.CreateBucket([]byte("search_words"))
		counts, _ := b.CreateBucket([]byte("search_counts"))
		for _, o := range orders {
			ws := app.OrderSearchWords(o)
			rec := append(append(u64(unixKey(o.CreatedAt)), byte(len(o.Status))), o.Status...)
			if err := words.Put([]byte(o.ID), append(rec, strings.Join(ws, "\x00")...)); err != nil {
				return err
			}
			for _, w := range ws {
				if err := search.Put(searchKey(w, unixKey(o.CreatedAt), o.ID), []byte(o.Status)); err != nil {
					return err
				}
				if err := counts.Put([]byte(w+"\x00"+string(o.Status)), u64(1)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	checkSearches(t, st, shop, orders)
	_ = st.db.View(func(tx *bbolt.Tx) error {
		for _, name := range legacySearchSubs {
			if tx.Bucket(shopBucketName(shop)).Bucket(name) != nil {
				t.Errorf("the first shape's %s is still there", name)
			}
		}
		return nil
	})
	checkAsRebuilt(t, st, shop)
}
