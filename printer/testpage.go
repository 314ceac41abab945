package printer

import (
	"fmt"
	"strings"
	"time"
)

// TestPage lays out the page staff print to check a new printer: the
// profile's width as a ruler, a code page sample, a barcode and a QR code.
func TestPage(p Profile, at time.Time) (*Document, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	doc := &Document{Kind: KindTest}
	doc.Add(
		Text{Text: "PRINTER TEST", Align: AlignCenter, Bold: true, Width: 2, Height: 2},
		Text{Text: p.Name, Align: AlignCenter},
		Text{Text: at.Format("2006-01-02 15:04:05"), Align: AlignCenter},
		Separator{Char: '='},
		Text{Text: fmt.Sprintf("%d dots, %d characters per line", p.WidthDots, p.CharsPerLine)},
		Text{Text: ruler(p.CharsPerLine)},
		Text{Text: strings.Repeat("1234567890", p.CharsPerLine/10+1)[:p.CharsPerLine]},
		Separator{Char: '-'},
		Text{Text: "Code page " + p.CodePage + ":"},
		Text{Text: "ASCII  !\"#$%&'()*+,-./0123456789"},
		Text{Text: "Latin  é è ê ñ ü ß ç à Ø £"},
		Text{Text: "Rupiah Rp 125.000   Ringgit RM 12.50"},
		Separator{Char: '-'},
		Text{Text: "Bold", Bold: true},
		Text{Text: "Underline", Underline: true},
		Text{Text: "Double", Width: 2, Height: 2},
		Separator{Char: '-'},
		Text{Text: "CODE128:", Align: AlignCenter},
		Barcode{Data: "TEST12345678", Height: 80},
		Text{Text: "QR:", Align: AlignCenter},
		QR{Data: "https://kasir.dev/test", Align: AlignCenter, EC: ECMedium},
	)
	if p.NativeQR {
		doc.Add(Text{Text: "QR printed natively (GS ( k)", Align: AlignCenter})
	} else {
		doc.Add(Text{Text: "QR printed as a raster image", Align: AlignCenter})
	}
	if p.Cutter {
		doc.Add(Feed{Lines: 3}, Cut{})
	} else {
		doc.Add(Feed{Lines: 4})
	}
	return doc, nil
}

// ruler marks every tenth column, so staff can see the line width.
func ruler(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		switch {
		case i%10 == 0:
			b.WriteByte(byte('0' + (i/10)%10))
		case i%5 == 0:
			b.WriteByte('+')
		default:
			b.WriteByte('.')
		}
	}
	return b.String()
}
