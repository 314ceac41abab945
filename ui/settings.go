package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// loadPrinting reads the shop's printing setup (app.Printing, the one type
// the command line and the print station also read and write); a stored
// setup that no longer holds gives the defaults.
func (m *Main) loadPrinting() *app.Printing {
	p := app.DefaultPrinting()
	if m.d.Settings == nil {
		return &p
	}
	if setAside, err := app.LoadSetting(m.d.Settings, &p); err != nil || setAside != nil {
		fyne.LogError("reading printing settings", errors.Join(err, setAside))
	}
	return &p
}

// savePrinting checks the printing setup and stores it off the UI
// goroutine; a setup app refuses is not stored, and staff read which field.
func (m *Main) savePrinting(p *app.Printing) {
	if err := p.Validate(); err != nil {
		m.showError(lang.L("Could not save the settings"), err)
		return
	}
	m.saveSetting(*p)
}

// acceptChoices are the acceptance windows offered per channel, in hours.
var acceptChoices = []int{1, 2, 4, 6, 12, 24, 48, 72}

// loadSettings reads this terminal's preferences and name. The policy is
// loaded by whoever built the app.Service.
func (m *Main) loadSettings() {
	s := m.d.Settings
	if s == nil {
		return
	}
	if setAside, err := app.LoadSetting(s, &m.prefs); err != nil || setAside != nil {
		fyne.LogError("reading UI settings", errors.Join(err, setAside))
	}
	name := app.TerminalName(m.terminalName)
	_, _ = app.LoadSetting(s, &name)
	m.terminalName = string(name)
}

// saveSetting stores one of the terminal's settings off the UI goroutine,
// through app's check; staff read a refusal naming the field.
func (m *Main) saveSetting(v app.Setting) {
	if m.d.Settings == nil {
		return
	}
	background(func() {
		if err := app.SaveSetting(m.d.Settings, v); err != nil {
			fyne.Do(func() { m.showError(lang.L("Could not save the settings"), err) })
		}
	})
}

// setPolicy shares the shop's new rules with the cloud and every terminal
// (app refuses anyone but the owner), then keeps them here.
func (m *Main) setPolicy(p app.Policy) {
	actor := m.actor
	background(func() {
		next, err := m.svc.SharePolicy(p, actor)
		if err == nil && m.d.Settings != nil {
			err = app.SaveSetting(m.d.Settings, next.Shared())
		}
		if err != nil {
			fyne.Do(func() { m.showError(lang.L("Could not save the settings"), err) })
		}
	})
}

// settingsScreen groups the shop's settings in cards; only the owner may change them.
type settingsScreen struct {
	m    *Main
	root *fyne.Container

	// The printers card's list and the fields that add one.
	printerList             *fyne.Container
	printerName, printerURL *widget.Entry
	addPrinter              *widget.Button
}

func newSettingsScreen(m *Main) *settingsScreen { return &settingsScreen{m: m} }

func (s *settingsScreen) buildUI() fyne.CanvasObject {
	s.root = container.NewStack()
	return s.root
}

// onShown rebuilds the cards for the signed-in role.
func (s *settingsScreen) onShown() {
	var cards []fyne.CanvasObject
	if s.m.actor.Role != app.RoleOwner {
		cards = append(cards, widget.NewCard(lang.L("Settings"), "", &widget.Label{
			Text: lang.L("Only the owner can change the shop's settings. Ask the owner to sign in."), Wrapping: fyne.TextWrapWord}))
		// Anyone chooses whether their own in-store receipts print by themselves.
		if s.m.actor.Staff != "" {
			pd := s.m.loadPrinting()
			cards = append(cards, widget.NewCard(lang.L("Printers"), "", s.autoReceiptsCheck(pd, func() { s.m.savePrinting(pd) })))
		}
	} else {
		cards = append(cards, s.shopCard(), s.cloudCard(), s.staffCard(), s.printersCard(), s.reprintCard(), s.acceptCard(), s.counterCard(), s.noticesCard())
		if s.m.d.Accounts != nil {
			cards = append(cards, s.accountsCard())
		}
	}
	cards = append(cards, s.terminalCard())
	s.root.Objects = []fyne.CanvasObject{container.NewVScroll(container.New(&cardColumns{win: s.m.win}, cards...))}
	s.root.Refresh()
}

