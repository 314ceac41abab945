// Package command is the pos-cloud command line: its subcommands, flags,
// output and exit codes. It stands on the cloud's core (the Admin client,
// which talks to a running server's admin socket or opens the store itself)
// and is handed the backends and the HTTP face through cloud.Wiring, so the
// core carries no flag parsing and no printing for people.
package command

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/cloud"
)

const usage = `usage:
  pos-cloud serve [--listen 127.0.0.1:8720] [--public-url URL] [--data DIR] [--postgres DSN] [--tls-cert F --tls-key F] [--log-level info]
  pos-cloud shop add --name N [--data DIR] [--json]
  pos-cloud terminal add --shop ID --name N [--data DIR] [--json]
  pos-cloud terminal revoke [--data DIR] ID
  pos-cloud terminal resend [--data DIR] ID     (send again the changes the terminal could not store)
  pos-cloud staff add --shop ID --name N --role owner|cashier|packer --pin PIN [--data DIR] [--json]
  pos-cloud staff list --shop ID [--data DIR] [--json]
  pos-cloud staff remove --shop ID --name N [--data DIR]
  pos-cloud products import --shop ID --file products.json [--data DIR]
  pos-cloud account set --shop ID --kind KIND --file creds.json [--data DIR] [--secrets-key-file F]
  pos-cloud account show --shop ID [--data DIR] [--secrets-key-file F] [--json]
  pos-cloud account remove --shop ID --kind woocommerce --store URL [--data DIR] [--secrets-key-file F] [--json]   (remove one WooCommerce store; its orders stay)
  pos-cloud account connect --shop ID --kind shopee|lazada|tiktok [--code C] [--data DIR] [--json]   (the Connect link, or exchange a pasted code)
  pos-cloud channel sync --shop ID --kind K [--days 1] [--data DIR] [--json]   (list the platform's orders, create what is missing, move what is behind)
  pos-cloud orders list --shop ID [--status S[,S]] [--q TEXT] [--limit 50] [--offset 0] [--data DIR] [--json]
  pos-cloud orders show --shop ID ORDER [--data DIR] [--json]
  pos-cloud followers show [--data DIR] [--json]
  pos-cloud followers retry --follower NAME --shop ID [--seq N] [--data DIR]
  pos-cloud notices show --shop ID [--event E] [--data DIR] [--json]
  pos-cloud notices set --shop ID [--event E (--on|--off|--lang id|en --subject S --body B|--body-file F|--default)] [--contact C] [--page-url URL] [--data DIR]
  pos-cloud notices revoke --shop ID --order REF [--data DIR]     (a new order page link; the old one stops working)
  pos-cloud simulate --url URL --shop ID [--rate 2/min] [--channel woocommerce,shopee,…] [--secrets-file F]
`

// Main is bin/pos-cloud: it parses args, runs one command on the store and
// HTTP face that w wires in until ctx ends, and returns the exit code.
func Main(ctx context.Context, w cloud.Wiring, args []string, stdout, stderr io.Writer) int {
	if err := run(ctx, w, args, stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, usage)
			return 2
		}
		fmt.Fprintln(stderr, "pos-cloud:", err)
		return 1
	}
	return 0
}

