package app

import (
	"strings"
	"testing"
)

func TestUnstoredNamesTheOrders(t *testing.T) {
	if !Unstored(nil, 0).IsZero() {
		t.Fatal("a notice with nothing to say")
	}
	if got := Unstored([]string{"12\x0034"}, 0).String(); got != "1 order could not be stored on this tablet: 12\uFFFD34" {
		t.Fatalf("one order: %q", got)
	}
	got := Unstored([]string{"WEB-1", strings.Repeat("9", 500)}, 3).String()
	if !strings.HasPrefix(got, "2 orders could not be stored on this tablet: WEB-1, 9999") || len(got) > 120 {
		t.Fatalf("two orders: %q", got)
	}
	if got := Unstored(nil, 2).String(); got != "2 changes from the cloud could not be stored on this tablet" {
		t.Fatalf("other changes: %q", got)
	}
	if got := Unstored([]string{"WEB-1"}, 0).In(Indonesian); got != "1 pesanan tidak bisa disimpan di tablet ini: WEB-1" {
		t.Fatalf("in Indonesian: %q", got)
	}
}