func (s *settingsScreen) shopCard() fyne.CanvasObject {
	pd := s.m.loadPrinting()
	pol := s.m.svc.CurrentPolicy()
	name := &widget.Entry{Text: pd.Shop.Name, PlaceHolder: lang.L("Shop name")}
	term := &widget.Entry{Text: s.m.terminalName, PlaceHolder: lang.L("Terminal name, one word (Counter, Gudang-2)")}
	addr := &widget.Entry{Text: pol.ShopAddress, PlaceHolder: lang.L("Pickup address"), MultiLine: true, Wrapping: fyne.TextWrapWord}
	var codes []string
	for _, c := range []app.Currency{app.IDR, app.SGD, app.MYR, app.PHP, app.THB, app.VND, app.USD} {
		codes = append(codes, string(c))
	}
	cur := &widget.Select{Options: codes}
	cur.SetSelected(string(s.m.currency()))
	save := &widget.Button{Text: lang.L("Save"), Importance: widget.HighImportance, OnTapped: func() {
		termName := app.TerminalName(strings.TrimSpace(term.Text))
		if err := termName.Validate(); err != nil {
			s.m.showError(lang.L("Could not save the settings"), err)
			return
		}
		pol := s.m.svc.CurrentPolicy()
		pol.Currency, pol.ShopAddress = app.Currency(cur.Selected), strings.TrimSpace(addr.Text)
		s.m.setPolicy(pol)
		s.m.terminalName = string(termName)
		s.m.saveSetting(termName)
		pd.Shop.Name = strings.TrimSpace(name.Text)
		if pd.Shop.Address == "" {
			pd.Shop.Address = pol.ShopAddress
		}
		s.m.savePrinting(pd)
		s.m.refresh()
		s.m.showBanner(lang.L("Shop settings saved"))
	}}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Shop"), name), widget.NewFormItem(lang.L("Terminal"), term),
		widget.NewFormItem(lang.L("Address"), addr), widget.NewFormItem(lang.L("Currency"), cur))
	return widget.NewCard(lang.L("Shop and terminal"), "", container.NewVBox(form, save))
}

func (s *settingsScreen) cloudCard() fyne.CanvasObject {
	var cs app.CloudSetting
	if s.m.d.Settings != nil {
		_, _ = app.LoadSetting(s.m.d.Settings, &cs)
	}
	url := &widget.Entry{Text: cs.URL, PlaceHolder: "https://cloud.example"}
	token := &widget.Entry{Text: cs.Token, Password: true, PlaceHolder: lang.L("Pairing token from the owner")}
	embedded := &widget.Check{Text: lang.L("Embedded (this tablet only, no cloud)"), Checked: cs.Embedded || cs.URL == ""}
	save := &widget.Button{Text: lang.L("Save"), Importance: widget.HighImportance, OnTapped: func() {
		cs := app.CloudSetting{URL: strings.TrimSpace(url.Text), Token: strings.TrimSpace(token.Text), Embedded: embedded.Checked}
		if err := cs.Validate(); err != nil {
			s.m.showError(lang.L("Could not save the settings"), err)
			return
		}
		s.m.saveSetting(cs)
		s.m.showBanner(lang.L("Cloud settings saved; they apply after a restart"))
	}}
	// A 2D scanner types the back office's pairing QR code here and ends it
	// with Enter, so pairing needs no typing of a long token.
	scan := &widget.Entry{PlaceHolder: lang.L("Scan the pairing QR code from the back office")}
	scan.OnSubmitted = func(text string) {
		if err := fillFromPairing(text, url, token, embedded); err != nil {
			s.m.showError(lang.L("Could not read the pairing code"), err)
			return
		}
		scan.SetText("")
	}
	form := widget.NewForm(widget.NewFormItem(lang.L("Cloud URL"), url), widget.NewFormItem(lang.L("Token"), token))
	return widget.NewCard(lang.L("Cloud sync"), "", container.NewVBox(embedded, scan, form, save))
}

