package shopee_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kasir/pos/channel/channeltest"
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
		channeltest.CheckParse(t, in, err)

		mine, theirs := map[string]string{"partner_key": key, "push_url": "https://pos.example.id/v1/channels/shopee/push"}, map[string]string{"partner_key": other, "push_url": "https://pos.example.id/v1/channels/shopee/push"}
		r.Header.Set("Authorization", shopee.PushSignature(key, "https://pos.example.id/v1/channels/shopee/push", body))
		if key != "" && !(shopee.Hook{}).Verify(mine, r, body) {
			t.Fatal("refused the signature made with the account's key")
		}
		if !channeltest.SameHMACKey(key, other) && (shopee.Hook{}).Verify(theirs, r, body) {
			t.Fatalf("took a signature made with %q as made with %q", key, other)
		}
		r.Header.Set("Authorization", sig)
		if (shopee.Hook{}).Verify(mine, r, body) && !strings.EqualFold(strings.TrimSpace(sig), shopee.PushSignature(key, "https://pos.example.id/v1/channels/shopee/push", body)) {
			t.Fatalf("took the made-up signature %q", sig)
		}
	})
}
