package printer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/printer"
	"github.com/kasir/pos/printer/internal/stream"
	"github.com/kasir/pos/printer/printertest"
	"github.com/kasir/pos/printout"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

// The terminal's side of the platforms' airway bills: the label of a Shopee
// order is the bill the cloud sends (GET /v1/orders/{id}/bill?dots=N, as
// sync/wire and sync/client define it), queued before it is here, printed
// through the durable queue and previewed as it prints.

const billToken = "tok-terminal"

// billCloud answers the bill route as the cloud does, for billToken: the
// order's pages rasterized at the asked width, 409 until the platform made
// the bill, or the platform's refusal.
type billCloud struct {
	srv *httptest.Server

	mu      sync.Mutex
	ready   bool
	refused bool
	asked   []string // the dots of every question
	served  int
}

func newBillCloud(t *testing.T) *billCloud {
	t.Helper()
	c := &billCloud{ready: true}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+wire.BillPath, func(w http.ResponseWriter, r *http.Request) {
		fail := func(status int, code, msg string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(map[string]string{"code": code, "message": msg})
		}
		if r.Header.Get("Authorization") != "Bearer "+billToken {
			fail(http.StatusUnauthorized, app.EForbidden, "Authorization: Bearer <terminal token> is required")
			return
		}
		dots := 0
		if _, err := fmt.Sscan(r.URL.Query().Get("dots"), &dots); err != nil || app.ValidateBillDots(dots) != nil {
			fail(http.StatusBadRequest, app.EInvalid, "dots: must be a printer's width")
			return
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		c.asked = append(c.asked, r.URL.Query().Get("dots"))
		switch {
		case c.refused:
			fail(http.StatusUnprocessableEntity, app.ERefused, "Shopee refused the airway bill: package not found")
		case !c.ready:
			fail(http.StatusConflict, app.EConflict, "Shopee's airway bill is not ready: the order has no tracking number yet")
		default:
			c.served++
			_ = json.NewEncoder(w).Encode(wire.Bill{Order: r.PathValue("id"), Source: app.BillShopee, Media: "application/pdf", Dots: dots, Pages: billPages(t, dots)})
		}
	})
	c.srv = httptest.NewServer(mux)
	t.Cleanup(c.srv.Close)
	return c
}

func (c *billCloud) set(fn func(c *billCloud)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fn(c)
}

func (c *billCloud) counts() (asked, served int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.asked), c.served
}

// askBills is the terminal's question for a bill, through the sync
// client's AskBill, at a cloud address that a test may take down.
type askBills struct{ url *atomic.Value }

func (a askBills) Bill(ctx context.Context, orderID string, dots int) (*wire.Bill, error) {
	return client.AskBill(ctx, a.url.Load().(string), billToken, orderID, dots)
}

func billsAt(url string) (askBills, func(string)) {
	v := &atomic.Value{}
	v.Store(url)
	return askBills{v}, func(u string) { v.Store(u) }
}

// downURL is an address nobody answers at: a tablet offline from its cloud.
func downURL(t *testing.T) string {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL
}

// billPages are a two-page airway bill as the cloud rasterizes one: black
// on white, exactly dots wide, with bars and blocks a shifted or scaled
// raster would not reproduce.
func billPages(t testing.TB, dots int) [][]byte {
	var pages [][]byte
	for n, h := range []int{360, 150} {
		img := image.NewGray(image.Rect(0, 0, dots, h))
		for y := 0; y < h; y++ {
			for x := 0; x < dots; x++ {
				black := x < 4 || x >= dots-4 || y < 4 || y >= h-4 || // the bill's frame
					(y > 40 && y < 140 && (x/(3+n))%2 == 0) || // bars
					(y >= 180 && y < 300 && x >= 100+n*50 && x < 300 && (x+y)%7 < 3) // a pattern
				if !black {
					img.Pix[y*img.Stride+x] = 0xff
				}
			}
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, buf.Bytes())
	}
	return pages
}

