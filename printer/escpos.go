package printer

import (
	"bytes"
	"fmt"

	"github.com/kasir/pos/printout"

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

// Encode turns doc into the ESC/POS byte stream for printers of profile p,
// from the same printout.Layout that printout.Render draws. Text and styles
// go through github.com/hennedo/escpos; code page selection, QR, CODE128,
// raster images and feeds are written directly, each for a reason given
// where it is written. A line the code page cannot carry, and a QR code on a
// printer without GS ( k, are sent as the image the preview shows.
func Encode(doc *printout.Document, p printout.Profile) ([]byte, error) {
	if doc == nil {
		return nil, fmt.Errorf("encode: document is nil")
	}
	if err := CheckProfile(p); err != nil {
		return nil, err
	}
	cp := codePageOf(p)
	ops := printout.Layout(doc, p)
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
	raw = append(raw, esc, 't', cp.ESCt)
	// ESC 3: the fixed line spacing the preview draws.
	raw = append(raw, esc, '3', printout.LineSpacing)
	for _, o := range ops {
		switch o.Kind {
		case printout.OpText:
			enc, ok := cp.Encode(o.Text)
			if !ok {
				// The code page lacks a character: send the line as drawn, so
				// it prints as the preview shows instead of as the wrong glyphs.
				raw = appendRaster(raw, o.Draw(p.WidthDots))
				continue
			}
			if err := flushRaw(); err != nil {
				return nil, err
			}
			var u uint8
			if o.Underline {
				u = 1
			}
			// Size is always set before Write: the library's zero style
			// would otherwise compute GS ! 0xFF (8x8 characters).
			e.Bold(o.Bold).Underline(u).Reverse(false).Justify(uint8(o.Align)).Size(uint8(o.W), uint8(o.H))
			line := make([]byte, 0, len(enc)+1)
			line = append(append(line, enc...), '\n')
			if _, err := e.Write(string(line)); err != nil {
				return nil, err
			}
		case printout.OpRaster:
			raw = appendRaster(raw, o.Image)
		case printout.OpQR:
			if !p.NativeQR {
				raw = appendRaster(raw, o.Draw(p.WidthDots))
				continue
			}
			// ESC a takes printout's Align values as they are: 0, 1, 2.
			raw = append(raw, esc, 'a', byte(o.Align))
			raw = appendNativeQR(raw, o.QR)
		case printout.OpBarcode:
			raw = appendCode128(raw, o)
		case printout.OpFeed:
			for d := o.Dots; d > 0; d -= 255 {
				raw = append(raw, esc, 'J', byte(min(d, 255)))
			}
		case printout.OpDrawer:
			// ESC p m t1 t2: pin 2 (m=0), on 25×2 ms, off 250×2 ms, the
			// pulse Epson documents for a drawer on the kick-out connector.
			raw = append(raw, esc, 'p', 0, 25, 250)
		case printout.OpCut:
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

// CheckProfile refuses a profile this package cannot print with: one that
// cannot be laid out (printout.Profile.Validate), or whose code page is not
// one the printer can be told to select.
func CheckProfile(p printout.Profile) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if _, err := LookupCodePage(p.CodePage); err != nil {
		return fmt.Errorf("profile %q: code_page: %v", p.Name, err)
	}
	return nil
}

// codePageOf returns the profile's table, falling back to PC437 (every
// printer's power-on table) for an unchecked profile rather than failing mid-print.
func codePageOf(p printout.Profile) *CodePage {
	if cp, err := LookupCodePage(p.CodePage); err == nil {
		return cp
	}
	return PC437
}

// appendCode128 emits a CODE128 barcode. The escpos library has no CODE128,
// and its BarcodeWidth sends GS h instead of GS w, so all of it is written here:
// ESC a (centre), GS w (module), GS h (height), GS H 2 (text below),
// GS f 0 (font A for that text), GS k 73 n data.
func appendCode128(dst []byte, o printout.Op) []byte {
	data := code128Data(o.Barcode)
	dst = append(dst, esc, 'a', byte(o.Align))
	dst = append(dst, gs, 'w', byte(o.Module))
	dst = append(dst, gs, 'h', byte(o.Dots))
	dst = append(dst, gs, 'H', 2)
	dst = append(dst, gs, 'f', 0)
	dst = append(dst, gs, 'k', 73, byte(len(data)))
	return append(dst, data...)
}

// code128Data is GS k 73's data for c: each run of the symbol introduced by
// "{B" or "{C", the code set the preview drew it in, so the printer draws
// the same bars. printout bounds the length (Code128MaxBytes).
func code128Data(c *printout.Code128) []byte {
	var b []byte
	for _, r := range c.Runs() {
		if r.CodeC {
			b = append(b, '{', 'C')
			for i := 0; i+1 < len(r.Data); i += 2 {
				// Epson: in code set C each data byte is the pair's value 0..99.
				b = append(b, (r.Data[i]-'0')*10+(r.Data[i+1]-'0'))
			}
			continue
		}
		b = append(b, '{', 'B')
		for i := 0; i < len(r.Data); i++ {
			if r.Data[i] == '{' {
				// "{" introduces a code-set switch in GS k 73, so a literal one is doubled.
				b = append(b, '{')
			}
			b = append(b, r.Data[i])
		}
	}
	return b
}

// rasterBandRows bounds one GS v 0 command. Cheap printers have receive
// buffers of a few KB; 64 rows of 832 dots is 6.6 KB, which they accept.
const rasterBandRows = 64

// appendRaster emits b as GS v 0 commands, one per band of rows:
// GS v 0 m xL xH yL yH d1..dk with m=0 (normal density), x in bytes, y in dots.
// The escpos library's PrintImage is not used: it truncates the height to a
// multiple of 8 (dropping rows) and sends the whole image as one command.
func appendRaster(dst []byte, b *printout.Bitmap) []byte {
	for y0 := 0; y0 < b.H; y0 += rasterBandRows {
		rows := min(rasterBandRows, b.H-y0)
		dst = append(dst, 0x1d, 'v', '0', 0,
			byte(b.Stride), byte(b.Stride>>8), byte(rows), byte(rows>>8))
		dst = append(dst, b.Pix[y0*b.Stride:(y0+rows)*b.Stride]...)
	}
	return dst
}

// qrLevel is the n of GS ( k fn 169: 48..51 for L, M, Q, H.
func qrLevel(l printout.ECLevel) byte {
	switch l {
	case printout.ECLow:
		return 48
	case printout.ECQuartile:
		return 50
	case printout.ECHigh:
		return 51
	default:
		return 49
	}
}

// appendNativeQR emits the GS ( k sequence of Epson's QR functions. The
// escpos library's QRCode is not used: it sends the module size in the
// error-correction command (fn 169), so every code printed at level H/L/Q
// would instead carry a size byte the printer rejects or misreads.
func appendNativeQR(dst []byte, q *printout.QRCode) []byte {
	// fn 165: select model 2 (n1 = 50, n2 = 0).
	dst = append(dst, 0x1d, '(', 'k', 4, 0, 49, 65, 50, 0)
	// fn 167: module size in dots.
	dst = append(dst, 0x1d, '(', 'k', 3, 0, 49, 67, byte(q.Module()))
	// fn 169: error correction, 48..51 = L, M, Q, H.
	dst = append(dst, 0x1d, '(', 'k', 3, 0, 49, 69, qrLevel(q.Level()))
	// fn 180: store the data; pL pH count the data plus the 3 bytes cn fn m.
	n := len(q.Data()) + 3
	dst = append(dst, 0x1d, '(', 'k', byte(n), byte(n>>8), 49, 80, 48)
	dst = append(dst, q.Data()...)
	// fn 181: print the stored symbol.
	return append(dst, 0x1d, '(', 'k', 3, 0, 49, 81, 48)
}
