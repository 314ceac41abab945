package store

import (
	"time"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// Badges are read from the counters putOrder keeps, plus a walk of the
// deadline index up to the expiring bound (only New orders are in it), so
// they cost the same with 100 orders or 100,000 and decode none.

// Badges counts what the tab badges show, as of now; ByStatus has every status.
func (db *DB) Badges(now time.Time, expiringWithin time.Duration) (app.Badges, error) {
	bg := app.Badges{ByStatus: make(map[app.Status]int, len(app.Statuses))}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		counts, err := bucket(tx, bucketCounts)
		if err != nil {
			return err
		}
		for _, s := range app.Statuses {
			bg.ByStatus[s] = int(readCounter(counts, "online/"+string(s)))
			if s.AwaitsShop() {
				bg.New += bg.ByStatus[s]
			}
		}
		bg.AwaitingLabel = int(readCounter(counts, "label/"+labelAwaiting))
		bg.CancelRequests = int(readCounter(counts, counterCancelRequest))
		_, due, err := scanDeadline(tx, timeKey(now.Add(expiringWithin)), 0)
		if err != nil {
			return err
		}
		for _, e := range due {
			if e.channel.Online() {
				bg.Expiring++
			}
		}
		return nil
	})
	return bg, err
}