// seedBillOrder stores a Shopee order ready to ship whose tracking number
// arrived: its parcel's label is Shopee's airway bill.
func seedBillOrder(t testing.TB, dir string) *app.Order {
	t.Helper()
	db := openStore(t, dir)
	defer db.Close()
	o := &app.Order{
		ID: "o-bill", Number: "SHP-2411", Channel: app.ChannelShopee, Currency: app.IDR, Status: app.StatusReadyToShip, Version: 1,
		Buyer: app.Buyer{Name: "Budi Santoso", Phone: "0813-9999-1234",
			Address: app.Address{Street: "Jl. Melati Raya No. 7", City: "Jakarta Pusat", PostalCode: "10510"}},
		Lines:     []app.Line{{SKU: "KOPI-ARB-250", Name: "Kopi Arabika 250g", Qty: 2, UnitPrice: 50000}},
		Shipment:  app.Shipment{Courier: "SPX", Service: "Standard", TrackingID: "SPXID0123456789"},
		CreatedAt: time.Now().UTC().Add(-time.Hour),
	}
	if err := db.Update(func(tx app.Tx) error { return tx.PutOrder(o) }); err != nil {
		t.Fatal(err)
	}
	return o
}

// restartWithBills opens dir as restart does, with a station that asks for bills.
func restartWithBills(t *testing.T, dir string, bills printer.Bills) *restarted {
	t.Helper()
	r := restart(t, dir, app.ReprintAsk)
	r.st.Bills = bills
	return r
}

// rasterPages reads an ESC/POS document back as a printer would print its
// GS v 0 images: the rows of consecutive bands make one picture, and a cut
// ends it.
func rasterPages(t *testing.T, doc []byte) []*image.Gray {
	t.Helper()
	var pages []*image.Gray
	var rows [][]byte
	stride := 0
	end := func() {
		if len(rows) == 0 {
			return
		}
		img := image.NewGray(image.Rect(0, 0, stride*8, len(rows)))
		for y, row := range rows {
			for x := 0; x < stride*8; x++ {
				if row[x/8]&(0x80>>(x%8)) == 0 {
					img.Pix[y*img.Stride+x] = 0xff
				}
			}
		}
		pages = append(pages, img)
		rows = nil
	}
	for i := 0; i < len(doc); {
		n, ok := stream.CommandLen(doc[i:])
		if !ok {
			t.Fatalf("the stream ends inside a command at byte %d", i)
		}
		c := doc[i : i+n]
		switch {
		case len(c) >= 8 && c[0] == 0x1d && c[1] == 'v' && c[2] == '0':
			s, h := int(c[4])|int(c[5])<<8, int(c[6])|int(c[7])<<8
			if stride != 0 && s != stride && len(rows) > 0 {
				t.Fatalf("a band of %d bytes a row inside a picture of %d", s, stride)
			}
			stride = s
			if len(c) != 8+s*h {
				t.Fatalf("GS v 0 of %dx%d carries %d bytes", s, h, len(c)-8)
			}
			for y := 0; y < h; y++ {
				rows = append(rows, c[8+y*s:8+(y+1)*s])
			}
		case len(c) >= 2 && c[0] == 0x1d && c[1] == 'V':
			end()
		}
		i += n
	}
	end()
	return pages
}

// samePicture compares a printed or previewed picture with a page the cloud
// sent, dot for dot; the page's pixels are black (0) or white.
func samePicture(got image.Image, page []byte) error {
	want, err := png.Decode(bytes.NewReader(page))
	if err != nil {
		return err
	}
	wb := want.Bounds()
	if got.Bounds().Dx() != wb.Dx() || got.Bounds().Dy() < wb.Dy() {
		return fmt.Errorf("%v, want the page's %v", got.Bounds(), wb)
	}
	g := got.Bounds().Min
	for y := 0; y < wb.Dy(); y++ {
		for x := 0; x < wb.Dx(); x++ {
			wy := color.GrayModel.Convert(want.At(wb.Min.X+x, wb.Min.Y+y)).(color.Gray).Y < 128
			gy := color.GrayModel.Convert(got.At(g.X+x, g.Y+y)).(color.Gray).Y < 128
			if wy != gy {
				return fmt.Errorf("dot (%d,%d) is black=%v, the page's is black=%v", x, y, gy, wy)
			}
		}
	}
	return nil
}

