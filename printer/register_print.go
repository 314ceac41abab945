package printer

import (
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/printout"
)

// The counter's own printouts: a refund receipt and the shift's X/Z report.
// They go to the receipt printer and leave no print count on the sale, so a
// later reprint of the sale's receipt is not marked COPY because of them.

// receiptPrinter is the url and profile a counter printout goes to, and
// the shop it prints for.
func (s *Station) receiptPrinter(url, profile string) (string, printout.Profile, printout.Shop, error) {
	cfg, err := s.Config()
	if err != nil {
		return "", printout.Profile{}, printout.Shop{}, err
	}
	if url == "" {
		pc, ok := cfg.PrinterFor(app.DocReceipt)
		if !ok {
			return "", printout.Profile{}, printout.Shop{}, app.Errorf(app.EInvalid, "No printer is set up for receipts: add one in Settings » Printers")
		}
		url = pc.URL
		if profile == "" {
			profile = pc.Profile
		}
	}
	p, err := cfg.Profile(profile)
	if err != nil {
		return "", printout.Profile{}, printout.Shop{}, forStaff(err)
	}
	return url, p, cfg.Shop, nil
}

// PrintRefund queues the receipt of refund i (0-based) of a sale.
func (s *Station) PrintRefund(o *app.Order, i int, url, profile string, actor app.Actor) (Job, error) {
	url, p, shop, err := s.receiptPrinter(url, profile)
	if err != nil {
		return Job{}, err
	}
	d, err := printout.RefundFromOrder(o, i, shop)
	if err != nil {
		return Job{}, forStaff(err)
	}
	doc, err := printout.Receipt(d, p)
	if err != nil {
		return Job{}, forStaff(err)
	}
	return s.enqueueDoc(doc, p, url, o.Number, actor)
}

// PrintShiftReport queues the shift's X report (open) or Z report (closed).
func (s *Station) PrintShiftReport(sh *app.Shift, t app.CashTotals, cur app.Currency, zone *time.Location, url, profile string, actor app.Actor) (Job, error) {
	url, p, shop, err := s.receiptPrinter(url, profile)
	if err != nil {
		return Job{}, err
	}
	doc, err := printout.ShiftReport(sh, t, shop, cur, zone, p)
	if err != nil {
		return Job{}, forStaff(err)
	}
	return s.enqueueDoc(doc, p, url, sh.ID, actor)
}

func (s *Station) enqueueDoc(doc *printout.Document, p printout.Profile, url, number string, actor app.Actor) (Job, error) {
	data, err := Encode(doc, p)
	if err != nil {
		return Job{}, err
	}
	return s.Queue.Enqueue(Job{Kind: KindReceipt, Number: number, PrinterURL: url, Profile: p.Name,
		Data: data, Created: s.Now().UTC(), Actor: actor})
}
