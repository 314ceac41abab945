package app

import (
	"net/mail"
	"net/url"
	"strings"
)

// NoticeSettings are a shop's choices about telling its buyers: which
// events are switched off, its own wording, and how buyers reach it. They
// travel in the shop's Policy, so every terminal and the cloud agree.
type NoticeSettings struct {
	// Off lists the events the shop does not tell buyers about.
	Off []NoticeEvent `json:"off,omitempty"`
	// Templates are the shop's own wording by "event.lang" (shipped.id);
	// an event without one uses the default.
	Templates map[string]NoticeTemplate `json:"templates,omitempty"`
	// Contact is how buyers reach the shop (a WhatsApp number, an address), shown on notices and the order page.
	Contact string `json:"contact,omitempty"`
	// PageURL is where the cloud serves order pages, up to and without
	// /o/ (https://cloud.example.id); notices and receipts link there.
	PageURL string `json:"page_url,omitempty"`
	// TrackingLinks override a courier's tracking page by courier code, {tracking_id} standing for the ID.
	TrackingLinks map[Courier]string `json:"tracking_links,omitempty"`
	// WhatsAppTemplates name, per event, the template Meta approved for the
	// shop's WhatsApp Business number; an event without one is not sent
	// through the Cloud API (staff can still send it from the order).
	WhatsAppTemplates map[NoticeEvent]string `json:"whatsapp_templates,omitempty"`
}

// whatsAppParams are the values an approved template's body takes, in
// order ({{1}}, {{2}}…), per event: the shop registers its templates with
// exactly these.
var whatsAppParams = map[NoticeEvent][]string{
	NoticeReceived:        {"buyer", "order", "total", "link"},
	NoticeConfirmed:       {"buyer", "order", "total", "link"},
	NoticePaymentDenied:   {"buyer", "order", "message", "link"},
	NoticePaymentAccepted: {"buyer", "order", "total", "link"},
	NoticeShipped:         {"buyer", "order", "courier", "tracking_id", "tracking_link"},
	NoticeDelivered:       {"buyer", "order", "link"},
	NoticeCancelled:       {"buyer", "order", "reason"},
	NoticeRefunded:        {"buyer", "order", "refund"},
}

// WhatsAppParams are the placeholders an approved template of ev takes, in order.
func WhatsAppParams(ev NoticeEvent) []string { return whatsAppParams[ev] }

// WhatsAppValues are the texts of ev's template parameters for o, in order.
func (s NoticeSettings) WhatsAppValues(o *Order, ev NoticeEvent, shop string) []string {
	v := s.noticeValues(o, shop, BuyerLang(o))
	var out []string
	for _, p := range whatsAppParams[ev] {
		t := v[p]
		if t == "" {
			t = "-" // the Cloud API refuses an empty parameter
		}
		out = append(out, t)
	}
	return out
}

// templateKey names a template in NoticeSettings.Templates.
func templateKey(ev NoticeEvent, lang Lang) string { return string(ev) + "." + string(lang) }

// On reports whether the shop tells buyers about ev.
func (s NoticeSettings) On(ev NoticeEvent) bool {
	for _, o := range s.Off {
		if o == ev {
			return false
		}
	}
	return true
}

// Switch turns ev on or off.
func (s *NoticeSettings) Switch(ev NoticeEvent, on bool) {
	var off []NoticeEvent
	for _, o := range s.Off {
		if o != ev {
			off = append(off, o)
		}
	}
	if !on {
		off = append(off, ev)
	}
	s.Off = off
}

// Template is the shop's wording of ev in lang, or the default.
func (s NoticeSettings) Template(ev NoticeEvent, lang Lang) NoticeTemplate {
	if t, ok := s.Templates[templateKey(ev, lang)]; ok {
		return t
	}
	return DefaultNoticeTemplate(ev, lang)
}

// SetTemplate checks and keeps the shop's wording of ev in lang; a zero
// template goes back to the default. Errors: EInvalid naming the placeholder.
func (s *NoticeSettings) SetTemplate(ev NoticeEvent, lang Lang, t NoticeTemplate) error {
	if t == (NoticeTemplate{}) {
		delete(s.Templates, templateKey(ev, lang))
		return nil
	}
	if err := t.Validate("template " + templateKey(ev, lang)); err != nil {
		return err
	}
	if s.Templates == nil {
		s.Templates = map[string]NoticeTemplate{}
	}
	s.Templates[templateKey(ev, lang)] = t
	return nil
}

