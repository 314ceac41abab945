package printer_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/printer"
)

func TestTransportStatusFromFakePrinter(t *testing.T) {
	f := newPrinter(t)
	tr, err := printer.Open(f.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	ctx := context.Background()
	check := func(set func(bool), want string) {
		t.Helper()
		set(true)
		st, err := tr.Status(ctx)
		set(false)
		if err != nil {
			t.Fatalf("%s: %v", want, err)
		}
		if !strings.Contains(st.String(), want) || (want != "paper near end" && st.Ready()) {
			t.Errorf("status %q, want %q", st, want)
		}
	}
	check(f.SetOffline, "offline")
	check(f.SetCoverOpen, "cover open")
	check(f.SetPaperOut, "paper out")
	check(f.SetPaperNearEnd, "paper near end")
	st, err := tr.Status(ctx)
	if err != nil || !st.Ready() || st.String() != "ready" {
		t.Errorf("status = %v, %v; want ready", st, err)
	}

	f.SetGarbled(true)
	if _, err := tr.Status(ctx); err == nil || !strings.Contains(err.Error(), "not a status byte") {
		t.Errorf("garbled reply: err = %v", err)
	}
	f.SetGarbled(false)

	old := printer.StatusTimeout
	printer.StatusTimeout = 200 * time.Millisecond
	defer func() { printer.StatusTimeout = old }()
	f.SetMute(true)
	_, err = tr.Status(ctx)
	want := "printer at " + f.URL() + " did not answer the status request within 200ms"
	if err == nil || err.Error() != want {
		t.Errorf("mute printer: err = %v, want %q", err, want)
	}
	f.SetMute(false)
	// The transport reconnects after the failure.
	if st, err := tr.Status(ctx); err != nil || !st.Ready() {
		t.Errorf("after reconnect: %v, %v", st, err)
	}
}
