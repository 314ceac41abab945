package cloud

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/printer"
	"github.com/kasir/pos/printer/printertest"
	"github.com/kasir/pos/store"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

// terminalBills is a terminal's question for bills, with its token, as its
// sync client asks it (client.AskBill), at a cloud address a test may move
// (a tablet offline, then back).
type terminalBills struct {
	base  atomic.Value
	token string
}

func (b *terminalBills) Bill(ctx context.Context, orderID string, dots int) (*wire.Bill, error) {
	return client.AskBill(ctx, b.base.Load().(string), b.token, orderID, dots)
}

// TestShopeeBillPrintsOnTheTerminalsLabelPrinter: end to end, Shopee's PDF
// airway bill, drawn by this cloud at the label printer's width, is what a
// terminal's print station previews and prints: the ESC/POS raster the test
// printer received, read back, is the cloud's page dot for dot, and the
// order records its label once the printer confirmed it. The tablet is
// offline when staff print: the bill waits, says why, and prints once.
func TestShopeeBillPrintsOnTheTerminalsLabelPrinter(t *testing.T) {
	needBillTools(t)
	sc := startShopeeCloud(t)
	tok := sc.terminal(t)
	o := sc.detailedOrder(t)
	o = sc.arrangeTracked(t, o.ID)

	// The terminal holds the order as sync brought it.
	db, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx app.Tx) error { return tx.PutOrder(o) }); err != nil {
		t.Fatal(err)
	}
	svc := app.NewService(db, app.DefaultPolicy())
	var mu sync.Mutex
	var told []error
	bills := &terminalBills{token: tok}
	offline := httptest.NewServer(http.NotFoundHandler())
	offline.Close()
	bills.base.Store(sc.url)
	st, err := printer.NewStation(svc, db, db.PrintJobs(), bills, func(_ printer.Job, err error) {
		mu.Lock()
		told = append(told, err)
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fp, err := printertest.NewPrinter()
	if err != nil {
		t.Fatal(err)
	}
	defer fp.Close()

	bill, err := client.AskBill(context.Background(), sc.url, tok, o.ID, 832)
	if err != nil {
		t.Fatal(err)
	}
	preview, _, err := st.Preview(app.DocLabel, o, "label-4in")
	if err != nil {
		t.Fatal(err)
	}
	if err := samePage(preview, 0, bill.Pages[0]); err != nil {
		t.Errorf("the preview is not Shopee's bill: %v", err)
	}
	if f := os.Getenv("BILL_PREVIEW_PNG"); f != "" { // docs/bill-preview.png
		var buf bytes.Buffer
		if err := png.Encode(&buf, preview); err != nil || os.WriteFile(f, buf.Bytes(), 0o644) != nil {
			t.Errorf("writing %s: %v", f, err)
		}
	}
	bills.base.Store(offline.URL)
	if _, _, err := st.Print(app.DocLabel, o, fp.URL(), "label-4in", app.Actor{Staff: "Ayu", Role: app.RoleOwner}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the reason", func() bool {
		return app.ErrorMessage(st.BillWait(o.ID)) == "Waiting for Shopee's airway bill: cloud unreachable"
	})
	if n := len(fp.Documents()); n != 0 {
		t.Fatalf("%d documents printed offline", n)
	}
	bills.base.Store(sc.url)
	st.Queue.RetryNow("")
	eventually(t, "the label recorded", func() bool {
		got, err := svc.Order(o.ID)
		return err == nil && got.Prints.LabelCount == 1
	})
	docs := fp.Documents()
	if len(docs) != 1 {
		t.Fatalf("%d documents printed, want the bill once (told %v)", len(docs), told)
	}
	pages, err := readRaster(docs[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != len(bill.Pages) {
		t.Fatalf("%d pages printed, the bill has %d", len(pages), len(bill.Pages))
	}
	for i := range pages {
		if err := samePage(pages[i], 0, bill.Pages[i]); err != nil {
			t.Errorf("printed page %d: %v", i+1, err)
		}
	}
	if n := sc.fake.Calls("POST /api/v2/logistics/download_shipping_document"); n != 1 {
		t.Errorf("Shopee was asked %d times for the document, want once (the cloud keeps it)", n)
	}
}

// samePage compares img, from row y0, with a PNG page dot for dot
// (black is a grey below half, as the printer's threshold takes it).
func samePage(img image.Image, y0 int, page []byte) error {
	want, err := png.Decode(bytes.NewReader(page))
	if err != nil {
		return err
	}
	wb, gb := want.Bounds(), img.Bounds()
	if gb.Dx() != wb.Dx() || gb.Dy()-y0 < wb.Dy() {
		return fmt.Errorf("%v from row %d, the page is %v", gb, y0, wb)
	}
	black := func(c color.Color) bool {
		_, _, _, a := c.RGBA()
		return a > 0x8000 && color.GrayModel.Convert(c).(color.Gray).Y < 128
	}
	inked := 0
	for y := 0; y < wb.Dy(); y++ {
		for x := 0; x < wb.Dx(); x++ {
			w := black(want.At(wb.Min.X+x, wb.Min.Y+y))
			if w {
				inked++
			}
			if g := black(img.At(gb.Min.X+x, gb.Min.Y+y0+y)); g != w {
				return fmt.Errorf("dot (%d,%d) is black=%v, the page's is black=%v", x, y, g, w)
			}
		}
	}
	if inked == 0 {
		return fmt.Errorf("the page is blank")
	}
	return nil
}

// readRaster reads a bill's ESC/POS document back as the printer prints it:
// ESC @, ESC t n, ESC 3 n, then GS v 0 bands, a GS V cut ending each page.
// Anything else is refused, so nothing of ours is printed on the bill.
func readRaster(doc []byte) ([]image.Image, error) {
	var pages []image.Image
	var rows [][]byte
	stride := 0
	i := 0
	for i < len(doc) {
		b := doc[i:]
		switch {
		case len(b) >= 2 && b[0] == 0x1b && b[1] == '@':
			i += 2
		case len(b) >= 3 && b[0] == 0x1b && (b[1] == 't' || b[1] == '3'):
			i += 3
		case len(b) >= 8 && b[0] == 0x1d && b[1] == 'v' && b[2] == '0':
			s, h := int(b[4])|int(b[5])<<8, int(b[6])|int(b[7])<<8
			if len(b) < 8+s*h || (len(rows) > 0 && s != stride) {
				return nil, fmt.Errorf("a broken GS v 0 at byte %d", i)
			}
			stride = s
			for y := 0; y < h; y++ {
				rows = append(rows, b[8+y*s:8+(y+1)*s])
			}
			i += 8 + s*h
		case len(b) >= 4 && b[0] == 0x1d && b[1] == 'V':
			img := image.NewGray(image.Rect(0, 0, stride*8, len(rows)))
			for y, row := range rows {
				for x := 0; x < stride*8; x++ {
					if row[x/8]&(0x80>>(x%8)) == 0 {
						img.Pix[y*img.Stride+x] = 0xff
					}
				}
			}
			pages, rows = append(pages, img), nil
			i += 4
		default:
			return nil, fmt.Errorf("byte %d (% x) is not part of a printed bill", i, b[:min(len(b), 4)])
		}
	}
	if len(rows) > 0 {
		return nil, fmt.Errorf("%d rows after the last cut", len(rows))
	}
	return pages, nil
}
