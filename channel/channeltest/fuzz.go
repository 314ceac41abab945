// Package channeltest holds what every platform adapter's fuzz targets
// check of its webhook Hook, in the style of net/http/httptest.
package channeltest

import (
	"errors"
	"strings"
	"testing"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// CheckParse holds Hook.Parse to its contract: an app error naming what is
// wrong, or an Inbound whose every push app would take (or a reason it
// ignores the delivery).
func CheckParse(t *testing.T, in *channel.Inbound, err error) {
	t.Helper()
	if err != nil {
		var ae *app.Error
		if !errors.As(err, &ae) {
			t.Fatalf("refused without an app error: %v", err)
		}
		if in != nil {
			t.Fatalf("refused and answered %+v", in)
		}
		return
	}
	if in == nil {
		t.Fatal("no error and no Inbound")
	}
	if len(in.Orders) == 0 && in.Ignore == "" {
		t.Fatal("an Inbound with no push and no reason to ignore it")
	}
	for _, o := range in.Orders {
		if err := o.Validate(); err != nil {
			t.Fatalf("accepted a push app refuses: %v", err)
		}
	}
}

// SameHMACKey is true for two keys HMAC cannot tell apart: it pads a short
// key with zero bytes, so "k" and "k\x00" sign alike by design.
func SameHMACKey(a, b string) bool {
	return len(a) <= 64 && len(b) <= 64 && strings.TrimRight(a, "\x00") == strings.TrimRight(b, "\x00")
}
