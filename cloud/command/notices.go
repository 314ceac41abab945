package command

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// runNotices is `pos-cloud notices show|set|revoke`.
func runNotices(cmd string, fs *flag.FlagSet, args []string, admin func() cloud.Admin, asJSON *bool, stdout io.Writer) error {
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
	c := cloud.NoticesChange{Event: app.NoticeEvent(strings.TrimSpace(*event)), Lang: app.Lang(strings.TrimSpace(*lang))}
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
func editedTemplate(a cloud.Admin, shop string, c cloud.NoticesChange, subject, body, bodyFile string) (app.NoticeTemplate, error) {
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
func printNotices(w io.Writer, v cloud.NoticesView, ev app.NoticeEvent) {
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
