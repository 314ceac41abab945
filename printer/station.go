package printer

import (
	"context"
	"fmt"
	"image"
	"image/draw"
	"strings"
	"time"

	"github.com/kasir/pos/app"
)

// SettingPrinting is the settings key of the printing configuration.
const SettingPrinting = "printing"

// PrinterConfig is one printer the shop set up.
type PrinterConfig struct {
	Name    string `json:"name"`
	URL     string `json:"url"`
	Profile string `json:"profile"`
	// Labels and Receipts say which documents go to this printer by default.
	Labels   bool `json:"labels"`
	Receipts bool `json:"receipts"`
}

// Config is the shop's printing setup, kept in the terminal's settings.
type Config struct {
	Shop     Shop            `json:"shop"`
	Printers []PrinterConfig `json:"printers"`
	// Profiles are the shop's own printer profiles beside the presets.
	Profiles []Profile `json:"profiles,omitempty"`
	// AutoPrintLabels prints a label the moment its order gets a tracking ID.
	AutoPrintLabels bool `json:"auto_print_labels"`
	// AutoPrintReceiptsFor lists the staff whose in-store sales print a receipt by themselves.
	AutoPrintReceiptsFor []string `json:"auto_print_receipts_for,omitempty"`
}

// Validate checks every printer and profile, naming the one at fault.
func (c Config) Validate() error {
	for _, p := range c.Profiles {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("profile %q: %w", p.Name, err)
		}
	}
	for i, pc := range c.Printers {
		if strings.TrimSpace(pc.URL) == "" {
			return fmt.Errorf("printers[%d].url: is required", i)
		}
		t, err := Open(pc.URL)
		if err != nil {
			return fmt.Errorf("printers[%d].url: %w", i, err)
		}
		t.Close()
		if _, err := c.Profile(pc.Profile); err != nil {
			return fmt.Errorf("printers[%d].profile: %w", i, err)
		}
	}
	return nil
}

// Profile resolves a profile name among the shop's own profiles and the presets.
func (c Config) Profile(name string) (Profile, error) {
	for _, p := range c.Profiles {
		if p.Name == name {
			return p, nil
		}
	}
	if name == "" {
		name = "epson-tm-t82-80"
	}
	return Preset(name)
}

// ProfileNames lists the shop's own profiles, then the presets.
func (c Config) ProfileNames() []string {
	var out []string
	for _, p := range c.Profiles {
		out = append(out, p.Name)
	}
	return append(out, PresetNames()...)
}

// AddProfile adds or replaces one of the shop's own profiles after checking it.
// A shop profile may not take a preset's name, so a preset always means the same printer.
func (c *Config) AddProfile(p Profile) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if _, err := Preset(p.Name); err == nil {
		return fmt.Errorf("name: %q is a preset; give your profile its own name", p.Name)
	}
	for i := range c.Profiles {
		if c.Profiles[i].Name == p.Name {
			c.Profiles[i] = p
			return nil
		}
	}
	c.Profiles = append(c.Profiles, p)
	return nil
}

// PrinterFor returns the printer set up for a document kind.
func (c Config) PrinterFor(doc app.Document) (PrinterConfig, bool) {
	for _, p := range c.Printers {
		if (doc == app.DocLabel && p.Labels) || (doc != app.DocLabel && p.Receipts) {
			return p, true
		}
	}
	if len(c.Printers) > 0 {
		return c.Printers[0], true
	}
	return PrinterConfig{}, false
}

// Settings is where the station keeps its configuration.
type Settings interface {
	GetSetting(key string, v any) (bool, error)
	PutSetting(key string, v any) error
}

// Station prints orders' documents on the shop's printers through the
// durable queue, and records each finished print in the order's history.
type Station struct {
	Service  *app.Service
	Settings Settings
	Queue    *Queue
	// Now is the clock stamped on labels; tests fix it.
	Now func() time.Time
}

// NewStation starts a queue over jobs and resumes the jobs a previous run left.
func NewStation(svc *app.Service, settings Settings, jobs JobStore, onError func(Job, error)) (*Station, error) {
	s := &Station{Service: svc, Settings: settings, Now: time.Now}
	s.Queue = NewQueue(jobs, QueueOptions{OnPrinted: s.onPrinted, OnError: onError})
	if err := s.Queue.Start(); err != nil {
		return nil, err
	}
	return s, nil
}