func TestShopeeLabelIsTheBillTheCloudSent(t *testing.T) {
	f := newPrinter(t)
	cloud := newBillCloud(t)
	dir := t.TempDir()
	o := seedBillOrder(t, dir)
	bills, _ := billsAt(cloud.srv.URL)
	r := restartWithBills(t, dir, bills)
	ayu := app.Actor{Staff: "Ayu", Role: app.RoleOwner}
	p := preset(t, "label-4in")
	pages := billPages(t, p.WidthDots)

	// The preview is the pages, as the printer will print them.
	img, _, err := r.st.Preview(app.DocLabel, r.order(t, o.ID), "label-4in")
	if err != nil {
		t.Fatal(err)
	}
	if err := samePicture(img, pages[0]); err != nil {
		t.Errorf("the preview's first page: %v", err)
	}
	doc, err := printout.Bill(pages, p)
	if err != nil {
		t.Fatal(err)
	}
	if !sameImage(img, printout.Render(doc, p)) {
		t.Error("the preview is not the bill's document as rendered")
	}

	job, _, err := r.st.Print(app.DocLabel, r.order(t, o.ID), f.URL(), "label-4in", ayu)
	if err != nil {
		t.Fatal(err)
	}
	if job.Bill != app.BillShopee || len(job.Data) != 0 || job.Kind != printer.KindLabel {
		t.Fatalf("job: bill %q, %d bytes, kind %q; want Shopee's bill, fetched when its turn comes", job.Bill, len(job.Data), job.Kind)
	}
	waitFor(t, "the bill recorded as the label", 5*time.Second, func() bool { return r.order(t, o.ID).Prints.LabelCount == 1 })
	docs := f.Documents()
	if len(docs) != 1 {
		t.Fatalf("%d documents printed, want the bill as one", len(docs))
	}
	printed := rasterPages(t, docs[0])
	if len(printed) != len(pages) {
		t.Fatalf("%d pictures printed, want the bill's %d pages", len(printed), len(pages))
	}
	for i := range pages {
		if err := samePicture(printed[i], pages[i]); err != nil {
			t.Errorf("printed page %d: %v", i+1, err)
		}
	}
	if lines := printertest.Text(docs[0]); len(lines) != 0 {
		t.Errorf("the bill carries text of ours: %q", lines)
	}
	asked, served := cloud.counts()
	if served != 2 || asked != 2 || cloud.asked[1] != "832" {
		t.Errorf("the cloud was asked %d times (%v), served %d; want the preview and the print, at 832 dots", asked, cloud.asked, served)
	}
	hist := r.order(t, o.ID).History
	if last := hist[len(hist)-1]; last.Actor.Staff != "Ayu" || !strings.HasPrefix(last.Note, "Label printed on "+f.URL()) {
		t.Errorf("history: %+v", last)
	}

	// The register's own label stays at hand, as a packing aid: it is not
	// the parcel's label, so it is not counted and never says COPY.
	if _, _, err := r.st.PrintOwnLabel(r.order(t, o.ID), f.URL(), "label-4in", ayu); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "our own label", 3*time.Second, func() bool { return f.Count() == 2 })
	own := f.Documents()[1]
	if !printertest.HasLine(own, "SPX Standard") || isCopy(own) {
		t.Errorf("our own label: %q", printertest.Text(own))
	}
	time.Sleep(100 * time.Millisecond)
	if n := r.order(t, o.ID).Prints.LabelCount; n != 1 {
		t.Errorf("label count %d after our own label, want the bill's 1", n)
	}
}

