package printout

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// ECLevel is a QR error-correction level.
type ECLevel uint8

// Error-correction levels; the zero value is M, good for print on thermal paper.
const (
	ECMedium ECLevel = iota
	ECLow
	ECQuartile
	ECHigh
)

func (l ECLevel) recovery() qrcode.RecoveryLevel {
	switch l {
	case ECLow:
		return qrcode.Low
	case ECQuartile:
		return qrcode.High
	case ECHigh:
		return qrcode.Highest
	default:
		return qrcode.Medium
	}
}

// QRCode is a QR code worked out once: the module matrix for the preview
// and for printers that are sent it as an image, and the module size every
// path prints with.
type QRCode struct {
	data    string
	ec      ECLevel
	modules [][]bool // without quiet zone
	module  int      // dots per module, 1..16 (GS ( k fn 167 range)
}

// qrMaxData is QR's byte-mode capacity (also the most a printer stores for one symbol).
const qrMaxData = 7089

// newQRCode encodes data and picks the largest module size that keeps the
// symbol within maxDots. Printers that draw QR natively choose the same
// version for the same data and level, so the preview matches the print.
func newQRCode(data string, ec ECLevel, maxDots int) (*QRCode, error) {
	if data == "" {
		return nil, fmt.Errorf("QR data is empty")
	}
	if len(data) > qrMaxData {
		return nil, fmt.Errorf("QR data is %d bytes, the limit is %d", len(data), qrMaxData)
	}
	q, err := qrcode.New(data, ec.recovery())
	if err != nil {
		return nil, fmt.Errorf("QR data %.40q: %v", data, err)
	}
	q.DisableBorder = true
	m := q.Bitmap()
	n := len(m)
	module := min(maxDots/n, 16)
	if module < 1 {
		return nil, fmt.Errorf("QR code of %d modules does not fit in %d dots", n, maxDots)
	}
	return &QRCode{data: data, ec: ec, modules: m, module: module}, nil
}

// Data is what the symbol carries.
func (q *QRCode) Data() string { return q.data }

// Level is the symbol's error-correction level.
func (q *QRCode) Level() ECLevel { return q.ec }

// Module is the side of one module in dots (1..16).
func (q *QRCode) Module() int { return q.module }

// dots is the printed side of the symbol.
func (q *QRCode) dots() int { return len(q.modules) * q.module }

// Bitmap draws the symbol at its module size, without a quiet zone.
func (q *QRCode) Bitmap() *Bitmap {
	b := NewBitmap(q.dots(), q.dots())
	for y, row := range q.modules {
		for x, on := range row {
			if on {
				b.fillRect(x*q.module, y*q.module, q.module, q.module)
			}
		}
	}
	return b
}
