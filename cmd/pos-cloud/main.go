// Command pos-cloud is the shop's cloud: webhooks in, websocket sync out.
// It is wiring: the command line (cloud/command) over the core (cloud), its
// backends (cloud/bolt, cloud/postgres), its HTTP face (cloud/web), the back
// office and the sample-order feed (demo/feed, `pos-cloud simulate`);
// everything else lives in those packages.
package main

import (
	"context"
	_ "github.com/kasir/pos/backoffice"
	"os"
	"os/signal"
	"syscall"

	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/command"
	"github.com/kasir/pos/cloud/postgres"
	"github.com/kasir/pos/cloud/web"
	"github.com/kasir/pos/demo/feed"
)

func main() {
	cloud.TuneGC()
	cloud.Extend(feed.Extension)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := command.Main(ctx, cloud.Wiring{Bolt: bolt.OpenBackend, Postgres: postgres.OpenBackend, Serve: web.ServeWithAdmin}, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
