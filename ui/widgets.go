package ui

import (
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// touchMin is the smallest touch target the tablet UI uses, in Fyne units.
const touchMin = 44

// pill is a small rounded label: a tab badge, a channel logo, a status mark.
// Its colours are read from the theme on every refresh, so it follows a
// light/dark switch.
type pill struct {
	widget.BaseWidget
	Text string
	// Fill and Ink are theme colour names, or fixed colours via FillColor.
	Fill      fyne.ThemeColorName
	Ink       fyne.ThemeColorName
	FillColor color.Color
	InkColor  color.Color
	// StrokeColor outlines the pill, for a fill close to the background.
	StrokeColor color.Color
	// MinWidth keeps a column of pills aligned (channel logos).
	MinWidth float32
	TextSize float32
}

func newPill(text string, fill, ink fyne.ThemeColorName) *pill {
	p := &pill{Text: text, Fill: fill, Ink: ink}
	p.ExtendBaseWidget(p)
	return p
}

// newCountBadge is a tab badge: hidden at zero, "99+" above 99.
func newCountBadge(fill, ink fyne.ThemeColorName) *pill {
	p := newPill("", fill, ink)
	p.Hide()
	return p
}

// setCount shows n (hidden at zero) and switches to the error colour when urgent.
func (p *pill) setCount(n int, urgent bool, normal fyne.ThemeColorName) {
	p.Fill, p.Ink = normal, onColor(normal)
	if urgent {
		p.Fill, p.Ink = theme.ColorNameError, theme.ColorNameForegroundOnError
	}
	switch {
	case n <= 0:
		p.Text = "0"
		p.Hide()
	case n > 99:
		p.Text = "99+"
		p.Show()
	default:
		p.Text = strconv.Itoa(n)
		p.Show()
	}
	p.Refresh()
}

func onColor(fill fyne.ThemeColorName) fyne.ThemeColorName {
	switch fill {
	case theme.ColorNameError:
		return theme.ColorNameForegroundOnError
	case theme.ColorNameWarning:
		return theme.ColorNameForegroundOnWarning
	case theme.ColorNameSuccess:
		return theme.ColorNameForegroundOnSuccess
	case theme.ColorNamePrimary:
		return theme.ColorNameForegroundOnPrimary
	}
	return theme.ColorNameForeground
}

func (p *pill) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(color.Transparent)
	txt := canvas.NewText("", color.Black)
	txt.TextStyle = fyne.TextStyle{Bold: true}
	txt.Alignment = fyne.TextAlignCenter
	r := &pillRenderer{p: p, bg: bg, txt: txt}
	r.Refresh()
	return r
}

type pillRenderer struct {
	p   *pill
	bg  *canvas.Rectangle
	txt *canvas.Text
}

func (r *pillRenderer) Destroy()                     {}
func (r *pillRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.txt} }

func (r *pillRenderer) MinSize() fyne.Size {
	ts := r.txt.MinSize()
	h := ts.Height + 4
	w := max(ts.Width+12, h, r.p.MinWidth)
	return fyne.NewSize(w, h)
}

func (r *pillRenderer) Layout(s fyne.Size) {
	r.bg.Resize(s)
	r.bg.CornerRadius = min(s.Height/2, 10)
	ts := r.txt.MinSize()
	r.txt.Resize(fyne.NewSize(s.Width, ts.Height))
	r.txt.Move(fyne.NewPos(0, (s.Height-ts.Height)/2))
}

func (r *pillRenderer) Refresh() {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	th := r.p.Theme()
	r.bg.FillColor = r.p.FillColor
	if r.bg.FillColor == nil {
		r.bg.FillColor = color.Transparent
		if r.p.Fill != "" {
			r.bg.FillColor = th.Color(r.p.Fill, v)
		}
	}
	r.bg.StrokeColor, r.bg.StrokeWidth = r.p.StrokeColor, 0
	if r.p.StrokeColor != nil {
		r.bg.StrokeWidth = 1.5
	}
	r.txt.Color = r.p.InkColor
	if r.txt.Color == nil {
		r.txt.Color = th.Color(theme.ColorNameForeground, v)
		if r.p.Ink != "" {
			r.txt.Color = th.Color(r.p.Ink, v)
		}
	}
	r.txt.Text = r.p.Text
	r.txt.TextSize = r.p.TextSize
	if r.txt.TextSize == 0 {
		r.txt.TextSize = th.Size(theme.SizeNameCaptionText) + 1
	}
	r.Layout(r.p.Size())
	r.bg.Refresh()
	r.txt.Refresh()
}

