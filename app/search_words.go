package app

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A search finds an order when each word typed is the start of one of the
// order's search words: the words of its number, external id, buyer name
// and phone, tracking ID, and its lines' SKUs and names. So "TKP-123" finds
// "TKP-12345" and "sit" finds "Siti". The terminal's store and both cloud
// backends index these same words, so the same text finds the same orders
// everywhere.

// SearchWordMax bounds a search word in bytes; a longer word is kept by its
// first bytes, and a longer typed word is cut the same way, so it still matches.
const SearchWordMax = 48

// OrderSearchWords lists every distinct word the order can be found by, sorted.
func OrderSearchWords(o *Order) []string {
	set := map[string]struct{}{}
	searchTexts(o, true, func(text string, phone bool) {
		if phone {
			if p := PhoneSearchWord(text); p != "" {
				set[p] = struct{}{}
			}
			return
		}
		for _, w := range SearchWords(text) {
			set[w] = struct{}{}
		}
	})
	out := make([]string, 0, len(set))
	for w := range set {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// OrderOwnSearchWords lists the search words of the order itself, not of
// its lines, possibly repeated.
func OrderOwnSearchWords(o *Order) []string {
	var ws []string
	searchTexts(o, false, func(text string, phone bool) {
		if !phone {
			ws = append(ws, SearchWords(text)...)
		} else if p := PhoneSearchWord(text); p != "" {
			ws = append(ws, p)
		}
	})
	return ws
}

// OrderSearchText is all that OrderSearchWords reads of an order, in one
// string: orders with the same text have the same words. A store compares
// it to skip working the words out again when an order changes only its
// status, as a sweep's thousand rejects do.
func OrderSearchText(o *Order) string {
	var b strings.Builder
	searchTexts(o, true, func(text string, _ bool) {
		// Each text's length first, so no text's bytes can pass for a boundary.
		b.WriteString(strconv.Itoa(len(text)))
		b.WriteByte(':')
		b.WriteString(text)
	})
	return b.String()
}

// searchTexts calls f with each text an order's search words are made of,
// in order, saying which is a phone number; with lines, its lines' too.
func searchTexts(o *Order, lines bool, f func(text string, phone bool)) {
	f(o.Number, false)
	f(o.ExternalID, false)
	f(o.Buyer.Name, false)
	f(o.Buyer.Phone, true)
	// A parcel's tracking ID is what a scanner reads off its label.
	f(o.Shipment.TrackingID, false)
	if !lines {
		return
	}
	for _, l := range o.Lines {
		f(l.SKU, false)
		f(l.Name, false)
	}
}

// SearchWords lists the search words of a text, possibly repeated: each
// lowercased word, its letter-and-digit parts ("tkp-12345" → "12345"; "tkp"
// is already the start of the word), and the digits of a number written
// with separators. Every word is an index key written with the order, so
// none is added that a prefix search would not need.
func SearchWords(s string) []string {
	var out []string
	add := func(t string) {
		if t = cleanSearchWord(t); t != "" {
			out = append(out, t)
		}
	}
	for _, w := range strings.Fields(strings.ToLower(s)) {
		add(w)
		for _, p := range strings.FieldsFunc(w, notAlnum) {
			if !strings.HasPrefix(w, p) {
				add(p)
			}
		}
		if numberLike(w) {
			add(digitsOf(w))
		}
	}
	return out
}

// PhoneSearchWord is the phone's digits once, without the leading 0 or
// country code 62, so 0812…, 812… and 62812… all find +62 812-3456…
// (SearchQuery folds a typed number the same way). "" for no digits.
func PhoneSearchWord(phone string) string {
	return cleanSearchWord(nationalNumber(digitsOf(phone)))
}

// SearchQuery splits a typed search into its words, each with the
// alternatives any of which may start one of an order's search words,
// longest first (it usually matches fewest orders). A number typed with
// separators is folded to its digits, and a number also matches without its
// leading 0 or 62, as phones are indexed.
func SearchQuery(text string) [][]string {
	var out [][]string
	seen := map[string]bool{}
	for _, w := range strings.Fields(strings.ToLower(text)) {
		if numberLike(w) {
			w = digitsOf(w)
		}
		w = cleanSearchWord(w)
		if w == "" || seen[w] {
			continue
		}
		seen[w] = true
		q := []string{w}
		if d := digitsOf(w); d == w {
			if n := nationalNumber(d); n != d && n != "" {
				q = append(q, n)
			}
		}
		out = append(out, q)
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i][0]) > len(out[j][0]) })
	return out
}

// MatchesSearch reports whether words, sorted as OrderSearchWords gives
// them, answer every word of a SearchQuery.
func MatchesSearch(words []string, query [][]string) bool {
	for _, alts := range query {
		found := false
		for _, alt := range alts {
			i := sort.SearchStrings(words, alt)
			if i < len(words) && strings.HasPrefix(words[i], alt) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// cleanSearchWord drops the bytes 0x00 and 0x01 (index key separators) and
// cuts to SearchWordMax on a rune boundary.
func cleanSearchWord(t string) string {
	if strings.IndexByte(t, 0) >= 0 || strings.IndexByte(t, 1) >= 0 {
		t = strings.NewReplacer("\x00", "", "\x01", "").Replace(t)
	}
	if len(t) <= SearchWordMax {
		return t
	}
	t = t[:SearchWordMax]
	for len(t) > 0 && !utf8.ValidString(t) {
		t = t[:len(t)-1]
	}
	return t
}

func notAlnum(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// numberLike reports a word of digits and phone separators with a separator in it.
func numberLike(w string) bool {
	digits, seps := 0, 0
	for _, r := range w {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-.()/", r):
			seps++
		default:
			return false
		}
	}
	return digits > 0 && seps > 0
}

func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// nationalNumber drops a leading 0 or 62 from an Indonesian phone number.
func nationalNumber(d string) string {
	switch {
	case strings.HasPrefix(d, "62"):
		return d[2:]
	case strings.HasPrefix(d, "0"):
		return d[1:]
	}
	return d
}
