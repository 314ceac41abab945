package printer

import (
	"strings"
	"unicode/utf8"
)

// Layout turns a Document into print operations for one profile: lines are
// wrapped, text is encoded or rasterised, symbols are sized. Encode and
// Render both walk these operations, which is what keeps them in agreement.

type opKind uint8

const (
	opText    opKind = iota // one line of native text
	opRaster                // a full-width raster image (GS v 0)
	opQR                    // a native QR code (GS ( k)
	opBarcode               // a native CODE128 barcode (GS k 73)
	opFeed                  // blank paper, in dots (ESC J)
	opCut                   // the end of the document (GS V, or a feed)
	opDrawer                // a pulse to the cash drawer's kick-out connector (ESC p)
)

type op struct {
	kind      opKind
	text      string // opText: the line; opBarcode: the HRI text
	enc       []byte // opText: the line in the profile's code page
	align     Align
	bold      bool
	underline bool
	w, h      int     // opText: size multipliers
	bmp       *bitmap // opRaster
	qr        *qrSymbol
	bc        *code128
	module    int // opBarcode: dots per module (GS w)
	dots      int // opBarcode: bar height; opFeed: feed
}

// lineSpacing is set with ESC 3 at the start of every document so that all
// printers feed the same 30 dots (1/6 inch at 180 dpi) per text line.
const lineSpacing = 30

// symbolGap is the blank paper fed after a barcode or QR code so the next
// line does not touch the symbol's quiet zone.
const symbolGap = 12

// barcodeHRIDots is the height the printer uses for the text under a barcode (font A plus a gap).
const barcodeHRIDots = glyphH + 6

func lineDots(h int) int { return max(lineSpacing, glyphH*h) }

func clampSize(n int) int { return min(max(n, 1), 4) }

func layout(doc *Document, p Profile) []op {
	cp := p.codePage()
	var ops []op
	textLine := func(s string, align Align, bold, underline bool, w, h int) {
		o := op{kind: opText, text: s, align: align, bold: bold, underline: underline, w: w, h: h}
		if enc, ok := cp.Encode(s); ok {
			o.enc = enc
			ops = append(ops, o)
			return
		}
		// The code page lacks a character: draw the whole line so it prints
		// as the preview shows instead of as the wrong glyphs.
		b := newBitmap(p.WidthDots, lineDots(h))
		drawText(b, alignX(p.WidthDots, utf8.RuneCountInString(s)*glyphW*w, align), 0, s, w, h, bold, underline)
		ops = append(ops, op{kind: opRaster, bmp: b})
	}
	raster := func(src *bitmap, align Align) {
		b := newBitmap(p.WidthDots, src.h)
		b.blit(src, alignX(p.WidthDots, src.w, align), 0)
		ops = append(ops, op{kind: opRaster, bmp: b})
	}
	for _, blk := range doc.Blocks {
		switch b := blk.(type) {
		case Text:
			w, h := clampSize(b.Width), clampSize(b.Height)
			n := p.CharsPerLine / w
			indent := min(max(b.Indent, 0), n/2)
			for _, line := range wrap(b.Text, n-indent) {
				textLine(strings.Repeat(" ", indent)+line, b.Align, b.Bold, b.Underline, w, h)
			}
		case Separator:
			c := b.Char
			if c == 0 {
				c = '-'
			}
			textLine(strings.Repeat(string(c), p.CharsPerLine), AlignLeft, false, false, 1, 1)
		case Columns:
			h := clampSize(b.Height)
			for _, line := range columns(b.Left, b.Right, p.CharsPerLine) {
				textLine(line, AlignLeft, b.Bold, false, 1, h)
			}
		case Barcode:
			height := b.Height
			if height <= 0 {
				height = 80
			}
			height = min(height, 255)
			c, err := encodeCode128(b.Data)
			var module int
			if err == nil {
				module, err = c.moduleDots(p.WidthDots)
			}
			if err != nil {
				// The builder has already warned; print the data as text so
				// nothing is lost on the paper.
				for _, line := range wrap(b.Data, p.CharsPerLine) {
					textLine(line, AlignCenter, true, false, 1, 1)
				}
				continue
			}
			ops = append(ops, op{kind: opBarcode, text: b.Data, bc: c, module: module, dots: height, align: AlignCenter},
				op{kind: opFeed, dots: symbolGap})
		case QR:
			maxDots := b.Dots
			if maxDots <= 0 {
				maxDots = min(p.WidthDots*2/3, 320)
			}
			maxDots = min(maxDots, p.WidthDots)
			q, err := newQRSymbol(b.Data, b.EC, maxDots)
			if err != nil {
				for _, line := range wrap(b.Data, p.CharsPerLine) {
					textLine(line, b.Align, false, false, 1, 1)
				}
				continue
			}
			ops = append(ops, op{kind: opFeed, dots: symbolGap})
			if p.NativeQR {
				ops = append(ops, op{kind: opQR, qr: q, align: b.Align})
			} else {
				raster(q.bitmap(), b.Align)
			}
			ops = append(ops, op{kind: opFeed, dots: symbolGap})
		case Image:
			if b.Img != nil {
				raster(imageToBitmap(b.Img, p.WidthDots), b.Align)
			}
		case Feed:
			if b.Lines > 0 {
				ops = append(ops, op{kind: opFeed, dots: min(b.Lines, 8) * lineSpacing})
			}
		case Cut:
			ops = append(ops, op{kind: opCut})
		case OpenDrawer:
			if p.Drawer {
				ops = append(ops, op{kind: opDrawer})
			}
		}
	}
	return ops
}

func alignX(width, w int, a Align) int {
	switch a {
	case AlignCenter:
		return max(0, (width-w)/2)
	case AlignRight:
		return max(0, width-w)
	default:
		return 0
	}
}

// wrap breaks s into lines of at most n characters, at spaces where it can
// and inside a word only when the word alone is longer than a line.
func wrap(s string, n int) []string {
	if n < 1 {
		n = 1
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		var line []rune
		for _, word := range strings.Fields(para) {
			wr := []rune(word)
			if len(line) > 0 && len(line)+1+len(wr) <= n {
				line = append(line, ' ')
				line = append(line, wr...)
				continue
			}
			if len(line) > 0 {
				out = append(out, string(line))
				line = nil
			}
			for len(wr) > n {
				out = append(out, string(wr[:n]))
				wr = wr[n:]
			}
			line = wr
		}
		out = append(out, string(line))
	}
	return out
}

// columns lays out a left text and a right value on lines of n characters.
func columns(left, right string, n int) []string {
	rw := utf8.RuneCountInString(right)
	if rw == 0 {
		return wrap(left, n)
	}
	if rw+2 > n || longestWord(left) > n-rw-1 {
		// A caption is never broken mid-word: the value goes on its own line instead.
		out := wrap(left, n)
		return append(out, strings.Repeat(" ", max(0, n-rw))+right)
	}
	// Leading spaces indent every wrapped line (a receipt's "  2 x Rp 25.000").
	trimmed := strings.TrimLeft(left, " ")
	indent := min(len(left)-len(trimmed), (n-rw-1)/2)
	lines := wrap(trimmed, n-rw-1-indent)
	for i := range lines {
		lines[i] = strings.Repeat(" ", indent) + lines[i]
	}
	first := []rune(lines[0])
	lines[0] = string(first) + strings.Repeat(" ", n-rw-len(first)) + right
	return lines
}

func longestWord(s string) int {
	longest := 0
	for _, w := range strings.Fields(s) {
		longest = max(longest, utf8.RuneCountInString(w))
	}
	return longest
}
