package raster

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"

	"github.com/kasir/pos/app"
)

func needPoppler(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		missingTool(t, "pdftoppm (poppler-utils) is not installed; make deps installs it")
	}
}

// modules is CODE128's pattern of data, one bool a module, as a real encoder makes it.
func modules(t *testing.T, data string) []bool {
	t.Helper()
	m, err := oned.NewCode128Writer().Encode(data, gozxing.BarcodeFormat_CODE_128, 0, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]bool, m.GetWidth())
	for x := range out {
		out[x] = m.Get(x, 0)
	}
	return out
}

// airwayBill is a label PDF as platforms make them (A6, text, a CODE128
// of the tracking number), with one page per tracking number.
func airwayBill(t *testing.T, tracking ...string) []byte {
	t.Helper()
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: 105, Ht: 148}})
	pdf.SetMargins(5, 5, 5)
	pdf.SetAutoPageBreak(false, 0)
	for _, tn := range tracking {
		pdf.AddPage()
		pdf.SetFont("Helvetica", "B", 16)
		pdf.Text(8, 15, "SPX Express   REG")
		pdf.SetFont("Helvetica", "", 10)
		pdf.Text(8, 24, "Penerima: Budi Santoso, Jl. Melati 3, Bandung")
		const module = 0.5 // mm
		x := 8.0
		for _, on := range modules(t, tn) {
			if on {
				pdf.Rect(x, 32, module, 22, "F")
			}
			x += module
		}
		pdf.Text(8, 60, tn)
		pdf.Rect(6, 70, 93, 60, "D")
		pdf.Text(10, 80, "Isi paket: Kaos polos x2")
	}
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// scan reads the CODE128 of a label page with a real reader.
func scan(t *testing.T, page []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := oned.NewCode128Reader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "unreadable: " + err.Error()
	}
	return res.GetText()
}

// blackOnWhite checks a page is exactly dots wide with only black and white pixels.
func blackOnWhite(t *testing.T, page []byte, dots int) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	if w := img.Bounds().Dx(); w != dots {
		t.Fatalf("page is %d dots wide, want %d", w, dots)
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g := color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y
			if g != 0 && g != 255 {
				t.Fatalf("pixel (%d,%d) is grey %d", x, y, g)
			}
		}
	}
	return img
}

func TestPDFBillBecomesLabelPagesWhoseBarsScan(t *testing.T) {
	needPoppler(t)
	doc := airwayBill(t, "SPXID0123456789", "SPXID0123456790")
	var r Rasterizer
	for _, dots := range []int{384, 576, 832} {
		pages, err := r.Pages(context.Background(), doc, "application/octet-stream", HTMLPage{}, dots)
		if err != nil {
			t.Fatalf("%d dots: %v", dots, err)
		}
		if len(pages) != 2 {
			t.Fatalf("%d dots: %d pages, want 2", dots, len(pages))
		}
		for i, want := range []string{"SPXID0123456789", "SPXID0123456790"} {
			img := blackOnWhite(t, pages[i], dots)
			if got := scan(t, pages[i]); got != want {
				t.Errorf("%d dots, page %d: the bars scan as %q, want %q", dots, i+1, got, want)
			}
			// A4-ish label proportions survive: the page is taller than wide, not stretched.
			if h := img.Bounds().Dy(); h < dots || h > 2*dots {
				t.Errorf("%d dots, page %d: %d dots long", dots, i+1, h)
			}
		}
	}
}

func TestBrokenPDFIsRefusedInWords(t *testing.T) {
	needPoppler(t)
	good := airwayBill(t, "JP1234567890")
	var r Rasterizer
	for name, doc := range map[string][]byte{
		"truncated": good[:len(good)/3],
		"garbage":   append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 500)...),
		"no header": []byte("<<not a pdf>>"),
	} {
		media := "application/pdf"
		_, err := r.Pages(context.Background(), doc, media, HTMLPage{}, 576)
		if app.ErrorCode(err) != app.EInvalid {
			t.Errorf("%s: %v (code %q), want an invalid document", name, err, app.ErrorCode(err))
			continue
		}
		if msg := app.ErrorMessage(err); !strings.Contains(msg, "damaged") && !strings.Contains(msg, "nothing to print") {
			t.Errorf("%s: %q does not say the PDF is damaged", name, msg)
		}
	}
}

