// Package bolt is the cloud's bbolt backend: one file, one writer, group
// commits, for a shop (or many) on one machine. It implements cloud.Backend
// as cloud/postgres does; the wiring (bin/pos-cloud, the terminal's embedded
// cloud) opens it and hands it to the cloud, which never imports it.
package bolt

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/jsonread"
	"github.com/kasir/pos/sync/wire"
)

// Layout. Top-level buckets: shops (id → Shop), terminals (id → Terminal),
// tokens (sha256 hex → terminal id), and one "shop:<id>" bucket per shop
// holding the sub-buckets below. Sequence and mid keys are big-endian so
// byte order is numeric order and a cursor scan reads the log in sequence.
var (
	bucketShops     = []byte("shops")
	bucketTerminals = []byte("terminals")
	bucketTokens    = []byte("tokens")

	subOrders     = []byte("orders")     // order id → Order JSON (no history)
	subExternal   = []byte("external")   // channel 0x00 external id → order id
	subProducts   = []byte("products")   // sku → Product JSON
	subChanges    = []byte("changes")    // be(seq) → Change JSON; bucket sequence is the head
	subMids       = []byte("mids")       // terminal id → be(last mid)
	subResults    = []byte("results")    // terminal id 0x00 be(mid) → Result JSON
	subDeliveries = []byte("deliveries") // delivery key → be(unix seconds)

	// keyPolicy holds the shop's rules (app.Policy JSON), a plain key beside the sub-buckets.
	keyPolicy = []byte("policy")

	shopSubs = [][]byte{subOrders, subExternal, subProducts, subEventLog, subEventRefs, subChanges, subMids, subResults, subDeliveries}
)

// Store is the bbolt Backend: one bbolt file, one writer, group commits.
type Store struct {
	db *bbolt.DB
	// pre is the orders being decoded ahead for the next write, if any.
	pre atomic.Pointer[prefetch]
}

var _ cloud.Backend = (*Store)(nil)

// Open opens (creating) dir/cloud.db. It fails fast when another
// process holds the file, so the CLI can tell "server running" apart.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir %s: %w", dir, err)
	}
	// The map freelist and an unsynced freelist keep commits cheap as the
	// log grows; bbolt rebuilds the freelist by scanning after a crash.
	db, err := bbolt.Open(filepath.Join(dir, "cloud.db"), 0o600, &bbolt.Options{Timeout: time.Second,
		FreelistType: bbolt.FreelistMapType, NoFreelistSync: true})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", filepath.Join(dir, "cloud.db"), err)
	}
	// A webhook waits for its commit, so the batch window must stay well
	// under the 10 ms budget; concurrent callers still share one fsync.
	db.MaxBatchDelay = time.Millisecond
	db.MaxBatchSize = 1000
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketShops, bucketTerminals, bucketTokens} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return migrateShops(tx)
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db}, nil
}

// OpenBackend is Open as a cloud.BoltOpener, for the wiring.
func OpenBackend(dir string) (cloud.Backend, error) {
	s, err := Open(dir)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// DB is the bbolt database, for an extension's own buckets (the back office's).
func (s *Store) DB() *bbolt.DB { return s.db }

// Products lists a shop's catalogue without reading its orders (see cloud.CatalogueReader).
func (s *Store) Products(shop string) ([]*app.Product, error) {
	snap := &wire.Snapshot{Products: []*app.Product{}}
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(shopBucketName(shop))
		if b == nil {
			return cloud.NoShop(shop)
		}
		return b.Bucket(subProducts).ForEach(func(_, v []byte) error { return cloud.AddSnapshotProduct(snap, v) })
	})
	return snap.Products, err
}

// Close releases the file.
func (s *Store) Close() error { return s.db.Close() }

func shopBucketName(id string) []byte { return []byte("shop:" + id) }

func u64(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return b[:]
}

