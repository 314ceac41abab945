package cli

import (
	"encoding/json"
	"fmt"
	"github.com/kasir/pos/terminal"
	"strconv"
	"strings"
	"time"

	"github.com/kasir/pos/app"
)

func (c *command) orders(args []string) error {
	if len(args) == 0 {
		return usagef("orders needs a subcommand: list, show, new, history, accept, reject, pack, ship, deliver, complete, cancel, complain, pickup, dropoff, split, rates")
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "list":
		return c.ordersList(rest)
	case "show":
		return c.ordersShow(rest)
	case "history":
		return c.ordersHistory(rest)
	case "new":
		return c.ordersNew(rest)
	case "split":
		return c.ordersSplit(rest)
	case "rates":
		return c.ordersRates(rest)
	}
	if _, ok := orderVerbs[sub]; ok {
		return c.ordersAct(sub, rest)
	}
	return usagef("unknown orders subcommand %q", sub)
}

func (c *command) ordersList(args []string) error {
	fs := c.flags("orders list")
	status := fs.String("status", "", "status: payment_review, new, ready_to_ship, in_delivery, delivered, completed, cancelled, complained, returned, refunded")
	channel := fs.String("channel", "", "channel: tokopedia, shopee, lazada, tiktok, woocommerce, store, manual, instore")
	q := fs.String("q", "", "search order number, external id, buyer, phone, SKU or product")
	courier := fs.String("courier", "", "courier name")
	label := fs.String("label", "", "label printed: yes or no")
	within := fs.Duration("deadline-within", 0, "only New orders auto-rejected within this long (e.g. 2h)")
	limit := fs.Int("limit", 50, "at most this many orders")
	offset := fs.Int("offset", 0, "skip this many orders")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	f := app.Filter{Text: *q, Courier: *courier, DeadlineWithin: *within, Limit: *limit, Offset: *offset}
	if *status != "" {
		for _, s := range strings.Split(*status, ",") {
			st, err := app.ParseStatus(s)
			if err != nil {
				return err
			}
			f.Statuses = append(f.Statuses, st)
		}
	}
	if *channel != "" {
		for _, s := range strings.Split(*channel, ",") {
			ch, err := app.ParseChannel(s)
			if err != nil {
				return err
			}
			f.Channels = append(f.Channels, ch)
		}
	}
	switch strings.ToLower(*label) {
	case "":
	case "yes", "true", "printed":
		v := true
		f.LabelPrinted = &v
	case "no", "false", "unprinted":
		v := false
		f.LabelPrinted = &v
	default:
		return usagef("--label must be yes or no, got %q", *label)
	}
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	page, err := t.Service.Find(f)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(c.env.Stdout, app.NewOrderPageView(page))
	}
	printOrderTable(c.env.Stdout, page, time.Now())
	return nil
}

func (c *command) ordersShow(args []string) error {
	fs := c.flags("orders show")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("orders show takes one order ID or number")
	}
	return c.withOrder(pos[0], func(_ *terminal.Terminal, o *app.Order) error {
		if *asJSON {
			return writeJSON(c.env.Stdout, toOrderJSON(o))
		}
		printOrderDetail(c.env.Stdout, o, c.words())
		return nil
	})
}

func (c *command) ordersHistory(args []string) error {
	fs := c.flags("orders history")
	pack := fs.Bool("pack", false, "only the pick-and-pack history")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("orders history takes one order ID or number")
	}
	return c.withOrder(pos[0], func(_ *terminal.Terminal, o *app.Order) error {
		var evs []app.Event
		for _, e := range o.History {
			if !*pack || e.Kind == app.KindPack || e.Kind == app.KindPrint {
				evs = append(evs, e)
			}
		}
		if *asJSON {
			return writeJSON(c.env.Stdout, toHistoryJSON(evs))
		}
		printHistory(c.env.Stdout, evs, c.words())
		return nil
	})
}

