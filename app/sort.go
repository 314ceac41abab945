package app

// SortOrder is the order a list of orders comes in.
type SortOrder string

// Sort orders of a list.
const (
	// SortNewest lists the newest order first; the zero value.
	SortNewest SortOrder = ""
	// SortOldest lists the oldest order first.
	SortOldest SortOrder = "oldest"
	// SortDeadline lists the order that must be accepted soonest first;
	// orders without an accept deadline follow, newest first.
	SortDeadline SortOrder = "deadline"
)

// Valid reports whether s is a known sort order.
func (s SortOrder) Valid() bool {
	switch s {
	case SortNewest, SortOldest, SortDeadline:
		return true
	}
	return false
}
