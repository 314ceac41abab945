package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// writeV1 builds a version 1 file by hand: a meta bucket at version 1,
// orders with their history inside the record, products and settings, and
// none of the history or index buckets.
func writeV1(t *testing.T, dir string, orders []*app.Order) {
	t.Helper()
	bdb, err := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(tx *bolt.Tx) error {
		meta, _ := tx.CreateBucket(bucketMeta)
		meta.Put(metaVersion, be64(1))
		ob, _ := tx.CreateBucket(bucketOrders)
		for _, o := range orders {
			data, _ := json.Marshal(o)
			if err := ob.Put([]byte(o.ID), data); err != nil {
				return err
			}
		}
		pb, _ := tx.CreateBucket(bucketProducts)
		for _, p := range fakeProducts() {
			data, _ := json.Marshal(p)
			pb.Put([]byte(p.SKU), data)
		}
		sb, _ := tx.CreateBucket(bucketSettings)
		return sb.Put([]byte("shop"), []byte(`"Toko Siti"`))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrateFromV1(t *testing.T) {
	dir := t.TempDir()
	orders := fakeOrders(9, 120, testBase)
	for i, o := range orders {
		for v := 1; v <= 1+i%4; v++ {
			o.History = append(o.History, app.Event{Version: int64(v), At: o.CreatedAt, Action: app.ActionAddNote, Note: "v1 event", Kind: app.KindNote})
		}
	}
	orders[0].History[0].Version = 0 // v1 sometimes left versions out
	writeV1(t, dir, orders)

	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustConsistent(t, db)
	var v uint64
	db.bolt.View(func(tx *bolt.Tx) error {
		v = readState(tx.Bucket(bucketMeta), metaVersion)
		raw := tx.Bucket(bucketOrders).Get([]byte(orders[1].ID))
		if bytes.Contains(raw, []byte(`"history"`)) {
			t.Errorf("order record still holds its history: %s", raw)
		}
		return nil
	})
	if v != SchemaVersion {
		t.Fatalf("schema version %d after migration", v)
	}
	for i, o := range orders {
		got, err := db.OrderWithHistory(o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.History) != 1+i%4 {
			t.Fatalf("order %s has %d events after migration, want %d", o.ID, len(got.History), 1+i%4)
		}
		if got.History[0].Version != 1 {
			t.Fatalf("first event version %d", got.History[0].Version)
		}
	}
	checkFilter(t, db, orders, app.Filter{Statuses: []app.Status{app.StatusNew}})
	checkFilter(t, db, orders, app.Filter{Text: "siti"})
	var shop string
	if ok, err := db.GetSetting("shop", &shop); !ok || err != nil || shop != "Toko Siti" {
		t.Fatalf("setting lost in migration: %q %v %v", shop, ok, err)
	}
	if ps, _ := db.Products(); len(ps) != len(fakeProducts()) {
		t.Fatalf("products lost in migration: %d", len(ps))
	}
}

// refuse checks Open fails with want in the message and leaves the file byte-for-byte alone.
func refuse(t *testing.T, dir string, target error, want ...string) {
	t.Helper()
	path := filepath.Join(dir, FileName)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	db, err := Open(dir)
	if err == nil {
		db.Close()
		t.Fatal("Open accepted the file")
	}
	if target != nil && !errors.Is(err, target) {
		t.Errorf("error %v is not %v", err, target)
	}
	for _, w := range append(want, path) {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
	after, _ := os.ReadFile(path)
	st2, _ := os.Stat(path)
	if !bytes.Equal(before, after) || st.Size() != st2.Size() || !st.ModTime().Equal(st2.ModTime()) {
		t.Fatal("the refused file was modified")
	}
	if _, err := os.Stat(filepath.Join(dir, PIDFileName)); err == nil {
		t.Error("a refused open left a pid file")
	}
}

func TestNewerVersionRefused(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	db.InsertOrders(fakeOrders(1, 10, testBase))
	db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(metaVersion, be64(SchemaVersion+1)) })
	db.Close()
	refuse(t, dir, ErrNewerVersion, fmt.Sprintf("schema version %d", SchemaVersion+1), "newer")
}

func TestCorruptFileRefused(t *testing.T) {
	t.Run("not bbolt", func(t *testing.T) {
		dir := t.TempDir()
		junk := make([]byte, 64<<10)
		rand.New(rand.NewSource(1)).Read(junk)
		os.WriteFile(filepath.Join(dir, FileName), junk, 0o600)
		refuse(t, dir, ErrCorrupt, "not a usable POS data file")
	})
	t.Run("text", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, FileName), []byte("order,total\n1,2\n"), 0o600)
		refuse(t, dir, ErrCorrupt)
	})
	t.Run("damaged meta pages", func(t *testing.T) {
		dir := t.TempDir()
		db, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		db.InsertOrders(fakeOrders(1, 50, testBase))
		db.Close()
		path := filepath.Join(dir, FileName)
		b, _ := os.ReadFile(path)
		for i := 16; i < 64; i++ { // both meta pages' headers
			b[i] ^= 0xff
			b[4096+i] ^= 0xff
		}
		os.WriteFile(path, b, 0o600)
		refuse(t, dir, ErrCorrupt)
	})
	t.Run("bbolt without meta", func(t *testing.T) {
		dir := t.TempDir()
		bdb, err := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		bdb.Update(func(tx *bolt.Tx) error {
			b, _ := tx.CreateBucket([]byte("someone_elses"))
			return b.Put([]byte("k"), []byte("v"))
		})
		bdb.Close()
		refuse(t, dir, ErrCorrupt, "no \"meta\" bucket")
	})
	t.Run("meta without version", func(t *testing.T) {
		dir := t.TempDir()
		bdb, _ := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
		bdb.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket(bucketMeta); return err })
		bdb.Close()
		refuse(t, dir, ErrCorrupt, "schema_version")
	})
}

func TestReopenKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	orders := fakeOrders(5, 300, testBase)
	db.InsertOrders(orders)
	db.PutProducts(fakeProducts())
	db.PutSetting("printer", map[string]string{"url": "tcp://10.0.0.9:9100"})
	if filepath.Dir(db.Path()) != db.Dir() || !filepath.IsAbs(db.Path()) {
		t.Fatalf("Path %s, Dir %s", db.Path(), db.Dir())
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, PIDFileName)); err == nil {
		t.Error("Close left the pid file")
	}
	db, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustConsistent(t, db)
	checkFilter(t, db, orders, app.Filter{Limit: 50})
	var p map[string]string
	if ok, _ := db.GetSetting("printer", &p); !ok || p["url"] != "tcp://10.0.0.9:9100" {
		t.Fatalf("setting after reopen: %v", p)
	}
	if _, err := os.Stat(filepath.Join(dir, PIDFileName)); err != nil {
		t.Errorf("no pid file while open: %v", err)
	}
	_ = time.Now
}

func TestMissingIndexRebuilt(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	orders := fakeOrders(3, 100, testBase)
	db.InsertOrders(orders)
	db.bolt.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(idxTokens) })
	db.Close()
	db, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustConsistent(t, db)
	checkFilter(t, db, orders, app.Filter{Text: "siti kaos"})
}

// TestMigrateFromV6 opens a version 6 file (search keys without an epoch
// and with empty values, a list by creation time and label lists): the
// two lists are dropped, every index is rebuilt, and search finds what it
// found before.
func TestMigrateFromV6(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	orders := fakeOrders(6, 300, testBase)
	if err := db.InsertOrders(orders); err != nil {
		t.Fatal(err)
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(idxSearch); err != nil {
			return err
		}
		words, err := tx.CreateBucket(idxSearch)
		if err != nil {
			return err
		}
		created, err := tx.CreateBucket([]byte("idx_created"))
		if err != nil {
			return err
		}
		label, err := tx.CreateBucket([]byte("idx_label"))
		if err != nil {
			return err
		}
		for _, o := range orders {
			e := entryOf(o)
			fk := fwdKey(^e.created, o.ID)
			for _, tok := range indexTokens(o, orderLines(o)) {
				if err := words.Put(append(append([]byte(tok), 0), fk...), nil); err != nil {
					return err
				}
			}
			if err := created.Put(timeID("", e.created, o.ID), nil); err != nil {
				return err
			}
			if err := label.Put(timeID(labelUnprinted, ^e.created, o.ID), nil); err != nil {
				return err
			}
		}
		return setSchemaVersion(tx, 6)
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
	db.bolt.View(func(tx *bolt.Tx) error {
		for _, name := range droppedBuckets {
			if tx.Bucket(name) != nil {
				t.Errorf("%s survived the migration", name)
			}
		}
		if v := binary.BigEndian.Uint64(tx.Bucket(bucketMeta).Get(metaVersion)); v != SchemaVersion {
			t.Errorf("schema version %d after migration, want %d", v, SchemaVersion)
		}
		return nil
	})
	checkFilter(t, db, orders, app.Filter{Text: "siti kaos"})
	checkFilter(t, db, orders, app.Filter{Text: orders[7].Buyer.Name, Online: true})
	checkFilter(t, db, orders, app.Filter{LabelPrinted: new(bool)})
}

// TestMigrateFromV7 opens a version 7 file, whose line search keys hold the
// channel code alone: every index is rebuilt in the opening transaction,
// the line keys name their order's lines, and search finds what it found.
func TestMigrateFromV7(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	orders := fakeOrders(8, 300, testBase)
	if err := db.InsertOrders(orders); err != nil {
		t.Fatal(err)
	}
	v7 := 0
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		words := tx.Bucket(idxSearch)
		type kv struct{ k, v []byte }
		var old []kv
		if err := words.ForEach(func(k, v []byte) error {
			if len(v) > 1 {
				old = append(old, kv{append([]byte(nil), k...), []byte{v[0]}})
			}
			return nil
		}); err != nil {
			return err
		}
		for _, e := range old {
			if err := words.Put(e.k, e.v); err != nil {
				return err
			}
		}
		v7 = len(old)
		return setSchemaVersion(tx, 7)
	})
	if err != nil {
		t.Fatal(err)
	}
	if v7 == 0 {
		t.Fatal("no line key named its order's lines before the downgrade")
	}
	db.Close()
	db, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustConsistent(t, db)
	named := 0
	db.bolt.View(func(tx *bolt.Tx) error {
		if v := binary.BigEndian.Uint64(tx.Bucket(bucketMeta).Get(metaVersion)); v != SchemaVersion {
			t.Errorf("schema version %d after migration, want %d", v, SchemaVersion)
		}
		return tx.Bucket(idxSearch).ForEach(func(k, v []byte) error {
			if len(v) > 1 {
				named++
			}
			return nil
		})
	})
	if named != v7 {
		t.Errorf("%d line keys name their order's lines after the migration, want %d", named, v7)
	}
	checkFilter(t, db, orders, app.Filter{Text: orders[4].Lines[0].Name})
	checkFilter(t, db, orders, app.Filter{Text: "kaos s", Limit: 10})
	checkFilter(t, db, orders, app.Filter{Text: "hitam xl", Online: true})
}