// channelLook is how a channel's badge is drawn: our own colour and letters,
// not the marketplace's logo.
var channelLook = map[app.Channel]struct {
	abbr   string
	fill   color.NRGBA
	stroke color.Color
}{
	app.ChannelTokopedia: {"TP", color.NRGBA{0x2e, 0x9e, 0x4f, 0xff}, nil},
	app.ChannelShopee:    {"SP", color.NRGBA{0xe8, 0x5a, 0x2c, 0xff}, nil},
	app.ChannelLazada:    {"LZ", color.NRGBA{0x3a, 0x5f, 0xe0, 0xff}, nil},
	// TikTok's black pill has its cyan edge, so it reads on the dark theme too.
	app.ChannelTikTok:      {"TT", color.NRGBA{0x11, 0x11, 0x11, 0xff}, color.NRGBA{0x25, 0xf4, 0xee, 0xff}},
	app.ChannelWooCommerce: {"WC", color.NRGBA{0x7f, 0x54, 0xb3, 0xff}, nil},
	app.ChannelStore:       {"WEB", color.NRGBA{0x00, 0x7a, 0x87, 0xff}, nil},
	app.ChannelManual:      {"WA", color.NRGBA{0x1d, 0xa8, 0x5a, 0xff}, nil},
	app.ChannelInStore:     {"POS", color.NRGBA{0x6b, 0x6b, 0x6b, 0xff}, nil},
}

// newChannelBadge draws a channel as a coloured pill with its letters.
func newChannelBadge() *pill {
	p := newPill("", "", "")
	p.MinWidth = 40
	p.InkColor = color.White
	return p
}

func setChannelBadge(p *pill, ch app.Channel) {
	look, ok := channelLook[ch]
	if !ok {
		look = channelLook[app.ChannelManual]
	}
	p.Text, p.FillColor, p.StrokeColor = look.abbr, look.fill, look.stroke
	p.Refresh()
}

// tabButton is one entry of a custom tab header: a button with badges beside
// its title (Fyne's AppTabs cannot draw badges).
type tabButton struct {
	button  *widget.Button
	badges  []*pill
	content *fyne.Container
}

func newTabButton(title string, icon fyne.Resource, tapped func(), badges ...*pill) *tabButton {
	t := &tabButton{button: &widget.Button{Text: title, Icon: icon, OnTapped: tapped, Importance: widget.LowImportance}, badges: badges}
	objs := []fyne.CanvasObject{t.button}
	for _, b := range badges {
		objs = append(objs, container.NewCenter(b))
	}
	t.content = container.NewHBox(objs...)
	return t
}

// setMinHeight makes the tab at least h tall, for a touch target.
func (t *tabButton) setMinHeight(h float32) {
	t.content.Objects[0] = sized(t.button, 0, h)
	t.content.Refresh()
}

func (t *tabButton) setSelected(on bool) {
	if on {
		t.button.Importance = widget.HighImportance
	} else {
		t.button.Importance = widget.LowImportance
	}
	t.button.Refresh()
}

// sized gives an object a minimum size, for touch targets and image panes.
func sized(o fyne.CanvasObject, w, h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(w, h))
	return container.NewStack(r, o)
}

// bold is a bold label.
func bold(s string) *widget.Label {
	return &widget.Label{Text: s, TextStyle: fyne.TextStyle{Bold: true}}
}

// caption is a small secondary label.
func caption(s string) *widget.Label {
	return &widget.Label{Text: s, SizeName: theme.SizeNameCaptionText, Importance: widget.MediumImportance}
}

// tapShield holds content that floats over other widgets and takes every tap
// that lands on it, so a tap on a floating banner never reaches a button
// drawn beneath it.
type tapShield struct {
	widget.BaseWidget
	content fyne.CanvasObject
}

func newTapShield(content fyne.CanvasObject) *tapShield {
	t := &tapShield{content: content}
	t.ExtendBaseWidget(t)
	return t
}

// Tapped swallows the tap: the banner's own buttons sit above the shield.
func (t *tapShield) Tapped(*fyne.PointEvent) {}

// Visible follows the content, so a hidden banner leaves nothing to tap.
func (t *tapShield) Visible() bool { return t.content.Visible() && t.BaseWidget.Visible() }

func (t *tapShield) MinSize() fyne.Size { return t.content.MinSize() }

func (t *tapShield) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(t.content) }

// toastCorner lays one floating object at the bottom right of the screens,
// at most toastWidth wide, over whatever is there; nothing else moves.
type toastCorner struct{}

// toastWidth is the widest a floating banner grows.
const toastWidth = 520

func (toastCorner) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding() * 2
	for _, o := range objs {
		w := min(float32(toastWidth), size.Width-2*pad)
		o.Resize(fyne.NewSize(w, o.MinSize().Height))
		h := o.MinSize().Height // a wrapping label knows its height once it has its width
		o.Resize(fyne.NewSize(w, h))
		o.Move(fyne.NewPos(size.Width-w-pad, size.Height-h-pad))
	}
}

