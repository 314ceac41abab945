package app

import (
	"strings"
	"unicode"
)

// unstoredNumberLen bounds an order number in the notice: a number long
// enough to break a store is not something to print in full.
const unstoredNumberLen = 40

// Unstored is the notice staff read when changes from the cloud could not
// be stored on this tablet (the sync set them aside and told the cloud):
// the orders by number, or how many other changes. It is zero when there
// is nothing to say.
func Unstored(orderNumbers []string, otherChanges int) Message {
	if len(orderNumbers) == 0 {
		if otherChanges <= 0 {
			return Message{}
		}
		if otherChanges == 1 {
			return Text("1 change from the cloud could not be stored on this tablet")
		}
		return Text("%d changes from the cloud could not be stored on this tablet", otherChanges)
	}
	shown := make([]string, len(orderNumbers))
	for i, n := range orderNumbers {
		shown[i] = printableNumber(n)
	}
	list := strings.Join(shown, ", ")
	if len(orderNumbers) == 1 {
		return Text("1 order could not be stored on this tablet: %s", list)
	}
	return Text("%d orders could not be stored on this tablet: %s", len(orderNumbers), list)
}

// printableNumber shows a control character as U+FFFD and cuts a long number.
func printableNumber(n string) string {
	out := make([]rune, 0, len(n))
	for _, r := range n {
		if len(out) == unstoredNumberLen {
			return string(out) + "…"
		}
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			r = unicode.ReplacementChar
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}