// orderVerbs maps the command-line verbs to actions; "ship" is decided per flags.
var orderVerbs = map[string]app.Action{
	"accept": app.ActionAccept, "reject": app.ActionReject, "pack": app.ActionVerifyPacked,
	"ship": app.ActionShip, "deliver": app.ActionDeliver, "complete": app.ActionComplete,
	"cancel": app.ActionCancel, "complain": app.ActionComplain, "pickup": app.ActionArrangePickup,
	"dropoff": app.ActionArrangeDropoff, "pay": app.ActionAcceptPayment, "deny": app.ActionDenyPayment,
	"approve-cancel": app.ActionApproveCancel, "decline-cancel": app.ActionDeclineCancel,
	"resolve": app.ActionResolve, "assign": app.ActionAssignCourier, "note": app.ActionAddNote,
	"picked-up": app.ActionPickedUp, "parcel": app.ActionSetParcel, "cancel-pickup": app.ActionCancelShipment,
	"book-again": app.ActionBookAgain,
}

func (c *command) ordersAct(verb string, args []string) error {
	fs := c.flags("orders " + verb)
	reason := fs.String("reason", "", "reason (reject, cancel, complain, deny)")
	force := fs.Bool("force", false, "accept even when stock is short")
	courier := fs.String("courier", "", "courier name (ship, assign, dropoff, pickup)")
	service := fs.String("service", "", "courier service, e.g. REG")
	tracking := fs.String("tracking", "", "tracking ID (ship, assign)")
	at := fs.String("at", "", "pickup start, e.g. 2026-11-24T10:00 (local time)")
	window := fs.Duration("window", 2*time.Hour, "pickup window length")
	address := fs.String("address", "", "pickup address (default: the shop's)")
	parcel := fs.Int("parcel", 0, "parcel number (pack: 0 = every parcel)")
	weight := fs.Int("weight", 0, "parcel weight in grams (pack)")
	resolution := fs.String("as", "", "resolve as return, refund or reject")
	size := fs.String("size", "", "parcel dimensions in cm, LxWxH (parcel)")
	note := fs.String("note", "", "note (ship: a remark for the buyer)")
	shippedAt := fs.String("shipped-at", "", "ship: when the parcel left, e.g. 2026-11-24T10:00 (default now)")
	staff := fs.String("staff", "", "staff name recorded in the history")
	asJSON := fs.Bool("json", false, "print one JSON outcome per line")
	ids, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return usagef("orders %s needs at least one order ID or number", verb)
	}
	cmd := app.Command{Action: orderVerbs[verb], Args: app.Args{
		Reason: *reason, Force: *force, Courier: *courier, Service: *service, TrackingID: *tracking,
		PickupAddress: *address, Parcel: *parcel, WeightGrams: *weight, Resolution: app.Resolution(*resolution), Note: *note,
	}}
	if *size != "" {
		if _, err := fmt.Sscanf(*size, "%dx%dx%d", &cmd.Args.LengthCm, &cmd.Args.WidthCm, &cmd.Args.HeightCm); err != nil {
			return usagef("--size: %q is not LxWxH in cm, e.g. 30x20x10", *size)
		}
	}
	if *shippedAt != "" {
		when, err := parseLocalTime(*shippedAt)
		if err != nil {
			return usagef("--shipped-at: %v", err)
		}
		cmd.Args.ShippedAt = when
	}
	if verb == "ship" && *tracking == "" {
		// Without a tracking ID, "ship" means the assigned courier took the parcel.
		cmd.Action = app.ActionPickedUp
	}
	if verb == "pickup" {
		if *at == "" {
			return usagef("orders pickup needs --at, e.g. --at 2026-11-24T10:00")
		}
		from, err := parseLocalTime(*at)
		if err != nil {
			return usagef("--at: %v", err)
		}
		if *window <= 0 {
			return usagef("--window must be positive")
		}
		cmd.Args.PickupFrom, cmd.Args.PickupTo = from, from.Add(*window)
	}
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	resolved := make([]string, len(ids))
	for i, id := range ids {
		resolved[i] = id
		if o, err := resolveOrder(t, id); err == nil {
			resolved[i] = o.ID
		}
	}
	failed := 0
	_, err = t.Service.Bulk(c.env.Ctx, resolved, cmd, cliActor(t, *staff), func(done, total int, out app.Outcome) {
		if !out.Done {
			failed++
		}
		if *asJSON {
			_ = json.NewEncoder(c.env.Stdout).Encode(outcomeJSON(out, ids[done-1]))
			return
		}
		printOutcome(c.env.Stdout, out, ids[done-1], c.words())
	})
	if err != nil {
		return err
	}
	if failed > 0 {
		return partialError{failed}
	}
	return nil
}

