package cli

import (
	"flag"
	"fmt"
	"github.com/kasir/pos/terminal"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/printer"
)

// register opens the terminal and the counter over it.
func (c *command) register() (*terminal.Terminal, *app.Register, error) {
	t, err := c.open()
	if err != nil {
		return nil, nil, err
	}
	return t, app.NewRegister(t.Service, t.DB), nil
}

// registerAt opens the counter and finds the sale key names (id or number).
func (c *command) registerAt(key string) (*terminal.Terminal, *app.Register, *app.Order, error) {
	t, reg, err := c.register()
	if err != nil {
		return nil, nil, nil, err
	}
	o, err := resolveOrder(t, key)
	if err != nil {
		t.Close()
		return nil, nil, nil, err
	}
	return t, reg, o, nil
}

// shiftJSON is a shift with its drawer figures, the shape scripts read.
type shiftJSON struct {
	*app.Shift
	Totals app.CashTotals `json:"totals"`
}

func (c *command) shift(args []string) error {
	if len(args) == 0 {
		return usagef("shift takes: open|cash-in|cash-out|close|show")
	}
	verb := args[0]
	fs := c.flags("shift " + verb)
	asJSON := fs.Bool("json", false, "print JSON")
	staff := fs.String("staff", "", "who does it (recorded in the shift)")
	float := fs.String("float", "0", "cash put in the drawer at open")
	reason := fs.String("reason", "", "why cash goes in or out")
	counted := fs.String("counted", "", "cash counted in the drawer at close")
	out := counterPrintFlags(fs, "print the X (show) or Z (close) report on the receipt printer")
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	t, reg, err := c.register()
	if err != nil {
		return err
	}
	defer t.Close()
	cur := t.Service.CurrentPolicy().Currency
	actor := cliActor(t, *staff)
	money := func(field, s string) (app.Money, error) {
		m, err := cur.ParseMoney(s)
		if err != nil {
			return 0, app.FieldError(field, "%v", err)
		}
		return m, nil
	}
	var s *app.Shift
	var tot app.CashTotals
	switch verb {
	case "open":
		f, err := money("float", *float)
		if err != nil {
			return err
		}
		if s, err = reg.OpenShift(f, actor); err != nil {
			return err
		}
		tot = s.Totals(nil)
	case "cash-in", "cash-out":
		if len(pos) != 1 {
			return usagef("shift %s takes one AMOUNT", verb)
		}
		amt, err := money("amount", pos[0])
		if err != nil {
			return err
		}
		if _, err = reg.MoveCash(verb == "cash-in", amt, *reason, actor); err != nil {
			return err
		}
		if s, tot, err = reg.Totals(); err != nil {
			return err
		}
	case "close":
		if *counted == "" {
			return usagef("shift close needs --counted AMOUNT")
		}
		n, err := money("counted", *counted)
		if err != nil {
			return err
		}
		if s, tot, err = reg.CloseShift(n, actor); err != nil {
			return err
		}
	case "show":
		if s, tot, err = reg.Totals(); err != nil {
			return err
		}
	default:
		return usagef("unknown shift command %q", verb)
	}
	if out.wanted() {
		if err := c.printCounter(t, func(st *printer.Station) (printer.Job, error) {
			return st.PrintShiftReport(s, tot, cur, t.Service.CurrentPolicy().Zone(), *out.url, *out.profile, actor)
		}); err != nil {
			return err
		}
	}
	if *asJSON {
		return writeJSON(c.env.Stdout, shiftJSON{Shift: s, Totals: tot})
	}
	printShift(c.env.Stdout, s, tot, cur, t.Service.CurrentPolicy().Zone())
	return nil
}

func printShift(w io.Writer, s *app.Shift, t app.CashTotals, cur app.Currency, zone *time.Location) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	state := "open"
	if !s.Open() {
		state = "closed " + s.ClosedAt.In(zone).Format("2006-01-02 15:04") + " by " + s.ClosedBy
	}
	fmt.Fprintf(tw, "Shift\t%s (%s)\n", s.ID, state)
	fmt.Fprintf(tw, "Opened\t%s by %s\n", s.OpenedAt.In(zone).Format("2006-01-02 15:04"), s.OpenedBy)
	fmt.Fprintf(tw, "Sales\t%d (%d voided)\n", t.Sales, t.Voids)
	for _, row := range []struct {
		name string
		m    app.Money
	}{{"Float", t.Float}, {"Cash sales", t.CashSales}, {"Cash refunds", -t.CashRefunds}, {"Cash in", t.CashIn}, {"Cash out", -t.CashOut}, {"Expected cash", t.Expected}} {
		fmt.Fprintf(tw, "%s\t%s\n", row.name, cur.Format(row.m))
	}
	if !s.Open() {
		fmt.Fprintf(tw, "Counted cash\t%s\n", cur.Format(t.Counted))
		fmt.Fprintf(tw, "Difference\t%s\n", cur.Format(t.Difference))
	}
	tw.Flush()
}

