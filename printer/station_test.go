package printer_test

import (
	"image"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/printout"
)

// TestStationHungPrinterAsksBeforeACopy: a printer that hangs after taking
// a label (write accepted, no status reply) gives the same question as a
// crash, never a blind second label; "it printed" records the print.
func TestStationHungPrinterAsksBeforeACopy(t *testing.T) {
	shortStatusTimeout(t)
	f := newPrinter(t)
	dir := t.TempDir()
	o := seedLabelOrder(t, dir)
	r := restart(t, dir, app.ReprintAsk)
	f.SetHangAfterPrinting(true)
	ayu := app.Actor{Staff: "Ayu", Role: app.RoleOwner}
	job, _, err := r.st.Print(app.DocLabel, r.order(t, o.ID), f.URL(), "label-4in", ayu)
	if err != nil {
		t.Fatal(err)
	}
	if job.Copy || job.Number != "1234" || job.Profile != "label-4in" {
		t.Fatalf("job: copy %v number %q profile %q", job.Copy, job.Number, job.Profile)
	}
	waitFor(t, "the question", 3*time.Second, func() bool { return len(r.st.Uncertain()) == 1 })
	if msgs := r.messages(); len(msgs) != 1 || msgs[0] != "Label for #1234 may have printed: print again?" {
		t.Fatalf("told %q", msgs)
	}
	if j := r.st.Uncertain()[0]; !strings.Contains(j.PrinterSaid, "did not answer the status request") {
		t.Errorf("printer said %q", j.PrinterSaid)
	}
	f.SetMute(false) // the printer wakes up; still nothing is sent again
	r.st.Queue.RetryNow("")
	time.Sleep(300 * time.Millisecond)
	if n := f.Count(); n != 1 {
		t.Fatalf("%d documents after the hang, want 1", n)
	}
	// While the answer is pending, another print of the label is a copy.
	if img, _, err := r.st.Preview(app.DocLabel, r.order(t, o.ID), "label-4in"); err != nil || !sameImage(img, copyPreview(t, r, o.ID)) {
		t.Errorf("the preview of a label that may have printed does not show COPY (err %v)", err)
	}

	// Staff saw the label come out.
	if _, err := r.st.KeepPrinted(job.ID, ayu); err != nil {
		t.Fatal(err)
	}
	got := r.order(t, o.ID)
	last := got.History[len(got.History)-1]
	if got.Prints.LabelCount != 1 || last.Actor.Staff != "Ayu" || !strings.HasPrefix(last.Note, "Label printed on") {
		t.Errorf("label count %d, history %+v", got.Prints.LabelCount, last)
	}
	if _, err := r.st.KeepPrinted(job.ID, ayu); app.ErrorCode(err) != app.ENotFound {
		t.Errorf("answering twice: %v", err)
	}
	if _, err := r.st.PrintAgain(job.ID, ayu); app.ErrorCode(err) != app.ENotFound {
		t.Errorf("print again after the answer: %v", err)
	}
	time.Sleep(100 * time.Millisecond)
	if n := f.Count(); n != 1 {
		t.Fatalf("%d documents", n)
	}
}

// TestReprintOfPrintedOrderSaysCopy: receipts, slips and labels of an order
// that already printed them print, and preview, with COPY.
func TestReprintOfPrintedOrderSaysCopy(t *testing.T) {
	f := newPrinter(t)
	dir := t.TempDir()
	o := seedLabelOrder(t, dir)
	r := restart(t, dir, app.ReprintAsk)
	ayu := app.Actor{Staff: "Ayu", Role: app.RoleOwner}
	for i, doc := range []app.Document{app.DocReceipt, app.DocSlip, app.DocLabel} {
		for round := 0; round < 2; round++ {
			if _, _, err := r.st.Print(doc, r.order(t, o.ID), f.URL(), "generic-80", ayu); err != nil {
				t.Fatal(err)
			}
			n := 2*i + round + 1
			waitFor(t, string(doc)+" printed", 3*time.Second, func() bool { return f.Count() == n })
			waitFor(t, string(doc)+" recorded", 3*time.Second, func() bool {
				p := r.order(t, o.ID).Prints
				return map[app.Document]int{app.DocReceipt: p.ReceiptCount, app.DocSlip: p.SlipCount, app.DocLabel: p.LabelCount}[doc] == round+1
			})
			if got := isCopy(f.Documents()[n-1]); got != (round == 1) {
				t.Errorf("%s print %d: COPY is %v", doc, round+1, got)
			}
		}
	}
}

// copyPreview renders the label of order id as a copy, for comparing with Preview.
func copyPreview(t *testing.T, r *restarted, id string) image.Image {
	t.Helper()
	p := preset(t, "label-4in")
	docs, err := r.st.Build(app.DocLabel, r.order(t, id), p, true)
	if err != nil {
		t.Fatal(err)
	}
	return printout.Render(docs[0], p)
}

func sameImage(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ya, _, _, _ := a.At(x, y).RGBA()
			yb, _, _, _ := b.At(x, y).RGBA()
			if ya != yb {
				return false
			}
		}
	}
	return true
}
