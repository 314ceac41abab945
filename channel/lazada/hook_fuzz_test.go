package lazada_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kasir/pos/channel/channeltest"
	"github.com/kasir/pos/channel/lazada"
)

// FuzzLazadaHook sends any bytes to the hook as a delivery, signed with one
// key and checked with another. Parse never panics and answers an app
// error or pushes app takes; Verify never panics, takes the signature made
// with the account's own key, and never one made with a different key or
// a signature the fuzzer made up.
func FuzzLazadaHook(f *testing.F) {
	f.Add([]byte(`{"seller_id":"1234567","message_type":0,"timestamp":1603766859530,"data":{"order_status":"pending","trade_order_id":"260422900198363","trade_order_line_id":"260422900298363","status_update_time":1603698638}}`), "secret", "secret2", "")
	f.Add([]byte(`{"seller_id":"1","message_type":3,"data":{}}`), "s", "t", "00")
	f.Fuzz(func(t *testing.T, body []byte, key, other, sig string) {
		r := &http.Request{Method: http.MethodPost, Header: http.Header{}}
		in, err := lazada.Hook{}.Parse(r, body)
		channeltest.CheckParse(t, in, err)

		mine, theirs := map[string]string{"app_key": "100132", "app_secret": key}, map[string]string{"app_key": "100132", "app_secret": other}
		r.Header.Set("Authorization", lazada.PushSignature("100132", key, body))
		if key != "" && !(lazada.Hook{}).Verify(mine, r, body) {
			t.Fatal("refused the signature made with the account's key")
		}
		if !channeltest.SameHMACKey(key, other) && (lazada.Hook{}).Verify(theirs, r, body) {
			t.Fatalf("took a signature made with %q as made with %q", key, other)
		}
		r.Header.Set("Authorization", sig)
		if (lazada.Hook{}).Verify(mine, r, body) && !strings.EqualFold(strings.TrimSpace(sig), lazada.PushSignature("100132", key, body)) {
			t.Fatalf("took the made-up signature %q", sig)
		}
	})
}
