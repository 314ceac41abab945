// Package cli is the `pos` command line: support, headless stations and
// scripts use it beside the GUI. Every command goes through app's use cases.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/kasir/pos/terminal"
	"io"
	"os"
	"strings"

	"github.com/kasir/pos/app"
)

// GUI opens the window on an opened terminal; main.go supplies it so that
// headless commands never start a display.
type GUI func(ctx context.Context, t *terminal.Terminal, opts GUIOptions) error

// GUIOptions are the flags of bare `pos`.
type GUIOptions struct {
	// Demo seeds an empty store and runs the sample-order feed.
	Demo bool
	// CloudURL and Token pair with a remote cloud; empty runs the embedded one.
	CloudURL string
	Token    string
	// FeedRate is the demo feed's rate ("2/min"), or "off".
	FeedRate string
	// Size is the window size as WxH; Fullscreen fills the screen instead.
	Size       string
	Fullscreen bool
}

// WindowSize parses Size ("1280x800"), naming the flag when it is wrong.
func (o GUIOptions) WindowSize() (w, h float32, err error) {
	var wi, hi int
	if _, err := fmt.Sscanf(o.Size, "%dx%d", &wi, &hi); err != nil || wi < 320 || hi < 320 {
		return 0, 0, usagef("--size: %q is not a window size like 1280x800", o.Size)
	}
	return float32(wi), float32(hi), nil
}

// Env is what a command reads and writes; tests give their own.
type Env struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	GUI            GUI
	Ctx            context.Context
}

const usage = `Usage: pos [--data DIR] [command]

With no command, pos opens the register window:
  pos [--data DIR] [--demo [--feed-rate 2/min|off]] [--cloud URL --token T]
      [--size 1280x800 | --fullscreen]

Commands:
  seed --demo                          fill an empty store with a demo shop
  orders list [--status S] [--channel C] [--q TEXT] [--json]
  orders show ID [--json]
  orders accept|reject|pack|ship|deliver|complete|cancel|complain ID... [--reason R]
  orders pickup ID... --at 2026-11-24T10:00 --window 2h [--address A]
  orders dropoff ID... --courier C
  orders cancel-pickup ID...           withdraw a pickup or drop-off no courier took yet
  orders book-again ID...              book with Shipper/Biteship again after a lost answer (check its dashboard first)
  orders ship ID... --courier C --tracking T [--shipped-at 2026-11-24T10:00] [--note REMARK]
  orders split ID --parcel N --sku SKU --qty N
  orders parcel ID --parcel N [--weight G] [--size LxWxH]
  orders new --buyer NAME --line SKU:QTY[:PRICE]... [--phone P] [--address A] [--payment M]
  orders history ID [--pack]
  products list [--json]
  products import FILE.csv
  export csv [--days 90 | --from DATE --to DATE] FILE
  print receipt|label|slip ORDER --printer URL [--profile P]
  print test --printer URL [--profile P]
  print preview receipt|label|slip ORDER --out FILE.png [--profile P]
  print pending [--json]               jobs not printed yet; "may have printed" ones with their question
  print again|printed JOB [--json]     answer "print again?": a copy marked COPY, or "it printed"
  print reprint-uncertain [ask|always|never]   what stations do with a print that may have printed
  printers status URL
  printers profiles                    presets and the shop's own profiles
  printers profile add --name N --width DOTS --chars N [--native-qr] [--code-page CP] [--cutter] [--drawer]
  agent [--cloud URL --token T] [--print]   run sync (and auto-print) without a window
  shift open --float N | cash-in N --reason R | cash-out N --reason R | close --counted N | show
  sale --line SKU:QTY[:PRICE]... --pay METHOD:AMOUNT[:REF]... [--discount N|P%] [--approved-by OWNER]
  refund SALE --line SKU:QTY... --reason R [--restock shelf|damaged] [--method M]
  void SALE --reason R                 undo a sale the same day, in its shift
  sales list [--from DATE --to DATE] [--json]
  report [--from DATE --to DATE | --days N] [--json|--csv]
  counter [--tax none|inclusive|exclusive] [--cashier-discount-limit 10%]   the counter's rules
  settings [show [NAME]]               this terminal's settings as JSON: printing, cloud, prefs, terminal-name, policy
  settings set NAME VALUE|--file F     replace one, checked as the Settings screen checks it

Every command takes --data DIR (default: the per-user app data directory).
Run 'pos COMMAND --help' for a command's flags. Scripts: see docs/cli.md.
`

// Main runs the command line and returns the exit status: 0 ok, 1 failed, 2 misused.
func Main(args []string, env Env) int {
	if env.Ctx == nil {
		env.Ctx = context.Background()
	}
	lang := app.English
	err := dispatch(args, env, &lang)
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(env.Stderr, "pos:", ue.msg)
		fmt.Fprintln(env.Stderr, "Run 'pos --help' for usage.")
		return 2
	}
	var pe partialError
	if errors.As(err, &pe) {
		return 1
	}
	fmt.Fprintln(env.Stderr, "pos:", describe(err, lang))
	return 1
}

// describe shows an application error's message in lang and any other
// error as is: on the command line the operator is the one who needs the detail.
func describe(err error, lang app.Lang) string {
	if app.ErrorCode(err) != app.EInternal {
		return app.ErrorMessageIn(err, lang)
	}
	return err.Error()
}

