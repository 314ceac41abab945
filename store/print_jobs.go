package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/kasir/pos/printer"
	bolt "go.etcd.io/bbolt"
)

// PrintJobs is the print queue's durable half: jobs waiting for a printer,
// in bucket print_jobs under big-endian sequence keys, so that key order is
// the order jobs were queued in and a cursor walks them first-in first-out.
type PrintJobs struct{ db *DB }

var _ printer.JobStore = PrintJobs{}

// PrintJobs returns the job store for printer.NewQueue.
func (db *DB) PrintJobs() PrintJobs { return PrintJobs{db: db} }

func printJobKey(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }

// AddJob stores j under the bucket's next sequence number, which becomes
// j.ID; the job is on disk (fsynced) when AddJob returns.
func (s PrintJobs) AddJob(j *printer.Job) error {
	return s.db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketPrintJobs)
		if err != nil {
			return err
		}
		seq, err := b.NextSequence()
		if err != nil {
			return fmt.Errorf("store: print job sequence: %w", err)
		}
		j.ID = seq
		v, err := json.Marshal(j)
		if err != nil {
			return fmt.Errorf("store: print job %d: %w", seq, err)
		}
		return b.Put(printJobKey(seq), v)
	})
}

// UpdateJob rewrites a queued job's attempts, next try and last error. A job
// that has already been removed stays removed: a late update must not
// bring a printed job back.
func (s PrintJobs) UpdateJob(j printer.Job) error {
	return s.db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketPrintJobs)
		if err != nil {
			return err
		}
		k := printJobKey(j.ID)
		if b.Get(k) == nil {
			return nil
		}
		v, err := json.Marshal(j)
		if err != nil {
			return fmt.Errorf("store: print job %d: %w", j.ID, err)
		}
		return b.Put(k, v)
	})
}

// RemoveJob deletes a printed job. Deletes are idempotent, so they go
// through Batch and share an fsync when several printers finish at once.
func (s PrintJobs) RemoveJob(id uint64) error {
	return s.db.bolt.Batch(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketPrintJobs)
		if err != nil {
			return err
		}
		return b.Delete(printJobKey(id))
	})
}

// PendingJobs returns every queued job, oldest first. A record that does not
// decode is reported with its key rather than skipped, so no job vanishes silently.
func (s PrintJobs) PendingJobs() ([]printer.Job, error) {
	var out []printer.Job
	err := s.db.bolt.View(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketPrintJobs)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			var j printer.Job
			if err := json.Unmarshal(v, &j); err != nil {
				return fmt.Errorf("store: print job %x: %w", k, err)
			}
			out = append(out, j)
			return nil
		})
	})
	return out, err
}
