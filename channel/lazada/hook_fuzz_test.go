package lazada_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
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
		checkParse(t, in, err)

		mine, theirs := map[string]string{"app_key": "100132", "app_secret": key}, map[string]string{"app_key": "100132", "app_secret": other}
		r.Header.Set("Authorization", lazada.PushSignature("100132", key, body))
		if key != "" && !(lazada.Hook{}).Verify(mine, r, body) {
			t.Fatal("refused the signature made with the account's key")
		}
		if !sameHMACKey(key, other) && (lazada.Hook{}).Verify(theirs, r, body) {
			t.Fatalf("took a signature made with %q as made with %q", key, other)
		}
		r.Header.Set("Authorization", sig)
		if (lazada.Hook{}).Verify(mine, r, body) && !strings.EqualFold(strings.TrimSpace(sig), lazada.PushSignature("100132", key, body)) {
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