// fillFromPairing puts a scanned pairing code's cloud and token in the form;
// what staff typed stays when the code is not a pairing code.
func fillFromPairing(text string, url, token *widget.Entry, embedded *widget.Check) error {
	p, err := app.ParsePairing(text)
	if err != nil {
		return err
	}
	url.SetText(p.CloudURL)
	token.SetText(p.Token)
	embedded.SetChecked(false)
	return nil
}

func (s *settingsScreen) staffCard() fyne.CanvasObject {
	list := container.NewVBox()
	for _, st := range s.m.staff.members() {
		remove := &widget.Button{Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: func() {
			dialog.ShowConfirm(lang.L("Remove staff"), lang.L("Remove {{.Name}}?", map[string]any{"Name": st.Name}), func(ok bool) {
				if !ok {
					return
				}
				if err := s.m.staff.remove(s.m.actor, st.Name); err != nil {
					dialog.ShowInformation(lang.L("Remove staff"), app.ErrorMessage(err), s.m.win)
					return
				}
				s.onShown()
			}, s.m.win)
		}}
		list.Add(container.NewBorder(nil, nil, nil, sized(remove, touchMin, touchMin), &widget.Label{Text: st.Name + " · " + roleLabel(st.Role)}))
	}
	name := &widget.Entry{PlaceHolder: lang.L("Name")}
	pin := &widget.Entry{PlaceHolder: lang.L("PIN (4–6 digits)"), Password: true}
	roles := []app.Role{app.RoleCashier, app.RolePacker, app.RoleOwner}
	var roleNames []string
	for _, r := range roles {
		roleNames = append(roleNames, roleLabel(r))
	}
	role := &widget.Select{Options: roleNames}
	role.SetSelectedIndex(0)
	add := &widget.Button{Text: lang.L("Add staff"), Icon: theme.ContentAddIcon(), OnTapped: func() {
		r := roles[max(role.SelectedIndex(), 0)]
		n, p := name.Text, pin.Text
		load(func() (app.Staff, error) { return s.m.staff.add(s.m.actor, n, r, p) }, func(_ app.Staff, err error) {
			if err != nil {
				dialog.ShowInformation(lang.L("Add staff"), errorText(err), s.m.win)
				return
			}
			s.onShown()
		})
	}}
	return widget.NewCard(lang.L("Staff"), lang.L("Each person signs in with their own PIN"),
		container.NewVBox(list, widget.NewSeparator(), name, pin, role, add))
}

