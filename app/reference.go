package app

import "strings"

// HasReference reports whether ref names the order exactly, as a barcode
// scanner or a pasted reference does: its order number, the channel's id
// or its tracking ID, in any letter case.
func (o *Order) HasReference(ref string) bool {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return false
	}
	for _, r := range []string{o.Number, o.ExternalID, o.Shipment.TrackingID} {
		if r != "" && strings.EqualFold(r, ref) {
			return true
		}
	}
	return false
}

// UnlinkedLines counts the lines not linked to a product: they move no stock
// until staff link them, so lists mark them and can be filtered by them.
func (o *Order) UnlinkedLines() int {
	n := 0
	for _, l := range o.Lines {
		if !l.Linked {
			n++
		}
	}
	return n
}
