package channeltest

import (
	"bytes"
	"fmt"
	"strings"
)

// LabelPDF is a platform fake's airway bill: a real one-page PDF (100 × 150
// mm, the label size the platforms print) showing the lines, so the cloud's
// drawing of it (raster, through poppler) runs as on a platform's bill.
func LabelPDF(lines ...string) []byte {
	var text strings.Builder
	text.WriteString("BT /F1 16 Tf 20 380 Td")
	for i, l := range lines {
		if i > 0 {
			text.WriteString(" 0 -24 Td")
		}
		l = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l)
		fmt.Fprintf(&text, " (%s) Tj", l)
	}
	text.WriteString(" ET 14 14 255 397 re S")
	return LabelPage(text.String())
}

// LabelPage is a real one-page PDF of label size whose page is drawn by
// content, a PDF content stream with Helvetica as font /F1.
func LabelPage(content string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 283 425] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
