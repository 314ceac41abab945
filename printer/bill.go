package printer

import (
	"context"
	"image"
	"sync"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/printout"
	"github.com/kasir/pos/sync/wire"
)

// Bills fetches an order's mandatory airway bill from its issuer,
// rasterized to a label printer's width in dots. The terminal's sync client
// implements it by asking the cloud (client.Client.Bill); its errors are
// app errors (app.EUnreachable when the cloud cannot be reached).
type Bills interface {
	Bill(ctx context.Context, orderID string, dots int) (*wire.Bill, error)
}

// billTimeout bounds one question for a bill: the cloud may wait on the
// platform to make the document, but a printer's other jobs wait too.
// previewTimeout is shorter: staff are looking at the dialog.
const (
	billTimeout    = 60 * time.Second
	previewTimeout = 20 * time.Second
)

// PrintBill queues the platform's airway bill of o (app.BillSource) on url,
// or the label printer. The job is durable before PrintBill returns, before
// the bill is here: the queue fetches it when the job's turn comes, keeps
// it once fetched, and retries while the cloud is unreachable or the bill
// not ready, telling staff why (BillWait). The order's history records the
// label once the printer confirmed the bill. One job carries every page:
// the bill comes in one answer, its pages belong on one parcel, and "label
// printed" (or "may have printed: print again?") is then said once, of all.
func (s *Station) PrintBill(o *app.Order, url, profile string, actor app.Actor) (Job, error) {
	src := app.BillSource(o)
	if src == "" {
		return Job{}, app.BillReady(o)
	}
	if o.Status == app.StatusCancelled {
		return Job{}, app.BillReady(o)
	}
	url, p, err := s.printer(app.DocLabel, url, profile)
	if err != nil {
		return Job{}, err
	}
	if err := app.ValidateBillDots(p.WidthDots); err != nil {
		return Job{}, err
	}
	job, err := s.Queue.Enqueue(Job{Kind: KindLabel, OrderID: o.ID, Number: o.Number, PrinterURL: url, Profile: p.Name,
		Bill: src, Created: s.Now().UTC(), Actor: actor})
	if err == nil {
		s.waits.clear(o.ID) // a reason from an earlier job is not this one's
	}
	return job, err
}

// PreviewBill fetches o's airway bill at the width of the label printer
// (or of profile) and draws it as the printer will print it: the pages
// the cloud sent, dot for dot. It fails, in words for staff, when the bill
// cannot be fetched now; PrintBill still queues it.
func (s *Station) PreviewBill(ctx context.Context, o *app.Order, profile string) (image.Image, error) {
	src := app.BillSource(o)
	if src == "" {
		return nil, app.BillReady(o)
	}
	cfg, err := s.Config()
	if err != nil {
		return nil, err
	}
	if profile == "" {
		if pc, ok := cfg.PrinterFor(app.DocLabel); ok {
			profile = pc.Profile
		}
	}
	p, err := cfg.Profile(profile)
	if err != nil {
		return nil, forStaff(err)
	}
	ctx, cancel := context.WithTimeout(ctx, previewTimeout)
	defer cancel()
	doc, _, err := s.bill(ctx, o, src, p)
	if err != nil {
		return nil, err
	}
	return printout.Render(doc, p), nil
}

// BillWait says why the airway bill of an order has not printed: its job
// waits ("Waiting for Shopee's airway bill: cloud unreachable"), or it left
// the queue unprinted ("Shopee's airway bill could not be printed: …")
// and nothing printed it since. Nil when neither.
func (s *Station) BillWait(orderID string) error { return s.waits.get(orderID) }

// FillBill is the queue's Fill (QueueOptions.Fill): it fetches a bill
// job's pages and encodes them for the job's printer. A bill that can
// never print (the order has none any more, is cancelled, or the platform
// refused it) leaves the queue; either way BillWait keeps the reason.
func (s *Station) FillBill(ctx context.Context, j Job) ([]byte, error) {
	data, lasting, err := s.fillBill(ctx, j)
	switch {
	case err == nil:
		s.waits.clear(j.OrderID)
		return data, nil
	case lasting:
		s.waits.set(j.OrderID, err)
		return nil, Unfillable(err)
	}
	return nil, s.waits.set(j.OrderID, err)
}

func (s *Station) fillBill(ctx context.Context, j Job) (data []byte, lasting bool, err error) {
	if j.Bill == "" {
		return nil, true, app.Errorf(app.EInternal, "Print job %d has nothing to print", j.ID)
	}
	if s.Service == nil {
		return nil, true, app.Errorf(app.EInternal, "Print job %d: this station cannot read orders", j.ID)
	}
	o, err := s.Service.Order(j.OrderID)
	if err != nil {
		return nil, false, app.BillWaiting(j.Bill, err)
	}
	if app.BillSource(o) == "" || o.Status == app.StatusCancelled {
		return nil, true, app.BillNotPrinted(j.Bill, app.BillReady(o))
	}
	cfg, err := s.Config()
	if err != nil {
		return nil, false, app.BillWaiting(j.Bill, err)
	}
	p, err := cfg.Profile(j.Profile)
	if err != nil {
		return nil, true, app.BillNotPrinted(j.Bill, forStaff(err))
	}
	doc, lasting, err := s.bill(ctx, o, j.Bill, p)
	if err != nil {
		return nil, lasting, err
	}
	if data, err = Encode(doc, p); err != nil {
		return nil, true, app.BillNotPrinted(j.Bill, forStaff(err))
	}
	return data, false, nil
}

// bill asks for o's bill at p's width and lays it out, its errors in the
// words app gives them: app.BillNotPrinted when asking again will not mend
// it (lasting), else app.BillWaiting.
func (s *Station) bill(ctx context.Context, o *app.Order, src string, p printout.Profile) (doc *printout.Document, lasting bool, err error) {
	if err := app.BillReady(o); err != nil {
		if app.ErrorCode(err) == app.EConflict && o.Status != app.StatusCancelled {
			return nil, false, app.BillWaiting(src, err)
		}
		return nil, true, app.BillNotPrinted(src, err)
	}
	if err := app.ValidateBillDots(p.WidthDots); err != nil {
		return nil, true, app.BillNotPrinted(src, err)
	}
	if s.Bills == nil {
		return nil, false, app.BillWaiting(src, app.Errorf(app.EUnreachable, "The cloud did not answer: the airway bill cannot be fetched now"))
	}
	ctx, cancel := context.WithTimeout(ctx, billTimeout)
	defer cancel()
	b, err := s.Bills.Bill(ctx, o.ID, p.WidthDots)
	if err != nil {
		if app.BillLasting(err) {
			return nil, true, app.BillNotPrinted(src, err)
		}
		return nil, false, app.BillWaiting(src, err)
	}
	if doc, err = printout.Bill(b.Pages, p); err != nil {
		// The cloud's answer is wrong today; a later answer may not be.
		return nil, false, app.BillWaiting(src, app.Errorf(app.EInvalid, "The cloud's airway bill could not be read: %s", err.Error()))
	}
	return doc, false, nil
}

// billWaits is why each order's queued bill has not printed yet.
type billWaits struct {
	mu sync.Mutex
	m  map[string]error
}

func (w *billWaits) set(orderID string, err error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.m == nil {
		w.m = map[string]error{}
	}
	w.m[orderID] = err
	return err
}

func (w *billWaits) get(orderID string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.m[orderID]
}

func (w *billWaits) clear(orderID string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.m, orderID)
}