// saleJSON is what `pos sale` prints: the sale id, its total and the change.
type saleJSON struct {
	ID     string         `json:"id"`
	Number string         `json:"number"`
	Total  app.Money      `json:"total"`
	Change app.Money      `json:"change"`
	Totals app.SaleTotals `json:"totals"`
}

func (c *command) sale(args []string) error {
	fs := c.flags("sale")
	asJSON := fs.Bool("json", false, "print JSON")
	staff := fs.String("staff", "", "cashier's name")
	discount := fs.String("discount", "", "order discount: an amount, or a percentage like 10%")
	approvedBy := fs.String("approved-by", "", "the owner who allowed a discount above the cap or a sale below stock")
	var lines, pays listFlag
	fs.Var(&lines, "line", "SKU:QTY or SKU:QTY:PRICE (repeat)")
	fs.Var(&pays, "pay", "METHOD:AMOUNT or METHOD:AMOUNT:REF (repeat to split: cash, card, qris, ewallet)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if len(lines) == 0 {
		return usagef("give at least one --line SKU:QTY")
	}
	if len(pays) == 0 {
		return usagef("give at least one --pay METHOD:AMOUNT")
	}
	t, reg, err := c.register()
	if err != nil {
		return err
	}
	defer t.Close()
	cur := t.Service.CurrentPolicy().Currency
	cart := app.Cart{ApprovedBy: *approvedBy}
	for i, spec := range lines {
		l, _, err := parseLineSpec(t, cur, spec)
		if err != nil {
			return app.FieldError(fmt.Sprintf("line %d", i+1), "%v", err)
		}
		cart.Lines = append(cart.Lines, app.CartLine{SKU: l.SKU, Name: l.Name, Qty: l.Qty, UnitPrice: l.UnitPrice})
	}
	for i, spec := range pays {
		p, err := parsePay(cur, spec)
		if err != nil {
			return app.FieldError(fmt.Sprintf("pay %d", i+1), "%v", err)
		}
		cart.Payments = append(cart.Payments, p)
	}
	if *discount != "" {
		if cart.Discount, err = app.ParseDiscount(cur, *discount); err != nil {
			return err
		}
	}
	o, tot, err := reg.Sell(cart, cliActor(t, *staff))
	if err != nil {
		return err
	}
	out := saleJSON{ID: o.ID, Number: o.Number, Total: o.Total, Change: o.Sale.Change, Totals: tot}
	if *asJSON {
		return writeJSON(c.env.Stdout, out)
	}
	fmt.Fprintf(c.env.Stdout, "%s  total %s  change %s\n", o.Number, cur.Format(o.Total), cur.Format(o.Sale.Change))
	return nil
}

// parsePay reads METHOD:AMOUNT[:REF].
func parsePay(cur app.Currency, spec string) (app.Payment, error) {
	parts := strings.SplitN(spec, ":", 3)
	if len(parts) < 2 {
		return app.Payment{}, fmt.Errorf("%q is not METHOD:AMOUNT or METHOD:AMOUNT:REF", spec)
	}
	m, err := app.ParsePaymentMethod(parts[0])
	if err != nil {
		return app.Payment{}, err
	}
	amt, err := cur.ParseMoney(parts[1])
	if err != nil {
		return app.Payment{}, err
	}
	p := app.Payment{Method: m, Amount: amt}
	if len(parts) == 3 {
		p.Ref = parts[2]
	}
	return p, nil
}

