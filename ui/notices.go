package ui

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// whatsAppButton opens the shop's WhatsApp with the buyer's number and the
// notice that fits the order now, and records "WhatsApp opened by" the
// staff member once the link opened; nil when the order has no such notice
// or no phone.
func (d *orderDetail) whatsAppButton(o *app.Order) fyne.CanvasObject {
	ev, ok := app.CurrentNotice(o)
	if !ok || !app.NotifiesBuyer(o) || o.Buyer.Phone == "" {
		return nil
	}
	b := &widget.Button{Text: lang.L("Send on WhatsApp"), Icon: theme.MailSendIcon(), OnTapped: func() { d.onWhatsApp(o, ev) }}
	if ok, _ := d.m.permitted(app.ActionRecordNotice); !ok {
		b.Disable()
	}
	return sized(b, 0, touchMin)
}

func (d *orderDetail) onWhatsApp(o *app.Order, ev app.NoticeEvent) {
	link, err := d.m.svc.CurrentPolicy().Notices.WhatsAppLink(o, ev, d.m.loadPrinting().Shop.Name)
	if err == nil {
		var u *url.URL
		if u, err = url.Parse(link); err == nil {
			err = fyne.CurrentApp().OpenURL(u)
		}
	}
	if err != nil {
		d.m.showError(lang.L("Could not open WhatsApp"), err)
		return
	}
	n := app.WhatsAppOpened(o, ev)
	d.run(app.ActionRecordNotice, app.Args{Notice: &n})
}

// noticesCard lets the owner switch each notice to buyers on or off and
// word it in Indonesian and English, with a preview as the buyer reads it.
func (s *settingsScreen) noticesCard() fyne.CanvasObject {
	events := app.NoticeEvents
	names := make([]string, len(events))
	for i, ev := range events {
		names[i] = app.Word(ev.Label()).In(staffLang)
	}
	langs := []app.Lang{app.Indonesian, app.English}
	event := &widget.Select{Options: names}
	language := &widget.RadioGroup{Options: []string{"Bahasa Indonesia", "English"}, Horizontal: true, Required: true}
	on := &widget.Check{Text: lang.L("Send this notice")}
	subject := &widget.Entry{}
	body := &widget.Entry{MultiLine: true, Wrapping: fyne.TextWrapWord}
	body.SetMinRowsVisible(6)
	preview := &widget.Label{Wrapping: fyne.TextWrapWord}
	status := &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	current := func() (app.NoticeEvent, app.Lang) {
		i, l := event.SelectedIndex(), 0
		if language.Selected == "English" {
			l = 1
		}
		if i < 0 {
			i = 0
		}
		return events[i], langs[l]
	}
	shop := s.m.loadPrinting().Shop.Name
	showPreview := func() {
		ev, l := current()
		ns := app.NoticeSettings{Contact: s.m.svc.CurrentPolicy().Notices.Contact, PageURL: s.m.svc.CurrentPolicy().Notices.PageURL}
		if err := ns.SetTemplate(ev, l, app.NoticeTemplate{Subject: subject.Text, Body: body.Text}); err != nil {
			status.SetText(errorText(err))
			preview.SetText("")
			return
		}
		status.SetText("")
		p := ns.NoticePreview(ev, l, shop)
		preview.SetText(p.Subject + "\n\n" + p.Body)
	}
	load := func() {
		ev, l := current()
		ns := s.m.svc.CurrentPolicy().Notices
		on.SetChecked(ns.On(ev))
		t := ns.Template(ev, l)
		subject.SetText(t.Subject)
		body.SetText(t.Body)
		showPreview()
	}
	event.OnChanged = func(string) { load() }
	language.OnChanged = func(string) { load() }
	subject.OnChanged = func(string) { showPreview() }
	body.OnChanged = func(string) { showPreview() }
	save := &widget.Button{Text: lang.L("Save"), Importance: widget.HighImportance, OnTapped: func() {
		ev, l := current()
		pol := s.m.svc.CurrentPolicy()
		ns := pol.Notices
		ns.Off = append([]app.NoticeEvent(nil), ns.Off...)
		tpls := map[string]app.NoticeTemplate{}
		for k, v := range ns.Templates {
			tpls[k] = v
		}
		ns.Templates = tpls
		ns.Switch(ev, on.Checked)
		t := app.NoticeTemplate{Subject: subject.Text, Body: body.Text}
		if t == app.DefaultNoticeTemplate(ev, l) {
			t = app.NoticeTemplate{}
		}
		if err := ns.SetTemplate(ev, l, t); err != nil {
			status.SetText(errorText(err))
			return
		}
		pol.Notices = ns
		s.m.setPolicy(pol)
	}}
	event.SetSelectedIndex(0)
	language.SetSelected("Bahasa Indonesia")
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Notice"), event),
		widget.NewFormItem(lang.L("Language"), language),
		widget.NewFormItem("", on),
		widget.NewFormItem(lang.L("Subject"), subject),
		widget.NewFormItem(lang.L("Message"), body),
	)
	return widget.NewCard(lang.L("Notices to buyers"), lang.L("What the buyers of your own store and WhatsApp orders are told; placeholders like {order} are filled in"),
		container.NewVBox(form, status, widget.NewLabel(lang.L("Preview")), preview, sized(save, 0, touchMin)))
}

// noticesCard shows where each notice to the buyer stands, in the words
// the history uses, so a failure is seen on the order; nil when there are none.
func (d *orderDetail) noticesCard(o *app.Order) fyne.CanvasObject {
	if len(o.Notices) == 0 {
		return nil
	}
	var rows []fyne.CanvasObject
	for _, n := range o.Notices {
		l := &widget.Label{Text: say(n.Words(app.Actor{})), Wrapping: fyne.TextWrapWord}
		switch n.State {
		case app.NoticeFailed, app.NoticeRetrying, app.NoticeUncertain, app.NoticeNoContact:
			l.Importance = widget.DangerImportance
		case app.NoticeByHand:
			l.Importance = widget.WarningImportance
		}
		rows = append(rows, l)
	}
	return card(lang.L("Notices to the buyer"), rows...)
}
