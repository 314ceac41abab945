package printout

import (
	"strings"
	"testing"
)

// A document given no formatter writes amounts as app does (the one owner
// of money's format), in the document's currency, IDR when it names none.
func TestDocumentsWriteMoneyAsAppDoes(t *testing.T) {
	for _, c := range []struct {
		m    int64
		cur  string
		want string
	}{
		{125000, "IDR", "Rp 125.000"},
		{-5000, "idr", "-Rp 5.000"},
		{0, "", "Rp 0"},
		{1250, "SGD", "S$ 12.50"},
		{123456789, "MYR", "RM 1,234,567.89"},
		{5, "MYR", "RM 0.05"},
	} {
		if got := moneyFormat(nil, c.cur)(c.m); got != c.want {
			t.Errorf("%d %s = %q, want %q", c.m, c.cur, got, c.want)
		}
	}
}

func TestWrapAndColumns(t *testing.T) {
	got := wrap("Roti Bakar Coklat Keju Spesial", 12)
	want := []string{"Roti Bakar", "Coklat Keju", "Spesial"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrap = %q, want %q", got, want)
	}
	if got := wrap("ABCDEFGHIJKLMNOP", 6); strings.Join(got, "|") != "ABCDEF|GHIJKL|MNOP" {
		t.Errorf("long word wrap = %q", got)
	}
	cols := columns("  2 x Rp 25.000", "Rp 50.000", 32)
	if len(cols) != 1 || len(cols[0]) != 32 || !strings.HasPrefix(cols[0], "  2 x Rp 25.000 ") || !strings.HasSuffix(cols[0], " Rp 50.000") {
		t.Errorf("columns = %q", cols)
	}
}
