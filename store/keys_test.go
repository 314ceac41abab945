package store

import (
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// oddOrders are orders whose values are far past any index key's limit or
// hold bytes the key layout uses: each must be stored, found and changed.
func oddOrders() []*app.Order {
	mk := func(id string) *app.Order {
		return &app.Order{ID: id, Channel: app.ChannelStore, ExternalID: id, Number: "WEB-" + id[:min(len(id), 12)],
			Status: app.StatusNew, Currency: app.IDR, CreatedAt: testBase, UpdatedAt: testBase, AcceptBy: testBase.Add(time.Hour),
			Buyer: app.Buyer{Name: "Rina Wijaya", Phone: "0812-3456-7890"},
			Lines: []app.Line{{SKU: "TOPI-01", Name: "Topi Rajut", Qty: 1, UnitPrice: 59000}}}
	}
	longCourier := mk("courier-40k")
	longCourier.Status, longCourier.AcceptBy = app.StatusReadyToShip, time.Time{}
	longCourier.Shipment = app.Shipment{Courier: "JNE " + strings.Repeat("Ekspres", 40000/7), TrackingID: "JNE123"}

	longBuyer := mk("buyer-5k")
	longBuyer.Buyer.Name = "Siti " + strings.Repeat("Rahayu", 5000/6)

	oddSKU := mk("sku-odd")
	oddSKU.Lines = []app.Line{
		{SKU: "KAOS\x00\x01-\xff\xfeHTM", Name: "Kaos \x00Aneh \xc3", Qty: 1, UnitPrice: 1000},
		{SKU: strings.Repeat("X", 40000), Name: strings.Repeat("Panjang", 6000), Qty: 1, UnitPrice: 1000},
	}

	longID := mk(strings.Repeat("web-", 10000) + "end")
	longID.Shipment = app.Shipment{Courier: "Ninja\x00Xpress"}

	// Two ids that share their first 200 bytes must stay two orders.
	twinA := mk(strings.Repeat("t", 300) + "A")
	twinB := mk(strings.Repeat("t", 300) + "B")
	twinB.CreatedAt = testBase.Add(-time.Minute)
	return []*app.Order{longCourier, longBuyer, oddSKU, longID, twinA, twinB}
}

func TestBoundedKeysStoreAndFind(t *testing.T) {
	for _, how := range []string{"insert", "put"} {
		t.Run(how, func(t *testing.T) {
			db := openTest(t)
			orders := oddOrders()
			if how == "insert" {
				if err := db.InsertOrders(orders); err != nil {
					t.Fatal(err)
				}
			} else {
				err := db.Update(func(tx app.Tx) error {
					for _, o := range orders {
						if err := tx.PutOrder(o); err != nil {
							return err
						}
						if err := tx.AppendEvent(o.ID, app.Event{Version: 1, At: testBase, Action: app.ActionAddNote, Kind: app.KindNote, Note: "x"}); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			mustConsistent(t, db)
			for _, o := range orders {
				var got *app.Order
				err := db.View(func(tx app.Tx) error {
					var err error
					if got, err = tx.Order(o.ID); err != nil {
						return err
					}
					byExt, err := tx.OrderByExternalID(o.Channel, o.ExternalID)
					if err == nil && byExt.ID != o.ID {
						t.Errorf("external id of %.20q found %.20q", o.ID, byExt.ID)
					}
					return err
				})
				if err != nil || got.ID != o.ID {
					t.Fatalf("order %.30q: %.200v", o.ID, err)
				}
				if how == "put" {
					h, err := db.OrderWithHistory(o.ID)
					if err != nil || len(h.History) != 1 {
						t.Errorf("history of %.30q: %v, %d events", o.ID, err, len(h.History))
					}
				}
			}
			find := func(f app.Filter, want ...string) {
				t.Helper()
				p, err := db.FindOrders(f)
				if err != nil {
					t.Fatalf("%+v: %v", f, err)
				}
				var ids []string
				for _, o := range p.Orders {
					ids = append(ids, o.ID[:min(len(o.ID), 12)])
				}
				if strings.Join(ids, " ") != strings.Join(want, " ") {
					t.Errorf("%.80v found %q, want %q", f, ids, want)
				}
			}
			long := orders[0].Shipment.Courier
			find(app.Filter{Courier: long}, "courier-40k")
			find(app.Filter{Courier: strings.ToUpper(long)}, "courier-40k")
			// Couriers match by company: any "JNE …" is JNE (app.CourierCode).
			find(app.Filter{Courier: long[:len(long)-1]}, "courier-40k")
			find(app.Filter{Courier: "SiCepat " + long[4:]})
			find(app.Filter{Courier: "Ninja\x00Xpress"}, "web-web-web-")
			find(app.Filter{Text: "siti rahayu"}, "buyer-5k")
			find(app.Filter{Text: "kaos"}, "sku-odd")
			find(app.Filter{Text: "topi"}, "buyer-5k", "courier-40k", "tttttttttttt", "web-web-web-", "tttttttttttt")
			find(app.Filter{Text: "aneh"}, "sku-odd")
			find(app.Filter{Text: "xxxxxxxxxx"}, "sku-odd")
			find(app.Filter{Text: strings.Repeat("panjang", 3)}, "sku-odd")
			find(app.Filter{Text: "web-web-web"}, "web-web-web-")
			find(app.Filter{Text: strings.Repeat("t", 40), Statuses: []app.Status{app.StatusNew}}, "tttttttttttt", "tttttttttttt")
			ids, err := db.DueForAutoReject(testBase.Add(2*time.Hour), 0)
			if err != nil || len(ids) != 5 {
				t.Fatalf("due: %d, %v", len(ids), err)
			}
			// Every id the deadline index gives back finds its order.
			err = db.Update(func(tx app.Tx) error {
				for _, id := range ids {
					o, err := tx.Order(id)
					if err != nil {
						return err
					}
					o.Status, o.Shipment.Courier = app.StatusCancelled, strings.Repeat("Kurir", 9000)
					if err := tx.PutOrder(o); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			mustConsistent(t, db)
			find(app.Filter{Statuses: []app.Status{app.StatusNew}})
			if err := db.DropOrder(orders[3].ID); err != nil {
				t.Fatal(err)
			}
			mustConsistent(t, db)
		})
	}
}

func TestBoundedProductKey(t *testing.T) {
	db := openTest(t)
	long := strings.Repeat("SKU", 20000)
	if err := db.PutProducts([]*app.Product{{SKU: long, Name: "Panjang", Currency: app.IDR}, {SKU: "A\x00B", Name: "Nul", Currency: app.IDR}}); err != nil {
		t.Fatal(err)
	}
	err := db.View(func(tx app.Tx) error {
		for _, sku := range []string{long, "A\x00B"} {
			p, err := tx.Product(sku)
			if err != nil {
				return err
			}
			if p.SKU != sku {
				t.Errorf("product %.20q read back as %.20q", sku, p.SKU)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestInvalidUTF8IDRefused(t *testing.T) {
	db := openTest(t)
	o := oddOrders()[1]
	o.ID = "web-\xff"
	err := db.InsertOrders([]*app.Order{o})
	if err == nil || app.ErrorCode(err) != app.EInvalid || !strings.Contains(err.Error(), "UTF-8") {
		t.Fatalf("an id that is not UTF-8: %v", err)
	}
}

// TestMigrateV2LongKeys opens a version 2 file holding an order, its
// history and a product under unbounded keys, as version 2 wrote them.
func TestMigrateV2LongKeys(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	orders := append(fakeOrders(3, 50, testBase), oddOrders()[4])
	long := orders[len(orders)-1]
	if err := db.InsertOrders(orders); err != nil {
		t.Fatal(err)
	}
	longSKU := strings.Repeat("S", 500)
	if err := db.PutProducts([]*app.Product{{SKU: longSKU, Name: "Panjang", Currency: app.IDR}}); err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx app.Tx) error {
		return tx.AppendEvent(long.ID, app.Event{Version: 3, At: testBase, Action: app.ActionAddNote, Kind: app.KindNote, Note: "lama"})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		move := func(name, from, to []byte) {
			b := tx.Bucket(name)
			v := append([]byte(nil), b.Get(from)...)
			if v == nil {
				t.Fatalf("%s has no key %.20q", name, from)
			}
			b.Delete(from)
			b.Put(to, v)
		}
		move(bucketOrders, []byte(orderKey(long.ID)), []byte(long.ID))
		move(bucketHistory, historyKey(long.ID, 3), append(append([]byte(long.ID), 0), be64(3)...))
		move(bucketProducts, []byte(productKey(longSKU)), []byte(longSKU))
		return tx.Bucket(bucketMeta).Put(metaVersion, be64(2))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustConsistent(t, db)
	h, err := db.OrderWithHistory(long.ID)
	if err != nil || len(h.History) != 1 || h.History[0].Note != "lama" {
		t.Fatalf("long order after migration: %.200v", err)
	}
	err = db.View(func(tx app.Tx) error {
		_, err := tx.Product(longSKU)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.FindOrders(app.Filter{Text: "tttttttttt"})
	if err != nil || p.Total != 1 {
		t.Fatalf("search after migration: %d, %v", p.Total, err)
	}
}

// TestOrderCostLinear stores one order of n lines and one of 5n: the store
// must grow about 5 times as much, not 25 (issue 9: 10,000 lines took 2.1 GB).
func TestOrderCostLinear(t *testing.T) {
	db := openTest(t)
	_, small, smallAlloc := storeBigOrder(t, db, bigOrder(800))
	_, big, bigAlloc := storeBigOrder(t, db, bigOrder(4000))
	t.Logf("800 lines: %d KB stored, %d KB allocated; 4000 lines: %d KB, %d KB", small>>10, smallAlloc>>10, big>>10, bigAlloc>>10)
	if big > 7*small {
		t.Errorf("800 lines grew the store by %d KB, 4000 lines by %d KB: more than linear", small>>10, big>>10)
	}
	if bigAlloc > 7*smallAlloc {
		t.Errorf("800 lines allocated %d KB, 4000 lines %d KB: more than linear", smallAlloc>>10, bigAlloc>>10)
	}
	mustConsistent(t, db)
	p, err := db.FindOrders(app.Filter{Text: "grosir nomor 3999"})
	if err != nil || p.Total != 1 {
		t.Fatalf("a line of the big order: %d found, %v", p.Total, err)
	}
}
