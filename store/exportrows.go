package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// An export reads thousands of records for a handful of fields each, so
// it does not decode them: exportRow walks a record's JSON once, keeps the
// fields a row needs and skips the rest without building them. A record it
// cannot read that way (an escaped key, a number with a fraction) is
// decoded whole instead, so every record gives the row encoding/json
// would.

// ScanExportRows calls fn with the export row of each order created in
// [from, to), oldest first; a zero bound is open. One row is filled again
// for every order, so fn must not keep it. fn runs inside a read
// transaction; its error stops the scan and is returned.
func (db *DB) ScanExportRows(from, to time.Time, fn func(*app.ExportRow) error) error {
	lo, hi := timeKey(from), timeKey(to)
	var row app.ExportRow
	return db.bolt.View(func(tx *bolt.Tx) error {
		orders, err := bucket(tx, bucketOrders)
		if err != nil {
			return err
		}
		return scanOldestFirst(tx, lo, hi, func(id []byte) error {
			v := orders.Get(id)
			if v == nil {
				return fmt.Errorf("store: %s names order %q, which is missing", idxTokens, id)
			}
			row = app.ExportRow{}
			if err := readExportRow(v, &row); err != nil {
				o, err := decodeOrder(id, v)
				if err != nil {
					return err
				}
				row = app.ExportRowOf(o)
			}
			return fn(&row)
		})
	})
}

// errShape sends a record to the full decoder.
var errShape = errors.New("store: record needs a full decode")

// readExportRow fills row from an order record.
func readExportRow(rec []byte, row *app.ExportRow) error {
	r := &jsonReader{b: rec}
	err := r.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "number":
			row.Number, err = r.str()
		case "channel":
			var s string
			s, err = r.str()
			row.Channel = app.Channel(s)
		case "status":
			var s string
			s, err = r.str()
			row.Status = app.Status(s)
		case "currency":
			var s string
			s, err = r.str()
			row.Currency = app.Currency(s)
		case "payment_status":
			var s string
			s, err = r.str()
			row.PaymentStatus = app.PaymentStatus(s)
		case "total":
			var n int64
			n, err = r.int()
			row.Total = app.Money(n)
		case "created_at":
			row.CreatedAt, err = r.time()
		case "updated_at":
			row.UpdatedAt, err = r.time()
		case "buyer":
			err = r.object(func(key []byte) (err error) {
				switch string(key) {
				case "name":
					row.Buyer, err = r.str()
				case "phone":
					row.Phone, err = r.str()
				default:
					err = r.skip()
				}
				return err
			})
		case "shipment":
			err = r.object(func(key []byte) (err error) {
				switch string(key) {
				case "courier":
					row.Courier, err = r.str()
				case "tracking_id":
					row.TrackingID, err = r.str()
				default:
					err = r.skip()
				}
				return err
			})
		case "prints":
			err = r.object(func(key []byte) error {
				if string(key) != "label_count" {
					return r.skip()
				}
				n, err := r.int()
				row.LabelPrinted = n > 0
				return err
			})
		case "lines":
			row.Items = 0
			err = r.array(func() error {
				return r.object(func(key []byte) error {
					if string(key) != "qty" {
						return r.skip()
					}
					n, err := r.int()
					row.Items += int(n)
					return err
				})
			})
		default:
			err = r.skip()
		}
		return err
	})
	if err != nil {
		return err
	}
	if r.space(); r.i != len(r.b) {
		return errShape
	}
	return nil
}

// jsonReader walks JSON written by encoding/json. Anything it does not
// expect is errShape, never a guess.
type jsonReader struct {
	b []byte
	i int
}

func (r *jsonReader) space() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// null consumes a JSON null, which leaves a Go value as it was.
func (r *jsonReader) null() bool {
	r.space()
	if len(r.b)-r.i >= 4 && string(r.b[r.i:r.i+4]) == "null" {
		r.i += 4
		return true
	}
	return false
}

