package webstore_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/channeltest"
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
		channeltest.CheckParse(t, in, err)

		mine, theirs := map[string]string{"webhook_secret": key}, map[string]string{"webhook_secret": other}
		r.Header.Set("X-Store-Signature", channel.SignBase64(key, body))
		if key != "" && !(webstore.Hook{}).Verify(mine, r, body) {
			t.Fatal("refused the signature made with the account's key")
		}
		if !channeltest.SameHMACKey(key, other) && (webstore.Hook{}).Verify(theirs, r, body) {
			t.Fatalf("took a signature made with %q as made with %q", key, other)
		}
		r.Header.Set("X-Store-Signature", sig)
		if (webstore.Hook{}).Verify(mine, r, body) && !strings.EqualFold(strings.TrimSpace(sig), channel.SignBase64(key, body)) {
			t.Fatalf("took the made-up signature %q", sig)
		}
	})
}