func (s *settingsScreen) printersCard() fyne.CanvasObject {
	pd := s.m.loadPrinting()
	pr := s.m.d.Printing
	save := func() { s.m.savePrinting(pd) }
	list := container.NewVBox()
	// showPrinters draws the list from pd, which holds every change at once;
	// reading the setting back could miss a save still being written.
	var showPrinters func()
	showPrinters = func() {
		list.Objects = nil
		for i, p := range pd.Printers {
			list.Add(s.printerRow(pd, i, p, func() { save(); showPrinters() }))
		}
		if pr == nil {
			list.Add(&widget.Label{Text: lang.L("Printing is not available on this terminal"), Importance: widget.WarningImportance})
		}
		list.Refresh()
	}
	showPrinters()
	s.printerList = list
	name := &widget.Entry{PlaceHolder: lang.L("Name (Counter printer)")}
	url := &widget.Entry{PlaceHolder: "tcp://192.168.1.50:9100"}
	var profiles []string
	if pr != nil {
		profiles = pr.Profiles()
	}
	profile := &widget.Select{Options: profiles, PlaceHolder: lang.L("Profile")}
	if len(profiles) > 0 {
		profile.SetSelectedIndex(0)
	}
	s.addPrinter = &widget.Button{Text: lang.L("Add printer"), Icon: theme.ContentAddIcon(), OnTapped: func() {
		u := strings.TrimSpace(url.Text)
		if !strings.Contains(u, "://") {
			// The typed name and address stay in their fields to be corrected.
			showMessage(lang.L("Add printer"), lang.L("Enter the printer's address, such as tcp://192.168.1.50:9100, usb:///dev/usb/lp0 or file:///tmp/out.bin"), s.m.win)
			return
		}
		first := len(pd.Printers) == 0
		next := *pd
		next.Printers = append(pd.Printers[:len(pd.Printers):len(pd.Printers)],
			app.PrinterSetup{Name: strings.TrimSpace(name.Text), URL: u, Profile: profile.Selected, Labels: first, Receipts: first})
		if err := next.Validate(); err != nil {
			// The typed name and address stay in their fields to be corrected.
			s.m.showError(lang.L("Add printer"), err)
			return
		}
		*pd = next
		save()
		showPrinters()
		name.SetText("")
		url.SetText("")
	}}
	s.printerName, s.printerURL = name, url
	auto := &widget.Check{Text: lang.L("Print labels automatically when a tracking ID arrives"), Checked: pd.AutoPrintLabels, OnChanged: func(on bool) {
		pd.AutoPrintLabels = on
		save()
	}}
	return widget.NewCard(lang.L("Printers"), "", container.NewVBox(list, widget.NewSeparator(), name, url, profile,
		sized(s.addPrinter, 0, touchMin), sized(auto, 0, touchMin), s.autoReceiptsCheck(pd, save)))
}

// printerRow is one configured printer with its uses, a test print and
// removal; changed saves and redraws the list.
func (s *settingsScreen) printerRow(pd *app.Printing, i int, p app.PrinterSetup, changed func()) fyne.CanvasObject {
	status := caption(p.Profile)
	test := &widget.Button{Text: lang.L("Test print"), OnTapped: func() { s.onTestPrint(p.URL, p.Profile, status) }}
	// One label printer and one receipt printer: choosing one clears the others.
	useLabel := &widget.Check{Text: lang.L("Labels"), Checked: p.Labels, OnChanged: func(on bool) {
		pd.UseFor(app.DocLabel, i, on)
		changed()
	}}
	useReceipt := &widget.Check{Text: lang.L("Receipts"), Checked: p.Receipts, OnChanged: func(on bool) {
		pd.UseFor(app.DocReceipt, i, on)
		changed()
	}}
	remove := &widget.Button{Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: func() {
		pd.Printers = append(pd.Printers[:i:i], pd.Printers[i+1:]...)
		changed()
	}}
	title := p.URL
	if p.Name != "" {
		title = p.Name + " · " + p.URL
	}
	return container.NewVBox(container.NewBorder(nil, nil, nil, sized(remove, touchMin, touchMin), bold(title)), status,
		container.NewHBox(sized(useLabel, 0, touchMin), sized(useReceipt, 0, touchMin), sized(test, 0, touchMin)))
}

// autoReceiptsCheck is the signed-in staff member's own choice to print
// their in-store receipts automatically (app.Printing.AutoPrintReceiptsFor).
func (s *settingsScreen) autoReceiptsCheck(pd *app.Printing, save func()) fyne.CanvasObject {
	who := s.m.actor.Staff
	check := &widget.Check{Text: lang.L("Print my in-store receipts automatically"), Checked: pd.AutoReceipts(who), OnChanged: func(on bool) {
		pd.SetAutoReceipts(who, on)
		save()
	}}
	if who == "" {
		check.Disable()
	}
	return sized(check, 0, touchMin)
}