func TestBillWaitsForTheCloudAndPrintsOnceItComes(t *testing.T) {
	f := newPrinter(t)
	cloud := newBillCloud(t)
	dir := t.TempDir()
	o := seedBillOrder(t, dir)
	bills, moveTo := billsAt(downURL(t))
	r := restartWithBills(t, dir, bills)
	ayu := app.Actor{Staff: "Ayu", Role: app.RoleOwner}

	// Offline: the preview says why, in words, and the print waits for it.
	if _, _, err := r.st.Preview(app.DocLabel, r.order(t, o.ID), "label-4in"); app.ErrorMessage(err) != "Waiting for Shopee's airway bill: cloud unreachable" {
		t.Errorf("preview offline: %v", err)
	}
	if _, _, err := r.st.Print(app.DocLabel, r.order(t, o.ID), f.URL(), "label-4in", ayu); err != nil {
		t.Fatal(err)
	}
	// The reason is kept for the order's screen, then told as the attempt's error.
	waitFor(t, "the reason", 3*time.Second, func() bool { return r.st.BillWait(o.ID) != nil && len(r.messages()) > 0 })
	err := r.st.BillWait(o.ID)
	if app.ErrorMessage(err) != "Waiting for Shopee's airway bill: cloud unreachable" ||
		app.ErrorMessageIn(err, app.Indonesian) != "Menunggu resi Shopee: cloud tidak terjangkau" {
		t.Errorf("staff read %q / %q", app.ErrorMessage(err), app.ErrorMessageIn(err, app.Indonesian))
	}
	if msgs := r.messages(); len(msgs) == 0 || msgs[0] != "Waiting for Shopee's airway bill: cloud unreachable" {
		t.Errorf("told %q", msgs)
	}

	// Back online, the platform has not made the bill yet.
	cloud.set(func(c *billCloud) { c.ready = false })
	moveTo(cloud.srv.URL)
	r.st.Queue.RetryNow("")
	waitFor(t, "the next reason", 3*time.Second, func() bool {
		return app.ErrorMessage(r.st.BillWait(o.ID)) == "Waiting for Shopee's airway bill: Shopee has not made it yet"
	})
	if n, c := f.Count(), r.order(t, o.ID).Prints.LabelCount; n != 0 || c != 0 {
		t.Fatalf("%d printed, label count %d, before the bill came", n, c)
	}
	if n := storedJobs(t, r.db); n != 1 {
		t.Fatalf("%d jobs stored while waiting, want the bill's", n)
	}

	// The bill is made: printed once, recorded once.
	cloud.set(func(c *billCloud) { c.ready = true })
	r.st.Queue.RetryNow("")
	waitFor(t, "the bill", 5*time.Second, func() bool { return r.order(t, o.ID).Prints.LabelCount == 1 })
	r.st.Queue.RetryNow("")
	time.Sleep(300 * time.Millisecond)
	if n := f.Count(); n != 1 {
		t.Fatalf("%d documents, want the bill once", n)
	}
	if _, served := cloud.counts(); served != 1 {
		t.Errorf("the cloud served the bill %d times, want 1", served)
	}
	if err := r.st.BillWait(o.ID); err != nil {
		t.Errorf("still waiting after it printed: %v", err)
	}
	if n := storedJobs(t, r.db); n != 0 {
		t.Errorf("%d jobs left", n)
	}
}

// TestBillFetchedOnceWhileThePrinterIsOut: a bill fetched for a printer out
// of paper is kept with the job, not fetched again at every retry.
func TestBillFetchedOnceWhileThePrinterIsOut(t *testing.T) {
	f := newPrinter(t)
	f.SetPaperOut(true)
	cloud := newBillCloud(t)
	dir := t.TempDir()
	o := seedBillOrder(t, dir)
	bills, _ := billsAt(cloud.srv.URL)
	r := restartWithBills(t, dir, bills)
	if _, _, err := r.st.Print(app.DocLabel, r.order(t, o.ID), f.URL(), "label-4in", app.Actor{Staff: "Ayu", Role: app.RoleOwner}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "paper out told", 3*time.Second, func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, err := range r.told {
			if strings.Contains(err.Error(), "paper out") {
				return true
			}
		}
		return false
	})
	r.st.Queue.RetryNow("")
	time.Sleep(200 * time.Millisecond)
	f.SetPaperOut(false)
	r.st.Queue.RetryNow("")
	waitFor(t, "the bill", 5*time.Second, func() bool { return r.order(t, o.ID).Prints.LabelCount == 1 })
	if asked, _ := cloud.counts(); asked != 1 {
		t.Errorf("the cloud was asked %d times, want once", asked)
	}
}

func TestRefusedBillLeavesTheQueueInWords(t *testing.T) {
	f := newPrinter(t)
	cloud := newBillCloud(t)
	cloud.set(func(c *billCloud) { c.refused = true })
	dir := t.TempDir()
	o := seedBillOrder(t, dir)
	bills, _ := billsAt(cloud.srv.URL)
	r := restartWithBills(t, dir, bills)
	if _, _, err := r.st.Print(app.DocLabel, r.order(t, o.ID), f.URL(), "label-4in", app.Actor{Staff: "Ayu", Role: app.RoleOwner}); err != nil {
		t.Fatal(err)
	}
	want := "Shopee's airway bill could not be printed: Shopee refused the airway bill: package not found"
	waitFor(t, "the refusal", 3*time.Second, func() bool { msgs := r.messages(); return len(msgs) > 0 && msgs[0] == want })
	waitFor(t, "the job gone", 3*time.Second, func() bool { return storedJobs(t, r.db) == 0 })
	if got := app.ErrorMessage(r.st.BillWait(o.ID)); got != want {
		t.Errorf("the order says %q, want %q", got, want)
	}
	time.Sleep(200 * time.Millisecond)
	if n, c := f.Count(), r.order(t, o.ID).Prints.LabelCount; n != 0 || c != 0 {
		t.Errorf("%d printed, label count %d, for a refused bill", n, c)
	}
}

