package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// PrintJobs is the print queue's durable half: jobs waiting for a printer,
// in bucket print_jobs under big-endian sequence keys, so that key order is
// the order jobs were queued in and a cursor walks them first-in first-out.
//
// The store keeps each job as the queue's own record and never reads it:
// the queue (printer.Queue) owns what a job is, and the store only promises
// that every write below is on disk (fsynced) before it returns, which is
// what lets the queue record "sending" before the first byte leaves.
type PrintJobs struct{ db *DB }

// PrintJobs returns the job store for printer.NewQueue.
func (db *DB) PrintJobs() PrintJobs { return PrintJobs{db: db} }

func printJobKey(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }

// AddJob stores rec under the bucket's next sequence number and returns it;
// the job is on disk when AddJob returns.
func (s PrintJobs) AddJob(rec []byte) (uint64, error) {
	var id uint64
	err := s.db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketPrintJobs)
		if err != nil {
			return err
		}
		seq, err := b.NextSequence()
		if err != nil {
			return fmt.Errorf("store: print job sequence: %w", err)
		}
		id = seq
		return b.Put(printJobKey(seq), rec)
	})
	return id, err
}

// PutJob rewrites job id and reports whether it was still there, and
// removes the jobs in sent, all in one write. A job that has been removed
// stays removed: a late update must not bring a printed job back.
func (s PrintJobs) PutJob(id uint64, rec []byte, sent ...uint64) (bool, error) {
	found := false
	err := s.db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketPrintJobs)
		if err != nil {
			return err
		}
		for _, done := range sent {
			if err := b.Delete(printJobKey(done)); err != nil {
				return err
			}
		}
		k := printJobKey(id)
		if b.Get(k) == nil {
			return nil
		}
		found = true
		return b.Put(k, rec)
	})
	return found, err
}

// RemoveJob deletes a job; deleting a job that is gone is not an error. It
// does not wait to share a batch: the queue records "sent" here and sends
// the next job only after it.
func (s PrintJobs) RemoveJob(id uint64) error {
	return s.db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketPrintJobs)
		if err != nil {
			return err
		}
		return b.Delete(printJobKey(id))
	})
}

// EachJob calls fn with every stored job, oldest first. fn's record is only
// valid during the call.
func (s PrintJobs) EachJob(fn func(id uint64, rec []byte) error) error {
	return s.db.bolt.View(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketPrintJobs)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			if len(k) != 8 {
				return fmt.Errorf("store: print job key %x is not a job number", k)
			}
			return fn(binary.BigEndian.Uint64(k), v)
		})
	})
}