// onTestPrint prints a test page and then asks the printer how it is.
func (s *settingsScreen) onTestPrint(url, profile string, status *widget.Label) {
	pr := s.m.d.Printing
	if pr == nil {
		showMessage(lang.L("Test print"), lang.L("Printing is not available on this terminal"), s.m.win)
		return
	}
	status.SetText(lang.L("Printing a test page…"))
	load(func() (string, error) {
		if err := pr.TestPage(url, profile); err != nil {
			return "", err
		}
		return pr.Status(url)
	}, func(st string, err error) {
		if err != nil {
			status.SetText(lang.L("Test failed: {{.E}}", map[string]any{"E": errorText(err)}))
			return
		}
		status.SetText(profile + " · " + st)
	})
}

func (s *settingsScreen) acceptCard() fyne.CanvasObject {
	pol := s.m.svc.CurrentPolicy()
	form := widget.NewForm()
	var opts []string
	for _, h := range acceptChoices {
		opts = append(opts, lang.L("{{.H}} hours", map[string]any{"H": h}))
	}
	for _, ch := range app.Channels {
		if !ch.Online() || ch.Rule().Entry != app.StatusNew {
			continue
		}
		sel := &widget.Select{Options: opts}
		cur := pol.AcceptWindowFor(ch)
		for i, h := range acceptChoices {
			if time.Duration(h)*time.Hour == cur {
				sel.SetSelectedIndex(i)
			}
		}
		if sel.Selected == "" {
			sel.PlaceHolder = fmt.Sprint(cur)
		}
		sel.OnChanged = func(string) { s.onAcceptWindowChanged(ch, acceptChoices[sel.SelectedIndex()]) }
		form.Append(ch.Label(), sel)
	}
	return widget.NewCard(lang.L("Acceptance window"), lang.L("How long a new order waits before it is rejected automatically"), form)
}

func (s *settingsScreen) onAcceptWindowChanged(ch app.Channel, hours int) {
	pol := s.m.svc.CurrentPolicy()
	windows := map[app.Channel]time.Duration{}
	for c, d := range pol.AcceptWindow {
		windows[c] = d
	}
	windows[ch] = time.Duration(hours) * time.Hour
	pol.AcceptWindow = windows
	s.m.setPolicy(pol)
}

// terminalCard holds what any staff member may change: sound and language.
func (s *settingsScreen) terminalCard() fyne.CanvasObject {
	mute := &widget.Check{Text: lang.L("Mute the new-order sound"), Checked: s.m.prefs.Mute, OnChanged: func(on bool) {
		s.m.prefs.Mute = on
		s.m.saveSetting(s.m.prefs)
	}}
	var names []string
	for _, l := range languages {
		names = append(names, l.name)
	}
	language := &widget.Select{Options: names}
	language.SetSelected(languageName(s.m.prefs.Language))
	language.OnChanged = func(string) {
		code := languages[language.SelectedIndex()].code
		if code != s.m.prefs.Language {
			s.m.setLanguage(code)
		}
	}
	return widget.NewCard(lang.L("This terminal"), "", container.NewVBox(mute, widget.NewForm(widget.NewFormItem(lang.L("Language"), language))))
}

// setLanguage saves the language ("en", "id") and rebuilds every screen in it.
func (m *Main) setLanguage(code string) {
	m.prefs.Language = code
	m.saveSetting(m.prefs)
	m.onLanguageChanged()
}

func (m *Main) onLanguageChanged() {
	applyLanguage(m.prefs.Language)
	actor := m.actor
	m.buildUI()
	m.showScreen(screenSettings)
	m.actor = actor
	m.staffButton.SetText(actor.Staff + " · " + roleLabel(actor.Role))
	m.win.SetContent(m.shell)
	m.settings.onShown()
	m.refresh()
}
