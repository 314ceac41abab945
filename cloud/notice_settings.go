package cloud

import (
	"errors"
	"io"
	"log/slog"
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

// quietLog is the logger of a server made for one admin command.
func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
