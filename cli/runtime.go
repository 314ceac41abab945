package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	_ "github.com/kasir/pos/cloud/web" // the embedded cloud serves the terminals' sync sockets
	"github.com/kasir/pos/demo"
	"github.com/kasir/pos/demo/feed"
	"github.com/kasir/pos/printer"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/terminal"
)

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
}

// StartTerminal is the running terminal's wiring, for the window and the
// agent: it connects an opened terminal to its cloud (starting the embedded
// one, adopting the staff kept here and seeding the demo shop, if needed),
// opens the print station and the sync client, and puts them to work
// together (terminal.New). Call Run to start syncing.
func StartTerminal(ctx context.Context, t *terminal.Terminal, opts RuntimeOptions) (*terminal.Runtime, error) {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	base, token, terminalID := opts.CloudURL, opts.Token, ""
	if base == "" {
		var p app.CloudSetting
		if _, err := t.DB.GetSetting(app.SettingCloud, &p); err != nil {
			return nil, err
		}
		base, token = p.Remote(), p.Token
	} else {
		if token == "" {
			return nil, app.FieldError("token", "is required with --cloud (from `pos-cloud terminal add`)")
		}
		pairing := app.CloudSetting{URL: base, Token: token}
		if err := pairing.Validate(); err != nil {
			return nil, err
		}
		if err := t.DB.PutSetting(app.SettingCloud, pairing); err != nil {
			return nil, err
		}
	}
	var embedded *cloud.Embedded
	if base == "" {
		e, err := cloud.StartEmbedded(ctx, bolt.OpenBackend, t.DataDir, "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("starting the embedded cloud: %w", err)
		}
		embedded, base, token, terminalID = e, e.BaseURL, e.Token, e.TerminalID
		fmt.Fprintf(opts.Log, "cloud: embedded at %s (shop %s)\n", e.BaseURL, e.ShopID)
		fmt.Fprintf(opts.Log, "webhooks: POST %s/v1/shops/%s/webhooks/{channel}  (WooCommerce secret %s)\n", e.BaseURL, e.ShopID, e.Secrets[cloud.SecretWooCommerce])
		// Changes made before the sync client starts (the demo seed's) are
		// signed for this terminal's token too.
		t.Service.Keys.Bind(token)
		if err := terminal.AdoptLocalStaff(t, e, opts.Log); err != nil {
			return nil, err
		}
		if opts.Demo {
			empty, err := t.IsEmpty()
			if err != nil {
				return nil, err
			}
			if empty {
				if err := demo.SeedEmbedded(t, e, opts.Log); err != nil {
					return nil, err
				}
			}
		}
	}
	sc := client.NewClient(t.DB, t.Service, client.Config{BaseURL: base, Token: token, Terminal: terminalID})
	// The station may fail a resumed job before the runtime exists. It asks
	// the cloud for the platforms' airway bills through the sync client.
	var rt atomic.Pointer[terminal.Runtime]
	st, err := terminal.OpenStation(t, sc, func(j printer.Job, err error) {
		if r := rt.Load(); r != nil {
			r.PrintFailed(j, err)
		}
	})
	if err != nil {
		return nil, err
	}
	r := terminal.New(t, terminal.Parts{Cloud: embedded, Sync: sc, Station: st, Feed: sampleFeed(embedded, opts), AutoPrint: opts.AutoPrint, Log: opts.Log})
	rt.Store(r)
	return r, nil
}

// sampleFeed posts the demo's sample orders to the embedded cloud at the
// feed's rate; nil when there is no feed to run.
func sampleFeed(e *cloud.Embedded, opts RuntimeOptions) func(ctx context.Context) {
	if !opts.Demo || e == nil || opts.FeedRate == "off" || opts.FeedRate == "0" {
		return nil
	}
	rate := opts.FeedRate
	if rate == "" {
		rate = "2/min"
	}
	perSec, err := feed.ParseRate(rate)
	if err != nil {
		return nil
	}
	return func(ctx context.Context) {
		err := feed.Simulate(ctx, e.BaseURL, e.ShopID, e.Secrets, perSec, nil, func(f string, a ...any) {
			fmt.Fprintf(opts.Log, "feed: "+strings.TrimSuffix(f, "\n")+"\n", a...)
		})
		if err != nil && ctx.Err() == nil {
			fmt.Fprintf(opts.Log, "feed stopped: %v\n", err)
		}
	}
}
