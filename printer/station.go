package printer

import (
	"context"
	"fmt"
	"image"
	"image/draw"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/printout"
)

// Station prints orders' documents on the shop's printers through the
// durable queue, and records each finished print in the order's history.
type Station struct {
	Service *app.Service
	// Settings keeps the shop's printing setup (app.Printing).
	Settings app.Settings
	Queue    *Queue
	// Now is the clock stamped on labels; tests fix it.
	Now func() time.Time
	// Bills fetches the platforms' airway bills; nil: this station has no
	// cloud to ask, and a bill it queues waits for a station that has one.
	Bills Bills

	onError func(Job, error)
	waits   billWaits
}

// NewStation starts a queue over jobs and resumes the jobs a previous run
// left. bills fetches the platforms' airway bills (nil: this station has no
// cloud to ask, and a bill waits until a station that has one runs).
// onError hears of each failed attempt, and of each job that may have
// printed: with the question for staff (app.MayHavePrinted) when the shop's
// setting is to ask, or what the station did about it.
func NewStation(svc *app.Service, settings app.Settings, jobs JobStore, bills Bills, onError func(Job, error)) (*Station, error) {
	s := &Station{Service: svc, Settings: settings, Now: time.Now, onError: onError, Bills: bills}
	s.Queue = NewQueue(jobs, QueueOptions{OnPrinted: s.onPrinted, OnError: onError, OnUncertain: s.onUncertain, Fill: s.FillBill})
	if err := s.Queue.Start(); err != nil {
		return nil, err
	}
	return s, nil
}

// Config reads the shop's printing setup as app keeps it (app.Printing),
// with the defaults of a new shop; a stored setup that no longer holds
// gives way to them (the terminal says so when it opens), so printing never
// stops on it. The error is the store failing.
func (s *Station) Config() (app.Printing, error) {
	c := app.DefaultPrinting()
	_, err := app.LoadSetting(s.Settings, &c)
	return c, err
}

// SaveConfig checks and stores the printing setup (app.SaveSetting, as the
// Settings screen and `pos settings` store it); a setup that does not hold
// is refused naming the field.
func (s *Station) SaveConfig(c app.Printing) error { return app.SaveSetting(s.Settings, c) }

// Build lays out an order's document, marked COPY when asCopy is set.
// Labels give one document per parcel.
func (s *Station) Build(kind app.Document, o *app.Order, p printout.Profile, asCopy bool) ([]*printout.Document, error) {
	return s.build(kind, o, p, asCopy, s.Now())
}

// build lays out the document as printed at; a copy keeps its original's time.
func (s *Station) build(kind app.Document, o *app.Order, p printout.Profile, asCopy bool, at time.Time) ([]*printout.Document, error) {
	cfg, err := s.Config()
	if err != nil {
		return nil, err
	}
	switch kind {
	case app.DocReceipt:
		shop := cfg.Shop
		if s.Service != nil {
			shop.PageURL = s.Service.CurrentPolicy().Notices.PageURL
		}
		rd := printout.ReceiptFromOrder(o, shop)
		rd.Copy = asCopy
		d, err := printout.Receipt(rd, p)
		return []*printout.Document{d}, err
	case app.DocSlip:
		sd := printout.SlipFromOrder(o, cfg.Shop.Name)
		sd.Copy = asCopy
		d, err := printout.Slip(sd, p)
		return []*printout.Document{d}, err
	case app.DocLabel:
		n := max(len(o.Parcels), 1)
		docs := make([]*printout.Document, 0, n)
		sender := printout.Party{Name: cfg.Shop.Name, Phone: cfg.Shop.Phone, Address: cfg.Shop.Address}
		for i := 0; i < n; i++ {
			ld, err := printout.LabelFromOrder(o, i, sender)
			if err != nil {
				return nil, err
			}
			ld.PrintedAt = at
			ld.Copy = asCopy
			d, err := printout.Label(ld, p)
			if err != nil {
				return nil, err
			}
			docs = append(docs, d)
		}
		return docs, nil
	}
	return nil, fmt.Errorf("document: must be receipt, label or slip, got %q", kind)
}

