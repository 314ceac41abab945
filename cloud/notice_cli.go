package cloud

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/kasir/pos/app"
)

// NoticesChange is one edit of a shop's notices, as `pos-cloud notices set` sends it.
type NoticesChange struct {
	Event app.NoticeEvent `json:"event,omitempty"`
	// On switches Event on or off when set.
	On   *bool    `json:"on,omitempty"`
	Lang app.Lang `json:"lang,omitempty"`
	// Template is Event's new wording in Lang; the zero template goes back to the default.
	Template *app.NoticeTemplate `json:"template,omitempty"`
	Contact  *string             `json:"contact,omitempty"`
	PageURL  *string             `json:"page_url,omitempty"`
	// WhatsAppTemplate names Event's approved template on the shop's WhatsApp Business number; "" removes it.
	WhatsAppTemplate *string `json:"whatsapp_template,omitempty"`
}

// apply makes the change on ns. Errors: EInvalid naming the event, language or placeholder.
func (c NoticesChange) apply(ns *app.NoticeSettings) error {
	if c.On != nil || c.Template != nil || c.WhatsAppTemplate != nil {
		if _, err := app.ParseNoticeEvent(string(c.Event)); err != nil {
			return err
		}
	}
	if c.On != nil {
		ns.Switch(c.Event, *c.On)
	}
	if c.Template != nil {
		lang, err := app.ParseLang(string(c.Lang))
		if err != nil || c.Lang == "" {
			return app.FieldError("lang", "must be en or id, not %q", string(c.Lang))
		}
		if err := ns.SetTemplate(c.Event, lang, *c.Template); err != nil {
			return err
		}
	}
	if c.WhatsAppTemplate != nil {
		if name := strings.TrimSpace(*c.WhatsAppTemplate); name == "" {
			delete(ns.WhatsAppTemplates, c.Event)
		} else {
			if ns.WhatsAppTemplates == nil {
				ns.WhatsAppTemplates = map[app.NoticeEvent]string{}
			}
			ns.WhatsAppTemplates[c.Event] = name
		}
	}
	if c.Contact != nil {
		ns.Contact = strings.TrimSpace(*c.Contact)
	}
	if c.PageURL != nil {
		ns.PageURL = strings.TrimRight(strings.TrimSpace(*c.PageURL), "/")
	}
	return nil
}

// NoticeView is one event as `notices show` prints it: on or off, and its
// wording and preview in each language.
type NoticeView struct {
	Event app.NoticeEvent `json:"event"`
	On    bool            `json:"on"`
	Langs []NoticeLang    `json:"langs"`
	// WhatsAppTemplate is the approved template the Cloud API sends, with its parameters in order.
	WhatsAppTemplate string   `json:"whatsapp_template,omitempty"`
	WhatsAppParams   []string `json:"whatsapp_params"`
}

// NoticeLang is an event's wording in one language and how a buyer reads it.
type NoticeLang struct {
	Lang     app.Lang           `json:"lang"`
	Custom   bool               `json:"custom"`
	Template app.NoticeTemplate `json:"template"`
	Preview  app.NoticeTemplate `json:"preview"`
}

// NoticesView is a shop's notice settings with a preview of every template.
type NoticesView struct {
	Shop    string       `json:"shop"`
	Contact string       `json:"contact"`
	PageURL string       `json:"page_url"`
	Events  []NoticeView `json:"events"`
}

func noticesView(shop *Shop, ns app.NoticeSettings) NoticesView {
	v := NoticesView{Shop: shop.ID, Contact: ns.Contact, PageURL: ns.PageURL}
	for _, ev := range app.NoticeEvents {
		nv := NoticeView{Event: ev, On: ns.On(ev), WhatsAppTemplate: ns.WhatsAppTemplates[ev], WhatsAppParams: app.WhatsAppParams(ev)}
		for _, lang := range []app.Lang{app.Indonesian, app.English} {
			_, custom := ns.Templates[string(ev)+"."+string(lang)]
			nv.Langs = append(nv.Langs, NoticeLang{Lang: lang, Custom: custom, Template: ns.Template(ev, lang), Preview: ns.NoticePreview(ev, lang, shop.Name)})
		}
		v.Events = append(v.Events, nv)
	}
	return v
}

// NoticesView reads a shop's notices with previews. Errors: ENotFound.
func (s *Server) NoticesView(shopID string) (NoticesView, error) {
	shop, err := s.store.Shop(shopID)
	if err != nil {
		return NoticesView{}, err
	}
	ns, err := s.Notices(shopID)
	if err != nil {
		return NoticesView{}, err
	}
	return noticesView(shop, ns), nil
}