func (c *command) ordersSplit(args []string) error {
	fs := c.flags("orders split")
	parcel := fs.Int("parcel", 0, "parcel to move the items into (one past the last opens a new one)")
	sku := fs.String("sku", "", "SKU to move")
	qty := fs.Int("qty", 0, "quantity to move")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("orders split takes one order ID or number")
	}
	return c.withOrder(pos[0], func(t *terminal.Terminal, o *app.Order) error {
		return c.split(t, o, *parcel, *sku, *qty)
	})
}

func (c *command) split(t *terminal.Terminal, o *app.Order, parcel int, sku string, qty int) error {
	res, err := t.Service.Do(app.Command{Action: app.ActionSplitParcel, OrderID: o.ID,
		Args: app.Args{Parcel: parcel, SKU: sku, Qty: qty}}, cliActor(t, ""))
	if err != nil {
		return err
	}
	fmt.Fprintf(c.env.Stdout, "%s: %s\n", res.Order.Number, res.Events[0].NoteIn(c.words()))
	for i, p := range res.Order.Parcels {
		fmt.Fprintf(c.env.Stdout, "  parcel %d of %d:", i+1, len(res.Order.Parcels))
		for _, it := range p.Items {
			fmt.Fprintf(c.env.Stdout, " %d × %s", it.Qty, it.SKU)
		}
		fmt.Fprintln(c.env.Stdout)
	}
	return nil
}

