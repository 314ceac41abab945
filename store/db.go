// Package store keeps a terminal's orders, stock, history, outbox and
// settings in one bbolt file, with the indexes the Online tab's lists,
// badges and search need. It persists what package app decided and never
// makes a rule of its own.
package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// FileName is the name of the data file inside the data directory.
const FileName = "pos.db"

// lockTimeout bounds how long Open waits for another process to let go of
// the file: long enough to ride out a restart, short enough to tell staff.
const lockTimeout = time.Second

// DB is an open data file. It is safe for concurrent use; bbolt serialises
// writers and lets readers run alongside them.
type DB struct {
	bolt *bolt.DB
	dir  string
	path string
}

// Tx is one bbolt transaction seen through app.Tx. It is only valid inside
// the Update, View or Batch callback that received it.
type Tx struct {
	tx *bolt.Tx
	// read is the order Order last decoded, so the PutOrder that usually
	// follows need not decode the record it replaces again.
	read *readOrder
}

var _ app.Tx = (*Tx)(nil)
var _ app.Store = (*DB)(nil)

// Open opens or creates dir/pos.db, migrates it to the current schema and
// records this process in dir/pos.pid. It fails, naming the holder, when
// another process has the file, and refuses (without touching it) a file
// that is corrupt, not a bbolt file, or from a newer version.
func Open(dir string) (*DB, error) {
	if dir == "" {
		return nil, errors.New("store: data directory is empty")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("store: data directory %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("store: creating data directory %s: %w", abs, err)
	}
	path := filepath.Join(abs, FileName)
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout, FreelistType: bolt.FreelistMapType})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, inUseError(abs)
		}
		if errors.Is(err, berrors.ErrInvalid) || errors.Is(err, berrors.ErrChecksum) || errors.Is(err, berrors.ErrVersionMismatch) {
			return nil, fmt.Errorf("store: %s: %w (bbolt: %v); it was left untouched, move it aside or restore a backup", path, ErrCorrupt, err)
		}
		return nil, fmt.Errorf("store: opening %s: %w", path, err)
	}
	db := &DB{bolt: bdb, dir: abs, path: path}
	if err := db.prepare(); err != nil {
		_ = bdb.Close()
		return nil, err
	}
	if err := writePIDFile(abs); err != nil {
		_ = bdb.Close()
		return nil, err
	}
	return db, nil
}

// Close releases the file and removes the pid file; the DB is unusable after.
func (db *DB) Close() error {
	if db == nil || db.bolt == nil {
		return nil
	}
	removePIDFile(db.dir)
	err := db.bolt.Close()
	db.bolt = nil
	if err != nil {
		return fmt.Errorf("store: closing %s: %w", db.path, err)
	}
	return nil
}

// Path is the absolute path of the data file.
func (db *DB) Path() string { return db.path }

// Dir is the absolute path of the data directory.
func (db *DB) Dir() string { return db.dir }

// Update runs fn in one read-write transaction; fn's error rolls it back.
func (db *DB) Update(fn func(app.Tx) error) error {
	return db.bolt.Update(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx}) })
}

// View runs fn in a read-only transaction; writes through it fail.
func (db *DB) View(fn func(app.Tx) error) error {
	return db.bolt.View(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx}) })
}

// Batch runs fn in a read-write transaction shared with other concurrent
// Batch callers, so they share one fsync. fn may run more than once (when a
// batch-mate fails), so it must only write through tx and be idempotent.
func (db *DB) Batch(fn func(app.Tx) error) error {
	return db.bolt.Batch(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx}) })
}

// boltTx unwraps the *Tx an Update, View or Batch callback received.
func boltTx(tx app.Tx) (*bolt.Tx, error) {
	t, ok := tx.(*Tx)
	if !ok || t == nil || t.tx == nil {
		return nil, fmt.Errorf("store: %T is not a store transaction; call this inside DB.Update", tx)
	}
	return t.tx, nil
}

// bucket returns a bucket that prepare guarantees exists. A missing one means
// the file changed under us, which is reported rather than panicking.
func bucket(tx *bolt.Tx, name []byte) (*bolt.Bucket, error) {
	b := tx.Bucket(name)
	if b == nil {
		return nil, fmt.Errorf("store: bucket %s is missing", name)
	}
	return b, nil
}
