package app

import "time"

// LastDays is the period of the last n calendar days in now's location,
// today included: [midnight n-1 days ago, midnight tonight). Exports and the
// list's date filter mean the same days by "last 7 days". n below 1 is 1.
func LastDays(now time.Time, n int) (from, to time.Time) {
	n = max(n, 1)
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	return midnight.AddDate(0, 0, 1-n), midnight.AddDate(0, 0, 1)
}