// Preview renders what Print would print, parcels stacked, with the
// warnings staff should see; a document that would print again shows COPY.
// The label of an order whose parcel carries a platform's airway bill is
// that bill, fetched now (see PreviewBill).
func (s *Station) Preview(kind app.Document, o *app.Order, profile string) (image.Image, []string, error) {
	if kind == app.DocLabel && app.BillSource(o) != "" {
		img, err := s.PreviewBill(context.Background(), o, profile)
		return img, nil, err
	}
	return s.preview(kind, o, profile, s.printedBefore(kind, o))
}

// PreviewOwnLabel renders the register's own label of o, never marked COPY:
// beside a platform's airway bill it is a packing aid (PrintOwnLabel).
func (s *Station) PreviewOwnLabel(o *app.Order, profile string) (image.Image, []string, error) {
	return s.preview(app.DocLabel, o, profile, false)
}

func (s *Station) preview(kind app.Document, o *app.Order, profile string, asCopy bool) (image.Image, []string, error) {
	cfg, err := s.Config()
	if err != nil {
		return nil, nil, err
	}
	if profile == "" {
		if pc, ok := cfg.PrinterFor(kind); ok {
			profile = pc.Profile
		}
	}
	p, err := cfg.Profile(profile)
	if err != nil {
		return nil, nil, forStaff(err)
	}
	docs, err := s.Build(kind, o, p, asCopy)
	if err != nil {
		return nil, nil, forStaff(err)
	}
	var imgs []image.Image
	var warnings []string
	h := 0
	for _, d := range docs {
		img := printout.Render(d, p)
		imgs = append(imgs, img)
		h += img.Bounds().Dy()
		warnings = append(warnings, d.Warnings...)
	}
	out := image.NewGray(image.Rect(0, 0, p.WidthDots, h))
	y := 0
	for _, img := range imgs {
		b := img.Bounds()
		draw.Draw(out, image.Rect(0, y, b.Dx(), y+b.Dy()), img, b.Min, draw.Src)
		y += b.Dy()
	}
	return out, warnings, nil
}

// Print queues an order's document on url (or the printer set up for it)
// and returns the queued job. The job is durable before Print returns; the
// order's history records the print once the printer confirmed it. A
// document the order already printed, or has waiting in the queue, is
// marked COPY. The label of an order whose parcel carries a platform's
// airway bill is that bill (see PrintBill).
func (s *Station) Print(kind app.Document, o *app.Order, url, profile string, actor app.Actor) (Job, []string, error) {
	if kind == app.DocLabel && app.BillSource(o) != "" {
		job, err := s.PrintBill(o, url, profile, actor)
		return job, nil, err
	}
	return s.print(kind, o, url, profile, actor, false)
}

// PrintOwnLabel queues the register's own label of o. Beside a platform's
// airway bill it is a packing aid: it is not the parcel's label, so it is
// never marked COPY and the order's history does not count it.
func (s *Station) PrintOwnLabel(o *app.Order, url, profile string, actor app.Actor) (Job, []string, error) {
	return s.print(app.DocLabel, o, url, profile, actor, app.BillSource(o) != "")
}

// printer resolves url and profile, when not given, to the printer set up for kind.
func (s *Station) printer(kind app.Document, url, profile string) (string, printout.Profile, error) {
	cfg, err := s.Config()
	if err != nil {
		return "", printout.Profile{}, err
	}
	if url == "" {
		pc, ok := cfg.PrinterFor(kind)
		if !ok {
			return "", printout.Profile{}, app.Errorf(app.EInvalid, "No printer is set up for %ss: add one in Settings » Printers", string(kind))
		}
		url = pc.URL
		if profile == "" {
			profile = pc.Profile
		}
	}
	p, err := cfg.Profile(profile)
	if err != nil {
		return "", printout.Profile{}, forStaff(err)
	}
	return url, p, nil
}

