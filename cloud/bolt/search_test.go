package bolt

import (
	"cmp"
	"fmt"
	"math/rand"
	"slices"
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

func TestSearchIndexAnswersAsAScan(t *testing.T) {
	st, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	shop, _ := cloud.AddShop(st, "Toko", time.Now())
	t0 := time.Now().Add(-time.Hour)
	var orders []*app.Order
	for i := range 300 {
		orders = append(orders, searchOrder(i, t0))
	}
	put := func(os ...*app.Order) {
		t.Helper()
		if err := st.Update(shop.ID, func(tx cloud.ShopTx) error {
			for _, o := range os {
				if err := tx.PutOrder(o); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	put(orders...)
	checkSearches(t, st, shop.ID, orders)

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
	checkSearches(t, st, shop.ID, orders)
	for _, text := range []string{"dewi", "sarung", "sku-9"} {
		if page, _ := st.FindOrders(shop.ID, app.Filter{Text: text}); page.Total == 0 {
			t.Fatalf("%q finds nothing after the change", text)
		}
	}
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
