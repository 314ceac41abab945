package app_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
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

// oldExportCSV is the export as it was before rows streamed from the
// store: every order decoded whole, its fields formatted one by one. The
// streaming export must write the same bytes.
func oldExportCSV(st app.Store, w io.Writer, from, to time.Time) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("\uFEFF")
	cw := csv.NewWriter(bw)
	cw.Write([]string{"order_number", "channel", "status", "buyer", "buyer_phone", "tracking_number", "courier",
		"item_count", "total", "currency", "payment_status", "created_at", "updated_at", "label_printed"})
	safe := func(s string) string {
		if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
			return "'" + s
		}
		return s
	}
	decimal := func(c app.Currency, m app.Money) string {
		d := c.Decimals()
		if d == 0 {
			return strconv.FormatInt(int64(m), 10)
		}
		s := strconv.FormatInt(int64(m), 10)
		neg := ""
		if m < 0 {
			neg, s = "-", s[1:]
		}
		for len(s) <= d {
			s = "0" + s
		}
		return neg + s[:len(s)-d] + "." + s[len(s)-d:]
	}
	n := 0
	err := st.ScanCreated(from, to, func(o *app.Order) error {
		if !o.Channel.Online() {
			return nil
		}
		n++
		return cw.Write([]string{safe(o.Number), string(o.Channel), string(o.Status), safe(o.Buyer.Name), safe(o.Buyer.Phone),
			safe(o.Shipment.TrackingID), safe(o.Shipment.Courier), strconv.Itoa(o.ItemCount()), decimal(o.Currency, o.Total),
			string(o.Currency), string(o.PaymentStatus), o.CreatedAt.UTC().Format(time.RFC3339), o.UpdatedAt.UTC().Format(time.RFC3339),
			strconv.FormatBool(o.LabelPrinted())})
	})
	if err != nil {
		return n, err
	}
	cw.Flush()
	return n, bw.Flush()
}

func TestExportStreamsTheOldBytes(t *testing.T) {
	svc, db, _ := newService(t)
	jakarta := time.FixedZone("WIB", 7*3600)
	var orders []*app.Order
	odd := []string{"", `Budi "Bos", Santoso`, "Siti\nRahayu", " spasi", "=1+2", "-5", "+62 812", "@x", "\tTab", "\rCR",
		"Ñoño 日本 🎉", "\xff\xfe", "<b>&</b>", `\.`, "a\r\nb"}
	amounts := []app.Money{0, 5, 50, 500, 12345, -5, -12345, 9223372036854775807, -9223372036854775808}
	currencies := []app.Currency{app.IDR, "USD", "JPY", "XYZ"}
	for i := 0; i < 300; i++ {
		s := odd[i%len(odd)]
		created := t0.Add(-time.Duration(i) * 37 * time.Minute).Add(time.Duration(i) * 1234567 * time.Nanosecond)
		if i%3 == 0 {
			created = created.In(jakarta)
		}
		o := &app.Order{ID: fmt.Sprintf("x%04d", i), Channel: app.Channels[i%len(app.Channels)], Number: s + fmt.Sprint(i),
			Status: app.Statuses[i%len(app.Statuses)], Currency: currencies[i%len(currencies)], Total: amounts[i%len(amounts)],
			PaymentStatus: app.PaymentUnpaid, CreatedAt: created, UpdatedAt: created.Add(time.Hour),
			Buyer:    app.Buyer{Name: s, Phone: odd[(i+3)%len(odd)]},
			Shipment: app.Shipment{Courier: odd[(i+5)%len(odd)], TrackingID: odd[(i+7)%len(odd)]}}
		for l := 0; l < i%4; l++ {
			o.Lines = append(o.Lines, app.Line{SKU: "SKU-001", Name: "Produk", Qty: 1 + l*i%7, UnitPrice: 1000})
		}
		if i%5 == 0 {
			o.Prints.LabelCount = 1
		}
		if i%11 == 0 {
			o.UpdatedAt = time.Time{}
		}
		orders = append(orders, o)
	}
	if err := db.InsertOrders(orders); err != nil {
		t.Fatal(err)
	}
	for _, r := range [][2]time.Time{{{}, {}}, {t0.Add(-48 * time.Hour), t0.Add(-24 * time.Hour)}, {t0.Add(time.Hour), t0.Add(2 * time.Hour)}} {
		var old, now bytes.Buffer
		n0, err0 := oldExportCSV(db, &old, r[0], r[1])
		n1, err1 := svc.ExportCSV(&now, r[0], r[1])
		if err0 != nil || err1 != nil || n0 != n1 || (r[0].IsZero() && n0 < 200) {
			t.Fatalf("%v: old %d rows (%v), new %d rows (%v)", r, n0, err0, n1, err1)
		}
		if !bytes.Equal(old.Bytes(), now.Bytes()) {
			t.Fatalf("%v: the export changed:\nold %q\nnew %q", r, old.String(), now.String())
		}
	}
}
