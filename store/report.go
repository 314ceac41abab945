package store

import (
	"encoding/binary"
	"errors"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
)

// The report index holds each order's app.ReportEvents under their time, so
// a profit report over a range reads its events and decodes no order. Like
// every index it is derived from the order record alone (baseEntries). The
// value is a compact binary record: a 90-day report over 100,000 sales
// decodes 100,000 of them.

// reportEntries are the idx_report keys and values of an order's events.
func reportEntries(o *app.Order) []indexEntry {
	evs := app.ReportEvents(o)
	out := make([]indexEntry, 0, len(evs))
	for i, ev := range evs {
		k := append(timeID("", timeKey(ev.At), o.ID), 0, byte(i))
		out = append(out, indexEntry{idxReport, k, encodeReportEvent(ev)})
	}
	return out
}

// encodeReportEvent writes: at (unix ns, varint), channel code, orders,
// sales, cost, refunds (varints), then the lines (sku, name, qty, sales)
// and the payments (method, count, amount), each list led by its length.
func encodeReportEvent(ev app.ReportEvent) []byte {
	b := make([]byte, 0, 32+24*len(ev.Lines))
	b = binary.AppendVarint(b, ev.At.UnixNano())
	b = append(b, channelCodes[ev.Channel])
	for _, n := range []int64{int64(ev.Orders), int64(ev.Sales), int64(ev.Cost), int64(ev.Refunds)} {
		b = binary.AppendVarint(b, n)
	}
	b = binary.AppendUvarint(b, uint64(len(ev.Lines)))
	for _, l := range ev.Lines {
		b = appendString(appendString(b, l.SKU), l.Name)
		b = binary.AppendVarint(binary.AppendVarint(b, int64(l.Qty)), int64(l.Sales))
	}
	b = binary.AppendUvarint(b, uint64(len(ev.Payments)))
	for _, p := range ev.Payments {
		b = appendString(b, string(p.Method))
		b = binary.AppendVarint(binary.AppendVarint(b, int64(p.Count)), int64(p.Amount))
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

var errShortReportEvent = errors.New("report event is cut short")

// reportReader reads encodeReportEvent's fields in order; the first error sticks.
type reportReader struct {
	b   []byte
	err error
}

func (r *reportReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errShortReportEvent
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reportReader) count() int {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > uint64(len(r.b)) {
		r.err = errShortReportEvent
		return 0
	}
	r.b = r.b[n:]
	return int(v)
}

func (r *reportReader) string() string {
	n := r.count()
	if r.err != nil || n > len(r.b) {
		r.err = errShortReportEvent
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func decodeReportEvent(v []byte) (app.ReportEvent, error) {
	r := &reportReader{b: v}
	var ev app.ReportEvent
	ev.At = time.Unix(0, r.varint()).UTC()
	if r.err == nil && len(r.b) > 0 {
		ev.Channel = channelByCode[r.b[0]]
		r.b = r.b[1:]
	} else {
		r.err = errShortReportEvent
	}
	ev.Orders, ev.Sales, ev.Cost, ev.Refunds = int(r.varint()), app.Money(r.varint()), app.Money(r.varint()), app.Money(r.varint())
	if n := r.count(); n > 0 {
		ev.Lines = make([]app.ReportLine, n)
		for i := range ev.Lines {
			ev.Lines[i] = app.ReportLine{SKU: r.string(), Name: r.string(), Qty: int(r.varint()), Sales: app.Money(r.varint())}
		}
	}
	if n := r.count(); n > 0 {
		ev.Payments = make([]app.MethodFigure, n)
		for i := range ev.Payments {
			ev.Payments[i] = app.MethodFigure{Method: app.PaymentMethod(r.string()), Count: int(r.varint()), Amount: app.Money(r.varint())}
		}
	}
	if r.err == nil && len(r.b) != 0 {
		r.err = errors.New("report event has trailing bytes")
	}
	return ev, r.err
}

// ScanReportEvents calls fn for every report event in [from, to), oldest first.
func (db *DB) ScanReportEvents(from, to time.Time, fn func(app.ReportEvent) error) error {
	lo, hi := be64(timeKey(from)), timeKey(to)
	return db.bolt.View(func(tx *bolt.Tx) error {
		b, err := bucket(tx, idxReport)
		if err != nil {
			return err
		}
		c := b.Cursor()
		for k, v := c.Seek(lo); k != nil; k, v = c.Next() {
			if len(k) < 8 {
				return errBadKey(idxReport, k)
			}
			if hi != 0 && binary.BigEndian.Uint64(k[:8]) >= hi {
				return nil
			}
			ev, err := decodeReportEvent(v)
			if err != nil {
				return errBadKey(idxReport, k)
			}
			if err := fn(ev); err != nil {
				return err
			}
		}
		return nil
	})
}
