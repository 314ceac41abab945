package app

import (
	"fmt"
	"net/url"
	"strings"
)

// Printing is the shop's printing setup, kept in the terminal's settings
// (SettingPrinting): the shop's name and address printed on every document,
// the printers and which documents each takes, the shop's own printer
// profiles, and what prints by itself.
type Printing struct {
	Shop     PrintShop      `json:"shop"`
	Printers []PrinterSetup `json:"printers"`
	// Profiles are the shop's own printer profiles beside the presets.
	Profiles []PrinterProfile `json:"profiles,omitempty"`
	// AutoPrintLabels prints a label the moment its order gets a tracking ID.
	AutoPrintLabels bool `json:"auto_print_labels"`
	// AutoPrintReceiptsFor lists the staff whose in-store sales print a receipt by themselves.
	AutoPrintReceiptsFor []string `json:"auto_print_receipts_for,omitempty"`
}

// PrintShop is who the documents say they are from. Its fields keep their
// Go names in JSON, as the setting was first stored.
type PrintShop struct {
	Name, Address, Phone string
	// Footer closes every receipt ("Terima kasih!").
	Footer string
	// ReceiptURLPrefix, when set, is followed by the order's page token (or,
	// before the cloud issued one, its ID) to make the link printed as a QR
	// code; the cloud's order page is PAGE_URL/o/ (docs/notices.md).
	ReceiptURLPrefix string
	// PageURL is where the cloud serves order pages (the shop's notice
	// settings, NoticeSettings.PageURL); with it, every receipt whose order
	// has a page token — every counter sale has one from the start — links
	// PAGE_URL/o/{token}. The station fills it from the policy when printing.
	PageURL string
}

// PrinterSetup is one printer the shop set up.
type PrinterSetup struct {
	Name    string `json:"name"`
	URL     string `json:"url"`
	Profile string `json:"profile"`
	// Labels and Receipts say which documents go to this printer by default.
	Labels   bool `json:"labels"`
	Receipts bool `json:"receipts"`
}

// DefaultPrinting is a new shop's printing setup: no printers yet.
func DefaultPrinting() Printing {
	return Printing{Shop: PrintShop{Name: "Toko Kasir", Footer: "Terima kasih!"}}
}

// SettingKey is where the terminal keeps the printing setup.
func (Printing) SettingKey() string { return SettingPrinting }

// Validate checks the shop's lines, every profile and every printer, naming
// the one at fault: a printer's address must be one the terminal can reach
// (tcp://, usb:// or file://) and its profile a preset or one of the shop's.
func (c Printing) Validate() error {
	for _, f := range []struct {
		field, text string
		max         int
	}{{"Shop name", c.Shop.Name, MaxNameLen}, {"Shop address", c.Shop.Address, MaxAddressLen},
		{"Shop phone", c.Shop.Phone, MaxNameLen}, {"Receipt footer", c.Shop.Footer, MaxAddressLen},
		{"Receipt link", c.Shop.ReceiptURLPrefix, MaxAddressLen}} {
		if err := checkText(f.field, f.text, f.max); err != nil {
			return err
		}
	}
	for i, p := range c.Profiles {
		if err := p.check(fmt.Sprintf("profiles[%d]", i)); err != nil {
			return err
		}
		if _, err := PrinterPreset(p.Name); err == nil {
			return FieldError(fmt.Sprintf("profiles[%d].name", i), "%q is a preset; give your profile its own name", p.Name)
		}
	}
	for i, pc := range c.Printers {
		at := fmt.Sprintf("printers[%d]", i)
		if err := checkText(at+".name", pc.Name, MaxNameLen); err != nil {
			return err
		}
		if err := CheckPrinterURL(at+".url", pc.URL); err != nil {
			return err
		}
		if _, err := c.Profile(pc.Profile); err != nil {
			return FieldError(at+".profile", "%q is not a preset or one of the shop's profiles", pc.Profile)
		}
	}
	for i, n := range c.AutoPrintReceiptsFor {
		if err := checkText(fmt.Sprintf("auto_print_receipts_for[%d]", i), n, MaxNameLen); err != nil {
			return err
		}
	}
	return nil
}

// CheckPrinterURL refuses a printer address the terminal cannot reach:
//
//	tcp://host:9100        network printer (port 9100 when omitted)
//	usb:///dev/usb/lp0     USB printer through the kernel's usblp device
//	file:///tmp/out.bin    append to a file, for debugging
func CheckPrinterURL(field, raw string) error {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return FieldError(field, "is required")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return FieldError(field, "is not an address like tcp://192.168.1.50:9100, got %q", raw)
	}
	switch u.Scheme {
	case "tcp":
		if u.Host == "" {
			return FieldError(field, "needs the printer's host, like tcp://192.168.1.50:9100")
		}
	case "usb", "file":
		if u.Host+u.Path == "" {
			return FieldError(field, "needs a path, like usb:///dev/usb/lp0 or file:///tmp/out.bin")
		}
	default:
		return FieldError(field, "must start with tcp://, usb:// or file://, got %q", raw)
	}
	return nil
}

// Profile resolves a profile name among the shop's own profiles and the
// presets; no name is the default profile. Errors: EInvalid.
func (c Printing) Profile(name string) (PrinterProfile, error) {
	for _, p := range c.Profiles {
		if p.Name == name {
			return p, nil
		}
	}
	if name == "" {
		name = DefaultPrinterProfile
	}
	return PrinterPreset(name)
}

// ProfileNames lists the shop's own profiles, then the presets.
func (c Printing) ProfileNames() []string {
	var out []string
	for _, p := range c.Profiles {
		out = append(out, p.Name)
	}
	return append(out, PrinterPresetNames()...)
}

// AddProfile adds or replaces one of the shop's own profiles after checking it.
// A shop profile may not take a preset's name, so a preset always means the same printer.
func (c *Printing) AddProfile(p PrinterProfile) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if _, err := PrinterPreset(p.Name); err == nil {
		return FieldError("profile.name", "%q is a preset; give your profile its own name", p.Name)
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

// PrinterFor returns the printer set up for a document kind: the one marked
// for it, or else the first.
func (c Printing) PrinterFor(doc Document) (PrinterSetup, bool) {
	for _, p := range c.Printers {
		if (doc == DocLabel && p.Labels) || (doc != DocLabel && p.Receipts) {
			return p, true
		}
	}
	if len(c.Printers) > 0 {
		return c.Printers[0], true
	}
	return PrinterSetup{}, false
}

// AutoReceipts reports whether this staff member's in-store sales print a receipt by themselves.
func (c Printing) AutoReceipts(staff string) bool {
	for _, n := range c.AutoPrintReceiptsFor {
		if n == staff {
			return true
		}
	}
	return false
}

// SetAutoReceipts adds the staff member to (or removes them from) those
// whose in-store sales print a receipt by themselves.
func (c *Printing) SetAutoReceipts(staff string, on bool) {
	var out []string
	for _, n := range c.AutoPrintReceiptsFor {
		if n != staff {
			out = append(out, n)
		}
	}
	if on {
		out = append(out, staff)
	}
	c.AutoPrintReceiptsFor = out
}

// UseFor makes printer i the one for labels (or receipts) and no other,
// or, with on false, none of them.
func (c *Printing) UseFor(doc Document, i int, on bool) {
	for j := range c.Printers {
		if doc == DocLabel {
			c.Printers[j].Labels = on && j == i
		} else {
			c.Printers[j].Receipts = on && j == i
		}
	}
}
