package chromium

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/raster"
)

func needChromium(t *testing.T) {
	t.Helper()
	if _, err := (&Browser{}).exe(); err != nil {
		missingTool(t, "chromium is not installed; make deps installs it")
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		missingTool(t, "poppler-utils is not installed")
	}
}

// bars is a CODE128 of data as HTML, one 3-pixel div per module, the way
// label pages draw barcodes without images.
func bars(t *testing.T, data string) string {
	t.Helper()
	m, err := oned.NewCode128Writer().Encode(data, gozxing.BarcodeFormat_CODE_128, 0, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(`<div id="bars" style="display:flex;height:70px;margin:12px 0">`)
	for x := 0; x < m.GetWidth(); x++ {
		colour := "#fff"
		if m.Get(x, 0) {
			colour = "#000"
		}
		fmt.Fprintf(&b, `<div style="width:3px;background:%s"></div>`, colour)
	}
	b.WriteString(`</div>`)
	return b.String()
}

func scan(t *testing.T, page []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
	res, err := oned.NewCode128Reader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "unreadable: " + err.Error()
	}
	return res.GetText()
}

func label(body string) []byte {
	return []byte(`<!doctype html><html><head><meta charset="utf-8"><style>body{font:14px sans-serif;width:380px;margin:8px}</style></head><body>` +
		`<h2>Tokopedia · AnterAja Reguler</h2><p>Kepada: Siti Aminah, Jl. Kenanga 12, Surabaya 60111</p>` + body +
		`<p>Berat 1 kg · Non-COD</p></body></html>`)
}

func TestHTMLLabelIsDrawnAndItsBarsScan(t *testing.T) {
	needChromium(t)
	r := raster.Rasterizer{HTML: &Browser{}}
	// The page's own print button is hidden by its print style, as label pages do.
	doc := label(`<style>@media print { .no-print { display: none } }</style><div class="no-print" style="width:380px;height:200px;background:#000">Print</div>` +
		bars(t, "TKP1234567890") + `<p>TKP1234567890</p>`)
	for _, dots := range []int{384, 576} {
		pages, err := r.Pages(context.Background(), doc, "text/html; charset=utf-8", raster.HTMLPage{}, dots)
		if err != nil {
			t.Fatalf("%d dots: %v", dots, err)
		}
		if len(pages) != 1 {
			t.Fatalf("%d dots: %d pages", dots, len(pages))
		}
		img, _ := png.Decode(bytes.NewReader(pages[0]))
		if h := img.Bounds().Dy(); h > dots {
			t.Errorf("%d dots: the page is %d dots long: the screen-only block was drawn", dots, h)
		}
		if img.Bounds().Dx() != dots {
			t.Errorf("page is %d dots wide, want %d", img.Bounds().Dx(), dots)
		}
		if got := scan(t, pages[0]); got != "TKP1234567890" {
			t.Errorf("%d dots: bars scan as %q", dots, got)
		}
	}
}

