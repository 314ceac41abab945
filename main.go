// Command pos is the point-of-sale terminal: the register window, and a
// command line for support, headless print stations and scripts.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/kasir/pos/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, GUI: openWindow, Ctx: ctx})
	stop()
	os.Exit(code)
}
