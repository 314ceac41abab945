package store

import (
	"bytes"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// Search: every order owns one idx_search key per distinct token of its
// order number, external id, buyer name and phone, and its lines' SKUs and
// names. A query matches an order when each query token is a prefix of one
// of the order's tokens, so "TKP-123" finds "TKP-12345" and "sit" finds "Siti".

// maxTokenLen bounds index keys; a longer word is indexed by its first bytes,
// and a longer query token is cut the same way, so it still matches.
const maxTokenLen = 48

// orderTokens lists an order's distinct search tokens, sorted.
func orderTokens(o *app.Order) []string {
	set := map[string]struct{}{}
	addWords(set, o.Number)
	addWords(set, o.ExternalID)
	addWords(set, o.Buyer.Name)
	addPhone(set, o.Buyer.Phone)
	for _, l := range o.Lines {
		addWords(set, l.SKU)
		addWords(set, l.Name)
	}
	out := make([]string, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// addWords adds each lowercased word, its letter-and-digit parts ("tkp-12345"
// → "12345"; "tkp" is already a prefix of the word), and the digits of a
// number written with separators. Every token is a key written with the
// order, so none is added that prefix search would not need.
func addWords(set map[string]struct{}, s string) {
	for _, w := range strings.Fields(strings.ToLower(s)) {
		addToken(set, w)
		for _, p := range strings.FieldsFunc(w, notAlnum) {
			if !strings.HasPrefix(w, p) {
				addToken(set, p)
			}
		}
		if numberLike(w) {
			addToken(set, digitsOf(w))
		}
	}
}

// addPhone adds the phone's digits once, without the leading 0 or country
// code 62, so 0812…, 812… and 62812… all find +62 812-3456… (queryTokens
// folds a query the same way). One key per order: phones are random, and
// each key is a page bbolt may have to rewrite.
func addPhone(set map[string]struct{}, phone string) {
	addToken(set, nationalNumber(digitsOf(phone)))
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

func addToken(set map[string]struct{}, t string) {
	if t = cleanToken(t); t != "" {
		set[t] = struct{}{}
	}
}

// cleanToken drops 0x00 (the key separator) and cuts to maxTokenLen on a rune boundary.
func cleanToken(t string) string {
	t = strings.ReplaceAll(t, "\x00", "")
	if len(t) <= maxTokenLen {
		return t
	}
	t = t[:maxTokenLen]
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

// queryToken is one word of a search: it matches an order having a token
// that starts with any of its alternatives.
type queryToken []string

// queryTokens splits a search text the way the index was built. A phone
// number typed with separators is folded to its digits, and a number also
// matches without its leading 0 or 62, as phones are indexed.
func queryTokens(text string) []queryToken {
	var out []queryToken
	seen := map[string]bool{}
	for _, w := range strings.Fields(strings.ToLower(text)) {
		if numberLike(w) {
			w = digitsOf(w)
		}
		w = cleanToken(w)
		if w == "" || seen[w] {
			continue
		}
		seen[w] = true
		q := queryToken{w}
		if d := digitsOf(w); d == w {
			if n := nationalNumber(d); n != d && n != "" {
				q = append(q, n)
			}
		}
		out = append(out, q)
	}
	// Longest first: it usually matches fewest orders, so later tokens only filter.
	sort.SliceStable(out, func(i, j int) bool { return len(out[i][0]) > len(out[j][0]) })
	return out
}

// searchEntries returns the orders matching every token, by id, without
// decoding any order. It walks the index range of the word that matches
// fewest keys, then checks the other words against each candidate's
// forward token list (idx_tokens), so a common word ("kaos", "l") costs a
// lookup per candidate rather than a walk over all its keys.
func searchEntries(tx *bolt.Tx, tokens []queryToken) (map[string]entry, error) {
	b, err := bucket(tx, idxSearch)
	if err != nil {
		return nil, err
	}
	fwd, err := bucket(tx, idxTokens)
	if err != nil {
		return nil, err
	}
	best, bestN := 0, -1
	for i, q := range tokens {
		if n := countPrefixes(b, q, bestN); bestN < 0 || n < bestN {
			best, bestN = i, n
		}
	}
	found := map[string]entry{}
	for _, alt := range tokens[best] {
		prefix := []byte(alt)
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			sep := bytes.IndexByte(k, 0)
			if sep < 0 {
				return nil, errBadKey(idxSearch, k)
			}
			id := k[sep+1:]
			if _, ok := found[string(id)]; ok {
				continue
			}
			if len(tokens) > 1 && !hasAllTokens(fwd.Get(id), tokens, best) {
				continue
			}
			e, err := decodeEntry(string(id), v)
			if err != nil {
				return nil, err
			}
			found[e.id] = e
		}
	}
	return found, nil
}

// countPrefixes counts the keys starting with any alternative, stopping
// once it passes limit (when limit ≥ 0): only the smallest count matters.
func countPrefixes(b *bolt.Bucket, q queryToken, limit int) int {
	n := 0
	for _, alt := range q {
		prefix := []byte(alt)
		c := b.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			n++
			if limit >= 0 && n > limit {
				return n
			}
		}
	}
	return n
}

// hasAllTokens reports whether a forward token list matches every query
// token except skip (which the index walk already matched).
func hasAllTokens(list []byte, tokens []queryToken, skip int) bool {
	for i, q := range tokens {
		if i == skip {
			continue
		}
		if !listHasPrefix(list, q) {
			return false
		}
	}
	return true
}

func listHasPrefix(list []byte, q queryToken) bool {
	for rest := list; len(rest) > 0; {
		tok := rest
		if i := bytes.IndexByte(rest, 0); i >= 0 {
			tok, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		for _, alt := range q {
			if bytes.HasPrefix(tok, []byte(alt)) {
				return true
			}
		}
	}
	return false
}
