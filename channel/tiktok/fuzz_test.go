package tiktok_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kasir/pos/channel/channeltest"
	"github.com/kasir/pos/channel/tiktok"
)

// FuzzTikTokHook sends any bytes to the hook as a delivery, signed with one
// key and checked with another. Parse never panics and answers an app
// error or pushes app takes; Verify never panics, takes the signature made
// with the account's own key, and never one made with a different key or
// a signature the fuzzer made up.
func FuzzTikTokHook(f *testing.F) {
	f.Add([]byte(`{"type":1,"tts_notification_id":"7327112393057371910","shop_id":"7494049642642441621","timestamp":1644412885,"data":{"order_id":"576462320221111111","order_status":"AWAITING_SHIPMENT","is_on_hold_order":false,"update_time":1644412883}}`), "secret", "secret2", "")
	f.Add([]byte(`{"type":11,"shop_id":"1","data":{"order_id":"1","cancel_status":"CANCELLATION_REQUEST_PENDING","role":"BUYER"}}`), "s", "t", "ff")
	f.Add([]byte(`{"type":99}`), "s", "", "")
	f.Fuzz(func(t *testing.T, body []byte, key, other, sig string) {
		r := &http.Request{Method: http.MethodPost, Header: http.Header{}}
		in, err := tiktok.Hook{}.Parse(r, body)
		channeltest.CheckParse(t, in, err)

		mine, theirs := map[string]string{"app_key": "6a1b2c3d", "app_secret": key}, map[string]string{"app_key": "6a1b2c3d", "app_secret": other}
		r.Header.Set("Authorization", tiktok.PushSignature("6a1b2c3d", key, body))
		if key != "" && !(tiktok.Hook{}).Verify(mine, r, body) {
			t.Fatal("refused the signature made with the account's key")
		}
		if !channeltest.SameHMACKey(key, other) && (tiktok.Hook{}).Verify(theirs, r, body) {
			t.Fatalf("took a signature made with %q as made with %q", key, other)
		}
		r.Header.Set("Authorization", sig)
		if (tiktok.Hook{}).Verify(mine, r, body) && !strings.EqualFold(strings.TrimSpace(sig), tiktok.PushSignature("6a1b2c3d", key, body)) {
			t.Fatalf("took the made-up signature %q", sig)
		}
	})
}
