package store

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/kasir/pos/app"
)

// Every key is bounded by construction: a component longer than its limit
// is cut and ends in a hash of the whole value, so no value that passes the
// edge (nor one that slipped past it) can reach bbolt's 32 KiB key limit or
// make two different values share a key. A value within its limit is its
// own key part, so short ids and SKUs read as they always did.

// Limits of a key component, in bytes.
const (
	maxIDKey      = 200 // an order id, an external id, a SKU
	maxCourierKey = 64  // a courier name, also in every entry value
)

// keyHashLen is how many hex digits of SHA-256 end a cut component.
const keyHashLen = 16

// boundKey returns s if it fits in max bytes, else its first bytes, "~"
// and 16 hex digits of its hash: exactly max bytes, so a bounded key is its
// own bound and an id read back from an index key finds its record.
func boundKey(s string, max int) string {
	if len(s) <= max {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	cut := max - 1 - keyHashLen
	return s[:cut] + "~" + hex.EncodeToString(sum[:keyHashLen/2])
}

// orderKey is the orders bucket key of an order id, and the id part of
// every index and history key of that order.
func orderKey(id string) string { return boundKey(id, maxIDKey) }

// productKey is the products bucket key of a SKU.
func productKey(sku string) string { return boundKey(sku, maxIDKey) }

// jsonText is s as it reads back from encoding/json: each byte that is not
// UTF-8 becomes U+FFFD. Keys derived from an order must be derived from what
// its record decodes to, or the next write could not find them to remove.
func jsonText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// normalizeText makes the fields the indexes read from o what its JSON
// record decodes to. It returns o itself when nothing changes (the usual
// case), else a copy; the caller's order is never modified.
func normalizeText(o *app.Order) *app.Order {
	valid := utf8.ValidString(o.ExternalID) && utf8.ValidString(o.Number) && utf8.ValidString(o.Buyer.Name) &&
		utf8.ValidString(o.Buyer.Phone) && utf8.ValidString(o.Shipment.Courier) && utf8.ValidString(o.Shipment.TrackingID)
	for _, l := range o.Lines {
		valid = valid && utf8.ValidString(l.SKU) && utf8.ValidString(l.Name)
	}
	if valid {
		return o
	}
	c := *o
	c.ExternalID, c.Number = jsonText(o.ExternalID), jsonText(o.Number)
	c.Buyer.Name, c.Buyer.Phone = jsonText(o.Buyer.Name), jsonText(o.Buyer.Phone)
	c.Shipment.Courier, c.Shipment.TrackingID = jsonText(o.Shipment.Courier), jsonText(o.Shipment.TrackingID)
	c.Lines = make([]app.Line, len(o.Lines))
	for i, l := range o.Lines {
		l.SKU, l.Name = jsonText(l.SKU), jsonText(l.Name)
		c.Lines[i] = l
	}
	return &c
}
