package printer

import (
	"fmt"
	"strings"
	"time"

	"github.com/kasir/pos/printout"
)

// TestPage lays out the page staff print to check a new printer: the
// profile's width as a ruler, a code page sample, a barcode and a QR code.
func TestPage(p printout.Profile, at time.Time) (*printout.Document, error) {
	if err := CheckProfile(p); err != nil {
		return nil, err
	}
	doc := &printout.Document{}
	doc.Add(
		printout.Text{Text: "PRINTER TEST", Align: printout.AlignCenter, Bold: true, Width: 2, Height: 2},
		printout.Text{Text: p.Name, Align: printout.AlignCenter},
		printout.Text{Text: at.Format("2006-01-02 15:04:05"), Align: printout.AlignCenter},
		printout.Separator{Char: '='},
		printout.Text{Text: fmt.Sprintf("%d dots, %d characters per line", p.WidthDots, p.CharsPerLine)},
		printout.Text{Text: ruler(p.CharsPerLine)},
		printout.Text{Text: strings.Repeat("1234567890", p.CharsPerLine/10+1)[:p.CharsPerLine]},
		printout.Separator{Char: '-'},
		printout.Text{Text: "Code page " + p.CodePage + ":"},
		printout.Text{Text: "ASCII  !\"#$%&'()*+,-./0123456789"},
		printout.Text{Text: "Latin  é è ê ñ ü ß ç à Ø £"},
		printout.Text{Text: "Rupiah Rp 125.000   Ringgit RM 12.50"},
		printout.Separator{Char: '-'},
		printout.Text{Text: "Bold", Bold: true},
		printout.Text{Text: "Underline", Underline: true},
		printout.Text{Text: "Double", Width: 2, Height: 2},
		printout.Separator{Char: '-'},
		printout.Text{Text: "CODE128:", Align: printout.AlignCenter},
		printout.Barcode{Data: "TEST12345678", Height: 80},
		printout.Text{Text: "QR:", Align: printout.AlignCenter},
		printout.QR{Data: "https://kasir.dev/test", Align: printout.AlignCenter, EC: printout.ECMedium},
	)
	if p.NativeQR {
		doc.Add(printout.Text{Text: "QR printed natively (GS ( k)", Align: printout.AlignCenter})
	} else {
		doc.Add(printout.Text{Text: "QR printed as a raster image", Align: printout.AlignCenter})
	}
	if p.Cutter {
		doc.Add(printout.Feed{Lines: 3}, printout.Cut{})
	} else {
		doc.Add(printout.Feed{Lines: 4})
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