// next consumes c if it comes next.
func (r *jsonReader) next(c byte) bool {
	r.space()
	if r.i < len(r.b) && r.b[r.i] == c {
		r.i++
		return true
	}
	return false
}

// rawString reads a string: its bytes between the quotes, and whether
// they hold an escape.
func (r *jsonReader) rawString() ([]byte, bool, error) {
	r.space()
	if r.i >= len(r.b) || r.b[r.i] != '"' {
		return nil, false, errShape
	}
	start, esc := r.i+1, false
	for j := start; j < len(r.b); j++ {
		switch r.b[j] {
		case '\\':
			esc = true
			j++
		case '"':
			r.i = j + 1
			return r.b[start:j], esc, nil
		}
	}
	return nil, false, errShape
}

// str reads a string value; null leaves it empty.
func (r *jsonReader) str() (string, error) {
	if r.null() {
		return "", nil
	}
	r.space()
	start := r.i
	raw, esc, err := r.rawString()
	if err != nil {
		return "", err
	}
	if !esc && utf8.Valid(raw) {
		return string(raw), nil
	}
	var s string
	if err := json.Unmarshal(r.b[start:r.i], &s); err != nil {
		return "", errShape
	}
	return s, nil
}

// int reads an integer; null is 0.
func (r *jsonReader) int() (int64, error) {
	if r.null() {
		return 0, nil
	}
	r.space()
	start := r.i
	for r.i < len(r.b) && (r.b[r.i] == '-' || (r.b[r.i] >= '0' && r.b[r.i] <= '9')) {
		r.i++
	}
	n, err := strconv.ParseInt(string(r.b[start:r.i]), 10, 64)
	if err != nil {
		return 0, errShape
	}
	return n, nil
}

// time reads a time as time.Time's UnmarshalJSON does.
func (r *jsonReader) time() (time.Time, error) {
	if r.null() {
		return time.Time{}, nil
	}
	r.space()
	start := r.i
	if _, _, err := r.rawString(); err != nil {
		return time.Time{}, err
	}
	var t time.Time
	if err := t.UnmarshalJSON(r.b[start:r.i]); err != nil {
		return time.Time{}, errShape
	}
	return t, nil
}

// object calls field for each key; field must consume the key's value.
func (r *jsonReader) object(field func(key []byte) error) error {
	if r.null() {
		return nil
	}
	if !r.next('{') {
		return errShape
	}
	if r.next('}') {
		return nil
	}
	for {
		key, esc, err := r.rawString()
		if err != nil || esc || !lowerASCII(key) {
			return errShape
		}
		if !r.next(':') {
			return errShape
		}
		if err := field(key); err != nil {
			return err
		}
		if r.next(',') {
			continue
		}
		if r.next('}') {
			return nil
		}
		return errShape
	}
}

// array calls elem for each element; elem must consume it.
func (r *jsonReader) array(elem func() error) error {
	if r.null() {
		return nil
	}
	if !r.next('[') {
		return errShape
	}
	if r.next(']') {
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		if r.next(',') {
			continue
		}
		if r.next(']') {
			return nil
		}
		return errShape
	}
}

// skip consumes one value of any kind.
func (r *jsonReader) skip() error {
	r.space()
	if r.i >= len(r.b) {
		return errShape
	}
	switch r.b[r.i] {
	case '"':
		_, _, err := r.rawString()
		return err
	case '{', '[':
		depth := 0
		for r.i < len(r.b) {
			switch r.b[r.i] {
			case '"':
				if _, _, err := r.rawString(); err != nil {
					return err
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					r.i++
					return nil
				}
			}
			r.i++
		}
		return errShape
	}
	start := r.i
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			if r.i == start {
				return errShape
			}
			return nil
		}
		r.i++
	}
	return errShape
}

// lowerASCII reports a key that encoding/json could only match exactly:
// it matches keys case-insensitively, with Unicode folding.
func lowerASCII(key []byte) bool {
	for _, c := range key {
		if (c >= 'A' && c <= 'Z') || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
