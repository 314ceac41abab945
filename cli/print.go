package cli

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/printer"
	"github.com/kasir/pos/terminal"
)

func (c *command) print(args []string) error {
	if len(args) == 0 {
		return usagef("print takes receipt, label, slip, test, preview, pending, again, printed or reprint-uncertain")
	}
	kind, rest := args[0], args[1:]
	switch kind {
	case "preview":
		return c.printPreview(rest)
	case "pending":
		return c.printPending(rest)
	case "again", "printed":
		return c.printAnswer(kind, rest)
	case "reprint-uncertain":
		return c.printReprintSetting(rest)
	}
	fs := c.flags("print " + kind)
	url := fs.String("printer", "", "printer URL: tcp://host:9100, usb:///dev/usb/lp0 or file://path (default: the one set up)")
	profile := fs.String("profile", "", "printer profile, e.g. epson-tm-t82-80, generic-58, label-4in")
	wait := fs.Duration("wait", 15*time.Second, "how long to wait for the printer before leaving the job queued")
	staff := fs.String("staff", "", "staff name recorded in the history")
	own := fs.Bool("own", false, "label: the register's own label, a packing aid, for an order whose parcel carries a platform's airway bill (the label printed without it)")
	pos, err := parseInterspersed(fs, rest)
	if err != nil {
		return err
	}
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	var lastErr error
	st, err := terminal.OpenStation(t, terminal.PairedBills(t), func(_ printer.Job, err error) { lastErr = err })
	if err != nil {
		return err
	}
	defer st.Close()
	var job printer.Job
	switch kind {
	case "test":
		if *url == "" {
			return usagef("print test needs --printer URL")
		}
		if job, err = st.PrintTestPage(*url, *profile); err != nil {
			return err
		}
	case "receipt", "label", "slip":
		if len(pos) != 1 {
			return usagef("print %s takes one order ID or number", kind)
		}
		o, err := resolveOrder(t, pos[0])
		if err != nil {
			return err
		}
		var warnings []string
		if *own && kind == "label" {
			job, warnings, err = st.PrintOwnLabel(o, *url, *profile, cliActor(t, *staff))
		} else {
			job, warnings, err = st.Print(app.Document(kind), o, *url, *profile, cliActor(t, *staff))
		}
		if err != nil {
			return err
		}
		for _, w := range warnings {
			fmt.Fprintln(c.env.Stderr, "warning:", w)
		}
	default:
		return usagef("print takes receipt, label, slip, test, preview, pending, again, printed or reprint-uncertain, not %q", kind)
	}
	return c.reportJob(st, job, *wait, func() error { return lastErr })
}

// reportJob says what became of a queued job within wait.
func (c *command) reportJob(st *printer.Station, job printer.Job, wait time.Duration, lastErr func() error) error {
	copyNote := ""
	if job.Copy {
		copyNote = " (marked COPY)"
	}
	fmt.Fprintf(c.env.Stdout, "queued %s job %d%s for %s\n", job.Kind, job.ID, copyNote, job.PrinterURL)
	switch got := waitPrinted(c.env.Ctx, st, job.ID, wait); {
	case got.ID == 0:
		fmt.Fprintf(c.env.Stdout, "printed on %s\n", job.PrinterURL)
		return nil
	case got.Uncertain():
		fmt.Fprintf(c.env.Stdout, "%s\n%s\n", c.say(printer.Question(got).Text()), got.LastError)
		fmt.Fprintf(c.env.Stdout, "Answer with `pos print again %d` (prints a copy marked COPY) or `pos print printed %d`.\n", got.ID, got.ID)
		return partialError{1}
	}
	reason := "it did not answer"
	if err := lastErr(); err != nil {
		reason = err.Error()
	}
	fmt.Fprintf(c.env.Stdout, "not printed yet: %s\nThe job stays queued and prints when the printer is back and pos (or pos agent) is running.\n", reason)
	return nil
}

