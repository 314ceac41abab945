package backoffice_test

import (
	"fmt"
	"image/png"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var (
	mediaBoxRE = regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`)
	imageRE    = regexp.MustCompile(`/Subtype /Image\s*/Width (\d+)\s*/Height (\d+)`)
)

// checkPDFHoldsRaster fetches a document's PDF and checks it is one page of
// the printed size (8 dots a millimetre) holding one image of exactly the
// PNG's raster size: the printer's own raster, not a second rendering.
func checkPDFHoldsRaster(t *testing.T, b *browser, path, pngBody string) {
	t.Helper()
	code, _, body := b.do("GET", path, nil)
	if code != 200 || !strings.HasPrefix(body, "%PDF-") || !strings.HasSuffix(strings.TrimSpace(body), "%%EOF") {
		t.Fatalf("%s: %d %.40q", path, code, body)
	}
	img, err := png.Decode(strings.NewReader(pngBody))
	if err != nil {
		t.Fatalf("%s: the PNG beside it: %v", path, err)
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	if n := strings.Count(body, "/Type /Page\n") + strings.Count(body, "/Type /Page "); n != 1 {
		t.Fatalf("%s has %d pages", path, n)
	}
	mb := mediaBoxRE.FindStringSubmatch(body)
	if mb == nil {
		t.Fatalf("%s has no page size", path)
	}
	pw, _ := strconv.ParseFloat(mb[1], 64)
	ph, _ := strconv.ParseFloat(mb[2], 64)
	// 1 mm is 72/25.4 points; the page is the raster at 8 dots per millimetre.
	wantW, wantH := float64(w)/8*72/25.4, float64(h)/8*72/25.4
	if math.Abs(pw-wantW) > 0.5 || math.Abs(ph-wantH) > 0.5 {
		t.Fatalf("%s page is %.1f×%.1f pt, the %d×%d raster at 203 dpi is %.1f×%.1f", path, pw, ph, w, h, wantW, wantH)
	}
	im := imageRE.FindStringSubmatch(body)
	if im == nil || im[1] != fmt.Sprint(w) || im[2] != fmt.Sprint(h) {
		t.Fatalf("%s embeds an image of %v, want the %d×%d raster", path, im, w, h)
	}
}