// Update runs fn through bbolt's Batch, so concurrent webhooks and pushes
// share one fsync.
func (s *Store) Update(shop string, fn func(cloud.ShopTx) error) error {
	return s.db.Batch(func(tx *bbolt.Tx) error {
		b := tx.Bucket(shopBucketName(shop))
		if b == nil {
			return cloud.NoShop(shop)
		}
		t := &shopTx{b: b, shop: shop}
		if p := s.pre.Load(); p != nil && p.shop == shop {
			t.pre = p
		}
		defer func() { t.ahead.stop() }()
		if err := fn(t); err != nil {
			return err
		}
		if err := t.ahead.write(b); err != nil {
			return err
		}
		if err := writeCounts(b, t.counts); err != nil {
			return err
		}
		return t.search.flush(b)
	})
}

// View runs fn in a read-only transaction.
func (s *Store) View(shop string, fn func(cloud.ShopTx) error) error {
	return s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(shopBucketName(shop))
		if b == nil {
			return cloud.NoShop(shop)
		}
		return fn(&shopTx{b: b, ro: true, shop: shop})
	})
}

// ChangesAfter reads the log by key order, copying values out of the mmap.
func (s *Store) ChangesAfter(shop string, after uint64, limit int) (items []json.RawMessage, head, oldest uint64, err error) {
	err = s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(shopBucketName(shop))
		if b == nil {
			return cloud.NoShop(shop)
		}
		ch := b.Bucket(subChanges)
		head = ch.Sequence()
		c := ch.Cursor()
		if k, _ := c.First(); k != nil {
			oldest = binary.BigEndian.Uint64(k)
		}
		for k, v := c.Seek(u64(after + 1)); k != nil && len(items) < limit; k, v = c.Next() {
			items = append(items, append(json.RawMessage(nil), v...))
		}
		return nil
	})
	return items, head, oldest, err
}

// Snapshot reads every order and product in one transaction.
func (s *Store) Snapshot(shop string) (*wire.Snapshot, error) {
	snap := &wire.Snapshot{Orders: []*app.Order{}, Products: []*app.Product{}}
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(shopBucketName(shop))
		if b == nil {
			return cloud.NoShop(shop)
		}
		snap.Seq = b.Bucket(subChanges).Sequence()
		if err := b.Bucket(subOrders).ForEach(func(_, v []byte) error { return cloud.AddSnapshotOrder(snap, v) }); err != nil {
			return err
		}
		return b.Bucket(subProducts).ForEach(func(_, v []byte) error { return cloud.AddSnapshotProduct(snap, v) })
	})
	if err != nil {
		return nil, err
	}
	return snap, nil
}

// Prune keeps the newest keep changes and forgets deliveries seen before before.
func (s *Store) Prune(shop string, keep uint64, before time.Time) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(shopBucketName(shop))
		if b == nil {
			return cloud.NoShop(shop)
		}
		ch := b.Bucket(subChanges)
		if head := ch.Sequence(); head > keep {
			limit := u64(head - keep)
			c := ch.Cursor()
			for k, _ := c.First(); k != nil && bytes.Compare(k, limit) <= 0; k, _ = c.First() {
				if err := c.Delete(); err != nil {
					return err
				}
			}
		}
		d := b.Bucket(subDeliveries)
		c := d.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if len(v) == 8 && int64(binary.BigEndian.Uint64(v)) < before.Unix() {
				if err := c.Delete(); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// AddShop stores the shop and creates its buckets.
func (s *Store) AddShop(sh *cloud.Shop) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		shops := tx.Bucket(bucketShops)
		if shops.Get([]byte(sh.ID)) != nil {
			return app.Errorf(app.EConflict, "shop %s already exists", sh.ID)
		}
		b, err := tx.CreateBucketIfNotExists(shopBucketName(sh.ID))
		if err != nil {
			return err
		}
		for _, name := range append(shopSubs, orderIndexSubs...) {
			if _, err := b.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		if err := ensureSearchIndex(b); err != nil {
			return err
		}
		return putJSON(shops, []byte(sh.ID), sh)
	})
}

// Shop returns one shop.
func (s *Store) Shop(id string) (*cloud.Shop, error) {
	var sh cloud.Shop
	err := s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucketShops).Get([]byte(id))
		if v == nil {
			return cloud.NoShop(id)
		}
		return json.Unmarshal(v, &sh)
	})
	if err != nil {
		return nil, err
	}
	return &sh, nil
}