// partialError means some orders of a multi-order command failed; each was already reported.
type partialError struct{ failed int }

func (e partialError) Error() string { return fmt.Sprintf("%d orders failed", e.failed) }

// dispatch runs one command; lang is set to the language it spoke, for the final error.
func dispatch(args []string, env Env, lang *app.Lang) error {
	global := newFlags("pos", env.Stderr)
	dataDir := global.String("data", DefaultDataDir(), "data directory")
	demo := global.Bool("demo", false, "seed demo data if empty and run the sample-order feed")
	cloudURL := global.String("cloud", "", "cloud base URL (default: run the cloud in-process)")
	token := global.String("token", "", "terminal pairing token for --cloud")
	size := global.String("size", "1280x800", "window size, e.g. 800x1280 for portrait")
	fullscreen := global.Bool("fullscreen", false, "fill the screen (a tablet at the counter)")
	feedRate := global.String("feed-rate", "2/min", "with --demo: how fast sample orders arrive (e.g. 6/min), or off")
	langFlag := global.String("lang", "", "language of messages: en or id (default: the shop's setting)")
	global.Usage = func() { fmt.Fprint(env.Stderr, usage) }
	if err := global.Parse(args); err != nil {
		return err
	}
	c := &command{env: env, dataDir: *dataDir, langOut: lang}
	if *langFlag != "" {
		l, err := app.ParseLang(*langFlag)
		if err != nil {
			return usagef("--lang: %s", app.ErrorMessage(err))
		}
		c.lang, *lang = l, l
	}
	rest := global.Args()
	if len(rest) == 0 {
		if env.GUI == nil {
			return usagef("no command given")
		}
		t, err := terminal.Open(*dataDir)
		if err != nil {
			return err
		}
		defer t.Close()
		return env.GUI(env.Ctx, t, GUIOptions{Demo: *demo, CloudURL: *cloudURL, Token: *token, FeedRate: *feedRate, Size: *size, Fullscreen: *fullscreen})
	}
	cmd, sub := rest[0], rest[1:]
	switch cmd {
	case "seed":
		return c.seed(sub)
	case "orders":
		return c.orders(sub)
	case "products":
		return c.products(sub)
	case "export":
		return c.export(sub)
	case "print":
		return c.print(sub)
	case "printers":
		return c.printers(sub)
	case "agent":
		return c.agent(sub)
	case "shift":
		return c.shift(sub)
	case "sale":
		return c.sale(sub)
	case "refund":
		return c.refund(sub)
	case "void":
		return c.void(sub)
	case "sales":
		return c.sales(sub)
	case "report":
		return c.report(sub)
	case "counter":
		return c.counterRules(sub)
	case "settings":
		return c.settings(sub)
	case "help":
		fmt.Fprint(env.Stdout, usage)
		return nil
	}
	return usagef("unknown command %q", cmd)
}

// command carries what every subcommand shares.
type command struct {
	env     Env
	dataDir string
	// lang is the language messages are written in: --lang, else the shop's setting once a store is open.
	lang    app.Lang
	langOut *app.Lang
	// pin signs a staff member in for the command (--pin, or POS_PIN).
	pin string
	// approverPIN is the approving owner's PIN (--approver-pin).
	approverPIN string
}

// flags makes a subcommand flag set that also takes --data.
func (c *command) flags(name string) *flag.FlagSet {
	fs := newFlags("pos "+name, c.env.Stderr)
	fs.StringVar(&c.dataDir, "data", c.dataDir, "data directory")
	fs.StringVar(&c.pin, "pin", pinFromEnv(), "a staff member's PIN: changes are theirs, with their role (default $POS_PIN)")
	fs.StringVar(&c.approverPIN, "approver-pin", os.Getenv("POS_APPROVER_PIN"), "the PIN of the owner named by --approved-by, who allows the override (default $POS_APPROVER_PIN)")
	return fs
}

// open opens the data directory; without --lang, messages follow the language set on the terminal.
func (c *command) open() (*terminal.Terminal, error) {
	t, err := terminal.Open(c.dataDir)
	if err != nil {
		return nil, err
	}
	if c.pin != "" {
		if err := t.SignIn(c.pin); err != nil {
			t.Close()
			return nil, err
		}
	}
	if c.approverPIN != "" {
		if err := t.Approve(c.approverPIN); err != nil {
			t.Close()
			return nil, err
		}
	}
	if c.lang == "" {
		c.lang = t.Language()
		if c.langOut != nil {
			*c.langOut = c.lang
		}
	}
	for _, setAside := range t.SetAside {
		c.warn(setAside)
	}
	return t, nil
}

// say is one of app's messages in the command's language.
func (c *command) say(m app.Message) string { return m.In(c.words()) }

// words is the command's language, English before a store is open.
func (c *command) words() app.Lang {
	if c.lang == "" {
		return app.English
	}
	return c.lang
}

// cliActor is who a command-line change is recorded as.
func cliActor(t *terminal.Terminal, staff string) app.Actor {
	if t.Staff != nil {
		return t.Staff.Actor(t.Name)
	}
	if strings.TrimSpace(staff) == "" {
		staff = "cli"
	}
	return app.Actor{Staff: staff, Role: app.RoleOwner, Terminal: t.Name}
}
