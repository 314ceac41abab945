package printout

import (
	"image"
	"image/color"
)

// Bitmap is a 1-bit image in a thermal printer's own raster layout: rows of
// Stride = W/8 bytes in Pix, most significant bit leftmost, 1 = black dot.
// Keeping the preview in the same layout is what makes it show exactly what
// prints: the printer is sent these rows as they are.
type Bitmap struct {
	W, H   int
	Stride int
	Pix    []byte
}

// NewBitmap returns a blank (white) bitmap h dots high and w dots wide,
// rounded up to whole bytes.
func NewBitmap(w, h int) *Bitmap {
	w = (w + 7) &^ 7
	return &Bitmap{W: w, H: h, Stride: w / 8, Pix: make([]byte, w/8*h)}
}

func (b *Bitmap) set(x, y int) {
	if x < 0 || y < 0 || x >= b.W || y >= b.H {
		return
	}
	b.Pix[y*b.Stride+x/8] |= 0x80 >> (x % 8)
}

func (b *Bitmap) at(x, y int) bool {
	if x < 0 || y < 0 || x >= b.W || y >= b.H {
		return false
	}
	return b.Pix[y*b.Stride+x/8]&(0x80>>(x%8)) != 0
}

func (b *Bitmap) fillRect(x, y, w, h int) {
	for yy := y; yy < y+h; yy++ {
		for xx := x; xx < x+w; xx++ {
			b.set(xx, yy)
		}
	}
}

// blit copies src onto b with its top-left corner at (x, y), OR-ing dots.
func (b *Bitmap) blit(src *Bitmap, x, y int) {
	for sy := 0; sy < src.H; sy++ {
		for sx := 0; sx < src.W; sx++ {
			if src.at(sx, sy) {
				b.set(x+sx, y+sy)
			}
		}
	}
}

// imageToBitmap thresholds img to black and white, scaling it down by whole
// pixels to fit maxW dots. Thermal printers have no grey.
func imageToBitmap(img image.Image, maxW int) *Bitmap {
	r := img.Bounds()
	if r.Dx() <= 0 || r.Dy() <= 0 {
		return NewBitmap(8, 0)
	}
	scale := 1
	for r.Dx()/scale > maxW {
		scale++
	}
	w, h := r.Dx()/scale, r.Dy()/scale
	b := NewBitmap(w, h)
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

// Image converts b to a two-colour paletted image (white, black) for PNG previews.
func (b *Bitmap) Image() *image.Paletted {
	img := image.NewPaletted(image.Rect(0, 0, b.W, b.H), color.Palette{color.White, color.Black})
	for y := 0; y < b.H; y++ {
		for x := 0; x < b.W; x++ {
			if b.at(x, y) {
				img.Pix[y*img.Stride+x] = 1
			}
		}
	}
	return img
}
