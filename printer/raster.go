package printer

import (
	"image"
	"image/color"
)

// bitmap is a 1-bit image in the printer's own raster layout: rows of
// width/8 bytes, most significant bit leftmost, 1 = black dot. Keeping the
// preview in the same layout is what makes it show exactly what prints.
type bitmap struct {
	w, h   int
	stride int
	pix    []byte
}

func newBitmap(w, h int) *bitmap {
	w = (w + 7) &^ 7
	return &bitmap{w: w, h: h, stride: w / 8, pix: make([]byte, w/8*h)}
}

func (b *bitmap) set(x, y int) {
	if x < 0 || y < 0 || x >= b.w || y >= b.h {
		return
	}
	b.pix[y*b.stride+x/8] |= 0x80 >> (x % 8)
}

func (b *bitmap) at(x, y int) bool {
	if x < 0 || y < 0 || x >= b.w || y >= b.h {
		return false
	}
	return b.pix[y*b.stride+x/8]&(0x80>>(x%8)) != 0
}

func (b *bitmap) fillRect(x, y, w, h int) {
	for yy := y; yy < y+h; yy++ {
		for xx := x; xx < x+w; xx++ {
			b.set(xx, yy)
		}
	}
}

// blit copies src onto b with its top-left corner at (x, y), OR-ing dots.
func (b *bitmap) blit(src *bitmap, x, y int) {
	for sy := 0; sy < src.h; sy++ {
		for sx := 0; sx < src.w; sx++ {
			if src.at(sx, sy) {
				b.set(x+sx, y+sy)
			}
		}
	}
}

// rasterBandRows bounds one GS v 0 command. Cheap printers have receive
// buffers of a few KB; 64 rows of 832 dots is 6.6 KB, which they accept.
const rasterBandRows = 64

// appendRaster emits b as GS v 0 commands, one per band of rows:
// GS v 0 m xL xH yL yH d1..dk with m=0 (normal density), x in bytes, y in dots.
// The escpos library's PrintImage is not used: it truncates the height to a
// multiple of 8 (dropping rows) and sends the whole image as one command.
func appendRaster(dst []byte, b *bitmap) []byte {
	for y0 := 0; y0 < b.h; y0 += rasterBandRows {
		rows := min(rasterBandRows, b.h-y0)
		dst = append(dst, 0x1d, 'v', '0', 0,
			byte(b.stride), byte(b.stride>>8), byte(rows), byte(rows>>8))
		dst = append(dst, b.pix[y0*b.stride:(y0+rows)*b.stride]...)
	}
	return dst
}

// imageToBitmap thresholds img to black and white, scaling it down by whole
// pixels to fit maxW dots. Thermal printers have no grey.
func imageToBitmap(img image.Image, maxW int) *bitmap {
	r := img.Bounds()
	if r.Dx() <= 0 || r.Dy() <= 0 {
		return newBitmap(8, 0)
	}
	scale := 1
	for r.Dx()/scale > maxW {
		scale++
	}
	w, h := r.Dx()/scale, r.Dy()/scale
	b := newBitmap(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.GrayModel.Convert(img.At(r.Min.X+x*scale, r.Min.Y+y*scale)).(color.Gray)
			_, _, _, a := img.At(r.Min.X+x*scale, r.Min.Y+y*scale).RGBA()
			if a > 0x8000 && c.Y < 128 {
				b.set(x, y)
			}
		}
	}
	return b
}

// toImage converts b to a two-colour paletted image for PNG previews.
func (b *bitmap) toImage() *image.Paletted {
	img := image.NewPaletted(image.Rect(0, 0, b.w, b.h), color.Palette{color.White, color.Black})
	for y := 0; y < b.h; y++ {
		for x := 0; x < b.w; x++ {
			if b.at(x, y) {
				img.Pix[y*img.Stride+x] = 1
			}
		}
	}
	return img
}
