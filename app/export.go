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

// ExportCSV writes the orders created in [from, to) as UTF-8 CSV and returns
// how many rows it wrote. The file starts with a byte-order mark, because
// that is what makes Excel read UTF-8 buyer names correctly; amounts are
// plain decimals so spreadsheets can sum them.
func (s *Service) ExportCSV(w io.Writer, from, to time.Time) (int, error) {
	if from.After(to) {
		return 0, FieldError("from", "is after to (%s > %s)", from.Format("2006-01-02"), to.Format("2006-01-02"))
	}
	e, err := newExportWriter(w)
	if err != nil {
		return 0, err
	}
	err = s.Store.ScanCreated(from, to, func(o *Order) error {
		if !o.Channel.Online() {
			return nil
		}
		return e.write(o)
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
		if err := e.write(o); err != nil {
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
	return &exportWriter{bw: bw, cw: cw, row: make([]string, len(exportHeader))}, nil
}

// write adds the order's row.
func (e *exportWriter) write(o *Order) error {
	row := e.row
	row[0] = spreadsheetSafe(o.Number)
	row[1] = string(o.Channel)
	row[2] = string(o.Status)
	row[3] = spreadsheetSafe(o.Buyer.Name)
	row[4] = spreadsheetSafe(o.Buyer.Phone)
	row[5] = spreadsheetSafe(o.Shipment.TrackingID)
	row[6] = spreadsheetSafe(o.Shipment.Courier)
	row[7] = strconv.Itoa(o.ItemCount())
	row[8] = decimal(o.Currency, o.Total)
	row[9] = string(o.Currency)
	row[10] = string(o.PaymentStatus)
	row[11] = o.CreatedAt.UTC().Format(time.RFC3339)
	row[12] = o.UpdatedAt.UTC().Format(time.RFC3339)
	row[13] = strconv.FormatBool(o.LabelPrinted())
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

// decimal renders minor units as a plain decimal ("12.50", "125000").
func decimal(c Currency, m Money) string {
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