// Validate refuses settings with an unknown event, language or placeholder.
func (s NoticeSettings) Validate() error {
	for _, ev := range s.Off {
		if _, err := ParseNoticeEvent(string(ev)); err != nil {
			return err
		}
	}
	for key, t := range s.Templates {
		ev, lang, _ := strings.Cut(key, ".")
		if _, err := ParseNoticeEvent(ev); err != nil {
			return err
		}
		if l, err := ParseLang(lang); err != nil || string(l) != lang {
			return FieldError("notice template", "%q must be an event and en or id, like shipped.id", key)
		}
		if err := t.Validate("template " + key); err != nil {
			return err
		}
	}
	if err := checkLine("notice contact", s.Contact, MaxAddressLen); err != nil {
		return err
	}
	if s.PageURL != "" {
		if u, err := url.Parse(s.PageURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return FieldError("order page address", "must be an http or https URL, got %q", s.PageURL)
		}
	}
	for ev, name := range s.WhatsAppTemplates {
		if _, err := ParseNoticeEvent(string(ev)); err != nil {
			return err
		}
		if name == "" || len(name) > 512 || strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
			return FieldError("WhatsApp template", "for %s must be a template name of lower-case letters, digits and _, got %q", string(ev), name)
		}
	}
	for c, link := range s.TrackingLinks {
		if u, err := url.Parse(strings.ReplaceAll(link, "{tracking_id}", "X")); err != nil || u.Scheme != "https" || u.Host == "" {
			return FieldError("tracking link", "for %s must be an https URL, got %q", string(c), link)
		}
		if !strings.Contains(link, "{tracking_id}") {
			return FieldError("tracking link", "for %s must hold {tracking_id}", string(c))
		}
	}
	return nil
}

// trackingPages are couriers' public tracking pages; a courier not listed
// gets cekresi.com, which looks a tracking ID up across Indonesian couriers.
var trackingPages = map[Courier]string{
	CourierJNE:          "https://cekresi.com/?noresi={tracking_id}&kurir=jne",
	CourierJNT:          "https://jet.co.id/track?awb={tracking_id}",
	CourierSiCepat:      "https://www.sicepat.com/checkAwb?awb={tracking_id}",
	CourierAnterAja:     "https://anteraja.id/tracking?awb={tracking_id}",
	CourierSPX:          "https://spx.co.id/track?{tracking_id}",
	CourierPosIndonesia: "https://www.posindonesia.co.id/id/tracking?barcode={tracking_id}",
}

// TrackingLink is the page where the buyer follows a parcel: the shop's own
// rule for the courier, the courier's page, or a cross-courier lookup.
func (s NoticeSettings) TrackingLink(courier, trackingID string) string {
	if strings.TrimSpace(trackingID) == "" {
		return ""
	}
	code := CourierCode(courier)
	pattern, ok := s.TrackingLinks[code]
	if !ok {
		pattern, ok = trackingPages[code]
	}
	if !ok {
		pattern = "https://cekresi.com/?noresi={tracking_id}"
	}
	return strings.ReplaceAll(pattern, "{tracking_id}", url.QueryEscape(trackingID))
}

// PageLink is the order's public page, or "" when the shop has no page address or the order no token.
func (s NoticeSettings) PageLink(o *Order) string {
	if s.PageURL == "" || o.PageToken == "" {
		return ""
	}
	return strings.TrimRight(s.PageURL, "/") + "/o/" + o.PageToken
}

// BuyerLang is the language the buyer reads: Indonesian unless the order says English.
func BuyerLang(o *Order) Lang {
	if o.Buyer.Lang == English {
		return English
	}
	return Indonesian
}

// NoticeText is the notice the buyer gets for ev, in their language, with
// every placeholder filled in from the order. shop is the shop's name.
func (s NoticeSettings) NoticeText(o *Order, ev NoticeEvent, shop string) NoticeTemplate {
	lang := BuyerLang(o)
	return s.Template(ev, lang).Render(s.noticeValues(o, shop, lang))
}

func (s NoticeSettings) noticeValues(o *Order, shop string, lang Lang) map[string]string {
	cur := o.Currency
	if cur == "" {
		cur = IDR
	}
	var items strings.Builder
	for _, l := range o.Lines {
		items.WriteString(itoa(l.Qty) + " × " + l.Name + "  " + cur.Format(l.Amount()) + "\n")
	}
	var refund Money
	for _, r := range o.Refunds {
		refund += r.Amount
	}
	if refund == 0 && o.PaymentStatus == PaymentRefunded {
		refund = o.Paid
	}
	reason := o.CancelNote
	if reason == "" {
		reason = Translate(lang, "no reason given")
	}
	msg := ""
	if o.PaymentReceipt != nil {
		msg = o.PaymentReceipt.Message
	}
	name := o.Buyer.Name
	if name == "" {
		name = Translate(lang, "there")
	}
	return map[string]string{
		"buyer": name, "order": o.Number, "shop": shop, "contact": s.Contact,
		"total": cur.Format(o.Total), "items": strings.TrimRight(items.String(), "\n"),
		"courier": o.Shipment.Courier, "tracking_id": o.Shipment.TrackingID, "remark": o.Shipment.Remark,
		"tracking_link": s.TrackingLink(o.Shipment.Courier, o.Shipment.TrackingID),
		"reason":        reason, "message": msg, "refund": cur.Format(refund), "link": s.PageLink(o),
	}
}

// ValidBuyerEmail refuses an address no mail server could deliver to. Errors: EInvalid naming buyer.email.
func ValidBuyerEmail(addr string) error {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return nil
	}
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Address != addr || !strings.Contains(addr[strings.LastIndexByte(addr, '@'):], ".") {
		return FieldError("buyer.email", "is not an e-mail address: %q", addr)
	}
	return nil
}
