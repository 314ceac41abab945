package jsonread_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/jsonread"
)

// fill sets every field reachable from v to a value of its own, so that a
// decoder that drops or misreads any field of an order is seen.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprint("t", *n))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n % 200))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n) + 0.5)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			v.SetBytes([]byte(fmt.Sprint("b", *n)))
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), n)
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, n)
		fill(e, n)
		v.SetMapIndex(k, e)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 3, 1, 8, 0, *n, 0, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	}
}

// Unmarshal reads every stored order exactly as encoding/json, which
// wrote it, reads it back: every field filled, and the v1 leniencies
// (unknown fields, nulls, keys in another case) that older records and
// platforms' data may hold.
func TestDecodeOrderReadsAsEncodingJSON(t *testing.T) {
	var o app.Order
	n := 0
	fill(reflect.ValueOf(&o).Elem(), &n)
	full, err := json.Marshal(&o)
	if err != nil {
		t.Fatal(err)
	}
	if len(full) < 3000 {
		t.Fatalf("the filled order is only %d bytes of JSON: %s", len(full), full)
	}
	records := map[string][]byte{
		"every field":    full,
		"lenient":        []byte(`{"ID":"ord_1","Number":"WC-1","unknown":{"a":[1,2]},"lines":null,"buyer":{"NAME":"Siti"},"total":1500,"created_at":"2026-03-01T08:00:00+07:00","version":3}`),
		"a shop's order": mustJSON(t, &app.Order{ID: "woocommerce:100007", Channel: app.ChannelWooCommerce, Number: "WC-100007", Status: app.StatusNew, Currency: app.IDR, Total: 135000, CreatedAt: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), Buyer: app.Buyer{Name: "Pembeli 7", Phone: "0812345678"}, Lines: []app.Line{{SKU: "SKU-1", Name: "Kaos polos hitam", Qty: 2, UnitPrice: 50000}}}),
	}
	for name, rec := range records {
		var want, got app.Order
		if err := json.Unmarshal(rec, &want); err != nil {
			t.Fatalf("%s: encoding/json: %v", name, err)
		}
		if err := jsonread.Unmarshal(rec, &got); err != nil {
			t.Fatalf("%s: jsonread: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: jsonread read\n%+v\nencoding/json read\n%+v", name, got, want)
		}
	}
	// A record cut short is an error, as it is to encoding/json.
	if err := jsonread.Unmarshal(full[:len(full)/2], new(app.Order)); err == nil {
		t.Error("a record cut short decoded without error")
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
