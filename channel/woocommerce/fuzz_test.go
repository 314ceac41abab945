package woocommerce_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/channeltest"
	"github.com/kasir/pos/channel/woocommerce"
)

// FuzzWooCommerceHook sends any bytes to the hook as a delivery, signed with one
// key and checked with another, under any topic. Parse never panics and answers an app
// error or pushes app takes; Verify never panics, takes the signature made
// with the account's own key, and never one made with a different key or
// a signature the fuzzer made up.
func FuzzWooCommerceHook(f *testing.F) {
	f.Add([]byte(`{"id":727,"status":"processing","currency":"IDR","date_created_gmt":"2026-11-20T03:00:00","date_modified_gmt":"2026-11-20T03:00:00","total":"159000","shipping_total":"9000","discount_total":"0","billing":{"first_name":"Budi","phone":"0812"},"shipping":{"first_name":"Budi","address_1":"Jl. A","city":"Jakarta"},"line_items":[{"id":1,"sku":"SKU-001","name":"Kaos","quantity":2,"price":75000,"total":"150000"}],"payment_method":"bacs"}`), "whsec", "whsec2", "", "order.created")
	f.Add([]byte(`{"id":727,"status":"completed"}`), "s", "t", "x", "order.updated")
	f.Add([]byte(`webhook_id=12`), "s", "", "", "")
	f.Add([]byte(`{"id":1}`), "s", "t", "", "product.updated")
	f.Fuzz(func(t *testing.T, body []byte, key, other, sig string, topic string) {
		r := &http.Request{Method: http.MethodPost, Header: http.Header{}}
		r.Header.Set("X-WC-Webhook-Topic", topic)
		in, err := woocommerce.Hook{}.Parse(r, body)
		channeltest.CheckParse(t, in, err)

		mine, theirs := map[string]string{"webhook_secret": key}, map[string]string{"webhook_secret": other}
		r.Header.Set("X-WC-Webhook-Signature", channel.SignBase64(key, body))
		if key != "" && !(woocommerce.Hook{}).Verify(mine, r, body) {
			t.Fatal("refused the signature made with the account's key")
		}
		if !channeltest.SameHMACKey(key, other) && (woocommerce.Hook{}).Verify(theirs, r, body) {
			t.Fatalf("took a signature made with %q as made with %q", key, other)
		}
		r.Header.Set("X-WC-Webhook-Signature", sig)
		if (woocommerce.Hook{}).Verify(mine, r, body) && !strings.EqualFold(strings.TrimSpace(sig), channel.SignBase64(key, body)) {
			t.Fatalf("took the made-up signature %q", sig)
		}
	})
}
