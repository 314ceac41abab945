package printer

import (
	"bytes"
	"fmt"

	"github.com/hennedo/escpos"
)

// ESC/POS bytes this package writes itself rather than through the escpos
// library, each for a reason given where it is used.
const (
	esc = 0x1b
	gs  = 0x1d
	dle = 0x10
	eot = 0x04
)

// Encode renders doc to the ESC/POS byte stream for printers of profile p.
// Text and styles go through github.com/hennedo/escpos; code page selection,
// QR, CODE128, raster images and feeds are written directly (see escpos.go).
func Encode(doc *Document, p Profile) ([]byte, error) {
	if doc == nil {
		return nil, fmt.Errorf("encode: document is nil")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	ops := layout(doc, p)
	var out bytes.Buffer
	out.Grow(4096)
	e := escpos.New(&out)
	// Rotation and upside-down are never used; disabling them keeps two
	// redundant commands off every line.
	e.SetConfig(escpos.PrinterConfig{DisableRotate: true, DisableUpsideDown: true})
	var raw []byte
	flushRaw := func() error {
		if len(raw) == 0 {
			return nil
		}
		_, err := e.WriteRaw(raw)
		raw = raw[:0]
		return err
	}
	if _, err := e.Initialize(); err != nil {
		return nil, err
	}
	// ESC t: the library never selects a code page, so the printer would
	// use whatever table it powered up with.
	raw = append(raw, esc, 't', p.codePage().ESCt)
	// ESC 3: a fixed line spacing, which the preview assumes.
	raw = append(raw, esc, '3', lineSpacing)
	for _, o := range ops {
		switch o.kind {
		case opText:
			if err := flushRaw(); err != nil {
				return nil, err
			}
			var u uint8
			if o.underline {
				u = 1
			}
			// Size is always set before Write: the library's zero style
			// would otherwise compute GS ! 0xFF (8x8 characters).
			e.Bold(o.bold).Underline(u).Reverse(false).Justify(uint8(o.align)).Size(uint8(o.w), uint8(o.h))
			line := make([]byte, 0, len(o.enc)+1)
			line = append(append(line, o.enc...), '\n')
			if _, err := e.Write(string(line)); err != nil {
				return nil, err
			}
		case opRaster:
			raw = appendRaster(raw, o.bmp)
		case opQR:
			raw = append(raw, esc, 'a', byte(o.align))
			raw = appendNativeQR(raw, o.qr)
		case opBarcode:
			raw = appendCode128(raw, o)
		case opFeed:
			for d := o.dots; d > 0; d -= 255 {
				raw = append(raw, esc, 'J', byte(min(d, 255)))
			}
		case opDrawer:
			// ESC p m t1 t2: pin 2 (m=0), on 25×2 ms, off 250×2 ms, the
			// pulse Epson documents for a drawer on the kick-out connector.
			raw = append(raw, esc, 'p', 0, 25, 250)
		case opCut:
			if p.Cutter {
				// GS V 65 0: feed to the cutter, then cut. The library's Cut
				// writes the same bytes; writing them here keeps them in order
				// with the raw buffer.
				raw = append(raw, gs, 'V', 65, 0)
			} else {
				// No cutter: ESC d 4 brings the last line past the tear bar.
				raw = append(raw, esc, 'd', 4)
			}
		}
	}
	if err := flushRaw(); err != nil {
		return nil, err
	}
	if err := e.Print(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// appendCode128 emits a CODE128 barcode. The escpos library has no CODE128,
// and its BarcodeWidth sends GS h instead of GS w, so all of it is written here:
// ESC a (centre), GS w (module), GS h (height), GS H 2 (text below),
// GS f 0 (font A for that text), GS k 73 n data.
func appendCode128(dst []byte, o op) []byte {
	dst = append(dst, esc, 'a', byte(o.align))
	dst = append(dst, gs, 'w', byte(o.module))
	dst = append(dst, gs, 'h', byte(o.dots))
	dst = append(dst, gs, 'H', 2)
	dst = append(dst, gs, 'f', 0)
	dst = append(dst, gs, 'k', 73, byte(len(o.bc.escpos)))
	return append(dst, o.bc.escpos...)
}
