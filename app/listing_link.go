package app

import "strings"

// LinkLines gives each line of an order from ch the catalogue SKU the owner
// linked its listing to, so stock is allocated for it as for any line with
// a SKU. A line is of a listing when it names the listing's id (Line.Listing)
// or, having no listing id, carries the listing's seller SKU. A line whose
// SKU the catalogue has (has) keeps it: the platform already names the
// product. It reports how many lines it linked.
func LinkLines(ch Channel, lines []Line, listings []Listing, has func(sku string) bool) int {
	byID, bySKU := map[string]string{}, map[string]string{}
	for _, l := range listings {
		if l.Channel != ch || l.LinkedSKU == "" {
			continue
		}
		// Neither map has an empty key, so a line without a listing id
		// or SKU finds nothing by it.
		if l.ID != "" {
			byID[l.ID] = l.LinkedSKU
		}
		if sku := strings.TrimSpace(l.SKU); sku != "" {
			bySKU[sku] = l.LinkedSKU
		}
	}
	if len(byID)+len(bySKU) == 0 {
		return 0
	}
	n := 0
	for i := range lines {
		ln := &lines[i]
		sku := strings.TrimSpace(ln.SKU)
		if sku != "" && has(sku) {
			continue
		}
		linked, ok := byID[ln.Listing]
		if !ok {
			linked, ok = bySKU[sku]
		}
		if ok {
			ln.SKU = linked
			n++
		}
	}
	return n
}

// LinkedTo keeps the listings the owner linked to sku whose own seller SKU
// is another: a change of that product's stock goes to them too. As for
// order lines, a listing whose seller SKU the catalogue has (has) sells
// that product, and gets its figure, not sku's.
func LinkedTo(listings []Listing, sku string, has func(sku string) bool) []Listing {
	var out []Listing
	for _, l := range listings {
		own := strings.TrimSpace(l.SKU)
		if l.LinkedSKU == "" || l.LinkedSKU != sku || own == sku || (own != "" && has(own)) {
			continue
		}
		out = append(out, l)
	}
	return out
}
