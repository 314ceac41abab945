package tokopedia_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/channeltest"
	"github.com/kasir/pos/channel/tokopedia"
)

// FuzzTokopediaHook sends any bytes to the hook as a delivery, signed with one
// key and checked with another; the same bytes are read as a fetched single order. Parse never panics and answers an app
// error or pushes app takes; Verify never panics, takes the signature made
// with the account's own key, and never one made with a different key or
// a signature the fuzzer made up.
func FuzzTokopediaHook(f *testing.F) {
	f.Add([]byte(`{"fs_id":13000,"shop_id":479573,"order_id":166295305,"invoice_ref_num":"INV/20210106/XXI/I/700057453","order_status":220,"create_time":1609920000,"products":[{"id":15157523,"name":"Kaos Polos","quantity":2,"price":75000,"total_price":150000,"sku":"SKU-001"}],"customer":{"id":8970588,"name":"Budi","phone":"0812","email":"b@x.id"},"recipient":{"name":"Budi","phone":"0812","address":{"address_full":"Jl. A","district":"K","city":"Jakarta","province":"DKI","country":"Indonesia","postal_code":"12160"}},"logistics":{"shipping_agency":"JNE","service_type":"REG"},"amt":{"ttl_product_price":150000,"shipping_cost":9000,"ttl_amount":159000,"voucher_amount":0}}`), "whsec", "whsec2", "")
	f.Add([]byte(`{"fs_id":13000,"shop_id":479573,"order_id":166295305,"order_status":450}`), "s", "t", "AB")
	f.Add([]byte(`{"order_id":12472302,"order_status":0,"invoice_number":"INV/20170720/XVII/VII/12472252","open_amt":270000,"item_price":261000,"create_time":"2017-07-20T17:50:58.061156Z","buyer_info":{"buyer_fullname":"Maulana"},"order_info":{"order_detail":[{"product_id":14286600,"product_name":"STABILO","product_price":261000,"quantity":1,"sku":"SKU01"}],"shipping_info":{"logistic_name":"JNE","logistic_service":"Reguler","shipping_price":9000,"awb":"JNE01"},"destination":{"receiver_name":"maul"}}}`), "s", "t", "")
	f.Fuzz(func(t *testing.T, body []byte, key, other, sig string) {
		r := &http.Request{Method: http.MethodPost, Header: http.Header{}}
		in, err := tokopedia.Hook{}.Parse(r, body)
		channeltest.CheckParse(t, in, err)
		o, code, err := tokopedia.ParseOrder(body)
		if err != nil {
			var ae *app.Error
			if !errors.As(err, &ae) {
				t.Fatalf("single order refused without an app error: %v", err)
			}
		} else if err := (app.Incoming{Channel: app.ChannelTokopedia, ExternalID: "166295305", ChannelStatus: code, Order: o}).Validate(); err != nil {
			t.Fatalf("single order app refuses: %v", err)
		}

		mine, theirs := map[string]string{"webhook_secret": key}, map[string]string{"webhook_secret": other}
		r.Header.Set("Authorization-Hmac", channel.SignHex(key, body))
		if key != "" && !(tokopedia.Hook{}).Verify(mine, r, body) {
			t.Fatal("refused the signature made with the account's key")
		}
		if !channeltest.SameHMACKey(key, other) && (tokopedia.Hook{}).Verify(theirs, r, body) {
			t.Fatalf("took a signature made with %q as made with %q", key, other)
		}
		r.Header.Set("Authorization-Hmac", sig)
		if (tokopedia.Hook{}).Verify(mine, r, body) && !strings.EqualFold(strings.TrimSpace(sig), channel.SignHex(key, body)) {
			t.Fatalf("took the made-up signature %q", sig)
		}
	})
}
