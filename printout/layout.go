package printout

import (
	"strings"
	"unicode/utf8"
)

// Layout turns a Document into the operations of one print for one
// profile: lines are wrapped, symbols are sized, pictures thresholded.
// Render draws these operations and printer.Encode sends them, which is
// what keeps the preview and the paper in agreement.

// OpKind is what one laid-out operation puts on the paper.
type OpKind uint8

// Kinds of operation, top to bottom on the paper.
const (
	OpText    OpKind = iota // one line of text in the 12x24 font
	OpRaster                // a full-width 1-bit image
	OpQR                    // a QR code
	OpBarcode               // a CODE128 barcode with its text below
	OpFeed                  // blank paper, in dots
	OpCut                   // the end of the document (a cut, or a feed to the tear bar)
	OpDrawer                // a pulse to the cash drawer's kick-out connector
)

// Op is one operation of a laid-out document.
type Op struct {
	Kind OpKind
	// Text is the line (OpText) or the text under the bars (OpBarcode).
	Text      string
	Align     Align
	Bold      bool
	Underline bool
	// W and H multiply the character size of an OpText line (1..4).
	W, H int
	// Image is an OpRaster's picture, as wide as the paper.
	Image *Bitmap
	// QR is an OpQR's symbol.
	QR *QRCode
	// Barcode is an OpBarcode's symbol; Module is its dots per module.
	Barcode *Code128
	Module  int
	// Dots is an OpBarcode's bar height, or an OpFeed's paper.
	Dots int
}

// LineSpacing is the paper every text line takes, 30 dots (1/6 inch at
// 180 dpi); the printer is told to feed exactly that, so every printer and
// the preview agree.
const LineSpacing = 30

// symbolGap is the blank paper fed after a barcode or QR code so the next
// line does not touch the symbol's quiet zone.
const symbolGap = 12

// barcodeHRIDots is the height the printer uses for the text under a barcode (font A plus a gap).
const barcodeHRIDots = glyphH + 6

func lineDots(h int) int { return max(LineSpacing, glyphH*h) }

func clampSize(n int) int { return min(max(n, 1), 4) }

// Layout lays doc out for profile p. Profile p is not checked: Render and
// printer.Encode check it first.
func Layout(doc *Document, p Profile) []Op {
	var ops []Op
	textLine := func(s string, align Align, bold, underline bool, w, h int) {
		ops = append(ops, Op{Kind: OpText, Text: s, Align: align, Bold: bold, Underline: underline, W: w, H: h})
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
			ops = append(ops, Op{Kind: OpBarcode, Text: b.Data, Barcode: c, Module: module, Dots: height, Align: AlignCenter},
				Op{Kind: OpFeed, Dots: symbolGap})
		case QR:
			maxDots := b.Dots
			if maxDots <= 0 {
				maxDots = min(p.WidthDots*2/3, 320)
			}
			maxDots = min(maxDots, p.WidthDots)
			q, err := newQRCode(b.Data, b.EC, maxDots)
			if err != nil {
				for _, line := range wrap(b.Data, p.CharsPerLine) {
					textLine(line, b.Align, false, false, 1, 1)
				}
				continue
			}
			ops = append(ops, Op{Kind: OpFeed, Dots: symbolGap}, Op{Kind: OpQR, QR: q, Align: b.Align}, Op{Kind: OpFeed, Dots: symbolGap})
		case Image:
			if b.Img != nil {
				src := imageToBitmap(b.Img, p.WidthDots)
				img := NewBitmap(p.WidthDots, src.H)
				img.blit(src, alignX(p.WidthDots, src.W, b.Align), 0)
				ops = append(ops, Op{Kind: OpRaster, Image: img})
			}
		case Feed:
			if b.Lines > 0 {
				ops = append(ops, Op{Kind: OpFeed, Dots: min(b.Lines, 8) * LineSpacing})
			}
		case Cut:
			ops = append(ops, Op{Kind: OpCut})
		case OpenDrawer:
			if p.Drawer {
				ops = append(ops, Op{Kind: OpDrawer})
			}
		}
	}
	return ops
}

// Draw draws an OpText line or an OpQR symbol as a full-width image of its
// height on paper widthDots wide, exactly as Render draws it: a printer that
// cannot print the line's characters or the symbol itself is sent this.
func (o Op) Draw(widthDots int) *Bitmap {
	switch o.Kind {
	case OpText:
		b := NewBitmap(widthDots, lineDots(o.H))
		drawText(b, alignX(widthDots, utf8.RuneCountInString(o.Text)*glyphW*o.W, o.Align), 0, o.Text, o.W, o.H, o.Bold, o.Underline)
		return b
	case OpQR:
		q := o.QR.Bitmap()
		b := NewBitmap(widthDots, q.H)
		b.blit(q, alignX(widthDots, q.W, o.Align), 0)
		return b
	case OpRaster:
		return o.Image
	}
	return NewBitmap(widthDots, 0)
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