func (s *Station) print(kind app.Document, o *app.Order, url, profile string, actor app.Actor, ownLabel bool) (Job, []string, error) {
	url, p, err := s.printer(kind, url, profile)
	if err != nil {
		return Job{}, nil, err
	}
	asCopy := !ownLabel && s.printedBefore(kind, o)
	now := s.Now()
	data, warnings, err := s.encode(kind, o, p, asCopy, now)
	if err != nil {
		return Job{}, nil, err
	}
	job, err := s.Queue.Enqueue(Job{Kind: JobKind(kind), OrderID: o.ID, Number: o.Number, PrinterURL: url, Profile: p.Name,
		Data: data, Copy: asCopy, Created: now.UTC(), Actor: actor, OwnLabel: ownLabel})
	return job, warnings, err
}

func (s *Station) encode(kind app.Document, o *app.Order, p printout.Profile, asCopy bool, at time.Time) ([]byte, []string, error) {
	docs, err := s.build(kind, o, p, asCopy, at)
	if err != nil {
		return nil, nil, forStaff(err)
	}
	var data []byte
	var warnings []string
	for _, d := range docs {
		b, err := Encode(d, p)
		if err != nil {
			return nil, nil, err
		}
		data = append(data, b...)
		warnings = append(warnings, d.Warnings...)
	}
	return data, warnings, nil
}

// printedBefore reports whether kind of o has printed, may have printed, or
// is on its way: then another print of it is a copy.
func (s *Station) printedBefore(kind app.Document, o *app.Order) bool {
	switch kind {
	case app.DocLabel:
		if o.Prints.LabelCount > 0 {
			return true
		}
	case app.DocReceipt:
		if o.Prints.ReceiptCount > 0 {
			return true
		}
	case app.DocSlip:
		if o.Prints.SlipCount > 0 {
			return true
		}
	}
	if s.Queue == nil {
		return false
	}
	for _, j := range s.Queue.Pending() {
		if j.OrderID == o.ID && j.Kind == JobKind(kind) && !j.OwnLabel {
			return true
		}
	}
	return false
}

// Uncertain returns the jobs that may have printed and wait for staff's answer.
func (s *Station) Uncertain() []Job { return s.Queue.Uncertain() }

// Question is what staff are asked about an uncertain job.
func Question(j Job) *app.Error { return app.MayHavePrinted(app.Document(j.Kind), j.Number) }

// PrintAgain answers "print again?" with yes: the job prints once more,
// marked COPY, laid out again from its order with its first print time.
// actor is who answered; the order's history names them once it printed.
func (s *Station) PrintAgain(id uint64, actor app.Actor) (Job, error) {
	j, ok := s.uncertainJob(id)
	if !ok {
		return Job{}, app.Errorf(app.ENotFound, "Print job %d is not waiting for an answer", id)
	}
	var data []byte
	// A platform's bill prints again as the platform made it (its Data is kept).
	if j.OrderID != "" && j.Kind != KindTest && j.Bill == "" {
		if s.Service == nil {
			return Job{}, app.Errorf(app.EInvalid, "Print job %d cannot be laid out again on this station", id)
		}
		o, err := s.Service.Order(j.OrderID)
		if err != nil {
			return Job{}, err
		}
		cfg, err := s.Config()
		if err != nil {
			return Job{}, err
		}
		p, err := cfg.Profile(j.Profile)
		if err != nil {
			return Job{}, forStaff(err)
		}
		// The copy shows the first print's time, in the zone the station prints in.
		if data, _, err = s.encode(app.Document(j.Kind), o, p, !j.OwnLabel, j.Created.In(s.Now().Location())); err != nil {
			return Job{}, err
		}
	}
	return s.Queue.PrintAgain(id, data, actor)
}

