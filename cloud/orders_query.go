package cloud

import (
	"bytes"
	"strings"

	"github.com/kasir/pos/app"
)

// OrderQuery is an app.Filter as the cloud's stores answer it: statuses,
// text, offset and limit (the cloud's order questions need no more yet).
// Both backends read it.
type OrderQuery struct {
	f app.Filter
	// Statuses are the filter's statuses, each once.
	Statuses []app.Status
	set      map[app.Status]bool
	// Words are the text's words that are not numbers, lowercased, for a
	// cheap look at the stored bytes before an order is decoded.
	Words [][]byte
	// Skip counts the matches still to pass over; Limit is how many to list.
	Skip  int
	Limit int
}

// NewOrderQuery reads f.
func NewOrderQuery(f app.Filter) *OrderQuery {
	q := &OrderQuery{f: f, Skip: f.Offset, Limit: f.Limit}
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
	for _, w := range strings.Fields(strings.ToLower(f.Text)) {
		if strings.Trim(w, "0123456789+-") != "" {
			q.Words = append(q.Words, []byte(w))
		}
	}
	return q
}

// Text reports whether the filter searches text.
func (q *OrderQuery) Text() bool { return strings.TrimSpace(q.f.Text) != "" }

// WantStatus reports whether an order in status s may match.
func (q *OrderQuery) WantStatus(s app.Status) bool { return q.set == nil || q.set[s] }

// RawMayMatch is false only when a word of the text appears nowhere in the
// stored order, so the order cannot match.
func (q *OrderQuery) RawMayMatch(raw []byte) bool {
	if len(q.Words) == 0 {
		return true
	}
	low := bytes.ToLower(raw)
	for _, w := range q.Words {
		if !bytes.Contains(low, w) {
			return false
		}
	}
	return true
}
