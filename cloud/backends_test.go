package cloud_test

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/app/apptest"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/pgtest"
	"github.com/kasir/pos/cloud/postgres"
)

// The checks the internal tests run on bbolt, run here on PostgreSQL
// (cloud/postgres imports cloud, so they cannot run inside package cloud),
// and app.Tx's contract on both backends (the terminal's store runs it too).

// shopStore is a backend's transactions on one new shop, as app/apptest runs them.
func shopStore(t *testing.T, b cloud.Backend) apptest.Store {
	shop, err := cloud.AddShop(b, "Toko Kontrak", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return func(fn func(app.Tx) error) error {
		return b.Update(shop.ID, func(tx cloud.ShopTx) error { return fn(tx) })
	}
}

func TestTxContractBolt(t *testing.T) {
	st, err := bolt.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	apptest.TxContract(t, shopStore(t, st))
}

func TestTxContractPostgres(t *testing.T) {
	st, err := postgres.Open(context.Background(), pgtest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	apptest.TxContract(t, shopStore(t, st))
}

func TestPostgresKeepsSealedAccounts(t *testing.T) {
	st, err := postgres.Open(context.Background(), pgtest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	shop, _ := cloud.AddShop(st, "Toko", time.Now())
	key := bytes.Repeat([]byte{7}, 32)
	acc, err := cloud.OpenAccounts(st, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acc.Set(shop.ID, app.AccountShopee, []byte(cloud.ShopeeCreds), time.Now()); err != nil {
		t.Fatal(err)
	}
	list, err := acc.List(shop.ID)
	if err != nil || len(list) != 1 || list[0].Fields["partner_key"] != "shpk4f6e7a8b9c0d1e2f3a4b5c6d7e8f9a0b" {
		t.Fatalf("round trip: %+v %v", list, err)
	}
	if _, err := cloud.OpenAccounts(st, bytes.Repeat([]byte{8}, 32)); err == nil {
		t.Fatal("another key must be refused")
	}
}

// TestPostgresSearchIndex checks the search index, then empties it, as a
// database from before it, and checks that opening fills it.
func TestPostgresSearchIndex(t *testing.T) {
	dsn := pgtest.Start(t)
	st, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	shop, orders := cloud.CheckOrderSearch(t, st)
	st = reopenWithout(t, st, dsn, `order_words, order_word_counts, order_word_sets`)
	defer st.Close()
	cloud.CheckSearchAnswers(t, st, shop, orders)
}

func TestPostgresAnswersOrderQuestions(t *testing.T) {
	st, err := postgres.Open(context.Background(), pgtest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cloud.CheckOrderQuestions(t, st)
}

// TestPostgresRoutesPushesByShopID: the index lives in PostgreSQL too.
func TestPostgresRoutesPushesByShopID(t *testing.T) {
	st, err := postgres.Open(context.Background(), pgtest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acc, err := cloud.OpenAccounts(st, cloud.NoticeKey)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := cloud.AddShop(st, "Toko A", time.Now())
	b, _ := cloud.AddShop(st, "Toko B", time.Now())
	if _, err := acc.Set(a.ID, app.AccountLazada, []byte(cloud.LazadaCreds("5001", "secretAAAAAAAAAAAA")), time.Now()); err != nil {
		t.Fatal(err)
	}
	if got, err := st.ShopByRoute(app.AccountLazada, "5001"); err != nil || got != a.ID {
		t.Fatalf("route 5001: %q %v", got, err)
	}
	if _, err := acc.Set(b.ID, app.AccountLazada, []byte(cloud.LazadaCreds("5001", "secretBBBBBBBBBBBB")), time.Now()); app.ErrorCode(err) != app.EConflict {
		t.Fatalf("a second shop claiming 5001: %v", err)
	}
	if _, err := acc.Set(a.ID, app.AccountLazada, []byte(cloud.LazadaCreds("5003", "secretAAAAAAAAAAAA")), time.Now()); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.ShopByRoute(app.AccountLazada, "5001"); got != "" {
		t.Fatalf("the replaced route still finds %q", got)
	}
	if got, _ := st.ShopByRoute(app.AccountLazada, "5003"); got != a.ID {
		t.Fatalf("route 5003: %q", got)
	}
}

func TestSalePagePostgres(t *testing.T) {
	st, err := postgres.Open(context.Background(), pgtest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cloud.CheckSalePage(t, st)
}

func TestShipmentIndexPostgres(t *testing.T) {
	dsn := pgtest.Start(t)
	st, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	cloud.CheckShipmentIndex(t, st)
	shops, _ := st.Shops()
	st = reopenWithout(t, st, dsn, `shipment_ids`)
	defer st.Close()
	if got, err := st.ShipmentOrder(shops[0].ID, app.ProviderShipper, cloud.ShipmentByTracking, "AWBA0001"); err != nil || got == "" {
		t.Fatalf("after reopening a database from before the index: %q %v", got, err)
	}
}

// BenchmarkOrdersListPostgres is the same over PostgreSQL; the rows are
// loaded with COPY, in the shape PutOrder writes them.
func BenchmarkOrdersListPostgres(b *testing.B) {
	st, shop, _ := postgresBenchShop(b)
	cloud.FirstPages(b, st, shop)
}

// BenchmarkOrdersSearchPostgres is `pos-cloud orders list --q` over
// 100,000 orders of one shop in PostgreSQL. The orders are loaded with
// COPY, without their words: reopening the store indexes them, as it
// would a database from before the search index.
func BenchmarkOrdersSearchPostgres(b *testing.B) {
	loaded, shop, dsn := postgresBenchShop(b)
	// The server serves every run: the words an earlier run indexed go, so
	// that this run's open indexes the 100,000 orders again.
	if _, err := loaded.Pool().Exec(context.Background(), `DROP TABLE IF EXISTS order_words, order_word_counts, order_word_sets`); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	st, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	fill := time.Since(start)
	if _, err := st.Pool().Exec(context.Background(), `VACUUM ANALYZE order_words`); err != nil {
		b.Fatal(err)
	}
	cloud.SearchPages(b, st, shop)
	b.ReportMetric(fill.Seconds(), "s/index-100k")
}

// pgBench is the PostgreSQL server of the benchmark shop, started and
// loaded once per test process: `make bench` runs each benchmark five times.
var pgBench struct {
	mu   sync.Mutex
	st   *postgres.Store
	shop string
	dsn  string
}

// keptTB is a benchmark's testing.TB whose cleanups wait for the end of the
// test process (cloud.AtExit), so what one run builds serves the next runs.
type keptTB struct{ testing.TB }

func (k keptTB) Cleanup(f func()) { cloud.AtExit(f) }

// postgresBenchShop is a server holding the benchmark shop's orders,
// loaded with COPY in the shape PutOrder writes them, and a store open on
// it that the caller must not close.
func postgresBenchShop(b *testing.B) (*postgres.Store, string, string) {
	pgBench.mu.Lock()
	defer pgBench.mu.Unlock()
	if pgBench.st != nil {
		return pgBench.st, pgBench.shop, pgBench.dsn
	}
	dsn := pgtest.Start(keptTB{b})
	st, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	cloud.AtExit(func() { st.Close() })
	shop, _ := cloud.AddShop(st, "Toko", time.Now())
	t0 := time.Now().Add(-cloud.BenchOrders * time.Second)
	rows := make([][]any, 0, cloud.BenchOrders)
	counts := map[app.Status]int{}
	for i := range cloud.BenchOrders {
		o := cloud.BenchOrder(i, t0)
		data, _ := json.Marshal(o)
		var deadline any
		if o.Status == app.StatusNew {
			deadline = o.AcceptBy
		}
		rows = append(rows, []any{shop.ID, o.ID, string(o.Channel), o.ExternalID, string(data), string(o.Status), o.Number, o.CreatedAt, deadline})
		counts[o.Status]++
	}
	ctx := context.Background()
	if _, err := st.Pool().CopyFrom(ctx, pgx.Identifier{"orders"}, []string{"shop", "id", "channel", "external_id", "data", "status", "number", "created_at", "accept_by"}, pgx.CopyFromRows(rows)); err != nil {
		b.Fatal(err)
	}
	for s, n := range counts {
		if _, err := st.Pool().Exec(ctx, `INSERT INTO order_counts (shop, status, n) VALUES ($1, $2, $3)`, shop.ID, string(s), n); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := st.Pool().Exec(ctx, `ANALYZE orders`); err != nil {
		b.Fatal(err)
	}
	pgBench.st, pgBench.shop, pgBench.dsn = st, shop.ID, dsn
	return st, shop.ID, dsn
}

// reopenWithout drops tables from st's database, as one from before they
// existed, and opens it again so the store's start-up fills them.
func reopenWithout(t *testing.T, st *postgres.Store, dsn, tables string) *postgres.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := st.Pool().Exec(ctx, `DROP TABLE `+tables); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	return st
}
