package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// CheckConsistency rebuilds every index and counter in memory from the
// orders and compares them with what is stored; it reports missing, stale
// and wrong entries (at most 20) and any record that does not decode. It
// reads in one transaction, so it sees a consistent snapshot.
func (db *DB) CheckConsistency() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		var problems []string
		report := func(format string, args ...any) {
			if len(problems) < 20 {
				problems = append(problems, fmt.Sprintf(format, args...))
			}
		}
		want := map[string]map[string][]byte{}
		for _, name := range indexBuckets {
			want[string(name)] = map[string][]byte{}
		}
		counts := map[string]int64{}
		orders, err := bucket(tx, bucketOrders)
		if err != nil {
			return err
		}
		err = orders.ForEach(func(k, v []byte) error {
			o, err := decodeOrder(k, v)
			if err != nil {
				report("%v", err)
				return nil
			}
			if err := checkOrder(o); err != nil {
				report("order %q: %v", k, err)
				return nil
			}
			if len(o.History) > 0 {
				report("order %q: history stored inside the record", k)
			}
			for _, e := range append(orderEntries(o), nameEntries(o)...) {
				m := want[string(e.bucket)]
				if prev, dup := m[string(e.key)]; dup && !bytes.Equal(prev, e.value) {
					report("%s key %q is claimed by orders %q and %q", e.bucket, e.key, prev, e.value)
				}
				m[string(e.key)] = e.value
			}
			for _, n := range counterNames(o) {
				counts[n]++
			}
			return nil
		})
		if err != nil {
			return err
		}
		for n, c := range counts {
			want[string(bucketCounts)][n] = be64(uint64(c))
		}
		for _, name := range indexBuckets {
			b, err := bucket(tx, name)
			if err != nil {
				return err
			}
			m := want[string(name)]
			seen := 0
			err = b.ForEach(func(k, v []byte) error {
				w, ok := m[string(k)]
				switch {
				case !ok:
					report("%s has stale key %q", name, k)
				case !bytes.Equal(w, v):
					report("%s key %q has value %x, want %x", name, k, v, w)
				default:
					seen++
				}
				return nil
			})
			if err != nil {
				return err
			}
			if seen != len(m) {
				for k := range m {
					if b.Get([]byte(k)) == nil {
						report("%s is missing key %q", name, k)
					}
				}
			}
		}
		if err := checkHistory(tx, report); err != nil {
			return err
		}
		if len(problems) > 0 {
			return errors.New("store: inconsistent " + db.path + ":\n  " + strings.Join(problems, "\n  "))
		}
		return nil
	})
}

// checkHistory checks every event decodes and sits under its own version.
func checkHistory(tx *bolt.Tx, report func(string, ...any)) error {
	b, err := bucket(tx, bucketHistory)
	if err != nil {
		return err
	}
	return b.ForEach(func(k, v []byte) error {
		sep := bytes.IndexByte(k, 0)
		if sep < 0 || len(k) != sep+9 {
			report("history has malformed key %q", k)
			return nil
		}
		var e app.Event
		if err := json.Unmarshal(v, &e); err != nil {
			report("history %q cannot be decoded: %v", k, err)
			return nil
		}
		if got := binary.BigEndian.Uint64(k[sep+1:]); got != uint64(e.Version) {
			report("history %q holds event version %d", k, e.Version)
		}
		return nil
	})
}
