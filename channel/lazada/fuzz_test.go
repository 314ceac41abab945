package lazada_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel/lazada"
)

// FuzzLazadaAnswers reads any bytes as a push and as fetched details:
// neither panics, a refusal is an app error naming a field, and what they
// accept passes app's own checks, so Ingest never sees a push it cannot take.
func FuzzLazadaAnswers(f *testing.F) {
	f.Add([]byte(`{"seller_id":"1234567","message_type":0,"timestamp":1603766859530,"data":{"order_status":"pending","trade_order_id":"260422900198363","trade_order_line_id":"260422900298363","status_update_time":1603698638}}`))
	f.Add([]byte(`{"order":{"order_id":1,"price":"150000.00","shipping_fee":9000,"voucher":"0.00","payment_method":"COD","address_shipping":{"first_name":"Budi"}},"items":[{"order_item_id":2,"sku":"SKU-1","name":"Kaos","item_price":75000,"status":"pending"},{"order_item_id":3,"sku":"SKU-1","name":"Kaos","item_price":75000.00,"status":"canceled"}]}`))
	f.Add([]byte(`{"order":{"order_id":"x"},"items":[{"order_item_id":"y","item_price":"1,000.50"}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var ae *app.Error
		in, err := lazada.Hook{}.Parse(&http.Request{}, raw)
		if err != nil && !errors.As(err, &ae) {
			t.Fatalf("push refused without naming a field: %v", err)
		}
		if err == nil {
			for _, o := range in.Orders {
				if err := o.Validate(); err != nil {
					t.Fatalf("accepted a push app refuses: %v", err)
				}
			}
		}
		o, code, err := lazada.ParseDetails(raw)
		if err != nil {
			if !errors.As(err, &ae) {
				t.Fatalf("details refused without naming a field: %v", err)
			}
			return
		}
		if err := (app.Incoming{Channel: app.ChannelLazada, ExternalID: "260422900198363", ChannelStatus: code, Order: o}).Validate(); err != nil && !errors.As(err, &ae) {
			t.Fatalf("details app refuses without naming a field: %v", err)
		}
	})
}
