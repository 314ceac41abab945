package backoffice

import (
	"bytes"
	"image"
	"image/png"
	"net/http"
	"strings"

	"github.com/kasir/pos/printout"

	"github.com/go-pdf/fpdf"
)

// dotsPerMM is a thermal head's resolution: 203 dpi, 8 dots to the
// millimetre, so a 832-dot label is 104 mm wide on paper and in the PDF.
const dotsPerMM = 8.0

// labelPDF is one page the size of the printed document, holding the very
// raster the printer would print (printout.Render of the same document), so
// the PDF and the thermal print cannot disagree.
func labelPDF(img image.Image, title string) ([]byte, error) {
	var raster bytes.Buffer
	if err := png.Encode(&raster, img); err != nil {
		return nil, err
	}
	b := img.Bounds()
	w, h := float64(b.Dx())/dotsPerMM, float64(b.Dy())/dotsPerMM
	orient := "P"
	if w > h {
		orient = "L"
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: orient, UnitStr: "mm", Size: fpdf.SizeType{Wd: w, Ht: h}})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTitle(title, true)
	pdf.SetCreator("Kasir POS", true)
	pdf.AddPage()
	pdf.RegisterImageOptionsReader("raster", fpdf.ImageOptions{ImageType: "PNG"}, &raster)
	pdf.ImageOptions("raster", 0, 0, w, h, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// writePDF sends the document as a PDF download.
func writePDF(w http.ResponseWriter, doc *printout.Document, p printout.Profile, name string) {
	data, err := labelPDF(printout.Render(doc, p), strings.TrimSuffix(name, ".pdf"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+strings.NewReplacer(`"`, "", "\\", "").Replace(name)+`"`)
	_, _ = w.Write(data)
}
