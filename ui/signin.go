package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// signIn is the PIN screen: a big numeric keypad, or, when no staff exist
// yet, a form that creates the shop's owner.
type signIn struct {
	m       *Main
	pin     string
	dots    *canvas.Text
	message *widget.Label
	busy    bool

	ownerName, ownerPIN, ownerPIN2 *widget.Entry
}

func newSignIn(m *Main) *signIn { return &signIn{m: m} }

func (s *signIn) buildUI() fyne.CanvasObject {
	if len(s.m.staff.members()) == 0 {
		return s.buildCreateOwner()
	}
	s.dots = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	s.dots.TextSize = 40
	s.dots.Alignment = fyne.TextAlignCenter
	s.message = &widget.Label{Text: lang.L("Enter your PIN"), Alignment: fyne.TextAlignCenter}
	keys := container.NewGridWithColumns(3)
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9"} {
		keys.Add(s.key(k))
	}
	keys.Add(sized(&widget.Button{Icon: theme.ContentUndoIcon(), OnTapped: s.onBackspace}, 96, 72))
	keys.Add(s.key("0"))
	keys.Add(sized(&widget.Button{Text: lang.L("OK"), Importance: widget.HighImportance, OnTapped: s.onSubmit}, 96, 72))
	title := bold(lang.L("Sign in"))
	title.Alignment = fyne.TextAlignCenter
	box := container.NewVBox(title, s.message, s.dots, keys)
	return container.NewCenter(box)
}

func (s *signIn) key(d string) fyne.CanvasObject {
	b := &widget.Button{Text: d, OnTapped: func() { s.onDigit(d) }}
	return sized(b, 96, 72)
}

func (s *signIn) onDigit(d string) {
	if len(s.pin) >= 6 || s.busy {
		return
	}
	s.pin += d
	s.showDots()
}

func (s *signIn) onBackspace() {
	if len(s.pin) > 0 {
		s.pin = s.pin[:len(s.pin)-1]
	}
	s.showDots()
}

func (s *signIn) showDots() {
	s.dots.Text = strings.Repeat("●", len(s.pin))
	s.dots.Refresh()
}

// onSubmit checks the PIN off the UI goroutine (PBKDF2 is slow on purpose).
func (s *signIn) onSubmit() {
	if s.busy {
		return
	}
	if len(s.pin) < 4 {
		s.message.SetText(lang.L("A PIN has 4 to 6 digits"))
		return
	}
	pin := s.pin
	s.busy = true
	s.message.SetText(lang.L("Checking…"))
	load(func() (app.Staff, error) { return s.m.staff.signIn(pin) }, func(member app.Staff, err error) {
		s.busy = false
		s.pin = ""
		s.showDots()
		if err != nil {
			s.message.SetText(lang.L("Wrong PIN, try again"))
			return
		}
		s.m.signedIn(member)
	})
}

func (s *signIn) buildCreateOwner() fyne.CanvasObject {
	s.ownerName = &widget.Entry{PlaceHolder: lang.L("Owner's name")}
	s.ownerPIN = &widget.Entry{PlaceHolder: lang.L("PIN (4–6 digits)"), Password: true}
	s.ownerPIN2 = &widget.Entry{PlaceHolder: lang.L("PIN again"), Password: true}
	s.message = &widget.Label{Text: lang.L("No staff are set up on this terminal yet. Create the shop's owner to begin."), Wrapping: fyne.TextWrapWord}
	create := &widget.Button{Text: lang.L("Create owner"), Importance: widget.HighImportance, OnTapped: s.onCreateOwner}
	form := container.NewVBox(bold(lang.L("Welcome")), s.message, s.ownerName, s.ownerPIN, s.ownerPIN2, sized(create, 200, touchMin))
	return container.NewCenter(sized(form, 420, 0))
}

func (s *signIn) onCreateOwner() {
	if s.ownerPIN.Text != s.ownerPIN2.Text {
		s.message.SetText(lang.L("The two PINs differ"))
		return
	}
	name, pin := s.ownerName.Text, s.ownerPIN.Text
	load(func() (app.Staff, error) { return s.m.staff.add(name, app.RoleOwner, pin) }, func(member app.Staff, err error) {
		if err != nil {
			s.message.SetText(errorText(err))
			return
		}
		s.m.signedIn(member)
	})
}
