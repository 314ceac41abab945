package store

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

// TestExportRowsMatchDecode checks the export's record walk against
// encoding/json on every order: ordinary ones, and ones whose text needs
// escapes, is not UTF-8, or whose times carry zones and fractions.
func TestExportRowsMatchDecode(t *testing.T) {
	db := openTest(t)
	orders := fakeOrders(21, 3000, testBase)
	odd := []string{`Budi "Bos" \ Santoso`, "Siti\nRahayu", "<b>&amp;</b>", "=HYPERLINK(\"x\")", "Dewi\x00\x1f", "\xff\xfeRina", "Ñoño 日本 🎉", "\u2028\u2029"}
	for i, s := range odd {
		o := orders[i]
		o.Buyer.Name, o.Buyer.Phone, o.Number = s, s, s+fmt.Sprint(i)
		o.Shipment.Courier, o.Shipment.TrackingID = s, s
	}
	jakarta := time.FixedZone("WIB", 7*3600)
	orders[10].CreatedAt = orders[10].CreatedAt.In(jakarta).Add(123456789 * time.Nanosecond)
	orders[11].Lines = nil
	orders[12].Total, orders[12].Currency = -9223372036854775808, "USD"
	orders[13].Prints.LabelCount = 3
	orders[14].UpdatedAt = time.Time{}
	if err := db.InsertOrders(orders); err != nil {
		t.Fatal(err)
	}
	var want []app.ExportRow
	if err := db.ScanCreated(time.Time{}, time.Time{}, func(o *app.Order) error {
		want = append(want, app.ExportRowOf(o))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var got []app.ExportRow
	if err := db.ScanExportRows(time.Time{}, time.Time{}, func(r *app.ExportRow) error {
		got = append(got, *r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(got) != len(orders) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("row %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	// Bounds and a stop, as ScanCreated has them.
	from, to := orders[100].CreatedAt, orders[200].CreatedAt
	n := 0
	db.ScanExportRows(from, to, func(r *app.ExportRow) error {
		if r.CreatedAt.Before(from) || !r.CreatedAt.Before(to) {
			t.Errorf("row created %s outside [%s, %s)", r.CreatedAt, from, to)
		}
		n++
		return nil
	})
	if n != 100 {
		t.Errorf("%d rows in bounds, want 100", n)
	}
	stop := fmt.Errorf("stop")
	if err := db.ScanExportRows(time.Time{}, time.Time{}, func(*app.ExportRow) error { return stop }); err != stop {
		t.Errorf("stop: %v", err)
	}
}

// TestExportRowReadsAnyJSON feeds the record walk JSON that encoding/json
// accepts but does not write: it gives the same row or asks for a full decode.
func TestExportRowReadsAnyJSON(t *testing.T) {
	for _, rec := range []string{
		`{"number":"A","lines":[{"qty":2},{"qty":3}],"total":5}`,
		` { "number" : "A" , "lines" : null , "prints" : { "label_count" : 1 } } `,
		`{"Number":"A"}`,
		`{"n\u0075mber":"A"}`,
		`{"total":1.5}`,
		`{"total":1e3}`,
		`{"number":"A"`,
		`{"number":"A"}x`,
		`{"buyer":{"name":"B","address":{"street":"[{\"}"}},"x":[1,{"y":[]}],"status":"new"}`,
		`{"created_at":"2025-01-02T03:04:05.5+07:00","updated_at":null}`,
	} {
		var row app.ExportRow
		err := readExportRow([]byte(rec), &row)
		var o app.Order
		jerr := jsonUnmarshal(rec, &o)
		if err != nil {
			continue // a full decode follows, whatever it says
		}
		if jerr != nil {
			t.Errorf("%s: read as %+v, but encoding/json refuses it: %v", rec, row, jerr)
			continue
		}
		if want := app.ExportRowOf(&o); !reflect.DeepEqual(row, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", rec, row, want)
		}
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
