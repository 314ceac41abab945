package terminal

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/web"
	_ "github.com/kasir/pos/cloud/web" // the embedded cloud serves the terminals' sync sockets
	"github.com/kasir/pos/demo/feed"
	"github.com/kasir/pos/printer"
	"github.com/kasir/pos/sync/client"
)

// StartOptions say how a running terminal (the window or `pos agent`)
// connects and prints.
type StartOptions struct {
	// CloudURL and Token pair with a remote cloud; empty uses the saved
	// pairing, or else runs the cloud in-process (the embedded default).
	CloudURL, Token string
	// Seed fills an empty shop in the embedded cloud (the demo shop,
	// demo.SeedEmbedded); nil seeds nothing. A paired terminal never seeds.
	Seed func(t *Terminal, e *web.Embedded, log io.Writer) error
	// FeedRate runs the sample-order feed on the embedded cloud at this
	// rate ("2/min", "30/h"); "" or "off" runs none.
	FeedRate string
	// AutoPrint prints labels and receipts by themselves, as the shop's printing settings say.
	AutoPrint bool
	Log       io.Writer
}

// Start is the running terminal's wiring, for the window and the agent:
// it connects an opened terminal to its cloud (starting the embedded one,
// adopting the staff kept here and seeding an empty shop, if asked), opens
// the sync client and the print station, and puts them to work together
// (New). Call Run to start syncing.
func Start(ctx context.Context, t *Terminal, opts StartOptions) (*Runtime, error) {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	base, token, terminalID := opts.CloudURL, opts.Token, ""
	if base == "" {
		var p app.CloudSetting
		if _, err := app.LoadSetting(t.DB, &p); err != nil {
			return nil, err
		}
		base, token = p.Remote(), p.Token
	} else {
		if token == "" {
			return nil, app.FieldError("token", "is required with --cloud (from `pos-cloud terminal add`)")
		}
		if err := app.SaveSetting(t.DB, app.CloudSetting{URL: base, Token: token}); err != nil {
			return nil, err
		}
	}
	var perMin float64
	if rate := strings.TrimSpace(opts.FeedRate); rate != "" && rate != "off" && rate != "0" {
		var err error
		if perMin, err = feed.ParseRate(rate); err != nil {
			return nil, err
		}
	}
	var embedded *web.Embedded
	if base == "" {
		e, err := web.StartEmbedded(ctx, bolt.OpenBackend, t.DataDir, "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("starting the embedded cloud: %w", err)
		}
		embedded, base, token, terminalID = e, e.BaseURL, e.Token, e.TerminalID
		fmt.Fprintf(opts.Log, "cloud: embedded at %s (shop %s)\n", e.BaseURL, e.ShopID)
		fmt.Fprintf(opts.Log, "webhooks: POST %s/v1/shops/%s/webhooks/{channel}  (WooCommerce secret %s)\n", e.BaseURL, e.ShopID, e.Secrets[cloud.SecretWooCommerce])
		// Changes made before the sync client starts (the demo seed's) are
		// signed for this terminal's token too.
		t.Service.Keys.Bind(token)
		if err := AdoptLocalStaff(t, e, opts.Log); err != nil {
			return nil, err
		}
		if opts.Seed != nil {
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
	sc := client.NewClient(t.DB, t.Service, client.Config{BaseURL: base, Token: token, Terminal: terminalID})
	// The station may fail a resumed job before the runtime exists. It asks
	// the cloud for the platforms' airway bills through the sync client.
	var rt atomic.Pointer[Runtime]
	st, err := OpenStation(t, sc, func(j printer.Job, err error) {
		if r := rt.Load(); r != nil {
			r.PrintFailed(j, err)
		}
	})
	if err != nil {
		return nil, err
	}
	r := New(t, Parts{Cloud: embedded, Sync: sc, Station: st, Feed: sampleFeed(embedded, perMin, opts.Log), AutoPrint: opts.AutoPrint, Log: opts.Log})
	rt.Store(r)
	return r, nil
}

// sampleFeed posts the demo's sample orders to the embedded cloud, perMin
// orders a minute; nil when there is no feed to run.
func sampleFeed(e *web.Embedded, perMin float64, log io.Writer) func(ctx context.Context) {
	if e == nil || perMin <= 0 {
		return nil
	}
	return func(ctx context.Context) {
		err := feed.Simulate(ctx, e.BaseURL, e.ShopID, e.Secrets, perMin, nil, func(f string, a ...any) {
			fmt.Fprintf(log, "feed: "+strings.TrimSuffix(f, "\n")+"\n", a...)
		})
		if err != nil && ctx.Err() == nil {
			fmt.Fprintf(log, "feed stopped: %v\n", err)
		}
	}
}