// ChangeNotices applies one change and returns the settings after it.
func (s *Server) ChangeNotices(shopID string, c NoticesChange) (NoticesView, error) {
	if _, err := s.SetNotices(shopID, c.apply); err != nil {
		return NoticesView{}, err
	}
	return s.NoticesView(shopID)
}

// PageLink is an order's new page link after `notices revoke`.
type PageLink struct {
	Order string `json:"order"`
	Token string `json:"token"`
	URL   string `json:"url,omitempty"`
}

// RevokePage gives the order (by id or number) a new page token; the old link stops working.
func (s *Server) RevokePage(shopID, ref string) (PageLink, error) {
	o, err := s.store.OrderByRef(shopID, ref)
	if err != nil {
		return PageLink{}, err
	}
	o, err = s.IssuePage(shopID, o.ID)
	if err != nil {
		return PageLink{}, err
	}
	ns, err := s.Notices(shopID)
	if err != nil {
		return PageLink{}, err
	}
	return PageLink{Order: o.Number, Token: o.PageToken, URL: ns.PageLink(o)}, nil
}

// directServer runs fn on a server over the store when no server runs.
func (a Admin) directServer(fn func(*Server) error) error {
	return a.direct(func(b Backend) error {
		return fn(NewServer(b, Options{Logger: quietLog()}))
	})
}

// Notices reads a shop's notice settings, through the running server when there is one.
func (a Admin) Notices(shop string) (NoticesView, error) {
	var out NoticesView
	err := a.call("/admin/shops/"+shop+"/notices/show", struct{}{}, &out)
	if errors.Is(err, errNoServer) {
		err = a.directServer(func(s *Server) error {
			var err error
			out, err = s.NoticesView(shop)
			return err
		})
	}
	return out, err
}

// ChangeNotices changes a shop's notice settings.
func (a Admin) ChangeNotices(shop string, c NoticesChange) (NoticesView, error) {
	var out NoticesView
	err := a.call("/admin/shops/"+shop+"/notices", c, &out)
	if errors.Is(err, errNoServer) {
		err = a.directServer(func(s *Server) error {
			var err error
			out, err = s.ChangeNotices(shop, c)
			return err
		})
	}
	return out, err
}

// RevokePage gives an order a new page link.
func (a Admin) RevokePage(shop, order string) (PageLink, error) {
	var out PageLink
	err := a.call("/admin/shops/"+shop+"/notices/revoke", map[string]string{"order": order}, &out)
	if errors.Is(err, errNoServer) {
		err = a.directServer(func(s *Server) error {
			var err error
			out, err = s.RevokePage(shop, order)
			return err
		})
	}
	return out, err
}