func (c *command) ordersNew(args []string) error {
	fs := c.flags("orders new")
	channel := fs.String("channel", "manual", "channel (manual for WhatsApp and social media)")
	buyer := fs.String("buyer", "", "buyer name")
	phone := fs.String("phone", "", "buyer phone")
	email := fs.String("email", "", "buyer email")
	street := fs.String("address", "", "street address")
	city := fs.String("city", "", "city")
	postal := fs.String("postal-code", "", "postal code")
	payment := fs.String("payment", "transfer", "payment method: transfer, cod, cash, card, ewallet")
	receipt := fs.String("receipt", "", "path or URL of the buyer's transfer receipt (puts the order in payment review)")
	paid := fs.Bool("paid", false, "the buyer already paid")
	fee := fs.String("shipping-fee", "0", "shipping fee")
	discount := fs.String("discount", "0", "discount")
	note := fs.String("note", "", "buyer's note")
	force := fs.Bool("force", false, "place the order even when stock is short")
	var lines listFlag
	fs.Var(&lines, "line", "SKU:QTY or SKU:QTY:PRICE (repeat for more lines)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	ch, err := app.ParseChannel(*channel)
	if err != nil {
		return err
	}
	pm, err := app.ParsePaymentMethod(*payment)
	if err != nil {
		return err
	}
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	cur := t.Service.CurrentPolicy().Currency
	// The same rules as the form on the tablet: app.ManualOrder.
	draft := app.ManualOrder{Channel: ch, BuyerName: *buyer, Phone: *phone, Email: *email, Street: *street, City: *city,
		PostalCode: *postal, Payment: pm, ShippingFee: *fee, Discount: *discount, Note: *note}
	for i, spec := range lines {
		l, p, err := parseLineSpec(t, cur, spec)
		if err != nil {
			return app.Errorf(app.EInvalid, "Line %d: %s", i+1, err)
		}
		if !*force {
			if err := app.CheckStock(p, l.Qty); err != nil {
				return app.Errorf(app.EOutOfStock, "Line %d: %s (--force places it anyway)", i+1, err)
			}
		}
		draft.Lines = append(draft.Lines, l)
	}
	o, err := draft.Build(cur)
	if err != nil {
		return err
	}
	if *receipt != "" {
		o.PaymentReceipt = &app.PaymentReceipt{ImageURL: *receipt, UploadedAt: time.Now().UTC()}
	}
	if *paid {
		o.PaymentStatus = app.PaymentPaid
	}
	res, err := t.Service.Do(app.Command{Action: app.ActionPlace, Args: app.Args{Order: o, Force: *force}}, cliActor(t, ""))
	if err != nil {
		return err
	}
	fmt.Fprintf(c.env.Stdout, "placed %s (%s), %s, total %s\n", res.Order.Number, res.Order.ID, c.say(app.Text("%s", res.Order.Status)), cur.Format(res.Order.Total))
	for _, w := range res.Warnings {
		fmt.Fprintln(c.env.Stdout, "warning:", c.say(w))
	}
	return nil
}

// parseLineSpec reads "SKU:QTY[:PRICE]"; the price defaults to the
// product's. The product is nil for a SKU the list does not have.
func parseLineSpec(t *terminal.Terminal, cur app.Currency, spec string) (app.Line, *app.Product, error) {
	parts := strings.Split(spec, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return app.Line{}, nil, app.Errorf(app.EInvalid, "%q is not SKU:QTY or SKU:QTY:PRICE", spec)
	}
	qty, err := strconv.Atoi(parts[1])
	if err != nil || qty <= 0 {
		return app.Line{}, nil, app.Errorf(app.EInvalid, "the quantity %q must be a whole number above 0", parts[1])
	}
	l := app.Line{SKU: strings.TrimSpace(parts[0]), Qty: qty}
	var p *app.Product
	_ = t.DB.View(func(tx app.Tx) error {
		p, _ = tx.Product(l.SKU)
		return nil
	})
	if p != nil {
		l.Name, l.UnitPrice = p.Name, p.Price
	} else {
		l.Name = l.SKU
	}
	if len(parts) == 3 {
		if l.UnitPrice, err = app.ParseTypedAmount(cur, parts[2]); err != nil {
			return app.Line{}, nil, err
		}
	} else if p == nil {
		return app.Line{}, nil, app.Errorf(app.EInvalid, "SKU %s is not in the product list; give its price as SKU:QTY:PRICE", l.SKU)
	}
	return l, p, nil
}

// withOrder opens the data directory and runs fn on the order key names.
func (c *command) withOrder(key string, fn func(t *terminal.Terminal, o *app.Order) error) error {
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	o, err := resolveOrder(t, key)
	if err != nil {
		return err
	}
	return fn(t, o)
}

// resolveOrder finds an order by id, then by exact order number or external id.
func resolveOrder(t *terminal.Terminal, key string) (*app.Order, error) {
	key = strings.TrimSpace(key)
	o, err := t.Service.Order(key)
	if err == nil {
		return o, nil
	}
	if app.ErrorCode(err) != app.ENotFound {
		return nil, err
	}
	page, err := t.Service.Find(app.Filter{Text: key, Limit: 20})
	if err != nil {
		return nil, err
	}
	for _, o := range page.Orders {
		if strings.EqualFold(o.Number, key) || o.ExternalID == key {
			return t.Service.Order(o.ID)
		}
	}
	return nil, app.Errorf(app.ENotFound, "No order has the ID or number %q", key)
}

// parseLocalTime reads a pickup time typed by staff, in the terminal's time zone.
func parseLocalTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time like 2026-11-24T10:00", s)
}