func (toastCorner) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

// formDialog is a dialog of fields whose buttons are 44 px touch targets. It
// stays open when its fields are refused and says why under them, so
// nothing staff typed is lost (Fyne's form dialog closes on confirm).
type formDialog struct {
	dlg     *dialog.CustomDialog
	form    *widget.Form
	why     *widget.Label
	confirm *widget.Button
}

// newFormDialog builds the dialog; submit returns an error to keep it open.
func newFormDialog(title, confirm, dismiss string, items []*widget.FormItem, submit func() error, win fyne.Window) *formDialog {
	fd := &formDialog{form: widget.NewForm(items...), why: &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}}
	fd.why.Hide()
	cancel := &widget.Button{Text: dismiss, Icon: theme.CancelIcon(), OnTapped: func() { fd.dlg.Hide() }}
	fd.confirm = &widget.Button{Text: confirm, Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: func() {
		// A field's validator already speaks the staff's language; submit's
		// errors are app's, said here.
		if err := fd.form.Validate(); err != nil {
			fd.why.SetText(err.Error())
			fd.why.Show()
			return
		}
		if err := submit(); err != nil {
			fd.why.SetText(errorText(err))
			fd.why.Show()
			return
		}
		fd.dlg.Hide()
	}}
	buttons := container.NewGridWithColumns(2, sized(cancel, 0, touchMin), sized(fd.confirm, 0, touchMin))
	fd.dlg = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, buttons, nil, nil, container.NewVBox(fd.form, fd.why)), win)
	return fd
}

// showMessage tells staff something in a dialog whose OK is a 44 px touch target.
func showMessage(title, message string, win fyne.Window) *dialog.CustomDialog {
	var dlg *dialog.CustomDialog
	ok := &widget.Button{Text: lang.L("OK"), Importance: widget.HighImportance, OnTapped: func() { dlg.Hide() }}
	body := &widget.Label{Text: message, Wrapping: fyne.TextWrapWord}
	dlg = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, container.NewCenter(sized(ok, 160, touchMin)), nil, nil,
		sized(body, 400, 0)), win)
	dlg.Show()
	return dlg
}

// confirmWith shows content with two 44 px buttons, yes on the right; done
// gets whether yes was tapped. It is askYesNo for a picture or a long text.
func confirmWith(title, yes, no string, content fyne.CanvasObject, done func(bool), win fyne.Window) *dialog.CustomDialog {
	var dlg *dialog.CustomDialog
	answer := func(ok bool) func() {
		return func() {
			dlg.Hide()
			done(ok)
		}
	}
	yesBtn := &widget.Button{Text: yes, Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: answer(true)}
	noBtn := &widget.Button{Text: no, Icon: theme.CancelIcon(), OnTapped: answer(false)}
	buttons := container.NewGridWithColumns(2, sized(noBtn, 0, touchMin), sized(yesBtn, 0, touchMin))
	dlg = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, buttons, nil, nil, content), win)
	dlg.Show()
	return dlg
}

// cardColumns lays cards out in two columns of equal width on a landscape
// screen and in one on a portrait one, where two would be cut off.
type cardColumns struct{ win fyne.Window }

// cardColumnsMinWidth is the narrowest window that gets two columns.
const cardColumnsMinWidth = 1000

func (l *cardColumns) columns(w float32) int {
	if w >= cardColumnsMinWidth {
		return 2
	}
	return 1
}

// rows groups the visible objects into rows of n.
func (l *cardColumns) rows(objs []fyne.CanvasObject, n int) [][]fyne.CanvasObject {
	var out [][]fyne.CanvasObject
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		if len(out) == 0 || len(out[len(out)-1]) == n {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], o)
	}
	return out
}

func (l *cardColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	n := l.columns(l.win.Canvas().Size().Width)
	cw := (size.Width - pad*float32(n-1)) / float32(n)
	var y float32
	for _, row := range l.rows(objs, n) {
		var h float32
		for _, o := range row {
			h = max(h, o.MinSize().Height)
		}
		for i, o := range row {
			o.Move(fyne.NewPos(float32(i)*(cw+pad), y))
			o.Resize(fyne.NewSize(cw, h))
		}
		y += h + pad
	}
}

func (l *cardColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	n := l.columns(l.win.Canvas().Size().Width)
	var w, h float32
	rows := l.rows(objs, n)
	for _, row := range rows {
		var rw, rh float32
		for _, o := range row {
			ms := o.MinSize()
			rw, rh = rw+ms.Width, max(rh, ms.Height)
		}
		w, h = max(w, rw+pad*float32(len(row)-1)), h+rh
	}
	if len(rows) > 1 {
		h += pad * float32(len(rows)-1)
	}
	return fyne.NewSize(w, h)
}
