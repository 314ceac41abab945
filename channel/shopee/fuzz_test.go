package shopee_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/shopee"
)

// FuzzShopeeHook sends any bytes to the hook as a delivery, signed with one
// key and checked with another. Parse never panics and answers an app
// error or pushes app takes; Verify never panics, takes the signature made
// with the account's own key, and never one made with a different key or
// a signature the fuzzer made up.
func FuzzShopeeHook(f *testing.F) {
	f.Add([]byte(`{"shop_id":123,"code":3,"timestamp":1660123127,"data":{"ordersn":"220810ABCDEF","status":"READY_TO_SHIP","update_time":1660123126}}`), "partnerkey", "otherkey", "")
	f.Add([]byte(`{"shop_id":123,"code":4,"timestamp":1660123127,"data":{"ordersn":"220810ABCDEF","package_number":"OFG1","tracking_no":"SPXID012345"}}`), "k", "k2", "abc")
	f.Add([]byte(`{"shop_id":123,"code":0,"data":{}}`), "k", "", "")
	f.Fuzz(func(t *testing.T, body []byte, key, other, sig string) {
		r := &http.Request{Method: http.MethodPost, Header: http.Header{}}
		in, err := shopee.Hook{}.Parse(r, body)
		checkParse(t, in, err)

		mine, theirs := map[string]string{"partner_key": key, "push_url": "https://pos.example.id/v1/channels/shopee/push"}, map[string]string{"partner_key": other, "push_url": "https://pos.example.id/v1/channels/shopee/push"}
		r.Header.Set("Authorization", shopee.PushSignature(key, "https://pos.example.id/v1/channels/shopee/push", body))
		if key != "" && !(shopee.Hook{}).Verify(mine, r, body) {
			t.Fatal("refused the signature made with the account's key")
		}
		if !sameHMACKey(key, other) && (shopee.Hook{}).Verify(theirs, r, body) {
			t.Fatalf("took a signature made with %q as made with %q", key, other)
		}
		r.Header.Set("Authorization", sig)
		if (shopee.Hook{}).Verify(mine, r, body) && !strings.EqualFold(strings.TrimSpace(sig), shopee.PushSignature(key, "https://pos.example.id/v1/channels/shopee/push", body)) {
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
