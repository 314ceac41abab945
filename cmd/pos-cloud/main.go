// Command pos-cloud is the shop's cloud: webhooks in, websocket sync out.
// Everything but signal handling lives in package cloud.
package main

import (
	"context"
	_ "github.com/kasir/pos/backoffice"
	"os"
	"os/signal"
	"syscall"

	"github.com/kasir/pos/cloud"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cloud.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
