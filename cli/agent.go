package cli

import (
	"fmt"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/demo"
	"github.com/kasir/pos/printer"
	"github.com/kasir/pos/terminal"
)

// agent runs a terminal without a window: sync (the cloud rejects overdue orders),
// the print queue and, with --print, automatic labels and receipts.
func (c *command) agent(args []string) error {
	fs := c.flags("agent")
	cloudURL := fs.String("cloud", "", "cloud base URL, http(s)://… (default: the saved pairing, or the embedded cloud)")
	token := fs.String("token", "", "pairing token from `pos-cloud terminal add`")
	autoPrint := fs.Bool("print", false, "print each label when its order gets a tracking ID, and receipts for staff who enabled it")
	withDemo := fs.Bool("demo", false, "seed an empty shop and run the sample-order feed (embedded cloud only)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	opts := terminal.StartOptions{CloudURL: *cloudURL, Token: *token, AutoPrint: *autoPrint, Log: c.env.Stdout}
	if *withDemo {
		opts.Seed, opts.FeedRate = demo.SeedEmbedded, "2/min"
	}
	rt, err := terminal.Start(c.env.Ctx, t, opts)
	if err != nil {
		return err
	}
	defer rt.Close()
	rt.Auto.OnQueued = func(o *app.Order, kind app.Document) {
		fmt.Fprintf(c.env.Stdout, "%s auto-print: %s of %s queued\n", time.Now().Format("15:04:05"), kind, o.Number)
	}
	rt.OnPrintError = func(j printer.Job, err error) {
		fmt.Fprintf(c.env.Stdout, "%s printer: %v\n", time.Now().Format("15:04:05"), err)
		if j.Uncertain() && app.ErrorCode(err) == app.EPrintUncertain && app.ErrorMessage(err) == app.ErrorMessage(printer.Question(j)) {
			fmt.Fprintf(c.env.Stdout, "  job %d waits for an answer: stop the agent and run `pos print again %d` or `pos print printed %d`, or set `pos print reprint-uncertain always|never`\n", j.ID, j.ID, j.ID)
		}
	}
	last := ""
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-c.env.Ctx.Done():
				return
			case <-tick.C:
				st := rt.Sync.State()
				now := fmt.Sprintf("%s, %d pending", st.Status, st.Pending)
				if now != last {
					fmt.Fprintf(c.env.Stdout, "%s sync: %s\n", time.Now().Format("15:04:05"), now)
					last = now
				}
			}
		}
	}()
	fmt.Fprintf(c.env.Stdout, "agent running on %s; stop with Ctrl-C or SIGTERM\n", t.DataDir)
	rt.Run(c.env.Ctx)
	fmt.Fprintln(c.env.Stdout, "agent stopped")
	return nil
}
