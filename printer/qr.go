package printer

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

// epson is the n of GS ( k fn 169: 48..51 for L, M, Q, H.
func (l ECLevel) epson() byte {
	switch l {
	case ECLow:
		return 48
	case ECQuartile:
		return 50
	case ECHigh:
		return 51
	default:
		return 49
	}
}

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

// qrSymbol is a QR code worked out once: the module matrix for the raster
// path and the preview, and the module size both paths print with.
type qrSymbol struct {
	data    string
	ec      ECLevel
	modules [][]bool // without quiet zone
	module  int      // dots per module, 1..16 (GS ( k fn 167 range)
}

// qrMaxData is the GS ( k fn 180 limit and also QR's byte-mode capacity.
const qrMaxData = 7089

// newQRSymbol encodes data and picks the largest module size that keeps the
// symbol within maxDots. Printers that draw QR natively choose the same
// version for the same data and level, so the preview matches the print.
func newQRSymbol(data string, ec ECLevel, maxDots int) (*qrSymbol, error) {
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
	return &qrSymbol{data: data, ec: ec, modules: m, module: module}, nil
}

// dots is the printed side of the symbol.
func (q *qrSymbol) dots() int { return len(q.modules) * q.module }

// bitmap draws the symbol at its module size.
func (q *qrSymbol) bitmap() *bitmap {
	b := newBitmap(q.dots(), q.dots())
	for y, row := range q.modules {
		for x, on := range row {
			if on {
				b.fillRect(x*q.module, y*q.module, q.module, q.module)
			}
		}
	}
	return b
}

// appendNativeQR emits the GS ( k sequence of Epson's QR functions. The
// escpos library's QRCode is not used: it sends the module size in the
// error-correction command (fn 169), so every code printed at level H/L/Q
// would instead carry a size byte the printer rejects or misreads.
func appendNativeQR(dst []byte, q *qrSymbol) []byte {
	// fn 165: select model 2 (n1 = 50, n2 = 0).
	dst = append(dst, 0x1d, '(', 'k', 4, 0, 49, 65, 50, 0)
	// fn 167: module size in dots.
	dst = append(dst, 0x1d, '(', 'k', 3, 0, 49, 67, byte(q.module))
	// fn 169: error correction, 48..51 = L, M, Q, H.
	dst = append(dst, 0x1d, '(', 'k', 3, 0, 49, 69, q.ec.epson())
	// fn 180: store the data; pL pH count the data plus the 3 bytes cn fn m.
	n := len(q.data) + 3
	dst = append(dst, 0x1d, '(', 'k', byte(n), byte(n>>8), 49, 80, 48)
	dst = append(dst, q.data...)
	// fn 181: print the stored symbol.
	return append(dst, 0x1d, '(', 'k', 3, 0, 49, 81, 48)
}
