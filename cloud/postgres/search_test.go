package postgres

import "testing"

func TestPrefixEndIsTheLeastStringAfterThePrefix(t *testing.T) {
	for p, want := range map[string]string{
		"abc":         "abd",
		"a\uD7FF":     "a\uE000",
		"a\U0010FFFF": "b",
		"sit\u00e9":   "sit\u00ea",
	} {
		if got := prefixEnd(p); got != want {
			t.Errorf("prefixEnd(%q) = %q, want %q", p, got, want)
		}
	}
}