// Config reads the printing configuration, with defaults for a new shop.
func (s *Station) Config() (Config, error) {
	c := Config{Shop: Shop{Name: "Toko Kasir", Footer: "Terima kasih!"}}
	_, err := s.Settings.GetSetting(SettingPrinting, &c)
	return c, err
}

// SaveConfig validates and stores the printing configuration.
func (s *Station) SaveConfig(c Config) error {
	if err := c.Validate(); err != nil {
		return forStaff(err)
	}
	return s.Settings.PutSetting(SettingPrinting, c)
}

// Build lays out an order's document. Labels give one document per parcel.
func (s *Station) Build(kind app.Document, o *app.Order, p Profile) ([]*Document, error) {
	cfg, err := s.Config()
	if err != nil {
		return nil, err
	}
	switch kind {
	case app.DocReceipt:
		d, err := Receipt(ReceiptFromOrder(o, cfg.Shop), p)
		return []*Document{d}, err
	case app.DocSlip:
		d, err := Slip(SlipFromOrder(o, cfg.Shop.Name), p)
		return []*Document{d}, err
	case app.DocLabel:
		n := max(len(o.Parcels), 1)
		docs := make([]*Document, 0, n)
		sender := Party{Name: cfg.Shop.Name, Phone: cfg.Shop.Phone, Address: cfg.Shop.Address}
		for i := 0; i < n; i++ {
			ld, err := LabelFromOrder(o, i, sender)
			if err != nil {
				return nil, err
			}
			ld.PrintedAt = s.Now()
			d, err := Label(ld, p)
			if err != nil {
				return nil, err
			}
			docs = append(docs, d)
		}
		return docs, nil
	}
	return nil, fmt.Errorf("document: must be receipt, label or slip, got %q", kind)
}

// Preview renders what Print would print, parcels stacked, with the warnings staff should see.
func (s *Station) Preview(kind app.Document, o *app.Order, profile string) (image.Image, []string, error) {
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
	docs, err := s.Build(kind, o, p)
	if err != nil {
		return nil, nil, forStaff(err)
	}
	var imgs []image.Image
	var warnings []string
	h := 0
	for _, d := range docs {
		img := Render(d, p)
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
// order's history records the print once the printer confirmed it.
func (s *Station) Print(kind app.Document, o *app.Order, url, profile string, actor app.Actor) (Job, []string, error) {
	cfg, err := s.Config()
	if err != nil {
		return Job{}, nil, err
	}
	if url == "" {
		pc, ok := cfg.PrinterFor(kind)
		if !ok {
			return Job{}, nil, app.Errorf(app.EInvalid, "No printer is set up for %ss: add one in Settings » Printers", kind)
		}
		url = pc.URL
		if profile == "" {
			profile = pc.Profile
		}
	}
	p, err := cfg.Profile(profile)
	if err != nil {
		return Job{}, nil, forStaff(err)
	}
	docs, err := s.Build(kind, o, p)
	if err != nil {
		return Job{}, nil, forStaff(err)
	}
	var data []byte
	var warnings []string
	for _, d := range docs {
		b, err := Encode(d, p)
		if err != nil {
			return Job{}, nil, err
		}
		data = append(data, b...)
		warnings = append(warnings, d.Warnings...)
	}
	job, err := s.Queue.Enqueue(Job{Kind: JobKind(kind), OrderID: o.ID, PrinterURL: url, Data: data, Created: s.Now().UTC(), Actor: actor})
	return job, warnings, err
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
func (s *Station) onPrinted(j Job) {
	if j.OrderID == "" || j.Kind == KindTest || s.Service == nil {
		return
	}
	actor := j.Actor
	if actor.Role == "" {
		actor = app.Actor{Staff: "printer", Role: app.RoleSystem}
	}
	_, _ = s.Service.Do(app.Command{Action: app.ActionRecordPrint, OrderID: j.OrderID,
		Args: app.Args{Document: app.Document(j.Kind), Note: j.PrinterURL}}, actor)
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
