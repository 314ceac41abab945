package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the layout this code reads and writes. Open migrates older
// files up to it in one transaction and refuses newer ones.
const SchemaVersion = 8

// ErrCorrupt is wrapped by Open's error for a file that is not a POS data file
// or is damaged; the file is left exactly as it was.
var ErrCorrupt = errors.New("not a usable POS data file")

// ErrNewerVersion is wrapped by Open's error for a file written by a newer
// release; it is left untouched so that release can still read it.
var ErrNewerVersion = errors.New("written by a newer version")

// Bucket names. Every bucket is created at open, so helpers may rely on them.
// Wherever a key below holds an id, it is orderKey(id): see keys.go.
var (
	bucketMeta      = []byte("meta")
	bucketOrders    = []byte("orders")     // orderKey(id) → JSON app.Order (History left out)
	bucketProducts  = []byte("products")   // productKey(sku) → JSON app.Product
	bucketHistory   = []byte("history")    // orderKey(id) 0x00 BE uint64 version → JSON app.Event
	bucketSettings  = []byte("settings")   // key → JSON value
	bucketOutbox    = []byte("outbox")     // BE uint64 mid → JSON Mutation
	bucketSyncState = []byte("sync_state") // name → BE uint64
	bucketPrintJobs = []byte("print_jobs") // owned by print_jobs.go
	bucketCounts    = []byte("counts")     // counter name → BE int64, see counterNames
	bucketShifts    = []byte("shifts")     // terminal 0x00 shift id → JSON app.Shift, see shift.go

	idxStatus   = []byte("idx_status")   // status 0x00 inv(created) id → entry value
	idxChannel  = []byte("idx_channel")  // channel 0x00 inv(created) id → empty (the entry value is idx_forward's)
	idxDeadline = []byte("idx_deadline") // accept_by id → entry value (status new only)
	idxExternal = []byte("idx_external") // channel 0x00 external id → order id
	idxSearch   = []byte("idx_words")    // epoch(2) token 0x00 inv(created) 0x00 id → channel code (a line key: then initials and the order's line ids), see search.go, epochOf, appendLineSet
	idxCourier  = []byte("idx_courier")  // courierKey 0x00 inv(created) id → empty
	idxTokens   = []byte("idx_forward")  // inv(created) 0x00 id → uvarint len(entry value), entry value, the order's search tokens 0x00-separated
	idxNames    = []byte("idx_names")    // word 0x00 line token → empty, see search.go
	idxReport   = []byte("idx_report")   // BE timeKey(event) id 0x00 n → JSON app.ReportEvent, see report.go
)

// obsoleteBuckets are derived buckets of earlier development layouts of
// this version. A file holding one has indexes in the old layout: they are
// dropped and every index is rebuilt on open.
var obsoleteBuckets = [][]byte{
	[]byte("idx_tokens"), // idx_search values carried the entry value; idx_tokens held the bare token list
	[]byte("idx_search"), // the search index before tracking IDs were words of an order (now idx_words)
}

// metaVersion is the key of the schema version in the meta bucket.
var metaVersion = []byte("schema_version")

// dataBuckets are the buckets of the current schema, meta aside.
var dataBuckets = [][]byte{
	bucketOrders, bucketProducts, bucketHistory, bucketSettings, bucketOutbox,
	bucketSyncState, bucketPrintJobs, bucketCounts, bucketShifts,
	idxStatus, idxChannel, idxDeadline, idxExternal, idxSearch, idxCourier, idxTokens, idxNames, idxReport,
}

// indexBuckets are derived from the orders bucket alone; they can be dropped
// and rebuilt at any time.
var indexBuckets = [][]byte{
	bucketCounts, idxStatus, idxChannel, idxDeadline, idxExternal, idxSearch, idxCourier, idxTokens, idxNames, idxReport,
}

// droppedBuckets are derived buckets of earlier versions that this one no
// longer keeps; the migration that stops using one deletes it.
var droppedBuckets = [][]byte{
	[]byte("idx_created"), // until version 6: idx_forward is the list by creation time
	[]byte("idx_label"),   // until version 6: a list by label reads the entry's flags
}

// schemaState is what a read-only look at the file found.
type schemaState struct {
	fresh   bool // an empty bbolt file: create everything
	version uint64
	missing bool // current version, but a bucket is missing (added later): create it
	// missingIndex: a derived bucket is missing, so every index is rebuilt.
	missingIndex bool
}

// prepare brings the file to SchemaVersion. It looks first in a read-only
// transaction so a refused file is never written, and an up-to-date file
// opens without a write (and its fsync).
func (db *DB) prepare() error {
	var st schemaState
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		st, err = readSchema(tx, db.path)
		return err
	})
	if err != nil {
		return err
	}
	if !st.fresh && st.version == SchemaVersion && !st.missing {
		return nil
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		st, err := readSchema(tx, db.path)
		if err != nil {
			return err
		}
		if st.fresh {
			if err := createBuckets(tx); err != nil {
				return err
			}
			return setSchemaVersion(tx, SchemaVersion)
		}
		if err := migrate(tx, st.version, db.path); err != nil {
			return err
		}
		if err := createBuckets(tx); err != nil {
			return err
		}
		if st.missingIndex {
			return rebuildIndexes(tx)
		}
		return nil
	})
}

// readSchema reads the version and refuses what this code cannot handle.
func readSchema(tx *bolt.Tx, path string) (schemaState, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		empty := true
		_ = tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			empty = false
			return errors.New("stop")
		})
		if empty {
			return schemaState{fresh: true}, nil
		}
		return schemaState{}, fmt.Errorf("store: %s has data but no %q bucket: %w; it was left untouched", path, bucketMeta, ErrCorrupt)
	}
	raw := meta.Get(metaVersion)
	if len(raw) != 8 {
		return schemaState{}, fmt.Errorf("store: %s: meta.%s is missing or not 8 bytes: %w; it was left untouched", path, metaVersion, ErrCorrupt)
	}
	v := binary.BigEndian.Uint64(raw)
	if v == 0 {
		return schemaState{}, fmt.Errorf("store: %s: schema version 0 is not valid: %w; it was left untouched", path, ErrCorrupt)
	}
	if v > SchemaVersion {
		return schemaState{}, fmt.Errorf("store: %s has schema version %d, this program reads up to %d: %w; it was left untouched, run the newer program", path, v, SchemaVersion, ErrNewerVersion)
	}
	st := schemaState{version: v}
	if v == SchemaVersion {
		for _, name := range dataBuckets {
			if tx.Bucket(name) == nil {
				st.missing = true
			}
		}
		for _, name := range indexBuckets {
			if tx.Bucket(name) == nil {
				st.missingIndex = true
			}
		}
		for _, name := range obsoleteBuckets {
			if tx.Bucket(name) != nil {
				st.missing, st.missingIndex = true, true
			}
		}
	}
	return st, nil
}

func createBuckets(tx *bolt.Tx) error {
	for _, name := range append([][]byte{bucketMeta}, dataBuckets...) {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("store: creating bucket %s: %w", name, err)
		}
	}
	return nil
}

func setSchemaVersion(tx *bolt.Tx, v uint64) error {
	meta, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return fmt.Errorf("store: creating bucket %s: %w", bucketMeta, err)
	}
	return meta.Put(metaVersion, be64(v))
}

// be64 encodes n big-endian, so byte order equals numeric order.
func be64(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return b[:]
}
