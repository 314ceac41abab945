package store

import (
	"reflect"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

func TestReportEventRoundTrip(t *testing.T) {
	ev := app.ReportEvent{At: time.Date(2026, 11, 30, 3, 4, 5, 6, time.UTC), Channel: app.ChannelInStore, Orders: 1,
		Sales: 215000, Cost: -120000, Refunds: 85000,
		Lines:    []app.ReportLine{{SKU: "KOPI", Name: "Kopi Gayo 250g", Qty: 2, Sales: 170000}, {Name: "tanpa SKU", Qty: 1, Sales: 5}},
		Payments: []app.MethodFigure{{Method: app.PayQRIS, Count: 1, Amount: 30000}}}
	v := encodeReportEvent(ev)
	got, err := decodeReportEvent(v)
	if err != nil || !reflect.DeepEqual(got, ev) {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	for i := range v {
		if _, err := decodeReportEvent(v[:i]); err == nil {
			t.Fatalf("a record cut at %d of %d bytes decoded", i, len(v))
		}
	}
}

func FuzzDecodeReportEvent(f *testing.F) {
	f.Add(encodeReportEvent(app.ReportEvent{At: time.Unix(1, 0), Channel: app.ChannelShopee, Orders: 1, Lines: []app.ReportLine{{SKU: "A", Qty: 1}}}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := decodeReportEvent(b)
		if err != nil {
			return
		}
		if again, err := decodeReportEvent(encodeReportEvent(ev)); err != nil || !reflect.DeepEqual(again, ev) {
			t.Fatalf("a decoded event does not survive a round trip: %+v", ev)
		}
	})
}
