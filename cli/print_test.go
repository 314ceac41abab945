package cli

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/printer"
	"github.com/kasir/pos/printer/printertest"
)

// A printer that hangs after taking a label: `pos print label` says the
// label may have printed and prints nothing more; `pos print pending` shows
// the question; `pos print again` prints one copy marked COPY.
func TestPrintAgainFromTheCommandLine(t *testing.T) {
	dir := seeded(t)
	fp, err := printertest.NewPrinter()
	if err != nil {
		t.Fatal(err)
	}
	defer fp.Close()
	old := printer.StatusTimeout
	printer.StatusTimeout = 200 * time.Millisecond
	defer func() { printer.StatusTimeout = old }()
	var number string
	for _, o := range listJSON(t, dir, "--status", "in_delivery", "--label", "no").Orders {
		if o["tracking_id"] != "" && ownLabel(o) {
			number = o["number"].(string)
			break
		}
	}
	if number == "" {
		t.Fatal("the demo has no order awaiting its label")
	}
	fp.SetHangAfterPrinting(true)
	out, errs, code := pos(t, dir, "print", "label", number, "--printer", fp.URL(), "--profile", "generic-80")
	want := "Label for #" + number + " may have printed: print again?"
	if code != 1 || !strings.Contains(out, want) {
		t.Fatalf("hung printer: %d %s %s", code, out, errs)
	}
	fp.SetMute(false)

	out, errs, code = pos(t, dir, "print", "pending", "--json")
	var pending struct {
		Jobs []struct {
			ID       uint64 `json:"id"`
			State    string `json:"state"`
			Number   string `json:"number"`
			Question string `json:"question"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal([]byte(out), &pending); err != nil || code != 0 {
		t.Fatalf("pending: %v %s %s", err, out, errs)
	}
	if len(pending.Jobs) != 1 || pending.Jobs[0].State != "uncertain" || pending.Jobs[0].Question != want || pending.Jobs[0].Number != number {
		t.Fatalf("pending: %+v", pending.Jobs)
	}
	if n := fp.Count(); n != 1 {
		t.Fatalf("the printer got %d documents, want the one it hung on", n)
	}
	id := strconv.FormatUint(pending.Jobs[0].ID, 10)
	if _, errs, code := pos(t, dir, "print", "again", "x"); code == 0 || !strings.Contains(errs, "job") {
		t.Errorf("print again x: %d %s", code, errs)
	}
	out, errs, code = pos(t, dir, "print", "again", id, "--staff", "Ayu", "--json")
	if code != 0 || !strings.Contains(out, `"state": "printed"`) || !strings.Contains(out, `"copy": true`) {
		t.Fatalf("print again: %d %s %s", code, out, errs)
	}
	docs := fp.Documents()
	if len(docs) != 2 || printertest.HasLine(docs[0], "COPY") || !printertest.HasLine(docs[1], "** COPY **") {
		t.Fatalf("%d documents; want the original and one COPY", len(docs))
	}
	if _, errs, code := pos(t, dir, "print", "again", id); code != 1 || !strings.Contains(errs, "not waiting for an answer") {
		t.Errorf("answering twice: %d %s", code, errs)
	}
	if out, _, _ := pos(t, dir, "print", "pending"); !strings.Contains(out, "no print jobs waiting") {
		t.Errorf("pending after the copy: %s", out)
	}

	if out, errs, code := pos(t, dir, "print", "reprint-uncertain", "sometimes"); code == 0 || !strings.Contains(errs, "Reprint when unsure") {
		t.Errorf("bad setting: %d %s %s", code, out, errs)
	}
	if out, errs, code := pos(t, dir, "print", "reprint-uncertain", "always"); code != 0 || out != "reprint_uncertain: always\n" {
		t.Errorf("setting: %d %s %s", code, out, errs)
	}
	if out, _, _ := pos(t, dir, "print", "reprint-uncertain"); out != "reprint_uncertain: always\n" {
		t.Errorf("the setting did not stay: %s", out)
	}
}
