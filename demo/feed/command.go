package feed

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// Extension is `pos-cloud simulate`, which bin/pos-cloud's wiring registers
// (cloud.Extend) before it runs its command line.
var Extension = cloud.Extension{Commands: map[string]func(ctx context.Context, fs *flag.FlagSet, args []string, admin func() cloud.Admin, stdout io.Writer) error{
	"simulate": Command,
}}

// Command is `pos-cloud simulate --url URL --shop ID [--rate 2/min]
// [--channel woocommerce,shopee,…] --secrets-file F`: it posts sample orders
// until ctx ends. fs holds the command line's common flags already.
func Command(ctx context.Context, fs *flag.FlagSet, args []string, _ func() cloud.Admin, stdout io.Writer) error {
	url := fs.String("url", "http://127.0.0.1:8720", "cloud base URL")
	shop := fs.String("shop", "", "shop id")
	rate := fs.String("rate", "2/min", "orders per minute, e.g. 2/min or 1/s")
	channels := fs.String("channel", "", "comma-separated channels (default all)")
	secretsFile := fs.String("secrets-file", "", "JSON from `shop add --json` (or its secrets object)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r, err := ParseRate(*rate)
	if err != nil {
		return err
	}
	sec, err := readSecrets(*secretsFile)
	if err != nil {
		return err
	}
	var chs []app.Channel
	for _, c := range strings.Split(*channels, ",") {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		ch, err := app.ParseChannel(c)
		if err != nil {
			return err
		}
		chs = append(chs, ch)
	}
	if *shop == "" {
		return app.FieldError("shop", "is required")
	}
	return Simulate(ctx, *url, *shop, sec, r, chs, func(f string, a ...any) { fmt.Fprintf(stdout, f+"\n", a...) })
}

// readSecrets accepts either `shop add --json` output or a bare secrets object.
func readSecrets(path string) (cloud.Secrets, error) {
	if path == "" {
		return nil, app.FieldError("secrets-file", "is required to sign webhooks")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var wrapped cloud.ShopCreated
	if json.Unmarshal(data, &wrapped) == nil && len(wrapped.Secrets) > 0 {
		return wrapped.Secrets, nil
	}
	var s cloud.Secrets
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, app.FieldError("secrets-file", "is not JSON secrets: %v", err)
	}
	return s, nil
}
