package printer_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
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

// The print crash test: a child process (this test binary, re-run) prints
// one label through the real queue and store to a counting test printer in
// the parent, and stops dead at one point of the job, where the parent
// SIGKILLs it. A new station then opens the same data directory. Whatever
// the point, the label is never lost, never printed twice without someone
// (or the shop's setting) deciding so, and a second copy says COPY.

// crashPoints are the moments of a job, in the order they happen.
var crashPoints = []string{
	"queued",    // stored, "sending" not yet recorded
	"sending",   // "sending" recorded, no byte sent
	"bytes",     // the printer took the bytes, no confirmation asked yet
	"confirmed", // the printer confirmed, "sent" not yet recorded
}

const (
	envPoint = "PRINT_CRASH_POINT"
	envDir   = "PRINT_CRASH_DIR"
	envURL   = "PRINT_CRASH_URL"
	envOrder = "PRINT_CRASH_ORDER"
	envBills = "PRINT_CRASH_BILLS" // the cloud a bill is asked at
	atPoint  = "AT-CRASH-POINT"
)

func TestMain(m *testing.M) {
	if point := os.Getenv(envPoint); point != "" {
		if err := crashChild(point, os.Getenv(envDir), os.Getenv(envURL), os.Getenv(envOrder)); err != nil {
			fmt.Fprintln(os.Stderr, "crash child:", err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashChild prints one label and blocks for ever at point.
func crashChild(point, dir, url, orderID string) error {
	db, err := store.Open(dir)
	if err != nil {
		return err
	}
	svc := app.NewService(db, app.DefaultPolicy())
	st := &printer.Station{Service: svc, Settings: db, Now: time.Now}
	if u := os.Getenv(envBills); u != "" {
		st.Bills, _ = billsAt(u)
	}
	stop := func() {
		fmt.Println(atPoint)
		select {} // the parent SIGKILLs this process here
	}
	st.Queue = printer.NewQueue(stoppingStore{db.PrintJobs(), point, stop}, printer.QueueOptions{Open: func(u string) (printer.Transport, error) {
		t, err := printer.Open(u)
		return stoppingTransport{t, point, stop}, err
	}, Fill: st.FillBill})
	if err := st.Queue.Start(); err != nil {
		return err
	}
	o, err := svc.Order(orderID)
	if err != nil {
		return err
	}
	if _, _, err := st.Print(app.DocLabel, o, url, "label-4in", app.Actor{Staff: "Ayu", Role: app.RoleOwner}); err != nil {
		return err
	}
	time.Sleep(10 * time.Second)
	return errors.New("the job never reached point " + point)
}

// stoppingStore stops before "sending" (point queued) or before "sent" (point confirmed) is written.
type stoppingStore struct {
	store.PrintJobs
	point string
	stop  func()
}

func (s stoppingStore) PutJob(id uint64, rec []byte, sent ...uint64) (bool, error) {
	if s.point == "queued" {
		s.stop()
	}
	if s.point == "confirmed" && len(sent) > 0 {
		s.stop()
	}
	return s.PrintJobs.PutJob(id, rec, sent...)
}

func (s stoppingStore) RemoveJob(id uint64) error {
	if s.point == "confirmed" {
		s.stop()
	}
	return s.PrintJobs.RemoveJob(id)
}

// stoppingTransport stops just before the bytes (point sending) or just after them (point bytes).
type stoppingTransport struct {
	printer.Transport
	point string
	stop  func()
}

func (t stoppingTransport) Write(ctx context.Context, b []byte) error {
	if t.point == "sending" {
		t.stop()
	}
	err := t.Transport.Write(ctx, b)
	if t.point == "bytes" {
		t.stop()
	}
	return err
}

// killAt runs the child until it reports point, then SIGKILLs it.
func killAt(t *testing.T, point, dir, url, orderID string, env ...string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), envPoint+"="+point, envDir+"="+dir, envURL+"="+url, envOrder+"="+orderID), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reached := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == atPoint {
				reached <- true
				return
			}
		}
		reached <- false
	}()
	select {
	case ok := <-reached:
		if !ok {
			cmd.Wait()
			t.Fatalf("child ended before point %s: %s", point, stderr.String())
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child never reached point %s: %s", point, stderr.String())
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()
}

// seedLabelOrder stores an order ready to ship with a tracking ID, whose
// label is the register's own (a web-store order: no platform bill).
func seedLabelOrder(t testing.TB, dir string) *app.Order {
	t.Helper()
	db := openStore(t, dir)
	defer db.Close()
	o := &app.Order{
		ID: "o-crash", Number: "1234", Channel: app.ChannelWooCommerce, Currency: app.IDR, Status: app.StatusReadyToShip, Version: 1,
		Buyer: app.Buyer{Name: "Budi Santoso", Phone: "0813-9999-1234",
			Address: app.Address{Street: "Jl. Melati Raya No. 7", City: "Jakarta Pusat", PostalCode: "10510"}},
		Lines:     []app.Line{{SKU: "KOPI-ARB-250", Name: "Kopi Arabika 250g", Qty: 2, UnitPrice: 50000}},
		Shipment:  app.Shipment{Courier: "J&T", Service: "EZ", TrackingID: "JP1234567890"},
		CreatedAt: time.Now().UTC().Add(-time.Hour),
	}
	if err := db.Update(func(tx app.Tx) error { return tx.PutOrder(o) }); err != nil {
		t.Fatal(err)
	}
	return o
}

// restarted is a terminal opened again on dir after the crash.
type restarted struct {
	db  *store.DB
	svc *app.Service
	st  *printer.Station

	mu   sync.Mutex
	told []error
}

func restart(t *testing.T, dir string, choice app.ReprintChoice) *restarted {
	t.Helper()
	r := &restarted{db: openStore(t, dir)}
	pol := app.DefaultPolicy()
	pol.ReprintUncertain = choice
	r.svc = app.NewService(r.db, pol)
	st, err := printer.NewStation(r.svc, r.db, r.db.PrintJobs(), nil, func(_ printer.Job, err error) {
		r.mu.Lock()
		r.told = append(r.told, err)
		r.mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	r.st = st
	t.Cleanup(func() {
		st.Close()
		r.db.Close()
	})
	return r
}

func (r *restarted) messages() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, err := range r.told {
		out = append(out, app.ErrorMessage(err))
	}
	return out
}

func (r *restarted) order(t *testing.T, id string) *app.Order {
	t.Helper()
	o, err := r.svc.Order(id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// withoutCopyMark is the text of doc with the COPY banner and the COPY
// beside the print time taken out.
func withoutCopyMark(doc []byte) []string {
	lines := printertest.Text(doc)
	if len(lines) >= 2 && strings.Contains(lines[0], printout.CopyMark) {
		lines = lines[2:]
	}
	for i, l := range lines {
		lines[i] = strings.Replace(l, printout.CopyMark+" - Printed", "Printed", 1)
	}
	return lines
}

// isCopy decodes a document the printer received and reports whether it says COPY.
func isCopy(doc []byte) bool { return printertest.HasLine(doc, "** "+printout.CopyMark+" **") }

func TestPrintCrashAtEveryPoint(t *testing.T) {
	for _, point := range crashPoints {
		t.Run(point, func(t *testing.T) {
			f := newPrinter(t)
			dir := t.TempDir()
			o := seedLabelOrder(t, dir)
			killAt(t, point, dir, f.URL(), o.ID)

			// Did the first label reach the paper before the kill?
			reached := point == "bytes" || point == "confirmed"
			if reached {
				waitFor(t, "the label the child sent", 2*time.Second, func() bool { return f.Count() == 1 })
			} else {
				time.Sleep(100 * time.Millisecond)
				if n := f.Count(); n != 0 {
					t.Fatalf("%d documents printed before any byte was sent", n)
				}
			}
			if reached && isCopy(f.Documents()[0]) {
				t.Fatal("the first print says COPY")
			}

			r := restart(t, dir, app.ReprintAsk)
			if point == "queued" {
				// No byte had left: the label is simply sent, once, as the original.
				waitFor(t, "the label", 3*time.Second, func() bool { return r.order(t, o.ID).Prints.LabelCount == 1 })
				time.Sleep(200 * time.Millisecond)
				if n := f.Count(); n != 1 || isCopy(f.Documents()[0]) {
					t.Fatalf("printed %d, copy=%v; want one original", n, n > 0 && isCopy(f.Documents()[0]))
				}
				if u := r.st.Uncertain(); len(u) != 0 {
					t.Fatalf("uncertain jobs: %+v", u)
				}
				return
			}

			// The job is caught between "sending" and "sent": the station asks
			// the printer, then staff, and prints nothing by itself.
			waitFor(t, "the question", 3*time.Second, func() bool { return len(r.st.Uncertain()) == 1 })
			j := r.st.Uncertain()[0]
			if j.PrinterSaid != "ready" || !strings.Contains(j.LastError, "was being sent when the terminal stopped") {
				t.Errorf("uncertain job: said %q, error %q", j.PrinterSaid, j.LastError)
			}
			want := "Label for #1234 may have printed: print again?"
			if msgs := r.messages(); len(msgs) != 1 || msgs[0] != want {
				t.Errorf("staff were told %q, want %q", msgs, want)
			}
			before := f.Count()
			r.st.Queue.RetryNow("")
			time.Sleep(300 * time.Millisecond)
			if n := f.Count(); n != before {
				t.Fatalf("printed %d more without an answer", n-before)
			}
			if got := r.order(t, o.ID).Prints.LabelCount; got != 0 {
				t.Fatalf("label count %d before anyone answered", got)
			}

			// Staff answer "print again": one more label, marked COPY.
			again, err := r.st.PrintAgain(j.ID, app.Actor{Staff: "Ayu", Role: app.RoleOwner})
			if err != nil {
				t.Fatal(err)
			}
			if !again.Copy {
				t.Error("the job printed again is not marked as a copy")
			}
			waitFor(t, "the copy recorded", 3*time.Second, func() bool { return r.order(t, o.ID).Prints.LabelCount == 1 })
			time.Sleep(100 * time.Millisecond)
			docs := f.Documents()
			if len(docs) != before+1 {
				t.Fatalf("%d documents, want %d", len(docs), before+1)
			}
			if !isCopy(docs[len(docs)-1]) {
				t.Errorf("the second print does not say COPY: %q", printertest.Text(docs[len(docs)-1]))
			}
			if !printertest.HasLine(docs[len(docs)-1], "Order 1234") {
				t.Errorf("the copy is not the order's label: %q", printertest.Text(docs[len(docs)-1]))
			}
			if reached {
				if got, want := withoutCopyMark(docs[1]), printertest.Text(docs[0]); strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("the copy differs from the original beyond its COPY mark:\n%q\n%q", got, want)
				}
			}
			hist := r.order(t, o.ID).History
			if last := hist[len(hist)-1]; last.Action != app.ActionRecordPrint || last.Actor.Staff != "Ayu" {
				t.Errorf("history: %+v", last)
			}
			if n := storedJobs(t, r.db); n != 0 {
				t.Errorf("%d jobs left in the store", n)
			}
		})
	}
}

// TestPrintCrashFollowsShopSetting: a station that nobody watches follows
// reprint_uncertain instead of asking.
func TestPrintCrashFollowsShopSetting(t *testing.T) {
	t.Run("always", func(t *testing.T) {
		f := newPrinter(t)
		dir := t.TempDir()
		o := seedLabelOrder(t, dir)
		killAt(t, "bytes", dir, f.URL(), o.ID)
		waitFor(t, "the first label", 2*time.Second, func() bool { return f.Count() == 1 })
		r := restart(t, dir, app.ReprintAlways)
		waitFor(t, "the copy", 3*time.Second, func() bool { return r.order(t, o.ID).Prints.LabelCount == 1 })
		time.Sleep(200 * time.Millisecond)
		docs := f.Documents()
		if len(docs) != 2 || isCopy(docs[0]) || !isCopy(docs[1]) {
			t.Fatalf("%d documents; want the original and then one COPY", len(docs))
		}
		want := "Label for #1234 may have printed; printed again, marked COPY, as the shop's settings say"
		if msgs := r.messages(); len(msgs) != 1 || msgs[0] != want {
			t.Errorf("told %q", msgs)
		}
	})
	t.Run("never", func(t *testing.T) {
		f := newPrinter(t)
		dir := t.TempDir()
		o := seedLabelOrder(t, dir)
		killAt(t, "bytes", dir, f.URL(), o.ID)
		waitFor(t, "the first label", 2*time.Second, func() bool { return f.Count() == 1 })
		r := restart(t, dir, app.ReprintNever)
		waitFor(t, "the decision", 3*time.Second, func() bool { return r.order(t, o.ID).Prints.LabelCount == 1 })
		time.Sleep(200 * time.Millisecond)
		if n := f.Count(); n != 1 {
			t.Fatalf("%d documents; want only the first", n)
		}
		hist := r.order(t, o.ID).History
		last := hist[len(hist)-1]
		if !strings.HasPrefix(last.Note, "Label may have printed on "+f.URL()) || strings.HasPrefix(last.Note, "Label printed") {
			t.Errorf("history claims more than is known: %q", last.Note)
		}
		if n := storedJobs(t, r.db); n != 0 {
			t.Errorf("%d jobs left", n)
		}
		// A label printed by hand afterwards is a copy.
		if _, _, err := r.st.Print(app.DocLabel, r.order(t, o.ID), f.URL(), "label-4in", app.Actor{Staff: "Ayu", Role: app.RoleOwner}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the manual copy", 3*time.Second, func() bool { return f.Count() == 2 })
		if !isCopy(f.Documents()[1]) {
			t.Error("a label printed after an unconfirmed one does not say COPY")
		}
	})
}
