package terminal

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud/web"
	"github.com/kasir/pos/printer"
	"github.com/kasir/pos/store"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

// newOrderWindow is how recent an order must be to chime: a tablet catching
// up after hours offline shows its orders in the badges, not as a burst of alerts.
const newOrderWindow = 15 * time.Minute

// Parts are a running terminal's dependencies. The wiring makes them
// (Start, for the window and the agent); New only puts them to
// work together, so what runs is decided in one visible place.
type Parts struct {
	// Cloud is the embedded cloud, nil when the terminal follows a remote one.
	Cloud *web.Embedded
	// Sync is the sync client over the terminal's store and service.
	Sync *client.Client
	// Station is the print queue over the terminal's store; its errors
	// reach the runtime through PrintFailed.
	Station *printer.Station
	// Feed, when set, runs beside sync until Run's context ends (the demo
	// shop's sample orders).
	Feed func(ctx context.Context)
	// AutoPrint prints labels and receipts by themselves, as the shop's printing settings say.
	AutoPrint bool
	// Log is where the terminal says what it does; nil is nowhere.
	Log io.Writer
}

// Runtime is a terminal at work: synced with its cloud and printing. It
// never auto-rejects: the cloud is the authority for deadlines, and an order
// past its deadline shows as overdue here until the cloud's rejection arrives.
type Runtime struct {
	T       *Terminal
	Cloud   *web.Embedded
	Sync    *client.Client
	Station *printer.Station
	Auto    *printer.AutoPrint

	// OnOrders is told of orders that changed in the cloud (webhooks, other
	// terminals) and locally; OnRejected of a change the cloud refused;
	// OnPrintError of a print attempt that failed. Set them before Run.
	OnOrders     func(orders []*app.Order, created int)
	OnRejected   func(r client.Rejection)
	OnPrintError func(j printer.Job, err error)
	// OnQuarantined is told which orders (by number) and how many other
	// changes from the cloud this terminal could not store.
	OnQuarantined func(orderNumbers []string, otherChanges int)

	feed func(ctx context.Context)
	log  io.Writer
}

// New puts an opened terminal to work with its parts: local changes and
// the cloud's reach the screens (OnOrders) and, with AutoPrint, the
// printer; the cloud's refusals and what could not be stored are told.
// Call Run to start syncing.
func New(t *Terminal, p Parts) *Runtime {
	if p.Log == nil {
		p.Log = io.Discard
	}
	r := &Runtime{T: t, Cloud: p.Cloud, Sync: p.Sync, Station: p.Station, feed: p.Feed, log: p.Log}
	opts := p
	r.Auto = printer.NewAutoPrint(r.Station)
	t.Service.Observe(func(res *app.Result) {
		if opts.AutoPrint {
			r.Auto.Consider(res.Order)
		}
		if r.OnOrders != nil {
			r.OnOrders([]*app.Order{res.Order}, 0)
		}
	})
	r.Sync.OnChanges = func(chs []wire.Change) {
		orders := make([]*app.Order, 0, len(chs))
		created := 0
		for _, ch := range chs {
			if ch.Order == nil {
				continue
			}
			orders = append(orders, ch.Order)
			if ch.Order.Version == 1 && ch.Terminal == "" && ch.Order.Channel.Online() && time.Since(ch.Order.CreatedAt) < newOrderWindow {
				created++
			}
			if opts.AutoPrint {
				r.Auto.Consider(ch.Order)
			}
		}
		if r.OnOrders != nil && len(orders) > 0 {
			r.OnOrders(orders, created)
		}
	}
	r.Sync.OnPolicy = func(p app.Policy) {
		// The rules are stored already; this terminal keeps its own name.
		p.Terminal = t.Name
		t.Service.SetPolicy(p)
	}
	r.Sync.OnRejected = func(rej client.Rejection) {
		fmt.Fprintf(opts.Log, "cloud refused %s on %s: %s\n", rej.Action, rej.Number, rej.Message)
		// Only the cloud sweeps now; a refused auto-reject can only come from
		// an older terminal's outbox, and nobody here did anything.
		if rej.Action == string(app.ActionAutoReject) {
			return
		}
		if r.OnRejected != nil {
			r.OnRejected(rej)
		}
	}
	r.Sync.OnQuarantined = func(qs []store.Quarantined) {
		var numbers []string
		seen, others := map[string]bool{}, 0
		for _, q := range qs {
			switch {
			case q.OrderID == "":
				others++
			case !seen[q.OrderID]:
				seen[q.OrderID] = true
				numbers = append(numbers, q.Number)
			}
		}
		if n := app.Unstored(numbers, others); !n.IsZero() {
			fmt.Fprintf(opts.Log, "%s\n", n)
		}
		if r.OnQuarantined != nil {
			r.OnQuarantined(numbers, others)
		}
	}
	return r
}

// Run syncs, and runs the feed if there is one, until ctx ends.
func (r *Runtime) Run(ctx context.Context) {
	if r.feed != nil {
		go r.feed(ctx)
	}
	if err := r.Sync.Run(ctx); err != nil {
		fmt.Fprintf(r.log, "sync: %v\n", err)
	}
}

// PrintFailed tells OnPrintError of a print attempt that failed; the
// wiring routes the station's errors here.
func (r *Runtime) PrintFailed(j printer.Job, err error) {
	if r.OnPrintError != nil {
		r.OnPrintError(j, err)
	}
}

// Close stops printing; the embedded cloud stops with the Run context.
func (r *Runtime) Close() {
	r.Station.Close()
	if r.Cloud != nil {
		_ = r.Cloud.Wait()
	}
}
