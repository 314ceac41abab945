package webstore_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/webstore"
)

// FuzzWebstoreHook sends any bytes to the hook as a delivery, signed with one
// key and checked with another. Parse never panics and answers an app
// error or pushes app takes; Verify never panics, takes the signature made
// with the account's own key, and never one made with a different key or
// a signature the fuzzer made up.
func FuzzWebstoreHook(f *testing.F) {
	f.Add([]byte(`{"event":"order.created","order":{"id":"W1","number":"WEB-1","buyer":{"name":"Ayu","address":{"city":"Bandung"}},"lines":[{"sku":"SKU-002","name":"Sandal","qty":1,"unit_price":50000}],"total":50000,"paid":true}}`), "whsec", "whsec2", "")
	f.Add([]byte(`{"event":"order.updated","order":{"id":"W1","status":"cancelled"}}`), "s", "t", "abc=")
	f.Fuzz(func(t *testing.T, body []byte, key, other, sig string) {
		r := &http.Request{Method: http.MethodPost, Header: http.Header{}}
		in, err := webstore.Hook{}.Parse(r, body)
		checkParse(t, in, err)

		mine, theirs := map[string]string{"webhook_secret": key}, map[string]string{"webhook_secret": other}
		r.Header.Set("X-Store-Signature", channel.SignBase64(key, body))
		if key != "" && !(webstore.Hook{}).Verify(mine, r, body) {
			t.Fatal("refused the signature made with the account's key")
		}
		if !sameHMACKey(key, other) && (webstore.Hook{}).Verify(theirs, r, body) {
			t.Fatalf("took a signature made with %q as made with %q", key, other)
		}
		r.Header.Set("X-Store-Signature", sig)
		if (webstore.Hook{}).Verify(mine, r, body) && !strings.EqualFold(strings.TrimSpace(sig), channel.SignBase64(key, body)) {
			t.Fatalf("took the made-up signature %q", sig)
		}
	})
}

// checkParse holds Parse to its contract: an app error naming what is
// wrong, or an Inbound whose every push app would take (or a reason it
// ignores the delivery).
func checkParse(t *testing.T, in *channel.Inbound, err error) {
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

// sameHMACKey is true for two keys HMAC cannot tell apart: it pads a short
// key with zero bytes, so "k" and "k\x00" sign alike by design.
func sameHMACKey(a, b string) bool {
	return len(a) <= 64 && len(b) <= 64 && strings.TrimRight(a, "\x00") == strings.TrimRight(b, "\x00")
}
