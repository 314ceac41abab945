package app

import "time"

// MatchesText reports whether each word of q starts one of the order's
// search words (see OrderSearchWords), as the terminal's search index and
// the cloud's answer it.
func (o *Order) MatchesText(q string) bool {
	return MatchesSearch(OrderSearchWords(o), SearchQuery(q))
}

// Overdue reports whether a New order's acceptance deadline has passed. A
// terminal shows such an order as overdue and leaves the rejection to the
// cloud, which alone runs the auto-reject sweep.
func (o *Order) Overdue(now time.Time) bool {
	return o.Status == StatusNew && !o.AcceptBy.IsZero() && !now.Before(o.AcceptBy)
}
