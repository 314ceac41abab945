package printout

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
)

// Bill lays out a platform's airway bill as the platform made it: each page
// is drawn dot for dot, nothing of ours added, with a cut after it, so each
// page comes off the label printer as one label. The pages are PNGs that the
// cloud rasterized to the label printer's width; a page wider than the paper
// is refused rather than scaled, since a shrunken barcode may not scan.
func Bill(pages [][]byte, p Profile) (*Document, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	imgs, err := BillPages(pages)
	if err != nil {
		return nil, err
	}
	doc := &Document{}
	for i, img := range imgs {
		if w := img.Bounds().Dx(); w > p.WidthDots {
			return nil, fmt.Errorf("airway bill page %d: width: %d dots do not fit the printer's %d", i+1, w, p.WidthDots)
		}
		doc.Add(Image{Img: img, Align: AlignCenter}, Cut{})
	}
	return doc, nil
}

// BillPages decodes an airway bill's PNG pages, naming the page that does not decode.
func BillPages(pages [][]byte) ([]image.Image, error) {
	if len(pages) == 0 {
		return nil, fmt.Errorf("airway bill: pages: there are none")
	}
	imgs := make([]image.Image, 0, len(pages))
	for i, b := range pages {
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("airway bill page %d: not a PNG image: %v", i+1, err)
		}
		if r := img.Bounds(); r.Dx() <= 0 || r.Dy() <= 0 {
			return nil, fmt.Errorf("airway bill page %d: the image is empty", i+1)
		}
		imgs = append(imgs, img)
	}
	return imgs, nil
}
