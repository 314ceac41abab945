package printout

import (
	"image"
	"unicode/utf8"
)

// Render draws doc as it will come out of a printer of profile p: one image
// pixel per printer dot, at the profile's width. An invalid profile is drawn
// at 384 dots rather than failing, since a preview must always show something.
func Render(doc *Document, p Profile) image.Image {
	if p.Validate() != nil {
		p = Profile{Name: p.Name, WidthDots: 384, CharsPerLine: 32, CodePage: "PC437", NativeQR: p.NativeQR, Cutter: p.Cutter}
	}
	if doc == nil {
		doc = &Document{}
	}
	return renderBitmap(Layout(doc, p), p).Image()
}

// cutMarkDots is the paper shown below a cut; a real cutter sits a few
// millimetres above the head, and the preview shows that paper.
const cutMarkDots = 3 * LineSpacing

func opHeight(o Op, p Profile) int {
	switch o.Kind {
	case OpText:
		return lineDots(o.H)
	case OpRaster:
		return o.Image.H
	case OpQR:
		return o.QR.dots()
	case OpBarcode:
		return o.Dots + barcodeHRIDots
	case OpFeed:
		return o.Dots
	case OpCut:
		if p.Cutter {
			return cutMarkDots
		}
		return 4 * LineSpacing
	}
	return 0
}

func renderBitmap(ops []Op, p Profile) *Bitmap {
	total := 0
	for _, o := range ops {
		total += opHeight(o, p)
	}
	b := NewBitmap(p.WidthDots, max(total, 1))
	y := 0
	for _, o := range ops {
		switch o.Kind {
		case OpText:
			w := utf8.RuneCountInString(o.Text) * glyphW * o.W
			drawText(b, alignX(p.WidthDots, w, o.Align), y, o.Text, o.W, o.H, o.Bold, o.Underline)
		case OpRaster:
			b.blit(o.Image, 0, y)
		case OpQR:
			q := o.QR.Bitmap()
			b.blit(q, alignX(p.WidthDots, q.W, o.Align), y)
		case OpBarcode:
			bars := o.Barcode.bars(o.Module, o.Dots)
			x := alignX(p.WidthDots, o.Barcode.modules*o.Module, o.Align)
			b.blit(bars, x, y)
			tw := utf8.RuneCountInString(o.Text) * glyphW
			drawText(b, alignX(p.WidthDots, tw, AlignCenter), y+o.Dots+barcodeHRIDots-glyphH, o.Text, 1, 1, false, false)
		case OpCut:
			if p.Cutter {
				// A dashed line where the cutter will separate the paper.
				for x := 0; x < p.WidthDots; x += 16 {
					b.fillRect(x, y+cutMarkDots-2, 8, 2)
				}
			}
		}
		y += opHeight(o, p)
	}
	return b
}
