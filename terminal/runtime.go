package terminal

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/printer"
	"github.com/kasir/pos/store"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

// SettingCloud is the settings key of the cloud pairing; the settings
// screen edits the same JSON.
const SettingCloud = "cloud"

// Pairing says which cloud the terminal follows; Embedded (or no URL) runs it in-process.
type Pairing struct {
	URL      string `json:"url"`
	Token    string `json:"token"`
	Embedded bool   `json:"embedded"`
}

// Remote is the cloud URL a pairing names, or "" for the embedded cloud.
func (p Pairing) Remote() string {
	if p.Embedded {
		return ""
	}
	return p.URL
}

// newOrderWindow is how recent an order must be to chime: a tablet catching
// up after hours offline shows its orders in the badges, not as a burst of alerts.
const newOrderWindow = 15 * time.Minute

// RuntimeOptions say how a running terminal (window or agent) connects and prints.
type RuntimeOptions struct {
	// CloudURL and Token pair with a remote cloud; empty uses the saved
	// pairing, or else runs the cloud in-process (the embedded default).
	CloudURL, Token string
	// Demo seeds an empty shop and runs the sample-order feed.
	Demo bool
	// FeedRate is the demo feed's rate, e.g. "2/min".
	FeedRate string
	// AutoPrint prints labels and receipts by themselves, as the shop's printing settings say.
	AutoPrint bool
	Log       io.Writer
	// Seed fills an empty shop through its embedded cloud when Demo is set
	// (demo.SeedEmbedded); the wiring passes it, so this package does not
	// depend on the demo shop.
	Seed func(t *Terminal, e *cloud.Embedded, log io.Writer) error
}

// Runtime is a terminal at work: synced with its cloud and printing. It
// never auto-rejects: the cloud is the authority for deadlines, and an order
// past its deadline shows as overdue here until the cloud's rejection arrives.
type Runtime struct {
	T       *Terminal
	Cloud   *cloud.Embedded
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

	opts RuntimeOptions
	log  *slog.Logger
}

// StartRuntime connects an opened terminal to its cloud (starting the
// embedded one if needed), seeds the demo shop, and resumes the print queue.
// Call Run to start syncing.
func StartRuntime(ctx context.Context, t *Terminal, opts RuntimeOptions) (*Runtime, error) {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	r := &Runtime{T: t, opts: opts, log: slog.Default()}
	base, token, terminalID := opts.CloudURL, opts.Token, ""
	if base == "" {
		var p Pairing
		if _, err := t.DB.GetSetting(SettingCloud, &p); err != nil {
			return nil, err
		}
		base, token = p.Remote(), p.Token
	} else {
		if token == "" {
			return nil, app.FieldError("token", "is required with --cloud (from `pos-cloud terminal add`)")
		}
		if err := t.DB.PutSetting(SettingCloud, Pairing{URL: base, Token: token}); err != nil {
			return nil, err
		}
	}
	if base == "" {
		e, err := cloud.StartEmbedded(ctx, t.DataDir, "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("starting the embedded cloud: %w", err)
		}
		r.Cloud, base, token, terminalID = e, e.BaseURL, e.Token, e.TerminalID
		fmt.Fprintf(opts.Log, "cloud: embedded at %s (shop %s)\n", e.BaseURL, e.ShopID)
		fmt.Fprintf(opts.Log, "webhooks: POST %s/v1/shops/%s/webhooks/{channel}  (WooCommerce secret %s)\n", e.BaseURL, e.ShopID, e.Secrets[cloud.SecretWooCommerce])
		// Changes made before the sync client starts (the demo seed's) are
		// signed for this terminal's token too.
		t.Service.Keys.Bind(token)
		if err := adoptLocalStaff(t, e, opts.Log); err != nil {
			return nil, err
		}
		if opts.Demo && opts.Seed != nil {
			empty, err := t.IsEmpty()
			if err != nil {
				return nil, err
			}
			if empty {
				if err := opts.Seed(t, e, opts.Log); err != nil {
					return nil, err
				}
			}
		}
	}
	st, err := OpenStation(t, func(j printer.Job, err error) {
		if r.OnPrintError != nil {
			r.OnPrintError(j, err)
		}
	})
	if err != nil {
		return nil, err
	}
	r.Station = st
	r.Auto = printer.NewAutoPrint(st)
	t.Service.Observe(func(res *app.Result) {
		if opts.AutoPrint {
			r.Auto.Consider(res.Order)
		}
		if r.OnOrders != nil {
			r.OnOrders([]*app.Order{res.Order}, 0)
		}
	})
	r.Sync = client.NewClient(t.DB, t.Service, client.Config{BaseURL: base, Token: token, Terminal: terminalID})
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
	return r, nil
}

// Run syncs and, in demo mode, feeds sample orders, until ctx ends.
func (r *Runtime) Run(ctx context.Context) {
	if r.opts.Demo && r.Cloud != nil && r.opts.FeedRate != "off" && r.opts.FeedRate != "0" {
		rate := r.opts.FeedRate
		if rate == "" {
			rate = "2/min"
		}
		if perSec, err := cloud.ParseRate(rate); err == nil {
			go func() {
				err := cloud.Simulate(ctx, r.Cloud.BaseURL, r.Cloud.ShopID, r.Cloud.Secrets, perSec, nil, func(f string, a ...any) {
					fmt.Fprintf(r.opts.Log, "feed: "+strings.TrimSuffix(f, "\n")+"\n", a...)
				})
				if err != nil && ctx.Err() == nil {
					fmt.Fprintf(r.opts.Log, "feed stopped: %v\n", err)
				}
			}()
		}
	}
	if err := r.Sync.Run(ctx); err != nil {
		fmt.Fprintf(r.opts.Log, "sync: %v\n", err)
	}
}

// Close stops printing; the embedded cloud stops with the Run context.
func (r *Runtime) Close() {
	r.Station.Close()
	if r.Cloud != nil {
		_ = r.Cloud.Wait()
	}
}