// runNotices is `pos-cloud notices show|set|revoke`.
func runNotices(cmd string, fs *flag.FlagSet, args []string, admin func() Admin, asJSON *bool, stdout io.Writer) error {
	shop := fs.String("shop", "", "shop id")
	event := fs.String("event", "", "received, confirmed, payment_denied, payment_accepted, shipped, delivered, cancelled or refunded")
	var (
		on, off, reset                     *bool
		lang, subject, body, bodyFile      *string
		contact, pageURL, order, waTpl     *string
		setContact, setPageURL, setSubject bool
		setWA                              bool
	)
	switch cmd {
	case "notices set":
		on = fs.Bool("on", false, "switch the event on")
		off = fs.Bool("off", false, "switch the event off")
		lang = fs.String("lang", "", "the template's language: id or en")
		subject = fs.String("subject", "", "the e-mail subject, with placeholders like {order}")
		body = fs.String("body", "", "the message, with placeholders like {buyer} {tracking_id} {link}")
		bodyFile = fs.String("body-file", "", "read the message from this file")
		reset = fs.Bool("default", false, "go back to the default wording of --event in --lang")
		contact = fs.String("contact", "", "how buyers reach the shop (shown on notices and the order page)")
		waTpl = fs.String("whatsapp-template", "", "the template Meta approved for --event on the shop's WhatsApp Business number (\"\" removes it)")
		pageURL = fs.String("page-url", "", "where this cloud is reached, e.g. https://cloud.example.id (order pages are PAGE-URL/o/…)")
	case "notices revoke":
		order = fs.String("order", "", "order id or number")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if strings.TrimSpace(*shop) == "" {
		return app.FieldError("shop", "is required")
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "contact":
			setContact = true
		case "page-url":
			setPageURL = true
		case "subject", "body", "body-file":
			setSubject = true
		case "whatsapp-template":
			setWA = true
		}
	})
	a := admin()
	switch cmd {
	case "notices show":
		v, err := a.Notices(*shop)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(stdout, v)
		}
		printNotices(stdout, v, app.NoticeEvent(*event))
		return nil
	case "notices revoke":
		l, err := a.RevokePage(*shop, *order)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(stdout, l)
		}
		fmt.Fprintf(stdout, "order %s has a new page link; the old one no longer opens\n", l.Order)
		if l.URL != "" {
			fmt.Fprintln(stdout, l.URL)
		} else {
			fmt.Fprintf(stdout, "token %s (set --page-url to print the whole link)\n", l.Token)
		}
		return nil
	}
	c := NoticesChange{Event: app.NoticeEvent(strings.TrimSpace(*event)), Lang: app.Lang(strings.TrimSpace(*lang))}
	if *on && *off {
		return app.FieldError("on", "--on and --off cannot go together")
	}
	if *on || *off {
		v := *on
		c.On = &v
	}
	if *reset {
		c.Template = &app.NoticeTemplate{}
	}
	if setSubject {
		t, err := editedTemplate(a, *shop, c, *subject, *body, *bodyFile)
		if err != nil {
			return err
		}
		c.Template = &t
	}
	if setContact {
		c.Contact = contact
	}
	if setPageURL {
		c.PageURL = pageURL
	}
	if setWA {
		c.WhatsAppTemplate = waTpl
	}
	if c.On == nil && c.Template == nil && c.Contact == nil && c.PageURL == nil && c.WhatsAppTemplate == nil {
		return app.FieldError("event", "nothing to change: give --on, --off, --subject, --body, --default, --contact or --page-url")
	}
	v, err := a.ChangeNotices(*shop, c)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(stdout, v)
	}
	fmt.Fprintln(stdout, "notices of", *shop, "saved")
	printNotices(stdout, v, c.Event)
	return nil
}

// editedTemplate is the event's current wording with the parts given replaced.
func editedTemplate(a Admin, shop string, c NoticesChange, subject, body, bodyFile string) (app.NoticeTemplate, error) {
	if _, err := app.ParseNoticeEvent(string(c.Event)); err != nil {
		return app.NoticeTemplate{}, err
	}
	if c.Lang != app.English && c.Lang != app.Indonesian {
		return app.NoticeTemplate{}, app.FieldError("lang", "must be en or id, not %q", string(c.Lang))
	}
	if bodyFile != "" {
		b, err := os.ReadFile(bodyFile)
		if err != nil {
			return app.NoticeTemplate{}, app.FieldError("body-file", "cannot be read: %s", err.Error())
		}
		body = string(b)
	}
	v, err := a.Notices(shop)
	if err != nil {
		return app.NoticeTemplate{}, err
	}
	var t app.NoticeTemplate
	for _, ev := range v.Events {
		for _, l := range ev.Langs {
			if ev.Event == c.Event && l.Lang == c.Lang {
				t = l.Template
			}
		}
	}
	if subject != "" {
		t.Subject = subject
	}
	if body != "" {
		t.Body = body
	}
	return t, nil
}

// printNotices writes each event on or off with its preview in both
// languages; only ev when it is given.
func printNotices(w io.Writer, v NoticesView, ev app.NoticeEvent) {
	fmt.Fprintf(w, "contact:   %s\norder page: %s\n", orDash(v.Contact), orDash(v.PageURL))
	for _, e := range v.Events {
		if ev != "" && e.Event != ev {
			continue
		}
		state := "on"
		if !e.On {
			state = "off"
		}
		fmt.Fprintf(w, "\n%s (%s)\n", e.Event, state)
		if e.WhatsAppTemplate != "" {
			fmt.Fprintf(w, "  WhatsApp template: %s (parameters: %s)\n", e.WhatsAppTemplate, strings.Join(e.WhatsAppParams, ", "))
		}
		for _, l := range e.Langs {
			kind := "default"
			if l.Custom {
				kind = "the shop's own"
			}
			fmt.Fprintf(w, "  [%s, %s] subject: %s\n", l.Lang, kind, l.Template.Subject)
			fmt.Fprintf(w, "  preview: %s\n", l.Preview.Subject)
			for _, line := range strings.Split(l.Preview.Body, "\n") {
				fmt.Fprintf(w, "    %s\n", line)
			}
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// quietLog is the logger of a server made for one admin command.
func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