// Shops lists every shop in id order.
func (s *Store) Shops() ([]*cloud.Shop, error) {
	var out []*cloud.Shop
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketShops).ForEach(func(_, v []byte) error {
			var sh cloud.Shop
			if err := json.Unmarshal(v, &sh); err != nil {
				return err
			}
			out = append(out, &sh)
			return nil
		})
	})
	return out, err
}

// PutTerminal stores t and indexes its token hash.
func (s *Store) PutTerminal(t *cloud.Terminal) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketShops).Get([]byte(t.Shop)) == nil {
			return cloud.NoShop(t.Shop)
		}
		if t.TokenHash != "" {
			if err := tx.Bucket(bucketTokens).Put([]byte(t.TokenHash), []byte(t.ID)); err != nil {
				return err
			}
		}
		return putJSON(tx.Bucket(bucketTerminals), []byte(t.ID), t)
	})
}

// Terminal returns one terminal.
func (s *Store) Terminal(id string) (*cloud.Terminal, error) {
	var t *cloud.Terminal
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		t, err = getTerminal(tx, id)
		return err
	})
	return t, err
}

func getTerminal(tx *bbolt.Tx, id string) (*cloud.Terminal, error) {
	v := tx.Bucket(bucketTerminals).Get([]byte(id))
	if v == nil {
		return nil, app.Errorf(app.ENotFound, "terminal %s not found", id)
	}
	var t cloud.Terminal
	if err := json.Unmarshal(v, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// TerminalByToken looks a token hash up in the index.
func (s *Store) TerminalByToken(hash string) (*cloud.Terminal, error) {
	var t *cloud.Terminal
	err := s.db.View(func(tx *bbolt.Tx) error {
		id := tx.Bucket(bucketTokens).Get([]byte(hash))
		if id == nil {
			return app.Errorf(app.ENotFound, "unknown token")
		}
		var err error
		t, err = getTerminal(tx, string(id))
		return err
	})
	return t, err
}

// Terminals lists the shop's terminals.
func (s *Store) Terminals(shop string) ([]*cloud.Terminal, error) {
	var out []*cloud.Terminal
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketTerminals).ForEach(func(_, v []byte) error {
			var t cloud.Terminal
			if err := json.Unmarshal(v, &t); err != nil {
				return err
			}
			if t.Shop == shop {
				out = append(out, &t)
			}
			return nil
		})
	})
	return out, err
}

func putJSON(b *bbolt.Bucket, k []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(k, data)
}

// shopTx is ShopTx over one shop's bucket.
type shopTx struct {
	b  *bbolt.Bucket
	ro bool
	// shop is the shop's id, for the indexes kept across shops.
	shop string
	// stored is the record PutOrder wrote for each order in this
	// transaction, so the change that carries the order reuses its JSON.
	stored map[*app.Order]storedOrder
	// search holds the transaction's search keys until Update ends (search.go).
	search *searchBatch
	// known is what the file holds for each order this transaction read
	// or wrote, so a put back reads no index entry it already knows.
	known map[string]knownOrder
	// pre is the orders a prefetch decoded for this transaction (prefetch.go).
	pre *prefetch
	// counts is how the transaction's puts move the status counts (orders.go).
	counts map[app.Status]int64
	// puts counts the orders put; past encodeAheadAfter, ahead encodes
	// their records on another core (encode_ahead.go).
	puts  int
	ahead *encodeAhead
}

// storedOrder is the JSON PutOrder stored for an order (or is encoding,
// ahead), and what the order said when it was stored.
type storedOrder struct {
	data    []byte
	ahead   *pendingPut
	version int64
	status  app.Status
	updated time.Time
}

func (t *shopTx) sub(name []byte) *bbolt.Bucket { return t.b.Bucket(name) }

func (t *shopTx) Policy() (*app.Policy, error) {
	v := t.b.Get(keyPolicy)
	if v == nil {
		return nil, nil
	}
	var p app.Policy
	if err := json.Unmarshal(v, &p); err != nil {
		return nil, fmt.Errorf("shop policy: %w", err)
	}
	return &p, nil
}

