package cloud

import "github.com/kasir/pos/app"

// OrderQuery is an app.Filter as the cloud's stores answer it: statuses,
// offset and limit (the text is read by app.SearchQuery). Both backends read it.
type OrderQuery struct {
	// Statuses are the filter's statuses, each once.
	Statuses []app.Status
	set      map[app.Status]bool
	// Skip counts the matches still to pass over; Limit is how many to list.
	Skip  int
	Limit int
}

// NewOrderQuery reads f.
func NewOrderQuery(f app.Filter) *OrderQuery {
	q := &OrderQuery{Skip: f.Offset, Limit: f.Limit}
	if q.Limit == 0 {
		q.Limit = int(^uint(0) >> 1)
	}
	for _, s := range f.Statuses {
		if q.set == nil {
			q.set = map[app.Status]bool{}
		}
		if !q.set[s] {
			q.set[s] = true
			q.Statuses = append(q.Statuses, s)
		}
	}
	return q
}

// WantStatus reports whether an order in status s may match.
func (q *OrderQuery) WantStatus(s app.Status) bool { return q.set == nil || q.set[s] }
