package cloud

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

// searchShopOrder is an order of the search checks' shop; every order
// carries a bag, so "kantong" is a word of every order.
func searchShopOrder(i int, t0 time.Time) *app.Order {
	return &app.Order{ID: fmt.Sprint("ord_", i), Number: fmt.Sprint("WC-", 100+i), ExternalID: fmt.Sprint(100 + i), Channel: app.ChannelWooCommerce,
		Status: []app.Status{app.StatusNew, app.StatusReadyToShip, app.StatusCompleted}[i%3], Currency: app.IDR, CreatedAt: t0.Add(time.Duration(i) * time.Minute),
		Buyer: app.Buyer{Name: []string{"Siti Aminah", "Budi Santoso", "Rina"}[i%3], Phone: fmt.Sprint("+62 812-555-", 1000+i)},
		Lines: []app.Line{{SKU: fmt.Sprint("SKU-", i%4), Name: []string{"Kaos polos hitam", "Topi", "Kemeja batik", "Tas"}[i%4], Qty: 1, UnitPrice: 1000},
			{SKU: "BAG", Name: "Kantong kertas", Qty: 1}}}
}

// checkOrderSearch puts orders into a new shop of b, changes some, and
// checks that every search answers as a scan of the orders by app's rule
// (MatchesText) does: the same orders, newest first, the same totals,
// with status filters and pages. It returns the shop and its orders for
// a check after reopening.
func checkOrderSearch(t *testing.T, b Backend) (string, []*app.Order) {
	t.Helper()
	shop, err := AddShop(b, "Toko", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().Add(-24 * time.Hour).Truncate(time.Second)
	var orders []*app.Order
	for i := range 200 {
		orders = append(orders, searchShopOrder(i, t0))
	}
	put := func(os ...*app.Order) {
		t.Helper()
		if err := b.Update(shop.ID, func(tx ShopTx) error {
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
	checkSearchAnswers(t, b, shop.ID, orders)

	// Orders change: a status, a buyer's name, a line, a creation time
	// (never the same microsecond as another's). Old words no longer find
	// them; new ones do.
	rnd := rand.New(rand.NewSource(7))
	for range 40 {
		i := rnd.Intn(len(orders))
		o := *orders[i]
		switch rnd.Intn(4) {
		case 0:
			o.Status = app.StatusCancelled
		case 1:
			o.Buyer.Name = fmt.Sprint("Dewi ", rnd.Intn(100))
		case 2:
			o.Lines = []app.Line{{SKU: "SKU-9", Name: "Sarung tenun", Qty: 1, UnitPrice: 1}}
		case 3:
			o.CreatedAt = o.CreatedAt.Add(-time.Duration(rnd.Intn(90))*time.Minute + time.Duration(i+1)*time.Microsecond)
		}
		orders[i] = &o
		put(&o)
	}
	checkSearchAnswers(t, b, shop.ID, orders)
	for _, text := range []string{"dewi", "sarung", "sku-9"} {
		if page, _ := b.FindOrders(shop.ID, app.Filter{Text: text}); page.Total == 0 {
			t.Fatalf("%q finds nothing after the change", text)
		}
	}
	return shop.ID, orders
}

// checkSearchAnswers compares the backend's answers with a scan's.
func checkSearchAnswers(t *testing.T, b Backend, shop string, orders []*app.Order) {
	t.Helper()
	texts := []string{"siti", "sit ami", "WC-1", "wc-105", "105", "0812-555-1007", "+6281255510", "sku-3", "kaos", "KAOS HITAM", "batik budi",
		"topi rina", "nobody", "tas", "k", "1", "8125551", "hitam 4", "kantong", "kantong topi", "kertas kantong", "kantong nobody", "sku"}
	statuses := [][]app.Status{nil, {app.StatusNew}, {app.StatusReadyToShip, app.StatusCompleted}}
	for _, text := range texts {
		for _, sts := range statuses {
			for _, pg := range [][2]int{{0, 0}, {0, 5}, {3, 4}} {
				f := app.Filter{Text: text, Statuses: sts, Offset: pg[0], Limit: pg[1]}
				var all []*app.Order
				for _, o := range orders {
					if (len(sts) == 0 || slices.Contains(sts, o.Status)) && o.MatchesText(text) {
						all = append(all, o)
					}
				}
				slices.SortFunc(all, func(a, b *app.Order) int { return b.CreatedAt.Compare(a.CreatedAt) })
				var want []string
				for i, o := range all {
					if i >= f.Offset && (f.Limit == 0 || len(want) < f.Limit) {
						want = append(want, o.ID)
					}
				}
				page, err := b.FindOrders(shop, f)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, o := range page.Orders {
					got = append(got, o.ID)
				}
				if page.Total != len(all) || !slices.Equal(got, want) {
					t.Fatalf("%q %v page %v: the index gives %v of %d, a scan %v of %d", text, sts, pg, got, page.Total, want, len(all))
				}
			}
		}
	}
}

func TestBoltSearchAnswersAsAScan(t *testing.T) {
	st, err := OpenBolt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	checkOrderSearch(t, st)
}