// waitPrinted waits up to d for job id to print, and returns the job as it
// stands: a zero Job once it printed, or the job still pending (uncertain
// ones at once, since only an answer moves them).
func waitPrinted(ctx context.Context, st *printer.Station, id uint64, d time.Duration) printer.Job {
	deadline := time.Now().Add(d)
	for {
		var left printer.Job
		for _, j := range st.Queue.Pending() {
			if j.ID == id {
				left = j
			}
		}
		if left.ID == 0 || left.Uncertain() || !time.Now().Before(deadline) || ctx.Err() != nil {
			return left
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// pendingJSON is one job of `pos print pending --json`: the job without its
// bytes, and the question staff answer for an uncertain one.
type pendingJSON struct {
	ID          uint64           `json:"id"`
	Kind        printer.JobKind  `json:"kind"`
	State       printer.JobState `json:"state"`
	OrderID     string           `json:"order_id,omitempty"`
	Number      string           `json:"number,omitempty"`
	PrinterURL  string           `json:"printer_url"`
	Copy        bool             `json:"copy"`
	Attempts    int              `json:"attempts"`
	Created     time.Time        `json:"created"`
	LastError   string           `json:"last_error,omitempty"`
	PrinterSaid string           `json:"printer_said,omitempty"`
	Question    string           `json:"question,omitempty"`
}

// printPending lists the jobs that have not printed, uncertain ones with their question.
func (c *command) printPending(args []string) error {
	fs := c.flags("print pending")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("print pending takes no arguments")
	}
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	st, err := terminal.OpenStation(t, terminal.PairedBills(t), nil)
	if err != nil {
		return err
	}
	defer st.Close()
	jobs := []pendingJSON{}
	for _, j := range st.Queue.Pending() {
		state := j.State
		if state == "" {
			state = printer.JobQueued
		}
		pj := pendingJSON{ID: j.ID, Kind: j.Kind, State: state, OrderID: j.OrderID, Number: j.Number, PrinterURL: j.PrinterURL,
			Copy: j.Copy, Attempts: j.Attempts, Created: j.Created, LastError: j.LastError, PrinterSaid: j.PrinterSaid}
		if j.Uncertain() {
			pj.Question = c.say(printer.Question(j).Text())
		}
		jobs = append(jobs, pj)
	}
	if *asJSON {
		return writeJSON(c.env.Stdout, struct {
			Jobs []pendingJSON `json:"jobs"`
		}{jobs})
	}
	if len(jobs) == 0 {
		fmt.Fprintln(c.env.Stdout, "no print jobs waiting")
		return nil
	}
	tw := tabwriter.NewWriter(c.env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tKIND\tORDER\tSTATE\tPRINTER\tATTEMPTS\tNOTE")
	for _, j := range jobs {
		note := j.LastError
		if j.Question != "" {
			note = j.Question + " (printer now: " + j.PrinterSaid + ")"
		}
		kind := string(j.Kind)
		if j.Copy {
			kind += " (COPY)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", j.ID, kind, j.Number, j.State, j.PrinterURL, j.Attempts, note)
	}
	return tw.Flush()
}

// printAnswer answers "may have printed: print again?" for one job: again
// prints a copy marked COPY, printed records that it did print.
func (c *command) printAnswer(answer string, args []string) error {
	fs := c.flags("print " + answer)
	wait := fs.Duration("wait", 15*time.Second, "how long to wait for the copy to print")
	staff := fs.String("staff", "", "staff name recorded in the history")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("print %s takes one job number (see pos print pending)", answer)
	}
	id, err := strconv.ParseUint(pos[0], 10, 64)
	if err != nil || id == 0 {
		return app.FieldError("job", "must be a job number from pos print pending, got %q", pos[0])
	}
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	var lastErr error
	st, err := terminal.OpenStation(t, terminal.PairedBills(t), func(_ printer.Job, err error) { lastErr = err })
	if err != nil {
		return err
	}
	defer st.Close()
	actor := cliActor(t, *staff)
	if answer == "printed" {
		j, err := st.KeepPrinted(id, actor)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(c.env.Stdout, map[string]any{"id": j.ID, "state": "printed", "number": j.Number})
		}
		fmt.Fprintf(c.env.Stdout, "job %d recorded as printed; not printed again\n", j.ID)
		return nil
	}
	job, err := st.PrintAgain(id, actor)
	if err != nil {
		return err
	}
	if *asJSON {
		got := waitPrinted(c.env.Ctx, st, job.ID, *wait)
		state := "printed"
		if got.ID != 0 {
			state = string(got.State)
		}
		return writeJSON(c.env.Stdout, map[string]any{"id": job.ID, "state": state, "copy": job.Copy, "number": job.Number})
	}
	return c.reportJob(st, job, *wait, func() error { return lastErr })
}

// printReprintSetting shows or sets what stations do with a print that may
// have printed: ask staff, always print a copy, or never print again.
func (c *command) printReprintSetting(args []string) error {
	fs := c.flags("print reprint-uncertain")
	staff := fs.String("staff", "", "staff name recorded in the history")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("print reprint-uncertain takes ask, always or never")
	}
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	p := t.Service.CurrentPolicy()
	if len(pos) == 1 {
		p.ReprintUncertain = app.ReprintChoice(pos[0])
		if err := p.ReprintUncertain.Validate(); err != nil {
			return err
		}
		if err := t.SavePolicy(p, cliActor(t, *staff)); err != nil {
			return err
		}
	}
	fmt.Fprintf(c.env.Stdout, "reprint_uncertain: %s\n", p.ReprintUncertain.Or())
	return nil
}