// TestAutoPrintPrintsTheBillOnce: the tracking number's arrival prints
// Shopee's bill by itself, once, as it prints our label for other orders.
func TestAutoPrintPrintsTheBillOnce(t *testing.T) {
	f := newPrinter(t)
	cloud := newBillCloud(t)
	dir := t.TempDir()
	o := seedBillOrder(t, dir)
	bills, _ := billsAt(cloud.srv.URL)
	r := restartWithBills(t, dir, bills)
	cfg := app.Printing{Printers: []app.PrinterSetup{{Name: "Label", URL: f.URL(), Profile: "label-4in", Labels: true}}, AutoPrintLabels: true}
	if err := r.st.SaveConfig(cfg); err != nil {
		t.Fatal(err)
	}
	auto := printer.NewAutoPrint(r.st)
	auto.Consider(r.order(t, o.ID))
	auto.Consider(r.order(t, o.ID))
	waitFor(t, "the bill", 5*time.Second, func() bool { return r.order(t, o.ID).Prints.LabelCount == 1 })
	auto.Consider(r.order(t, o.ID))
	time.Sleep(300 * time.Millisecond)
	if n := f.Count(); n != 1 || len(rasterPages(t, f.Documents()[0])) != 2 {
		t.Fatalf("%d documents, want the two-page bill once", n)
	}
	if last := r.order(t, o.ID).History; last[len(last)-1].Actor.Staff != "auto-print" {
		t.Errorf("history: %+v", last[len(last)-1])
	}
}

// TestBillCrashAtEveryPoint: the print crash test (crash_test.go) for a
// bill. Killed before its first byte left, the bill prints once after the
// restart; killed later, the station asks before a second bill, which is
// the same bill (not fetched again), and the label is recorded once.
func TestBillCrashAtEveryPoint(t *testing.T) {
	for _, point := range crashPoints {
		t.Run(point, func(t *testing.T) {
			f := newPrinter(t)
			cloud := newBillCloud(t)
			dir := t.TempDir()
			o := seedBillOrder(t, dir)
			killAt(t, point, dir, f.URL(), o.ID, envBills+"="+cloud.srv.URL)
			reached := point == "bytes" || point == "confirmed"
			if reached {
				waitFor(t, "the bill the child sent", 2*time.Second, func() bool { return f.Count() == 1 })
			}

			bills, _ := billsAt(cloud.srv.URL)
			r := restartWithBills(t, dir, bills)
			if point == "queued" {
				waitFor(t, "the bill", 5*time.Second, func() bool { return r.order(t, o.ID).Prints.LabelCount == 1 })
				time.Sleep(200 * time.Millisecond)
				if n := f.Count(); n != 1 {
					t.Fatalf("printed %d, want the bill once", n)
				}
				return
			}
			waitFor(t, "the question", 3*time.Second, func() bool { return len(r.st.Uncertain()) == 1 })
			if msgs := r.messages(); len(msgs) != 1 || msgs[0] != "Label for #SHP-2411 may have printed: print again?" {
				t.Errorf("told %q", msgs)
			}
			before := f.Count()
			r.st.Queue.RetryNow("")
			time.Sleep(300 * time.Millisecond)
			if n := f.Count(); n != before || r.order(t, o.ID).Prints.LabelCount != 0 {
				t.Fatalf("printed %d more, label count %d, without an answer", n-before, r.order(t, o.ID).Prints.LabelCount)
			}
			_, servedBefore := cloud.counts()
			j := r.st.Uncertain()[0]
			if _, err := r.st.PrintAgain(j.ID, app.Actor{Staff: "Ayu", Role: app.RoleOwner}); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the bill again, recorded", 5*time.Second, func() bool { return r.order(t, o.ID).Prints.LabelCount == 1 })
			docs := f.Documents()
			if len(docs) != before+1 {
				t.Fatalf("%d documents, want %d", len(docs), before+1)
			}
			pages := billPages(t, 832)
			for i, pic := range rasterPages(t, docs[len(docs)-1]) {
				if err := samePicture(pic, pages[i]); err != nil {
					t.Errorf("page %d printed again: %v", i+1, err)
				}
			}
			if _, served := cloud.counts(); served != servedBefore {
				t.Errorf("the bill was fetched again to print it again")
			}
			if n := storedJobs(t, r.db); n != 0 {
				t.Errorf("%d jobs left", n)
			}
		})
	}
}
