package terminal_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/demo"
	"github.com/kasir/pos/printer"
	"github.com/kasir/pos/printer/printertest"
	"github.com/kasir/pos/terminal"
)

// localShop seeds a terminal straight into its own store (no cloud), for
// tests of what happens inside one terminal.
func localShop(t *testing.T) (*terminal.Terminal, string) {
	t.Helper()
	dir := t.TempDir()
	term, err := terminal.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(term, demo.Local{T: term}, io.Discard); err != nil {
		t.Fatal(err)
	}
	return term, dir
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func searchingOrder(t *testing.T, term *terminal.Terminal) *app.Order {
	t.Helper()
	page, err := term.Service.Find(app.Filter{Statuses: []app.Status{app.StatusReadyToShip}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range page.Orders {
		// Our own label: a marketplace's orders carry its airway bill.
		if o.Shipment.State == app.ShipmentNone && !o.Channel.Rule().Marketplace {
			if _, err := term.Service.Do(app.Command{Action: app.ActionArrangeDropoff, OrderID: o.ID, Args: app.Args{Courier: "JNE"}}, app.Actor{Staff: "Ayu", Role: app.RoleOwner}); err != nil {
				t.Fatal(err)
			}
			return o
		}
	}
	t.Fatal("no ready order without a shipment")
	return nil
}

// ownLabelOrders returns n orders with a tracking ID whose parcel's label
// is the register's own (a marketplace's orders carry its airway bill,
// which the printer's bill tests print), giving ready orders a courier
// where the demo has too few.
func ownLabelOrders(t *testing.T, term *terminal.Terminal, n int) []*app.Order {
	t.Helper()
	found, err := term.Service.Find(app.Filter{Statuses: []app.Status{app.StatusInDelivery}, Channels: []app.Channel{app.ChannelManual, app.ChannelStore, app.ChannelWooCommerce}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []*app.Order
	for _, o := range found.Orders {
		if o.Shipment.TrackingID != "" && app.BillSource(o) == "" && len(out) < n {
			out = append(out, o)
		}
	}
	for i := 0; len(out) < n; i++ {
		o := searchingOrder(t, term)
		cmd, _ := app.CourierCommand(o.ID, app.CourierUpdate{Kind: app.CourierAssigned, Courier: "JNE", TrackingID: fmt.Sprintf("JNE0011223%d", i)})
		got, err := term.Service.Do(cmd, app.ChannelActor("logistics"))
		if err != nil {
			t.Fatal(err)
		}
		if app.BillSource(got.Order) != "" {
			t.Fatalf("order %s carries %s's bill", got.Order.Number, app.BillSource(got.Order))
		}
		out = append(out, got.Order)
	}
	return out
}

func TestAutoPrintLabelWhenTrackingArrivesOnce(t *testing.T) {
	term, _ := localShop(t)
	defer term.Close()
	fp, err := printertest.NewPrinter()
	if err != nil {
		t.Fatal(err)
	}
	defer fp.Close()
	st, err := terminal.OpenStation(term, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg, _ := st.Config()
	cfg.Printers = []app.PrinterSetup{{Name: "Counter", URL: fp.URL(), Profile: "generic-80", Labels: true, Receipts: true}}
	cfg.AutoPrintLabels = true
	if err := st.SaveConfig(cfg); err != nil {
		t.Fatal(err)
	}
	auto := printer.NewAutoPrint(st)
	term.Service.Observe(func(res *app.Result) { auto.Consider(res.Order) })
	o := searchingOrder(t, term)
	if n := len(fp.Documents()); n != 0 {
		t.Fatalf("printed %d documents before any tracking ID", n)
	}
	cmd, _ := app.CourierCommand(o.ID, app.CourierUpdate{Kind: app.CourierAssigned, Courier: "JNE", TrackingID: "JNE00112233"})
	if _, err := term.Service.Do(cmd, app.ChannelActor("logistics")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the label", func() bool { return len(fp.Documents()) == 1 })
	waitFor(t, "the print in the history", func() bool {
		got, _ := term.Service.Order(o.ID)
		return got.LabelPrinted()
	})
	got, _ := term.Service.Order(o.ID)
	last := got.History[len(got.History)-1]
	if last.Action != app.ActionRecordPrint || last.Actor.Staff != "auto-print" {
		t.Fatalf("history: %+v", last)
	}
	auto.Consider(got)
	time.Sleep(200 * time.Millisecond)
	if n := len(fp.Documents()); n != 1 {
		t.Fatalf("the label printed %d times", n)
	}
	if !bytes.Contains(fp.Documents()[0], []byte(o.Number)) {
		t.Fatal("the label does not carry the order number")
	}
}

// The queue test: printer off, three labels, restart, printer on.
func TestQueuedLabelsSurviveARestartExactlyOnceInOrder(t *testing.T) {
	term, dir := localShop(t)
	fp, err := printertest.NewPrinter()
	if err != nil {
		t.Fatal(err)
	}
	defer fp.Close()
	fp.SetOffline(true)
	st, err := terminal.OpenStation(term, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	page := app.Page{Orders: ownLabelOrders(t, term, 3)}
	var want []string
	for _, o := range page.Orders {
		if _, _, err := st.Print(app.DocLabel, o, fp.URL(), "generic-80", app.Actor{Staff: "Ayu", Role: app.RoleOwner}); err != nil {
			t.Fatal(err)
		}
		want = append(want, o.Number)
	}
	time.Sleep(300 * time.Millisecond)
	st.Close()
	term.Close()
	if n := len(fp.Documents()); n != 0 {
		t.Fatalf("an offline printer got %d documents", n)
	}

	term, err = terminal.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	fp.SetOffline(false)
	st, err = terminal.OpenStation(term, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	waitFor(t, "three labels", func() bool { return len(fp.Documents()) >= 3 })
	time.Sleep(300 * time.Millisecond)
	docs := fp.Documents()
	if len(docs) != 3 {
		t.Fatalf("%d documents, want exactly 3", len(docs))
	}
	for i, d := range docs {
		if !bytes.Contains(d, []byte(want[i])) {
			t.Fatalf("label %d is not %s: out of order", i+1, want[i])
		}
	}
	for _, o := range page.Orders {
		waitFor(t, "label recorded", func() bool {
			got, _ := term.Service.Order(o.ID)
			return got.Prints.LabelCount == o.Prints.LabelCount+1 // as the demo left it, and once now
		})
	}
}

// Staff read why a print cannot start, not "Internal error".
func TestPrintErrorsAreForStaff(t *testing.T) {
	term, _ := localShop(t)
	defer term.Close()
	st, err := terminal.OpenStation(term, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	page, _ := term.Service.Find(app.Filter{Statuses: []app.Status{app.StatusInDelivery}, Limit: 1})
	_, _, err = st.Print(app.DocLabel, page.Orders[0], "", "", app.Actor{Staff: "Ayu", Role: app.RoleOwner})
	if app.ErrorMessage(err) != "No printer is set up for labels: add one in Settings » Printers" {
		t.Fatalf("no printer: %q", app.ErrorMessage(err))
	}
	fresh, _ := term.Service.Find(app.Filter{Statuses: []app.Status{app.StatusNew}, Limit: 1})
	_, _, err = st.Preview(app.DocLabel, fresh.Orders[0], "generic-58")
	if msg := app.ErrorMessage(err); !strings.Contains(msg, "tracking_id") {
		t.Fatalf("a label before a courier is assigned: %q", msg)
	}
}
