package cli

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/printer"
)

// openStation starts the print queue over the terminal's store, resuming
// jobs an earlier run left behind.
func openStation(t *Terminal, onError func(printer.Job, error)) (*printer.Station, error) {
	return printer.NewStation(t.Service, t.DB, t.DB.PrintJobs(), onError)
}

func (c *command) print(args []string) error {
	if len(args) == 0 {
		return usagef("print takes receipt, label, slip, test or preview")
	}
	kind, rest := args[0], args[1:]
	if kind == "preview" {
		return c.printPreview(rest)
	}
	fs := c.flags("print " + kind)
	url := fs.String("printer", "", "printer URL: tcp://host:9100, usb:///dev/usb/lp0 or file://path (default: the one set up)")
	profile := fs.String("profile", "", "printer profile, e.g. epson-tm-t82-80, generic-58, label-4in")
	wait := fs.Duration("wait", 15*time.Second, "how long to wait for the printer before leaving the job queued")
	staff := fs.String("staff", "", "staff name recorded in the history")
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
	st, err := openStation(t, func(_ printer.Job, err error) { lastErr = err })
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
		job, warnings, err = st.Print(app.Document(kind), o, *url, *profile, cliActor(t, *staff))
		if err != nil {
			return err
		}
		for _, w := range warnings {
			fmt.Fprintln(c.env.Stderr, "warning:", w)
		}
	default:
		return usagef("print takes receipt, label, slip, test or preview, not %q", kind)
	}
	fmt.Fprintf(c.env.Stdout, "queued %s job %d for %s\n", job.Kind, job.ID, job.PrinterURL)
	if waitPrinted(c.env.Ctx, st, job.ID, *wait) {
		fmt.Fprintf(c.env.Stdout, "printed on %s\n", job.PrinterURL)
		return nil
	}
	reason := "it did not answer"
	if lastErr != nil {
		reason = lastErr.Error()
	}
	fmt.Fprintf(c.env.Stdout, "not printed yet: %s\nThe job stays queued and prints when the printer is back and pos (or pos agent) is running.\n", reason)
	return nil
}

// waitPrinted reports whether job left the queue within d.
func waitPrinted(ctx context.Context, st *printer.Station, id uint64, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		pending := false
		for _, j := range st.Queue.Pending() {
			if j.ID == id {
				pending = true
			}
		}
		if !pending {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

func (c *command) printPreview(args []string) error {
	fs := c.flags("print preview")
	out := fs.String("out", "", "PNG file to write")
	profile := fs.String("profile", "", "printer profile (default: the printer set up for the document)")
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
	st := &printer.Station{Service: t.Service, Settings: t.DB, Now: time.Now}
	img, warnings, err := st.Preview(kind, o, *profile)
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
	p := printer.Profile{Name: strings.TrimSpace(*name), WidthDots: *width, CharsPerLine: *chars, NativeQR: *nativeQR, CodePage: *codePage, Cutter: *cutter}
	if err := cfg.AddProfile(p); err != nil {
		return err
	}
	if err := st.SaveConfig(cfg); err != nil {
		return err
	}
	fmt.Fprintf(c.env.Stdout, "profile %s saved\n", p.Name)
	return nil
}