// KeepPrinted answers "print again?" with no, it printed: the job leaves the
// queue and the order's history records the print in actor's name.
func (s *Station) KeepPrinted(id uint64, actor app.Actor) (Job, error) {
	j, err := s.Queue.Forget(id)
	if err != nil {
		return Job{}, err
	}
	j.Actor = actor
	s.record(j, "")
	return j, nil
}

func (s *Station) uncertainJob(id uint64) (Job, bool) {
	for _, j := range s.Queue.Uncertain() {
		if j.ID == id {
			return j, true
		}
	}
	return Job{}, false
}

// onUncertain follows the shop's setting for a job that may have printed.
func (s *Station) onUncertain(j Job) {
	choice := app.ReprintAsk
	if s.Service != nil {
		choice = s.Service.CurrentPolicy().ReprintUncertain.Or()
	}
	auto := app.Actor{Staff: "auto-print", Role: app.RoleSystem}
	switch choice {
	case app.ReprintAlways:
		if _, err := s.PrintAgain(j.ID, auto); err != nil {
			s.tell(j, err)
			return
		}
		s.tell(j, app.PrintedAgain(app.Document(j.Kind), j.Number))
	case app.ReprintNever:
		if _, err := s.Queue.Forget(j.ID); err != nil {
			s.tell(j, err)
			return
		}
		j.Actor = auto
		s.record(j, app.PrintUnconfirmed)
		s.tell(j, app.NotPrintedAgain(app.Document(j.Kind), j.Number))
	default:
		s.tell(j, Question(j))
	}
}

func (s *Station) tell(j Job, err error) {
	if s.onError != nil {
		s.onError(j, err)
	}
}

// PrintTestPage queues the test page on url.
func (s *Station) PrintTestPage(url, profile string) (Job, error) {
	cfg, err := s.Config()
	if err != nil {
		return Job{}, err
	}
	p, err := cfg.Profile(profile)
	if err != nil {
		return Job{}, forStaff(err)
	}
	doc, err := TestPage(p, s.Now())
	if err != nil {
		return Job{}, forStaff(err)
	}
	data, err := Encode(doc, p)
	if err != nil {
		return Job{}, err
	}
	return s.Queue.Enqueue(Job{Kind: KindTest, PrinterURL: url, Data: data, Created: s.Now().UTC()})
}

// PrinterStatus asks a printer for its state within the transport's timeout.
func PrinterStatus(ctx context.Context, url string) (Status, error) {
	t, err := Open(url)
	if err != nil {
		return Status{}, err
	}
	defer t.Close()
	return t.Status(ctx)
}

// onPrinted records a finished print in the order's history and print counts.
func (s *Station) onPrinted(j Job) { s.record(j, "") }

// record adds the print to the order's history; reason is
// app.PrintUnconfirmed for a print nobody saw.
func (s *Station) record(j Job, reason string) {
	if j.Bill != "" {
		s.waits.clear(j.OrderID)
	}
	if j.OrderID == "" || j.Kind == KindTest || j.OwnLabel || s.Service == nil {
		return
	}
	actor := j.Actor
	if actor.Role == "" {
		actor = app.Actor{Staff: "printer", Role: app.RoleSystem}
	}
	_, _ = s.Service.Do(app.Command{Action: app.ActionRecordPrint, OrderID: j.OrderID,
		Args: app.Args{Document: app.Document(j.Kind), Note: j.PrinterURL, Reason: reason}}, actor)
}

// Close stops the queue; jobs not yet printed stay stored for the next start.
func (s *Station) Close() error { return s.Queue.Close() }

// forStaff marks a document or profile error as one staff can act on (a
// missing tracking ID, a profile field), so screens show its words rather
// than "Internal error".
func forStaff(err error) error {
	if err == nil || app.ErrorCode(err) != app.EInternal {
		return err
	}
	return app.Errorf(app.EInvalid, "%s", err.Error())
}
