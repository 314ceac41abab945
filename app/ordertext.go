package app

import (
	"strings"
	"time"
)

// MatchesText reports whether every word of q appears in the order's number,
// external id, buyer name, phone, a line's SKU or a line's name, ignoring
// case. A phone matches in local (08…) or international (628…) form.
func (o *Order) MatchesText(q string) bool {
	fields := []string{strings.ToLower(o.Number), strings.ToLower(o.ExternalID), strings.ToLower(o.Buyer.Name)}
	for _, l := range o.Lines {
		fields = append(fields, strings.ToLower(l.SKU), strings.ToLower(l.Name))
	}
	phone := nationalDigits(o.Buyer.Phone)
	for _, w := range strings.Fields(strings.ToLower(q)) {
		found := false
		for _, f := range fields {
			if strings.Contains(f, w) {
				found = true
				break
			}
		}
		if !found && phone != "" {
			if d := nationalDigits(w); d != "" && strings.Contains(phone, d) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// nationalDigits is a phone number's digits without the 0 or 62 prefix.
func nationalDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if strings.HasPrefix(d, "62") {
		return d[2:]
	}
	return strings.TrimPrefix(d, "0")
}

// Overdue reports whether a New order's acceptance deadline has passed. A
// terminal shows such an order as overdue and leaves the rejection to the
// cloud, which alone runs the auto-reject sweep.
func (o *Order) Overdue(now time.Time) bool {
	return o.Status == StatusNew && !o.AcceptBy.IsZero() && !now.Before(o.AcceptBy)
}