func (t *shopTx) PutPolicy(p app.Policy) error { return putJSON(t.b, keyPolicy, p) }

func (t *shopTx) Order(id string) (*app.Order, error) {
	if p := t.ahead.order(id); p != nil {
		// Put in this transaction and not yet written: read its record.
		data, err := p.record()
		if err != nil {
			return nil, err
		}
		var o app.Order
		if err := jsonread.Unmarshal(data, &o); err != nil {
			return nil, fmt.Errorf("order %s: %w", id, err)
		}
		t.noteKnown(&o, app.OrderSearchText(&o))
		return &o, nil
	}
	v := t.sub(subOrders).Get([]byte(id))
	if v == nil {
		return nil, app.Errorf(app.ENotFound, "order %s not found", id)
	}
	if t.pre != nil {
		if o, text, ok := t.pre.take(id, v); ok {
			t.noteKnown(o, text)
			return o, nil
		}
	}
	var o app.Order
	if err := jsonread.Unmarshal(v, &o); err != nil {
		return nil, fmt.Errorf("order %s: %w", id, err)
	}
	if !t.ro {
		t.noteKnown(&o, app.OrderSearchText(&o))
	}
	return &o, nil
}

// knownOrder is what the file holds for an order as stored: PutOrder
// writes the record and its index entries in one transaction, so they
// follow from the record.
type knownOrder struct {
	// text is the app.OrderSearchText of the words word_sets holds: a put
	// with the same text keeps them without working them out again.
	text string
	// keys is its order_index entry.
	keys orderKeys
	// external is its key in external, which names it.
	external string
}

// noteKnown remembers, and returns, what the file holds for o, stored with search text text.
func (t *shopTx) noteKnown(o *app.Order, text string) knownOrder {
	if t.known == nil {
		t.known = map[string]knownOrder{}
	}
	k := knownOrder{text: text, keys: keysOf(o)}
	if o.ExternalID != "" {
		k.external = string(externalKey(o.Channel, o.ExternalID))
	}
	t.known[o.ID] = k
	return k
}

func externalKey(ch app.Channel, ext string) []byte { return []byte(string(ch) + "\x00" + ext) }

func (t *shopTx) OrderByExternalID(ch app.Channel, ext string) (*app.Order, error) {
	id := t.sub(subExternal).Get(externalKey(ch, ext))
	if id == nil {
		return nil, app.Errorf(app.ENotFound, "%s order %s not found", ch.Label(), ext)
	}
	return t.Order(string(id))
}

func (t *shopTx) PutOrder(o *app.Order) error {
	if t.stored == nil {
		t.stored = map[*app.Order]storedOrder{}
	}
	stored := storedOrder{version: o.Version, status: o.Status, updated: o.UpdatedAt}
	if t.puts++; t.puts > encodeAheadAfter {
		if t.ahead == nil {
			t.ahead = newEncodeAhead()
		}
		// The encoder gets a copy of its own: the caller may go on changing o.
		rec := o.Clone()
		rec.History = nil
		stored.ahead = t.ahead.put(subOrders, []byte(o.ID), rec)
		t.ahead.orders[o.ID] = stored.ahead
	} else {
		rec := *o
		rec.History = nil
		data, err := json.Marshal(&rec)
		if err != nil {
			return err
		}
		if err := t.sub(subOrders).Put([]byte(o.ID), data); err != nil {
			return err
		}
		stored.data = data
	}
	t.stored[o] = stored
	if t.counts == nil {
		t.counts = map[app.Status]int64{}
	}
	known, ok := t.known[o.ID]
	var held *orderKeys
	if ok {
		held = &known.keys
	}
	was, err := indexOrder(t.b, o, t.counts, held)
	if err != nil {
		return err
	}
	if t.search == nil {
		t.search = &searchBatch{}
	}
	text := app.OrderSearchText(o)
	if err := indexSearch(t.b, t.search, o, was, ok && known.text == text); err != nil {
		return err
	}
	now := t.noteKnown(o, text)
	if err := indexShipment(t.b, o); err != nil {
		return err
	}
	if err := t.indexPageToken(o); err != nil {
		return err
	}
	if k := now.external; k != "" && k != known.external {
		// Unchanged on most writes; a put would still dirty its page.
		ext := t.sub(subExternal)
		if string(ext.Get([]byte(k))) != o.ID {
			return ext.Put([]byte(k), []byte(o.ID))
		}
	}
	return nil
}

