package raster

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	_ "image/gif" // platforms serve GIF labels too
	_ "image/jpeg"
	"image/png"

	xdraw "golang.org/x/image/draw"

	"github.com/kasir/pos/app"
)

// maxPixels bounds an image before it is decoded: a few bytes of PNG can
// claim a picture of gigabytes.
const maxPixels = 40_000_000

// ink is the grey level below which a pixel prints black; above it, white.
// Half way keeps a bar's width as the document drew it when its edges fall
// between two dots.
const ink = 128

// margin is the white kept around a label after its margins are cut, in dots.
const margin = 4

func decodeImage(doc []byte) (image.Image, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(doc))
	if err != nil {
		return nil, app.Errorf(app.EInvalid, "the image cannot be read: %s", err.Error())
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
		return nil, app.Errorf(app.EInvalid, "the image is too large (%d×%d pixels)", cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(doc))
	if err != nil {
		return nil, app.Errorf(app.EInvalid, "the image cannot be read: %s", err.Error())
	}
	return img, nil
}

// grey lays img on white paper (a transparent pixel is paper, not black ink).
func grey(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	b := img.Bounds()
	g := image.NewGray(b)
	draw.Draw(g, b, image.White, image.Point{}, draw.Src)
	draw.Draw(g, b, img, b.Min, draw.Over)
	return g
}

// inked is the smallest rectangle holding every dark pixel of g; empty when the page is blank.
func inked(g *image.Gray) image.Rectangle {
	b := g.Bounds()
	out := image.Rectangle{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := g.Pix[(y-b.Min.Y)*g.Stride : (y-b.Min.Y)*g.Stride+b.Dx()]
		first := -1
		for x, v := range row {
			if v < ink {
				first = x
				break
			}
		}
		if first < 0 {
			continue
		}
		last := first
		for x := len(row) - 1; x > first; x-- {
			if row[x] < ink {
				last = x
				break
			}
		}
		r := image.Rect(b.Min.X+first, y, b.Min.X+last+1, y+1)
		if out.Empty() {
			out = r
		} else {
			out = out.Union(r)
		}
	}
	return out
}

// blankRow reports whether row y of g has no dark pixel within [x0, x1).
func blankRow(g *image.Gray, y, x0, x1 int) bool {
	off := g.PixOffset(x0, y)
	for _, v := range g.Pix[off : off+x1-x0] {
		if v < ink {
			return false
		}
	}
	return true
}

// label turns one drawn page into label pages exactly dots wide: the white
// margins are cut, a page longer than maxLength dots is cut at a blank line
// (never through a barcode), each part is scaled to the printer's width with
// a Catmull-Rom filter and thresholded to black and white. A blank page
// gives no label page.
func label(img image.Image, dots, maxLength int) ([]*image.Paletted, error) {
	g := grey(img)
	box := inked(g)
	if box.Empty() {
		return nil, nil
	}
	// The scale is fixed by the width, so a page's length in dots is known before it is scaled.
	per := float64(dots-2*margin) / float64(box.Dx())
	maxRows := int(float64(maxLength-2*margin) / per)
	var out []*image.Paletted
	for top := box.Min.Y; top < box.Max.Y; {
		end := box.Max.Y
		if end-top > maxRows {
			end = -1
			for y := top + maxRows; y > top+maxRows/3; y-- {
				if blankRow(g, y, box.Min.X, box.Max.X) {
					end = y
					break
				}
			}
			if end < 0 {
				return nil, app.Errorf(app.EInvalid, "a page is longer than %d dots and has no blank line to cut it at", maxLength)
			}
		}
		part := g.SubImage(image.Rect(box.Min.X, top, box.Max.X, end)).(*image.Gray)
		if r := inked(part); !r.Empty() {
			part = g.SubImage(image.Rect(box.Min.X, r.Min.Y, box.Max.X, r.Max.Y)).(*image.Gray)
			out = append(out, scaled(part, dots, per))
		}
		top = end
		for top < box.Max.Y && blankRow(g, top, box.Min.X, box.Max.X) {
			top++
		}
	}
	return out, nil
}

// paper is the label printer's two colours: index 0 white paper, 1 black dots.
var paper = color.Palette{color.Gray{Y: 255}, color.Gray{Y: 0}}

// scaled is part at per dots a pixel, in a white frame of margin dots, dots wide, thresholded.
func scaled(part *image.Gray, dots int, per float64) *image.Paletted {
	w := dots - 2*margin
	h := max(1, int(float64(part.Bounds().Dy())*per+0.5))
	s := image.NewGray(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(s, s.Bounds(), part, part.Bounds(), xdraw.Src, nil)
	out := image.NewPaletted(image.Rect(0, 0, dots, h+2*margin), paper)
	for y := 0; y < h; y++ {
		row := s.Pix[y*s.Stride : y*s.Stride+w]
		o := out.PixOffset(margin, y+margin)
		for x, v := range row {
			if v < ink {
				out.Pix[o+x] = 1
			}
		}
	}
	return out
}

// encode writes a label page as a 1-bit PNG.
func encode(p *image.Paletted) ([]byte, error) {
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, p); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
