package printer_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/printer"
	"github.com/kasir/pos/printer/printertest"
	"github.com/kasir/pos/printout"
	"github.com/kasir/pos/store"
)

// The queue's tests run on the terminal's real store (bbolt, fsync per
// write), printing to printertest's printer over loopback TCP.

func newPrinter(t testing.TB) *printertest.Printer {
	t.Helper()
	f, err := printertest.NewPrinter()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func openStore(t testing.TB, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func preset(t testing.TB, name string) printout.Profile {
	t.Helper()
	p, err := printout.Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func labelBytes(t testing.TB, p printout.Profile, trackingID string) []byte {
	t.Helper()
	doc, err := printout.Label(printout.LabelData{Courier: "J&T", Service: "EZ", TrackingID: trackingID, OrderNo: "SHP-" + trackingID,
		Recipient: printout.Party{Name: "Budi Santoso", Phone: "0813-9999-1234", Address: "Jl. Melati Raya No. 7, Jakarta Pusat 10510"},
		Sender:    printout.Party{Name: "Toko Kopi Senja"}, Parcel: 1, Parcels: 1, Items: []string{"2x Kopi Arabika 250g"}}, p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := printer.Encode(doc, p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func waitFor(t testing.TB, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// shortStatusTimeout makes a mute printer fail within the test's patience.
func shortStatusTimeout(t testing.TB) {
	old := printer.StatusTimeout
	printer.StatusTimeout = 150 * time.Millisecond
	t.Cleanup(func() { printer.StatusTimeout = old })
}

func storedJobs(t testing.TB, db *store.DB) int {
	t.Helper()
	n := 0
	if err := db.PrintJobs().EachJob(func(uint64, []byte) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestQueueSurvivesRestart: with the printer off, three labels are queued;
// the terminal restarts (store closed and reopened, a new queue); the
// printer comes on, and each label arrives exactly once, in order.
func TestQueueSurvivesRestart(t *testing.T) {
	f := newPrinter(t)
	f.SetOffline(true)
	p := preset(t, "label-4in")
	dir := t.TempDir()
	opts := printer.QueueOptions{MinBackoff: 10 * time.Millisecond, MaxBackoff: 40 * time.Millisecond}

	db := openStore(t, dir)
	q := printer.NewQueue(db.PrintJobs(), opts)
	if err := q.Start(); err != nil {
		t.Fatal(err)
	}
	var want [][]byte
	for i := 1; i <= 3; i++ {
		data := labelBytes(t, p, fmt.Sprintf("JP00000000%02d", i))
		want = append(want, data)
		if _, err := q.Enqueue(printer.Job{Kind: printer.KindLabel, OrderID: fmt.Sprint("order-", i), PrinterURL: f.URL(), Data: data}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "a failed attempt", 2*time.Second, func() bool {
		pend := q.Pending()
		return len(pend) == 3 && pend[0].Attempts > 0
	})
	if pend := q.Pending(); !strings.Contains(pend[0].LastError, "offline") {
		t.Errorf("last error %q should say the printer is offline", pend[0].LastError)
	}
	q.Close()
	db.Close()
	if n := len(f.Received()) + f.Discarded(); n != 0 {
		t.Fatalf("%d bytes reached an offline printer", n)
	}

	db = openStore(t, dir)
	defer db.Close()
	var mu sync.Mutex
	var printed []printer.Job
	opts.OnPrinted = func(j printer.Job) {
		mu.Lock()
		printed = append(printed, j)
		mu.Unlock()
	}
	q = printer.NewQueue(db.PrintJobs(), opts)
	if err := q.Start(); err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if n := len(q.Pending()); n != 3 {
		t.Fatalf("%d jobs after restart, want 3", n)
	}
	f.SetOffline(false)
	waitFor(t, "three printed labels", 5*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(printed) == 3
	})
	time.Sleep(100 * time.Millisecond) // nothing more may arrive
	docs := f.Documents()
	if len(docs) != 3 {
		t.Fatalf("printer got %d documents, want 3", len(docs))
	}
	for i := range docs {
		if !bytes.Equal(docs[i], want[i]) {
			t.Errorf("document %d is not label %d", i, i+1)
		}
		if printed[i].OrderID != fmt.Sprint("order-", i+1) {
			t.Errorf("OnPrinted #%d for %s", i, printed[i].OrderID)
		}
	}
	if n := storedJobs(t, db); n != 0 {
		t.Errorf("%d jobs left in the store", n)
	}
}

// TestQueueHungPrinterIsNotSentAgain: a printer that takes the bytes and
// then answers no status request may have printed. The job is set aside as
// uncertain, kept on disk, and not sent a second time even after the
// printer wakes up and staff press retry; only PrintAgain sends it, as a copy.
func TestQueueHungPrinterIsNotSentAgain(t *testing.T) {
	shortStatusTimeout(t)
	f := newPrinter(t)
	f.SetHangAfterPrinting(true)
	db := openStore(t, t.TempDir())
	defer db.Close()
	var mu sync.Mutex
	var set []printer.Job
	var printed int
	q := printer.NewQueue(db.PrintJobs(), printer.QueueOptions{MinBackoff: 10 * time.Millisecond,
		OnUncertain: func(j printer.Job) { mu.Lock(); set = append(set, j); mu.Unlock() },
		OnPrinted:   func(printer.Job) { mu.Lock(); printed++; mu.Unlock() }})
	if err := q.Start(); err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	p := preset(t, "label-4in")
	job, err := q.Enqueue(printer.Job{Kind: printer.KindLabel, OrderID: "o-1", Number: "1234", PrinterURL: f.URL(), Data: labelBytes(t, p, "JP1")})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the job set aside", 3*time.Second, func() bool { mu.Lock(); defer mu.Unlock(); return len(set) == 1 })
	got := set[0]
	if got.ID != job.ID || !got.Uncertain() || !strings.Contains(got.LastError, "did not answer the status request") {
		t.Fatalf("set aside: %+v", got)
	}
	f.SetMute(false)
	q.RetryNow("")
	time.Sleep(300 * time.Millisecond)
	if n := f.Count(); n != 1 {
		t.Fatalf("the printer got %d documents, want the one it hung on", n)
	}
	if n := storedJobs(t, db); n != 1 {
		t.Fatalf("%d jobs stored, want the uncertain one", n)
	}
	if u := q.Uncertain(); len(u) != 1 || u[0].ID != job.ID {
		t.Fatalf("uncertain: %+v", u)
	}
	if _, err := q.PrintAgain(job.ID+1, nil, app.Actor{}); app.ErrorCode(err) != app.ENotFound {
		t.Errorf("PrintAgain of a job that is not uncertain: %v", err)
	}
	again, err := q.PrintAgain(job.ID, labelBytes(t, p, "JP1-COPY"), app.Actor{Staff: "Ayu", Role: app.RoleOwner})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Copy || again.Actor.Staff != "Ayu" {
		t.Errorf("again: %+v", again)
	}
	waitFor(t, "the copy", 3*time.Second, func() bool { mu.Lock(); defer mu.Unlock(); return printed == 1 })
	if n := f.Count(); n != 2 {
		t.Fatalf("%d documents", n)
	}
	if n := storedJobs(t, db); n != 0 {
		t.Fatalf("%d jobs left", n)
	}
}

// TestQueueRetriesWhatNeverLeft: a printer that is off, or refuses the
// connection, gets the job again later: no byte left, so nothing is uncertain.
func TestQueueRetriesWhatNeverLeft(t *testing.T) {
	f := newPrinter(t)
	url := f.URL()
	f.Close() // nothing listens: the connection is refused
	db := openStore(t, t.TempDir())
	defer db.Close()
	var mu sync.Mutex
	var errs []error
	q := printer.NewQueue(db.PrintJobs(), printer.QueueOptions{MinBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond,
		OnError:     func(_ printer.Job, err error) { mu.Lock(); errs = append(errs, err); mu.Unlock() },
		OnUncertain: func(j printer.Job) { t.Errorf("job %d set aside though nothing was sent", j.ID) }})
	if err := q.Start(); err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if _, err := q.Enqueue(printer.Job{Kind: printer.KindTest, PrinterURL: url, Data: []byte("\x1b@hello\n")}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "two failed attempts", 3*time.Second, func() bool { mu.Lock(); defer mu.Unlock(); return len(errs) >= 2 })
	if pend := q.Pending(); len(pend) != 1 || pend[0].State != printer.JobQueued || pend[0].Attempts < 2 {
		t.Fatalf("pending: %+v", pend)
	}
}

func TestEnqueueRefusesIncompleteJob(t *testing.T) {
	db := openStore(t, t.TempDir())
	defer db.Close()
	q := printer.NewQueue(db.PrintJobs(), printer.QueueOptions{})
	defer q.Close()
	for field, j := range map[string]printer.Job{
		"printer_url": {Kind: printer.KindTest, Data: []byte("x")},
		"data":        {Kind: printer.KindTest, PrinterURL: "file:///tmp/x"},
		"kind":        {PrinterURL: "file:///tmp/x", Data: []byte("x")},
	} {
		if _, err := q.Enqueue(j); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("err = %v, want one naming %s", err, field)
		}
	}
}

// A stored job that does not decode stops Start with its number, rather
// than vanishing.
func TestStartReportsUndecodableJob(t *testing.T) {
	db := openStore(t, t.TempDir())
	defer db.Close()
	id, err := db.PrintJobs().AddJob([]byte("{not json"))
	if err != nil {
		t.Fatal(err)
	}
	q := printer.NewQueue(db.PrintJobs(), printer.QueueOptions{})
	defer q.Close()
	if err := q.Start(); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("print job %d", id)) {
		t.Fatalf("Start: %v", err)
	}
}
