package store

import (
	"slices"
	"sort"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// findSorted answers a filter listed in another order than newest first. No
// index is kept in those orders, so it reads every match's index entry (not
// its order; a search's from idx_forward), sorts them and decodes only the page. The lists it serves are
// a tab's (New sorted by deadline has tens of orders), so reading the
// entries costs far less than decoding the orders would.
func (db *DB) findSorted(f app.Filter, m *matcher) (app.Page, error) {
	page := app.Page{Orders: []*app.Order{}}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if m.channels != nil && len(m.channels) == 0 {
			return nil
		}
		var found []entry
		if len(m.tokens) > 0 {
			var err error
			if found, err = matchedEntries(tx, m); err != nil {
				return err
			}
		} else {
			src, _, err := m.plan(tx)
			if err != nil {
				return err
			}
			for {
				e, ok, err := src.next()
				if err != nil {
					return err
				}
				if !ok {
					break
				}
				if m.match(e) {
					found = append(found, e)
				}
			}
		}
		sortEntries(found, f.Sort)
		page.Total = len(found)
		lo := min(f.Offset, len(found))
		hi := len(found)
		if f.Limit > 0 {
			hi = min(lo+f.Limit, hi)
		}
		for _, e := range found[lo:hi] {
			o, err := getOrder(tx, e.id)
			if err != nil {
				return err
			}
			page.Orders = append(page.Orders, o)
		}
		return nil
	})
	return page, err
}

// sortEntries puts entries that come newest first into the sort order.
func sortEntries(es []entry, by app.SortOrder) {
	switch by {
	case app.SortOldest:
		slices.Reverse(es)
	case app.SortDeadline:
		// Stable: orders with the same deadline, or none, stay newest first.
		sort.SliceStable(es, func(i, j int) bool {
			a, b := es[i].acceptBy, es[j].acceptBy
			if (a == 0) != (b == 0) {
				return a != 0
			}
			return a < b
		})
	}
}