func (c *command) refund(args []string) error {
	fs := c.flags("refund")
	asJSON := fs.Bool("json", false, "print JSON")
	staff := fs.String("staff", "", "who refunds (the owner)")
	reason := fs.String("reason", "", "why the buyer gets money back")
	restock := fs.String("restock", "shelf", "where the goods go: shelf or damaged")
	method := fs.String("method", "", "how the money goes back (default: how the sale was paid, or cash)")
	out := counterPrintFlags(fs, "print the refund receipt on the receipt printer")
	var lines listFlag
	fs.Var(&lines, "line", "SKU:QTY (repeat)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("refund takes one SALE (its id or number)")
	}
	if len(lines) == 0 {
		return usagef("give at least one --line SKU:QTY")
	}
	var rl []app.RefundLine
	for i, spec := range lines {
		sku, q, ok := strings.Cut(spec, ":")
		qty, err := strconv.Atoi(q)
		if !ok || err != nil {
			return app.FieldError(fmt.Sprintf("line %d", i+1), "%q is not SKU:QTY", spec)
		}
		rl = append(rl, app.RefundLine{SKU: sku, Qty: qty})
	}
	t, reg, o, err := c.registerAt(pos[0])
	if err != nil {
		return err
	}
	defer t.Close()
	o, err = reg.Refund(o.ID, rl, app.RestockTo(*restock), app.PaymentMethod(*method), *reason, cliActor(t, *staff))
	if err != nil {
		return err
	}
	r := o.Refunds[len(o.Refunds)-1]
	if out.wanted() {
		if err := c.printCounter(t, func(st *printer.Station) (printer.Job, error) {
			return st.PrintRefund(o, len(o.Refunds)-1, *out.url, *out.profile, cliActor(t, *staff))
		}); err != nil {
			return err
		}
	}
	if *asJSON {
		return writeJSON(c.env.Stdout, r)
	}
	fmt.Fprintf(c.env.Stdout, "%s  refunded %s in %s\n", o.Number, o.Currency.Format(r.Amount), r.Method.Label())
	return nil
}

func (c *command) void(args []string) error {
	fs := c.flags("void")
	asJSON := fs.Bool("json", false, "print JSON")
	staff := fs.String("staff", "", "who voids")
	reason := fs.String("reason", "", "why the sale is undone")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("void takes one SALE (its id or number)")
	}
	t, reg, o, err := c.registerAt(pos[0])
	if err != nil {
		return err
	}
	defer t.Close()
	if o, err = reg.Void(o.ID, *reason, cliActor(t, *staff)); err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(c.env.Stdout, toOrderJSON(o))
	}
	fmt.Fprintf(c.env.Stdout, "%s  voided\n", o.Number)
	return nil
}

