package app

import (
	"bufio"
	"encoding/csv"
	"io"
	"sort"
	"strconv"
	"time"
)

// exportHeader is the column list of the order export; spreadsheets key on it.
var exportHeader = []string{
	"order_number", "channel", "status", "buyer", "buyer_phone", "tracking_number", "courier",
	"item_count", "total", "currency", "payment_status", "created_at", "updated_at", "label_printed",
}

// ExportRow is what one row of the order export says about an order. A
// store's scan fills one ExportRow and passes the same one for every row,
// so a caller must not keep it past its callback.
type ExportRow struct {
	Number        string
	Channel       Channel
	Status        Status
	Buyer         string
	Phone         string
	TrackingID    string
	Courier       string
	Items         int
	Total         Money
	Currency      Currency
	PaymentStatus PaymentStatus
	CreatedAt     time.Time
	UpdatedAt     time.Time
	LabelPrinted  bool
}

// ExportRowOf is the export row of a whole order.
func ExportRowOf(o *Order) ExportRow {
	return ExportRow{Number: o.Number, Channel: o.Channel, Status: o.Status, Buyer: o.Buyer.Name, Phone: o.Buyer.Phone,
		TrackingID: o.Shipment.TrackingID, Courier: o.Shipment.Courier, Items: o.ItemCount(), Total: o.Total,
		Currency: o.Currency, PaymentStatus: o.PaymentStatus, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
		LabelPrinted: o.LabelPrinted()}
}

// ExportCSV writes the orders created in [from, to) as UTF-8 CSV and returns
// how many rows it wrote. The file starts with a byte-order mark, because
// that is what makes Excel read UTF-8 buyer names correctly; amounts are
// plain decimals so spreadsheets can sum them. Rows stream from the store
// through one encoder: no order is decoded whole.
func (s *Service) ExportCSV(w io.Writer, from, to time.Time) (int, error) {
	if from.After(to) {
		return 0, Errorf(EInvalid, "The start date %s is after the end date %s", from, to)
	}
	e, err := newExportWriter(w)
	if err != nil {
		return 0, err
	}
	err = s.Store.ScanExportRows(from, to, func(r *ExportRow) error {
		if !r.Channel.Online() {
			return nil
		}
		return e.write(r)
	})
	if err != nil {
		return e.n, err
	}
	return e.n, e.flush()
}

// ExportOrdersCSV writes exactly the orders named by ids, oldest first, in
// the same CSV as ExportCSV: what staff ticked, never the orders between
// them. An id listed twice is written once; an unknown id is ENotFound and
// nothing is written.
func (s *Service) ExportOrdersCSV(w io.Writer, ids []string) (int, error) {
	var orders []*Order
	seen := map[string]bool{}
	err := s.Store.View(func(tx Tx) error {
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			o, err := tx.Order(id)
			if err != nil {
				return err
			}
			orders = append(orders, o)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	sort.SliceStable(orders, func(i, j int) bool { return orders[i].CreatedAt.Before(orders[j].CreatedAt) })
	e, err := newExportWriter(w)
	if err != nil {
		return 0, err
	}
	for _, o := range orders {
		r := ExportRowOf(o)
		if err := e.write(&r); err != nil {
			return e.n, err
		}
	}
	return e.n, e.flush()
}

// exportWriter writes the export's byte-order mark, header and rows.
type exportWriter struct {
	bw  *bufio.Writer
	cw  *csv.Writer
	row []string
	buf []byte // for numbers and times, reused row after row
	n   int
}

func newExportWriter(w io.Writer) (*exportWriter, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(bw)
	if err := cw.Write(exportHeader); err != nil {
		return nil, err
	}
	return &exportWriter{bw: bw, cw: cw, row: make([]string, len(exportHeader)), buf: make([]byte, 0, 128)}, nil
}

// write adds one row.
func (e *exportWriter) write(r *ExportRow) error {
	row := e.row
	row[0] = spreadsheetSafe(r.Number)
	row[1] = string(r.Channel)
	row[2] = string(r.Status)
	row[3] = spreadsheetSafe(r.Buyer)
	row[4] = spreadsheetSafe(r.Phone)
	row[5] = spreadsheetSafe(r.TrackingID)
	row[6] = spreadsheetSafe(r.Courier)
	// The numbers and times of a row share one buffer, cut into fields.
	b := strconv.AppendInt(e.buf[:0], int64(r.Items), 10)
	n7 := len(b)
	b = appendDecimal(b, r.Currency, r.Total)
	n8 := len(b)
	b = r.CreatedAt.UTC().AppendFormat(b, time.RFC3339)
	n11 := len(b)
	b = r.UpdatedAt.UTC().AppendFormat(b, time.RFC3339)
	e.buf = b
	all := string(b)
	row[7], row[8] = all[:n7], all[n7:n8]
	row[9] = string(r.Currency)
	row[10] = string(r.PaymentStatus)
	row[11], row[12] = all[n8:n11], all[n11:]
	row[13] = strconv.FormatBool(r.LabelPrinted)
	e.n++
	return e.cw.Write(row)
}

// flush writes what is buffered and reports any write error.
func (e *exportWriter) flush() error {
	e.cw.Flush()
	if err := e.cw.Error(); err != nil {
		return err
	}
	return e.bw.Flush()
}

// appendDecimal appends minor units as a plain decimal ("12.50", "125000").
func appendDecimal(b []byte, c Currency, m Money) []byte {
	d := c.Decimals()
	if d == 0 {
		return strconv.AppendInt(b, int64(m), 10)
	}
	u := uint64(m)
	if m < 0 {
		b, u = append(b, '-'), ^u+1
	}
	var tmp [24]byte
	digits := strconv.AppendUint(tmp[:0], u, 10)
	whole := len(digits) - d
	if whole <= 0 {
		b = append(b, '0', '.')
		for ; whole < 0; whole++ {
			b = append(b, '0')
		}
		return append(b, digits...)
	}
	return append(append(append(b, digits[:whole]...), '.'), digits[whole:]...)
}

// spreadsheetSafe stops a buyer-typed value such as "=HYPERLINK(…)" from
// running as a formula when the export is opened in a spreadsheet.
func spreadsheetSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