func TestHTMLLabelRunsNoScriptAndReachesOnlyWhatItMay(t *testing.T) {
	needChromium(t)
	var allowedHits, blockedHits atomic.Int32
	barcode := func(t *testing.T) []byte {
		m, _ := oned.NewCode128Writer().Encode("SHP-4455", gozxing.BarcodeFormat_CODE_128, 0, 1, nil)
		img := image.NewGray(image.Rect(0, 0, m.GetWidth()*3, 60))
		for y := 0; y < 60; y++ {
			for x := 0; x < m.GetWidth()*3; x++ {
				if !m.Get(x/3, 0) {
					img.Pix[y*img.Stride+x] = 255
				}
			}
		}
		var b bytes.Buffer
		_ = png.Encode(&b, img)
		return b.Bytes()
	}(t)
	issuer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		allowedHits.Add(1)
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(barcode)
	}))
	defer issuer.Close()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { blockedHits.Add(1) }))
	defer other.Close()

	r := raster.Rasterizer{HTML: &Browser{}}
	doc := label(`<img src="/barcode.png?oid=1">` + `<img src="` + other.URL + `/track.gif">` +
		`<script>document.addEventListener("DOMContentLoaded", function () { document.body.innerHTML = ""; });</script>`)
	page := raster.HTMLPage{URL: issuer.URL + "/label/sticker.php?oid[]=1", Allow: []string{issuer.URL + "/"}}
	pages, err := r.Pages(context.Background(), doc, "text/html", page, 576)
	if err != nil {
		t.Fatal(err)
	}
	if got := scan(t, pages[0]); got != "SHP-4455" {
		t.Errorf("the issuer's barcode image scans as %q (script ran, or the image was refused)", got)
	}
	if allowedHits.Load() == 0 {
		t.Error("the label's own image was never fetched")
	}
	if blockedHits.Load() != 0 {
		t.Errorf("the label reached a host it may not: %d requests", blockedHits.Load())
	}
	// With its script allowed, the same label empties itself: scripts are really off above.
	page.Script = true
	if _, err := r.Pages(context.Background(), doc, "text/html", page, 576); err == nil || !strings.Contains(err.Error(), "nothing to print") {
		t.Errorf("with scripts on the label should be blank: %v", err)
	}
}

func TestHTMLLabelIsBoundedInTime(t *testing.T) {
	needChromium(t)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer slow.Close()
	r := raster.Rasterizer{HTML: &Browser{}, Limits: raster.Limits{Timeout: 3 * time.Second}}
	start := time.Now()
	_, err := r.Pages(context.Background(), label(`<img src="/slow.png">`), "text/html",
		raster.HTMLPage{URL: slow.URL + "/l.html", Allow: []string{slow.URL + "/"}}, 576)
	if app.ErrorCode(err) != app.EInvalid || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("a label that never finishes loading: %v", err)
	}
	if d := time.Since(start); d > 8*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestAllowedComparesWholeHosts(t *testing.T) {
	allow := []string{"https://shipper.id/label/"}
	for u, want := range map[string]bool{
		"https://shipper.id/label/barcode.php?x=1":     true,
		"https://SHIPPER.id/label/a.png":               true,
		"https://shipper.id/admin":                     false,
		"https://shipper.id.evil.example/label/a.png":  false,
		"http://shipper.id/label/a.png":                false,
		"https://user@shipper.id/label/a.png":          false,
		"file:///etc/passwd":                           false,
		"https://sandbox.shipper.id/label/sticker.php": false,
	} {
		if allowed(u, allow) != want {
			t.Errorf("allowed(%q) = %v", u, !want)
		}
	}
	if got := resolverRules(allow); got != "MAP * ~NOTFOUND, EXCLUDE shipper.id" {
		t.Errorf("resolverRules = %q", got)
	}
	cdn := []string{"https://*.tokopedia.net/"}
	for u, want := range map[string]bool{
		"https://images.tokopedia.net/img/barcode.png": true,
		"https://tokopedia.net/a.png":                  true,
		"https://evil-tokopedia.net/a.png":             false,
		"https://tokopedia.net.evil.example/a.png":     false,
	} {
		if allowed(u, cdn) != want {
			t.Errorf("allowed(%q) = %v", u, !want)
		}
	}
	if got := resolverRules(cdn); got != "MAP * ~NOTFOUND, EXCLUDE *.tokopedia.net, EXCLUDE tokopedia.net" {
		t.Errorf("resolverRules = %q", got)
	}
}

// BenchmarkHTMLBill: one HTML label drawn for an 80 mm printer (576 dots),
// a browser started and ended for it.
func BenchmarkHTMLBill(b *testing.B) {
	if _, err := (&Browser{}).exe(); err != nil {
		b.Skip("chromium is not installed")
	}
	doc := label(`<p>TKP1234567890</p>`)
	r := raster.Rasterizer{HTML: &Browser{}}
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if _, err := r.Pages(context.Background(), doc, "text/html", raster.HTMLPage{}, 576); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/bill")
}

// missingTool skips on a developer's machine and fails under CI, where
// make deps has installed every tool the bills need.
func missingTool(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(why)
	}
	t.Skip(why)
}