func (c *command) sales(args []string) error {
	if len(args) == 0 || args[0] != "list" {
		return usagef("sales takes: list [--from DATE --to DATE] [--json]")
	}
	fs := c.flags("sales list")
	asJSON := fs.Bool("json", false, "print JSON")
	fromS := fs.String("from", "", "first day (default today)")
	toS := fs.String("to", "", "last day, inclusive (default --from)")
	if _, err := parseInterspersed(fs, args[1:]); err != nil {
		return err
	}
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	pol := t.Service.CurrentPolicy()
	rng, err := reportRange(*fromS, *toS, pol.Zone())
	if err != nil {
		return err
	}
	var sales []orderJSON
	err = t.DB.ScanCreated(rng.From, rng.End(), func(o *app.Order) error {
		if o.Channel == app.ChannelInStore {
			sales = append(sales, toOrderJSON(o))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if *asJSON {
		if sales == nil {
			sales = []orderJSON{}
		}
		return writeJSON(c.env.Stdout, sales)
	}
	tw := tabwriter.NewWriter(c.env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tNUMBER\tCASHIER\tITEMS\tTOTAL\tPAID BY\tSTATE")
	for _, s := range sales {
		state := "sold"
		if s.Status == app.StatusCancelled {
			state = "voided"
		} else if n := len(s.Refunds); n > 0 {
			state = fmt.Sprintf("refunded %s", s.Currency.Format(s.RefundedAmount()))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", s.CreatedAt.In(pol.Zone()).Format("01-02 15:04"), s.Number, s.CreatedBy,
			s.Order.ItemCount(), s.Currency.Format(s.Total), s.PaymentMethod.Label(), state)
	}
	return tw.Flush()
}

// counterPrint is where a counter command prints, if it prints at all.
type counterPrint struct {
	print        *bool
	url, profile *string
}

func counterPrintFlags(fs *flag.FlagSet, what string) counterPrint {
	return counterPrint{
		print:   fs.Bool("print", false, what),
		url:     fs.String("printer", "", "print on this printer instead of the one set up (implies --print)"),
		profile: fs.String("profile", "", "printer profile for --printer"),
	}
}

func (p counterPrint) wanted() bool { return *p.print || *p.url != "" }

// printCounter queues a counter printout and reports on stderr what became
// of it, so --json output on stdout stays one document.
func (c *command) printCounter(t *terminal.Terminal, queue func(*printer.Station) (printer.Job, error)) error {
	var lastErr error
	st, err := terminal.OpenStation(t, terminal.PairedBills(t), func(_ printer.Job, err error) { lastErr = err })
	if err != nil {
		return err
	}
	defer st.Close()
	job, err := queue(st)
	if err != nil {
		return err
	}
	out := c.env.Stdout
	c.env.Stdout = c.env.Stderr
	defer func() { c.env.Stdout = out }()
	return c.reportJob(st, job, 15*time.Second, func() error { return lastErr })
}

// reportRange reads --from/--to in the shop's zone; both empty is today.
func reportRange(from, to string, zone *time.Location) (app.ReportRange, error) {
	if from == "" && to == "" {
		return app.LastDays(1, time.Now(), zone), nil
	}
	if from == "" {
		from = to
	}
	return app.ParseReportRange(from, to, zone)
}

func (c *command) report(args []string) error {
	fs := c.flags("report")
	asJSON := fs.Bool("json", false, "print JSON")
	asCSV := fs.Bool("csv", false, "print every table as CSV")
	fromS := fs.String("from", "", "first day, e.g. 2026-11-01 (default today)")
	toS := fs.String("to", "", "last day, inclusive (default --from)")
	days := fs.Int("days", 0, "the last N days, today included (instead of --from/--to)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	t, reg, err := c.register()
	if err != nil {
		return err
	}
	defer t.Close()
	pol := t.Service.CurrentPolicy()
	var rng app.ReportRange
	if *days > 0 {
		rng = app.LastDays(*days, time.Now(), pol.Zone())
	} else if rng, err = reportRange(*fromS, *toS, pol.Zone()); err != nil {
		return err
	}
	rep, err := reg.Report(rng)
	if err != nil {
		return err
	}
	switch {
	case *asJSON:
		return writeJSON(c.env.Stdout, rep)
	case *asCSV:
		return rep.WriteCSV(c.env.Stdout)
	}
	cur := rep.Currency
	tw := tabwriter.NewWriter(c.env.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(c.env.Stdout, "Report %s to %s\n", rep.From, rep.To)
	fmt.Fprintln(tw, "CHANNEL\tORDERS\tSALES\tCOST\tGROSS PROFIT\tMARGIN\tREFUNDS\t")
	row := func(name string, f app.Figures) {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", name, f.Orders, cur.Format(f.Sales), cur.Format(f.Cost),
			cur.Format(f.GrossProfit), f.Margin(), cur.Format(f.Refunds))
	}
	for _, ch := range app.Channels {
		if f := rep.Channels[ch]; f != nil {
			row(ch.Label(), *f)
		}
	}
	row("Total", rep.Total)
	tw.Flush()
	fmt.Fprintf(c.env.Stdout, "Stock value %s; %d products at or below their reorder level\n", cur.Format(rep.StockValue), len(rep.BelowReorder))
	return nil
}

// counterRules shows or sets the owner's counter rules: PPN and the
// cashier's discount limit. They reach the cloud and every terminal.
func (c *command) counterRules(args []string) error {
	fs := c.flags("counter")
	asJSON := fs.Bool("json", false, "print JSON")
	staff := fs.String("staff", "", "the owner making the change")
	tax := fs.String("tax", "", "PPN: none, inclusive (prices hold it) or exclusive (added at the till)")
	limit := fs.String("cashier-discount-limit", "", "the largest discount a cashier gives without the owner, e.g. 10%")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	pol := t.Service.CurrentPolicy()
	if *tax != "" || *limit != "" {
		if *tax != "" {
			mode := app.TaxMode(strings.ToLower(strings.TrimSpace(*tax)))
			if mode == "none" {
				mode = app.TaxNone
			}
			pol.Tax.Mode = mode
		}
		if *limit != "" {
			d, err := app.ParseDiscount(pol.Currency, *limit)
			if err != nil || d.Amount > 0 {
				return app.FieldError("cashier discount limit", "%q is not a percentage like 10%%", *limit)
			}
			caps := map[app.Role]int{}
			for r, v := range pol.DiscountCaps {
				caps[r] = v
			}
			caps[app.RoleCashier] = d.PercentBP
			pol.DiscountCaps = caps
		}
		if err := t.SavePolicy(pol, cliActor(t, *staff)); err != nil {
			return err
		}
		pol = t.Service.CurrentPolicy()
	}
	out := struct {
		Tax                  app.TaxMode `json:"tax"`
		CashierDiscountLimit int         `json:"cashier_discount_limit_bp"`
	}{pol.Tax.Mode, pol.DiscountCapBP(app.RoleCashier)}
	if out.Tax == "" {
		out.Tax = "none"
	}
	if *asJSON {
		return writeJSON(c.env.Stdout, out)
	}
	fmt.Fprintf(c.env.Stdout, "tax: %s\ncashier discount limit: %d%%\n", out.Tax, out.CashierDiscountLimit/100)
	return nil
}
