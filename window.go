package main

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/assets"
	"github.com/kasir/pos/cli"
	"github.com/kasir/pos/demo"
	"github.com/kasir/pos/printer"
	"github.com/kasir/pos/printout"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/terminal"
	"github.com/kasir/pos/ui"
)

// openWindow runs the register window on an opened terminal, with its
// cloud, sync, print queue and scheduler running behind it.
func openWindow(ctx context.Context, t *terminal.Terminal, opts cli.GUIOptions) error {
	width, height, err := opts.WindowSize()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := terminal.StartOptions{CloudURL: opts.CloudURL, Token: opts.Token, AutoPrint: true, Log: os.Stdout}
	if opts.Demo {
		start.Seed, start.FeedRate = demo.SeedEmbedded, opts.FeedRate
	}
	rt, err := terminal.Start(ctx, t, start)
	if err != nil {
		return err
	}
	a := fyneapp.NewWithID("dev.kasir.pos")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	m := ui.New(a, ui.Deps{Service: t.Service, Settings: t.DB, Printing: printing{rt.Station, t.Service}, Sync: syncState{rt.Sync}, Terminal: t.Name,
		CheckSignIn: func(member app.Staff) error { return rt.Sync.CheckSignIn(ctx, member) }, Accounts: accounts{ctx, rt.Sync},
		Rates: func(id string, p app.CourierProvider, parcel app.RateParcel) ([]app.RateOffer, error) {
			return rt.Sync.Rates(ctx, id, p, parcel)
		}})
	rt.Sync.OnStaff = func([]app.Staff) { m.StaffChanged() }
	m.Window().Resize(fyne.NewSize(width, height))
	m.Window().SetFullScreen(opts.Fullscreen)
	rt.OnOrders = func(orders []*app.Order, created int) {
		m.Refresh()
		m.OnOrdersChanged(orders)
		if created > 0 {
			m.OnNewOrders(created)
		}
	}
	rt.OnRejected = func(r client.Rejection) {
		if r.OrderID == "" && r.Number == "" {
			m.OnChangeRefused(app.Action(r.Action), r.Reason())
			return
		}
		n := r.Number
		if n == "" {
			n = r.OrderID
		}
		m.OnRejected(n, r.Reason())
	}
	rt.OnQuarantined = m.OnQuarantined
	// A print that failed may be a bill waiting for the cloud: the open
	// order then says why (ui.BillPrinting.BillWait). A bill that will not
	// print is told at once.
	rt.OnPrintError = func(_ printer.Job, err error) {
		if errors.Is(err, printer.ErrUnfillable) {
			m.OnPrintFailed(app.MessageOf(err))
			return
		}
		m.Refresh()
	}
	for _, setAside := range t.SetAside {
		m.OnSettingSetAside(app.MessageOf(setAside))
	}
	go rt.Run(ctx)
	go func() {
		<-ctx.Done()
		a.Quit()
	}()
	m.ShowAndRun()
	cancel()
	rt.Close()
	return nil
}

// printing is the register's view of the print station; it answers prints
// that may have printed too (ui.Reprints).
type printing struct {
	st  *printer.Station
	svc *app.Service
}

var _ ui.Reprints = printing{}

func (p printing) Preview(doc app.Document, o *app.Order) (image.Image, error) {
	img, _, err := p.st.Preview(doc, o, "")
	return img, err
}

func (p printing) Print(doc app.Document, o *app.Order, actor app.Actor) (string, error) {
	job, warnings, err := p.st.Print(doc, o, "", "", actor)
	if err != nil {
		return "", err
	}
	msg := fmt.Sprintf("Queued on %s", job.PrinterURL)
	for _, w := range warnings {
		msg += "\n" + w
	}
	return msg, nil
}

// Uncertain lists the prints that may have printed, with app's question for each.
func (p printing) Uncertain() []ui.UncertainPrint {
	var out []ui.UncertainPrint
	for _, j := range p.st.Uncertain() {
		out = append(out, ui.UncertainPrint{ID: j.ID, Question: printer.Question(j).Text(), PrinterSaid: j.PrinterSaid})
	}
	return out
}

func (p printing) PrintAgain(id uint64, actor app.Actor) (string, error) {
	job, err := p.st.PrintAgain(id, actor)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Queued on %s (COPY)", job.PrinterURL), nil
}

func (p printing) KeepPrinted(id uint64, actor app.Actor) error {
	_, err := p.st.KeepPrinted(id, actor)
	return err
}

var _ ui.BillPrinting = printing{}

func (p printing) PreviewOwnLabel(o *app.Order) (image.Image, error) {
	img, _, err := p.st.PreviewOwnLabel(o, "")
	return img, err
}

func (p printing) PrintOwnLabel(o *app.Order, actor app.Actor) (string, error) {
	job, warnings, err := p.st.PrintOwnLabel(o, "", "", actor)
	if err != nil {
		return "", err
	}
	msg := fmt.Sprintf("Queued on %s", job.PrinterURL)
	for _, w := range warnings {
		msg += "\n" + w
	}
	return msg, nil
}

func (p printing) BillWait(orderID string) error { return p.st.BillWait(orderID) }

var _ ui.CounterPrinting = printing{}

func (p printing) PrintRefund(o *app.Order, i int, actor app.Actor) (string, error) {
	job, err := p.st.PrintRefund(o, i, "", "", actor)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Queued on %s", job.PrinterURL), nil
}

func (p printing) PrintShiftReport(s *app.Shift, t app.CashTotals, actor app.Actor) (string, error) {
	pol := p.svc.CurrentPolicy()
	job, err := p.st.PrintShiftReport(s, t, pol.Currency, pol.Zone(), "", "", actor)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Queued on %s", job.PrinterURL), nil
}

func (p printing) TestPage(url, profile string) error {
	_, err := p.st.PrintTestPage(url, profile)
	return err
}

func (p printing) Status(url string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	st, err := printer.PrinterStatus(ctx, url)
	if err != nil {
		return "", err
	}
	return st.String(), nil
}

func (p printing) Profiles() []string {
	cfg, err := p.st.Config()
	if err != nil {
		return printout.PresetNames()
	}
	return cfg.ProfileNames()
}

// syncState is the register's view of the sync client.
type syncState struct{ c *client.Client }

func (s syncState) State() ui.SyncState {
	st := s.c.State()
	return ui.SyncState{Status: string(st.Status), Pending: st.Pending, OfflineSince: st.OfflineSince, LastError: st.LastError}
}

// accounts asks the cloud, through the sync client, for the shop's
// accounts in the owner's name (Settings, Sync now).
type accounts struct {
	ctx context.Context
	c   *client.Client
}

func (a accounts) List(owner app.Actor) ([]app.AccountView, error) { return a.c.Accounts(a.ctx, owner) }

func (a accounts) Set(owner app.Actor, kind app.AccountKind, fields map[string]string) (*app.AccountView, error) {
	return a.c.SetAccount(a.ctx, owner, kind, fields)
}

func (a accounts) ConnectLink(owner app.Actor, kind app.AccountKind) (string, error) {
	return a.c.ConnectLink(a.ctx, owner, kind)
}

func (a accounts) Sync(owner app.Actor, kind app.AccountKind, days int) (*app.ChannelSync, error) {
	return a.c.SyncChannel(a.ctx, owner, kind, days)
}

func (a accounts) Remove(owner app.Actor, kind app.AccountKind, storeURL string) ([]app.AccountView, error) {
	return a.c.RemoveAccount(a.ctx, owner, kind, storeURL)
}
