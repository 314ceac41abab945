package app

import (
	"bufio"
	"encoding/csv"
	"io"
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
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return 0, err
	}
	cw := csv.NewWriter(bw)
	if err := cw.Write(exportHeader); err != nil {
		return 0, err
	}
	n := 0
	row := make([]string, len(exportHeader))
	err := s.Store.ScanCreated(from, to, func(o *Order) error {
		if !o.Channel.Online() {
			return nil
		}
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
		n++
		return cw.Write(row)
	})
	if err != nil {
		return n, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, err
	}
	return n, bw.Flush()
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