func (t *shopTx) Product(sku string) (*app.Product, error) {
	v := t.sub(subProducts).Get([]byte(sku))
	if v == nil {
		return nil, app.Errorf(app.ENotFound, "product %s not found", sku)
	}
	var p app.Product
	if err := json.Unmarshal(v, &p); err != nil {
		return nil, fmt.Errorf("product %s: %w", sku, err)
	}
	return &p, nil
}

func (t *shopTx) PutProduct(p *app.Product) error {
	return putJSON(t.sub(subProducts), []byte(p.SKU), p)
}

func (t *shopTx) AppendChange(c *wire.Change) (uint64, error) {
	ch := t.sub(subChanges)
	// The log only grows at its end: fill each page before starting the next.
	ch.FillPercent = 1
	seq, err := ch.NextSequence()
	if err != nil {
		return 0, err
	}
	c.Seq = seq
	data, err := t.encodeChange(c)
	if err != nil {
		return 0, err
	}
	return seq, ch.Put(u64(seq), data)
}

// encodeChange is json.Marshal(c). When c carries an order PutOrder stored
// in this transaction, unchanged since, the order's JSON is that record's
// rather than a second encoding of it: a sweep rejecting a thousand
// orders encodes each once.
func (t *shopTx) encodeChange(c *wire.Change) ([]byte, error) {
	s, ok := t.stored[c.Order]
	if !ok || c.Order.History != nil || c.Order.Version != s.version || c.Order.Status != s.status || !c.Order.UpdatedAt.Equal(s.updated) {
		return json.Marshal(c)
	}
	if s.ahead != nil {
		data, err := s.ahead.record()
		if err != nil {
			return nil, err
		}
		s.data = data
	}
	bare := *c
	bare.Order = nil
	rest, err := json.Marshal(&bare)
	if err != nil {
		return nil, err
	}
	// The order is the field after seq; anything else falls back.
	head := `{"seq":` + strconv.FormatUint(c.Seq, 10) + `,"order":`
	if !bytes.HasPrefix(rest, []byte(head+"null")) {
		return json.Marshal(c)
	}
	out := make([]byte, 0, len(rest)-len("null")+len(s.data))
	out = append(append(out, head...), s.data...)
	return append(out, rest[len(head)+len("null"):]...), nil
}

func (t *shopTx) Head() uint64 { return t.sub(subChanges).Sequence() }

func (t *shopTx) LastMid(terminal string) (uint64, error) {
	v := t.sub(subMids).Get([]byte(terminal))
	if len(v) != 8 {
		return 0, nil
	}
	return binary.BigEndian.Uint64(v), nil
}

func resultKey(terminal string, mid uint64) []byte {
	return append([]byte(terminal+"\x00"), u64(mid)...)
}

func (t *shopTx) StoredResult(terminal string, mid uint64) (*wire.Result, error) {
	v := t.sub(subResults).Get(resultKey(terminal, mid))
	if v == nil {
		return nil, nil
	}
	var r wire.Result
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

func (t *shopTx) PutResult(terminal string, r *wire.Result) error {
	res := t.sub(subResults)
	if err := putJSON(res, resultKey(terminal, r.Mid), r); err != nil {
		return err
	}
	if r.Mid > cloud.ResultsKept {
		if err := res.Delete(resultKey(terminal, r.Mid-cloud.ResultsKept)); err != nil {
			return err
		}
	}
	return t.sub(subMids).Put([]byte(terminal), u64(r.Mid))
}

func (t *shopTx) Delivered(key string) (bool, error) {
	return t.sub(subDeliveries).Get([]byte(key)) != nil, nil
}

func (t *shopTx) MarkDelivered(key string, at time.Time) error {
	return t.sub(subDeliveries).Put([]byte(key), u64(uint64(at.Unix())))
}
