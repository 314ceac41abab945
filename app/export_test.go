package app_test

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

// TestExportOrdersCSVIsExactlyTheSelection exports 5 of 7 orders placed one
// after another: the file has those 5 rows and not the 2 created between them.
func TestExportOrdersCSVIsExactlyTheSelection(t *testing.T) {
	svc, _, now := newService(t)
	var ids []string
	for i := 0; i < 7; i++ {
		*now = t0.Add(time.Duration(i) * time.Minute)
		ids = append(ids, placeNew(t, svc, 1)...)
	}
	picked := []string{ids[6], ids[0], ids[2], ids[4], ids[5], ids[0]}
	var buf bytes.Buffer
	n, err := svc.ExportOrdersCSV(&buf, picked)
	if err != nil || n != 5 {
		t.Fatalf("exported %d, %v; want 5", n, err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil || len(rows) != 6 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	for i, k := range []int{0, 2, 4, 5, 6} {
		o, _ := svc.Order(ids[k])
		if rows[i+1][0] != o.Number {
			t.Errorf("row %d is %s, want %s (oldest first)", i+1, rows[i+1][0], o.Number)
		}
	}
	buf.Reset()
	if n, err := svc.ExportOrdersCSV(&buf, []string{ids[0], "tokopedia:nope"}); app.ErrorCode(err) != app.ENotFound || n != 0 || buf.Len() != 0 {
		t.Errorf("unknown id: %d rows, %v, %d bytes; want not found and nothing written", n, err, buf.Len())
	}
}
