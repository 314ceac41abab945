package bolt

import (
	jsonv1 "github.com/go-json-experiment/json/v1"

	"github.com/kasir/pos/app"
)

// decodeOrder reads a stored order record into o. Records are written by
// encoding/json; the v1 package of go-json-experiment (the Go team's
// encoding/json/v2, which chromedp already brings in) reads the same JSON
// by the same v1 rules in about half the time, and a sweep or a page of
// results reads a thousand of them.
func decodeOrder(v []byte, o *app.Order) error { return jsonv1.Unmarshal(v, o) }
