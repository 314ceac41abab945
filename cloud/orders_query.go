package cloud

import (
	"bytes"
	"strings"

	"github.com/kasir/pos/app"
)

// orderQuery is an app.Filter as the cloud's stores answer it: statuses,
// text, offset and limit (the cloud's order questions need no more yet).
type orderQuery struct {
	f        app.Filter
	statuses []app.Status
	set      map[app.Status]bool
	// words are the text's words that are not numbers, lowercased, for a
	// cheap look at the stored bytes before an order is decoded.
	words [][]byte
	skip  int
	limit int
}

func newOrderQuery(f app.Filter) *orderQuery {
	q := &orderQuery{f: f, skip: f.Offset, limit: f.Limit}
	if q.limit == 0 {
		q.limit = int(^uint(0) >> 1)
	}
	for _, s := range f.Statuses {
		if q.set == nil {
			q.set = map[app.Status]bool{}
		}
		if !q.set[s] {
			q.set[s] = true
			q.statuses = append(q.statuses, s)
		}
	}
	for _, w := range strings.Fields(strings.ToLower(f.Text)) {
		if strings.Trim(w, "0123456789+-") != "" {
			q.words = append(q.words, []byte(w))
		}
	}
	return q
}

func (q *orderQuery) text() bool { return strings.TrimSpace(q.f.Text) != "" }

func (q *orderQuery) wantStatus(s app.Status) bool { return q.set == nil || q.set[s] }

// rawMayMatch is false only when a word of the text appears nowhere in the
// stored order, so the order cannot match.
func (q *orderQuery) rawMayMatch(raw []byte) bool {
	if len(q.words) == 0 {
		return true
	}
	low := bytes.ToLower(raw)
	for _, w := range q.words {
		if !bytes.Contains(low, w) {
			return false
		}
	}
	return true
}