func run(ctx context.Context, w cloud.Wiring, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return flag.ErrHelp
	}
	cmd := args[0]
	if (cmd == "shop" || cmd == "terminal" || cmd == "products" || cmd == "followers" || cmd == "staff" || cmd == "orders" || cmd == "account" || cmd == "notices" || cmd == "owner" || cmd == "channel") && len(args) > 1 {
		cmd += " " + args[1]
		args = args[1:]
	}
	fs := flag.NewFlagSet("pos-cloud "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envOr("POS_CLOUD_DATA", "pos-cloud-data"), "data directory")
	asJSON := fs.Bool("json", false, "print JSON")
	pg := fs.String("postgres", os.Getenv("POS_CLOUD_POSTGRES"), "PostgreSQL DSN (default: embedded bbolt in --data)")
	keyFile := fs.String("secrets-key-file", os.Getenv("POS_CLOUD_SECRETS_KEY_FILE"), "file holding the 32-byte key that seals shops' accounts (default: DATA/secrets.key, created on first start)")
	switch cmd {
	case "serve":
		listen := fs.String("listen", "127.0.0.1:8720", "address to listen on")
		cert := fs.String("tls-cert", "", "TLS certificate file")
		key := fs.String("tls-key", "", "TLS key file")
		level := fs.String("log-level", "info", "debug, info, warn or error")
		public := fs.String("public-url", os.Getenv("POS_CLOUD_PUBLIC_URL"), "the cloud's address as platforms and browsers reach it (OAuth redirects come back to URL/v1/oauth/{platform}/callback)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if (*cert == "") != (*key == "") {
			return app.FieldError("tls-cert", "--tls-cert and --tls-key go together")
		}
		var lv slog.Level
		if err := lv.UnmarshalText([]byte(*level)); err != nil {
			return app.FieldError("log-level", "unknown level %q", *level)
		}
		log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: lv}))
		return serve(ctx, w, log, *data, *pg, *keyFile, *listen, *cert, *key, *public)
	case "shop add":
		name := fs.String("name", "", "shop name")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		out, err := cloud.Admin{Dir: *data, Postgres: *pg, Backends: w}.AddShop(*name)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(out)
		}
		fmt.Fprintf(stdout, "shop %s\nwebhook secrets (keep them safe; each channel's settings need its own):\n", out.ID)
		for _, n := range cloud.SecretNames() {
			fmt.Fprintf(stdout, "  %-16s %s\n", n, out.Secrets[n])
		}
		return nil
	case "terminal add":
		shop := fs.String("shop", "", "shop id")
		name := fs.String("name", "", "terminal name")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		out, err := cloud.Admin{Dir: *data, Postgres: *pg, Backends: w}.AddTerminal(*shop, *name)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(out)
		}
		fmt.Fprintf(stdout, "terminal %s\npairing token (shown once): %s\n", out.ID, out.Token)
		return nil
	case "terminal revoke":
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return app.FieldError("id", "terminal revoke takes one terminal id")
		}
		if err := (cloud.Admin{Dir: *data, Postgres: *pg, Backends: w}).RevokeTerminal(fs.Arg(0)); err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(map[string]any{"id": fs.Arg(0), "revoked": true})
		}
		fmt.Fprintf(stdout, "terminal %s revoked\n", fs.Arg(0))
		return nil
	case "terminal resend":
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return app.FieldError("id", "terminal resend takes one terminal id")
		}
		kept, err := (cloud.Admin{Dir: *data, Postgres: *pg, Backends: w}).ResendQuarantined(fs.Arg(0))
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(map[string]any{"id": fs.Arg(0), "resend": kept})
		}
		if len(kept) == 0 {
			fmt.Fprintf(stdout, "terminal %s reported no quarantined changes\n", fs.Arg(0))
			return nil
		}
		for _, q := range kept {
			fmt.Fprintf(stdout, "change %d (order %s): %s\n", q.Seq, q.Number, q.Error)
		}
		fmt.Fprintf(stdout, "%d changes will be sent again to terminal %s when it next connects\n", len(kept), fs.Arg(0))
		return nil
	case "products import":
		shop := fs.String("shop", "", "shop id")
		file := fs.String("file", "", "JSON array of products (sku, name, price, cost, on_hand, …)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		raw, err := os.ReadFile(*file)
		if err != nil {
			return app.FieldError("file", "%v", err)
		}
		var ps []*app.Product
		if err := channel.DecodeJSON(raw, &ps); err != nil {
			return err
		}
		if err := (cloud.Admin{Dir: *data, Postgres: *pg, Backends: w}).ImportProducts(*shop, ps); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d products imported into %s\n", len(ps), *shop)
		return nil
	case "account set":
		shop := fs.String("shop", "", "shop id")
		kind := fs.String("kind", "", "shopee, tokopedia, lazada, tiktok, woocommerce, store, shipper, biteship, smtp or whatsapp")
		file := fs.String("file", "", "JSON file of the credentials, with the platform's field names (docs/accounts.md)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		k, err := app.ParseAccountKind(*kind)
		if err != nil {
			return err
		}
		if *file == "" {
			return app.FieldError("file", "is required")
		}
		raw, err := os.ReadFile(*file)
		if err != nil {
			return app.FieldError("file", "cannot be read: %s", err.Error())
		}
		acc, err := cloud.Admin{Dir: *data, Postgres: *pg, Backends: w, SecretsKeyFile: *keyFile}.SetAccount(*shop, k, raw)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(acc)
		}
		fmt.Fprintf(stdout, "%s account of %s saved\n", acc.Kind, acc.Shop)
		printAccounts(stdout, []cloud.MaskedAccount{*acc})
		return nil
	case "account remove":
		shop := fs.String("shop", "", "shop id")
		kind := fs.String("kind", "woocommerce", "woocommerce: the only account a shop keeps several of")
		store := fs.String("store", "", "the store's address (store_url), or its store as account show lists it")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		k, err := app.ParseAccountKind(*kind)
		if err != nil {
			return err
		}
		list, err := cloud.Admin{Dir: *data, Postgres: *pg, Backends: w, SecretsKeyFile: *keyFile}.RemoveAccount(*shop, k, *store)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(list)
		}
		fmt.Fprintf(stdout, "%s store %s of %s removed; its orders stay\n", k, *store, *shop)
		printAccounts(stdout, list)
		return nil
	case "account connect":
		shop := fs.String("shop", "", "shop id")
		kind := fs.String("kind", "", "shopee, lazada or tiktok")
		code := fs.String("code", "", "the authorization code the platform showed, pasted (default: print the Connect link)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		k, err := app.ParseAccountKind(*kind)
		if err != nil {
			return err
		}
		out, err := cloud.Admin{Dir: *data, Postgres: *pg, Backends: w, SecretsKeyFile: *keyFile}.Connect(*shop, k, *code)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(out)
		}
		if out.URL != "" {
			fmt.Fprintf(stdout, "open this link within 30 minutes and allow access:\n%s\n", out.URL)
			return nil
		}
		fmt.Fprintf(stdout, "%s account of %s connected\n", out.Account.Kind, out.Account.Shop)
		printAccounts(stdout, []cloud.MaskedAccount{*out.Account})
		return nil
	case "channel sync":
		shop := fs.String("shop", "", "shop id")
		kind := fs.String("kind", "", "the platform: shopee, tokopedia, lazada, tiktok or woocommerce")
		days := fs.Int("days", 1, "orders updated in the last N days (1 to 90)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		k, err := app.ParseAccountKind(*kind)
		if err != nil {
			return err
		}
		rep, err := cloud.Admin{Dir: *data, Postgres: *pg, Backends: w}.SyncChannel(*shop, k, *days)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(rep)
		}
		printSync(stdout, rep)
		return nil
	case "account show":
		shop := fs.String("shop", "", "shop id")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		list, err := cloud.Admin{Dir: *data, Postgres: *pg, Backends: w, SecretsKeyFile: *keyFile}.Accounts(*shop)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(list)
		}
		printAccounts(stdout, list)
		return nil
	case "orders list":
		shop := fs.String("shop", "", "shop id")
		status := fs.String("status", "", "status: payment_review, new, ready_to_ship, in_delivery, delivered, completed, cancelled, complained")
		q := fs.String("q", "", "search order number, external id, buyer, phone, SKU or product")
		limit := fs.Int("limit", 50, "at most this many orders")
		offset := fs.Int("offset", 0, "skip this many orders")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		f := app.Filter{Text: *q, Limit: *limit, Offset: *offset}
		if *status != "" {
			for _, s := range strings.Split(*status, ",") {
				st, err := app.ParseStatus(s)
				if err != nil {
					return err
				}
				f.Statuses = append(f.Statuses, st)
			}
		}
		page, err := cloud.Admin{Dir: *data, Postgres: *pg, Backends: w}.FindOrders(*shop, f)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(stdout, app.NewOrderPageView(page))
		}
		printOrders(stdout, page, time.Now())
		return nil
	case "orders show":
		shop := fs.String("shop", "", "shop id")
		pos, err := parseMixed(fs, args[1:])
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return app.FieldError("order", "orders show takes one order id or number")
		}
		o, err := cloud.Admin{Dir: *data, Postgres: *pg, Backends: w}.OrderByRef(*shop, pos[0])
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(stdout, app.NewOrderView(o))
		}
		printOrder(stdout, o)
		return nil
	case "followers show":
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		states, err := cloud.Admin{Dir: *data, Postgres: *pg, Backends: w}.Followers()
		if err != nil {
			return err
		}
		if *asJSON {
			if states == nil {
				states = []cloud.FollowerState{}
			}
			return json.NewEncoder(stdout).Encode(states)
		}
		printFollowers(stdout, states)
		return nil
	case "followers retry":
		follower := fs.String("follower", "", "follower name (from followers show)")
		shop := fs.String("shop", "", "shop id")
		seq := fs.Uint64("seq", 0, "one parked change's sequence (default: every parked change of the shop)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		n, err := cloud.Admin{Dir: *data, Postgres: *pg, Backends: w}.RetryParked(*follower, *shop, *seq)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(cloud.RetryReply{Released: n})
		}
		fmt.Fprintf(stdout, "%d parked changes released for %s in %s\n", n, *follower, *shop)
		return nil
	case "staff add", "staff list", "staff remove":
		return runStaff(cmd, fs, args[1:], func() cloud.Admin { return cloud.Admin{Dir: *data, Postgres: *pg, Backends: w} }, asJSON, os.Stdin, stdout)
	case "notices show", "notices set", "notices revoke":
		return runNotices(cmd, fs, args[1:], func() cloud.Admin { return cloud.Admin{Dir: *data, Postgres: *pg, Backends: w} }, asJSON, stdout)
	}
	if c := cloud.ExtensionCommand(cmd); c != nil {
		return c(ctx, fs, args[1:], func() cloud.Admin {
			return cloud.Admin{Dir: *data, Postgres: *pg, Backends: w, SecretsKeyFile: *keyFile}
		}, stdout)
	}
	return flag.ErrHelp
}

// parseMixed parses flags that may come before or after the positional arguments.
func parseMixed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// serve runs the server and its admin socket until ctx ends.
func serve(ctx context.Context, w cloud.Wiring, log *slog.Logger, dir, pg, keyFile, listen, cert, key, publicURL string) error {
	st, err := w.Open(ctx, dir, pg)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	// An unreadable or wrong key stops the cloud here, before anything is served or written.
	secretsKey, err := cloud.LoadSecretsKey(keyFile, dir, log)
	if err != nil {
		return err
	}
	accounts, err := cloud.OpenAccounts(st, secretsKey)
	if err != nil {
		return err
	}
	srv := cloud.NewServer(st, cloud.Options{Logger: log, Accounts: accounts, PublicURL: publicURL, Followers: []cloud.Follower{cloud.NewNotices(), cloud.NewCouriers(), cloud.NewChannels()}})
	if w.Serve == nil {
		return errors.New("this build is wired without the cloud's HTTP (Wiring.Serve is nil)")
	}
	err = w.Serve(ctx, srv, dir, listen, cert, key, func(addr string) {
		log.Info("pos-cloud listening", "addr", addr, "data", dir, "tls", cert != "")
	})
	log.Info("pos-cloud stopped")
	return err
}