func (c *command) printPreview(args []string) error {
	fs := c.flags("print preview")
	out := fs.String("out", "", "PNG file to write")
	profile := fs.String("profile", "", "printer profile (default: the printer set up for the document)")
	own := fs.Bool("own", false, "label: the register's own label of an order whose parcel carries a platform's airway bill")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || *out == "" {
		return usagef("print preview takes receipt|label|slip ORDER --out FILE.png")
	}
	kind := app.Document(pos[0])
	if kind != app.DocReceipt && kind != app.DocLabel && kind != app.DocSlip {
		return usagef("print preview takes receipt, label or slip, not %q", pos[0])
	}
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	o, err := resolveOrder(t, pos[1])
	if err != nil {
		return err
	}
	// A platform's bill is asked of the paired cloud, as pos print label does.
	st := &printer.Station{Service: t.Service, Settings: t.DB, Now: time.Now, Bills: terminal.PairedBills(t)}
	var img image.Image
	var warnings []string
	if *own && kind == app.DocLabel {
		img, warnings, err = st.PreviewOwnLabel(o, *profile)
	} else {
		img, warnings, err = st.Preview(kind, o, *profile)
	}
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintln(c.env.Stderr, "warning:", w)
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(c.env.Stdout, "wrote %s preview of %s to %s (%dx%d)\n", kind, o.Number, *out, img.Bounds().Dx(), img.Bounds().Dy())
	return nil
}

func (c *command) printers(args []string) error {
	if len(args) > 0 && (args[0] == "profiles" || args[0] == "profile") {
		return c.printerProfiles(args)
	}
	if len(args) != 2 || args[0] != "status" {
		return usagef("printers takes: status URL, profiles, or profile add")
	}
	ctx, cancel := context.WithTimeout(c.env.Ctx, 5*time.Second)
	defer cancel()
	st, err := printer.PrinterStatus(ctx, args[1])
	if err != nil {
		return err
	}
	fmt.Fprintf(c.env.Stdout, "%s: %s\n", args[1], st)
	if !st.Ready() {
		return partialError{1}
	}
	return nil
}

// printerProfiles lists profiles, or adds one of the shop's own.
func (c *command) printerProfiles(args []string) error {
	if args[0] == "profiles" {
		t, err := c.open()
		if err != nil {
			return err
		}
		defer t.Close()
		cfg, err := (&printer.Station{Settings: t.DB}).Config()
		if err != nil {
			return err
		}
		for _, name := range cfg.ProfileNames() {
			p, _ := cfg.Profile(name)
			fmt.Fprintf(c.env.Stdout, "%-18s %4d dots  %2d chars  qr:%-6s code page %-8s cutter:%v\n", p.Name, p.WidthDots, p.CharsPerLine,
				map[bool]string{true: "native", false: "raster"}[p.NativeQR], p.CodePage, p.Cutter)
		}
		return nil
	}
	if len(args) < 2 || args[1] != "add" {
		return usagef("printers profile takes: add --name N --width DOTS --chars N [--native-qr] [--code-page PC858] [--cutter]")
	}
	fs := c.flags("printers profile add")
	name := fs.String("name", "", "profile name")
	width := fs.Int("width", 0, "printable width in dots (58 mm = 384, 80 mm = 576, 4-inch label = 832); a multiple of 8")
	chars := fs.Int("chars", 0, "font A characters per line (32, 48, 69)")
	nativeQR := fs.Bool("native-qr", false, "the printer understands GS ( k QR commands")
	codePage := fs.String("code-page", "PC437", "PC437, PC850, PC858 or WPC1252")
	cutter := fs.Bool("cutter", false, "the printer has an auto-cutter")
	drawer := fs.Bool("drawer", false, "a cash drawer hangs on the printer's kick-out port (opened on cash sales)")
	if _, err := parseInterspersed(fs, args[2:]); err != nil {
		return err
	}
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	st := &printer.Station{Settings: t.DB}
	cfg, err := st.Config()
	if err != nil {
		return err
	}
	p := app.PrinterProfile{Name: strings.TrimSpace(*name), WidthDots: *width, CharsPerLine: *chars, NativeQR: *nativeQR, CodePage: *codePage, Cutter: *cutter, Drawer: *drawer}
	if err := cfg.AddProfile(p); err != nil {
		return err
	}
	if err := st.SaveConfig(cfg); err != nil {
		return err
	}
	fmt.Fprintf(c.env.Stdout, "profile %s saved\n", p.Name)
	return nil
}
