package printout

import (
	_ "embed"
	"encoding/binary"
	"sync"
)

// font12x24.bin holds 12x24 glyphs converted from the public-domain X11
// misc-fixed fonts by internal/fontgen: the same cell as the printer's font A,
// so a raster text line lines up with the native text around it.
//
//go:embed font12x24.bin
var fontData []byte

const (
	glyphW, glyphH = 12, 24
	glyphRecord    = 4 + 2*glyphH
)

var (
	fontOnce sync.Once
	glyphs   map[rune]*[glyphH]uint16
)

func loadFont() {
	glyphs = make(map[rune]*[glyphH]uint16, len(fontData)/glyphRecord)
	for off := 0; off+glyphRecord <= len(fontData); off += glyphRecord {
		r := rune(binary.BigEndian.Uint32(fontData[off:]))
		var g [glyphH]uint16
		for y := range g {
			g[y] = binary.BigEndian.Uint16(fontData[off+4+2*y:])
		}
		glyphs[r] = &g
	}
}

// glyph returns the 12x24 bitmap of r; rows are MSB-first, 12 bits used. A
// character outside the font draws as U+FFFD so a gap is never silent.
func glyph(r rune) *[glyphH]uint16 {
	fontOnce.Do(loadFont)
	if g, ok := glyphs[r]; ok {
		return g
	}
	if r == ' ' || r == '\u00a0' {
		return &blankGlyph
	}
	return glyphs['\ufffd']
}

var blankGlyph [glyphH]uint16

// drawText draws s into b at (x, y) with each glyph dot scaled w×h. Bold is
// drawn like the printer's emphasis: each dot widened by one dot. Underline
// is a line of h dots under the cell.
func drawText(b *Bitmap, x, y int, s string, w, h int, bold, underline bool) {
	cx := x
	for _, r := range s {
		g := glyph(r)
		for gy := 0; gy < glyphH; gy++ {
			row := g[gy]
			if row == 0 {
				continue
			}
			if bold {
				row |= row >> 1
			}
			for gx := 0; gx < glyphW; gx++ {
				if row&(1<<(15-gx)) == 0 {
					continue
				}
				b.fillRect(cx+gx*w, y+gy*h, w, h)
			}
		}
		if underline {
			b.fillRect(cx, y+glyphH*h-h, glyphW*w, h)
		}
		cx += glyphW * w
	}
}