func TestHostileDocumentsAreBounded(t *testing.T) {
	needPoppler(t)
	r := Rasterizer{Limits: Limits{MaxPages: 3, MaxBytes: 1 << 20}}
	many := airwayBill(t, "A1", "A2", "A3", "A4")
	if _, err := r.Pages(context.Background(), many, "application/pdf", HTMLPage{}, 576); err == nil || !strings.Contains(err.Error(), "more than 3 pages") {
		t.Errorf("4 pages with a limit of 3: %v", err)
	}
	big := append(airwayBill(t, "A1"), bytes.Repeat([]byte(" "), 1<<20)...)
	if _, err := r.Pages(context.Background(), big, "application/pdf", HTMLPage{}, 576); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("a 1 MiB+ document: %v", err)
	}
	// A PNG that claims 100000×100000 pixels is refused before it is decoded.
	var b bytes.Buffer
	_ = png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1)))
	claim := b.Bytes()
	copy(claim[16:24], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
	if _, err := r.Pages(context.Background(), claim, "image/png", HTMLPage{}, 576); app.ErrorCode(err) != app.EInvalid {
		t.Errorf("a bomb PNG: %v", err)
	}
	// A ribbon page (a metre long) is refused before it is drawn.
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: 50, Ht: 1000}})
	pdf.AddPage()
	pdf.Rect(5, 5, 40, 990, "F")
	var rb bytes.Buffer
	_ = pdf.Output(&rb)
	if _, err := r.Pages(context.Background(), rb.Bytes(), "application/pdf", HTMLPage{}, 576); err == nil || !strings.Contains(err.Error(), "not a label's shape") {
		t.Errorf("a ribbon page: %v", err)
	}
	if _, err := r.Pages(context.Background(), []byte("hello"), "text/plain", HTMLPage{}, 576); app.ErrorCode(err) != app.EInvalid {
		t.Errorf("plain text: %v", err)
	}
	if _, err := r.Pages(context.Background(), []byte("<html><body>x</body></html>"), "text/html", HTMLPage{}, 576); app.ErrorCode(err) != app.EInternal {
		t.Errorf("HTML with no renderer: %v", err)
	}
	if _, err := r.Pages(context.Background(), many, "application/pdf", HTMLPage{}, 10); app.ErrorCode(err) != app.EInvalid {
		t.Errorf("10 dots: %v", err)
	}
}

func TestImageBillIsScaledAndCut(t *testing.T) {
	// A transparent PNG label with a bar pattern: transparency is paper, the bars print.
	bars := modules(t, "TKP-998877")
	const module = 4
	img := image.NewNRGBA(image.Rect(0, 0, len(bars)*module+80, 400))
	for i, on := range bars {
		for x := 40 + i*module; x < 40+(i+1)*module; x++ {
			for y := 100; y < 250; y++ {
				if on {
					img.Set(x, y, color.Black)
				}
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	var r Rasterizer
	pages, err := r.Pages(context.Background(), b.Bytes(), "image/png", HTMLPage{}, 576)
	if err != nil || len(pages) != 1 {
		t.Fatalf("Pages = %d, %v", len(pages), err)
	}
	blackOnWhite(t, pages[0], 576)
	if got := scan(t, pages[0]); got != "TKP-998877" {
		t.Errorf("bars scan as %q", got)
	}
	// A long image is cut at a blank line, never through the bars.
	long := image.NewGray(image.Rect(0, 0, 400, 4000))
	for i := range long.Pix {
		long.Pix[i] = 255
	}
	for _, top := range []int{100, 1500, 2900} {
		for y := top; y < top+900; y++ {
			for x := 20; x < 380; x += 7 {
				long.Pix[y*400+x] = 0
			}
		}
	}
	b.Reset()
	_ = png.Encode(&b, long)
	pages, err = r.Pages(context.Background(), b.Bytes(), "image/png", HTMLPage{}, 400)
	if err != nil || len(pages) < 2 {
		t.Fatalf("a long image: %d pages, %v", len(pages), err)
	}
	for _, p := range pages {
		if h := blackOnWhite(t, p, 400).Bounds().Dy(); h > 6*400 {
			t.Errorf("a page is %d dots long", h)
		}
	}
}

// BenchmarkPDFBill: one A6 airway bill PDF drawn for an 80 mm printer (576 dots).
func BenchmarkPDFBill(b *testing.B) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		b.Skip("pdftoppm is not installed")
	}
	t := &testing.T{}
	doc := airwayBill(t, "SPXID0123456789")
	var r Rasterizer
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if _, err := r.Pages(context.Background(), doc, "application/pdf", HTMLPage{}, 576); err != nil {
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
