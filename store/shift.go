package store

import (
	"bytes"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
)

// Shifts are kept per terminal under terminal 0x00 shift id; ids begin with
// the opening time, so the last key of a terminal's range is its newest shift.

func shiftKey(terminal, id string) []byte {
	return append(append([]byte(terminal), 0), id...)
}

// LatestShift is the terminal's newest shift, open or closed, or nil.
func (db *DB) LatestShift(terminal string) (*app.Shift, error) {
	var s *app.Shift
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketShifts)
		if err != nil {
			return err
		}
		prefix := append([]byte(terminal), 0)
		c := b.Cursor()
		// Seek past the terminal's range, then step back onto its last key.
		k, _ := c.Seek(append([]byte(terminal), 1))
		if k == nil {
			k, _ = c.Last()
		} else {
			k, _ = c.Prev()
		}
		if k == nil || !bytes.HasPrefix(k, prefix) {
			return nil
		}
		s = &app.Shift{}
		if err := json.Unmarshal(b.Get(k), s); err != nil {
			return fmt.Errorf("store: shift %q cannot be decoded: %w", k, err)
		}
		return nil
	})
	return s, err
}

// PutShift saves a shift under its terminal.
func (db *DB) PutShift(s *app.Shift) error {
	if s == nil || s.ID == "" || s.Terminal == "" {
		return fmt.Errorf("store: a shift needs an id and a terminal")
	}
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketShifts)
		if err != nil {
			return err
		}
		return b.Put(shiftKey(s.Terminal, s.ID), data)
	})
}

// Shifts lists the terminal's shifts, oldest first.
func (db *DB) Shifts(terminal string) ([]*app.Shift, error) {
	var out []*app.Shift
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketShifts)
		if err != nil {
			return err
		}
		prefix := append([]byte(terminal), 0)
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			s := &app.Shift{}
			if err := json.Unmarshal(v, s); err != nil {
				return fmt.Errorf("store: shift %q cannot be decoded: %w", k, err)
			}
			out = append(out, s)
		}
		return nil
	})
	return out, err
}
