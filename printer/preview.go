package printer

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
	return renderBitmap(layout(doc, p), p).toImage()
}

// cutMarkDots is the paper shown below a cut; a real cutter sits a few
// millimetres above the head, and the preview shows that paper.
const cutMarkDots = 3 * lineSpacing

func opHeight(o op, p Profile) int {
	switch o.kind {
	case opText:
		return lineDots(o.h)
	case opRaster:
		return o.bmp.h
	case opQR:
		return o.qr.dots()
	case opBarcode:
		return o.dots + barcodeHRIDots
	case opFeed:
		return o.dots
	case opCut:
		if p.Cutter {
			return cutMarkDots
		}
		return 4 * lineSpacing
	}
	return 0
}

func renderBitmap(ops []op, p Profile) *bitmap {
	total := 0
	for _, o := range ops {
		total += opHeight(o, p)
	}
	b := newBitmap(p.WidthDots, max(total, 1))
	y := 0
	for _, o := range ops {
		switch o.kind {
		case opText:
			w := utf8.RuneCountInString(o.text) * glyphW * o.w
			drawText(b, alignX(p.WidthDots, w, o.align), y, o.text, o.w, o.h, o.bold, o.underline)
		case opRaster:
			b.blit(o.bmp, 0, y)
		case opQR:
			q := o.qr.bitmap()
			b.blit(q, alignX(p.WidthDots, q.w, o.align), y)
		case opBarcode:
			bars := o.bc.bars(o.module, o.dots)
			x := alignX(p.WidthDots, o.bc.modules*o.module, o.align)
			b.blit(bars, x, y)
			tw := utf8.RuneCountInString(o.text) * glyphW
			drawText(b, alignX(p.WidthDots, tw, AlignCenter), y+o.dots+barcodeHRIDots-glyphH, o.text, 1, 1, false, false)
		case opCut:
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
