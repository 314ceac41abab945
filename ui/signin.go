package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// signIn is the PIN screen: a big numeric keypad that also takes a
// physical keyboard (digits, Backspace, Enter), or, when no staff exist
// yet, a form that creates the shop's owner.
type signIn struct {
	m       *Main
	pin     string
	dots    *canvas.Text
	message *widget.Label
	busy    bool

	ownerName, ownerPIN, ownerPIN2 *widget.Entry
}

// Wrong PINs typed here lock the pad for a while; the cloud keeps its own
// count per terminal for the PINs it checks.
const (
	maxWrongPINs = 5
	pinLockout   = 30 * time.Second
)

func newSignIn(m *Main) *signIn { return &signIn{m: m} }

func (s *signIn) buildUI() fyne.CanvasObject {
	if len(s.m.staff.members()) == 0 {
		s.m.stopKeyboard()
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
	s.listenKeyboard()
	return container.NewCenter(box)
}

// listenKeyboard sends the window's typed digits, Backspace and Enter to
// the pad while it shows; signing in hands the keyboard back.
func (s *signIn) listenKeyboard() {
	c := s.m.win.Canvas()
	c.SetOnTypedRune(func(r rune) {
		if r >= '0' && r <= '9' {
			s.onDigit(string(r))
		}
	})
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		switch k.Name {
		case fyne.KeyBackspace, fyne.KeyDelete:
			s.onBackspace()
		case fyne.KeyReturn, fyne.KeyEnter:
			s.onSubmit()
		case fyne.KeyEscape:
			s.pin = ""
			s.showDots()
		}
	})
}

// stopKeyboard hands the window's keyboard back to the screens.
func (m *Main) stopKeyboard() {
	c := m.win.Canvas()
	c.SetOnTypedRune(nil)
	c.SetOnTypedKey(nil)
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
	if s.busy {
		return
	}
	if len(s.pin) > 0 {
		s.pin = s.pin[:len(s.pin)-1]
	}
	s.showDots()
}

func (s *signIn) showDots() {
	s.dots.Text = strings.Repeat("●", len(s.pin))
	s.dots.Refresh()
}

// onSubmit checks the PIN off the UI goroutine (PBKDF2 is slow on purpose),
// then asks the cloud to confirm it when the terminal is online.
func (s *signIn) onSubmit() {
	if s.busy {
		return
	}
	if wait := time.Until(s.m.pinLockedUntil); wait > 0 {
		s.message.SetText(lang.L("Too many wrong PINs; try again in {{.N}} seconds", map[string]any{"N": int(wait.Seconds()) + 1}))
		return
	}
	if len(s.pin) < 4 {
		s.message.SetText(lang.L("A PIN has 4 to 6 digits"))
		return
	}
	pin := s.pin
	s.busy = true
	s.message.SetText(lang.L("Checking…"))
	check := s.m.d.CheckSignIn
	load(func() (app.Staff, error) {
		member, err := s.m.staff.signIn(pin)
		if err == nil && check != nil {
			err = check(member)
		}
		return member, err
	}, func(member app.Staff, err error) {
		s.busy = false
		s.pin = ""
		s.showDots()
		if err != nil {
			s.m.wrongPINs++
			if s.m.wrongPINs >= maxWrongPINs {
				s.m.wrongPINs = 0
				s.m.pinLockedUntil = time.Now().Add(pinLockout)
			}
			if app.IsWrongPIN(err) {
				s.message.SetText(lang.L("Wrong PIN, try again"))
				return
			}
			s.message.SetText(app.ErrorMessage(err))
			return
		}
		s.m.wrongPINs = 0
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

// onCreateOwner creates the shop's first owner. The cloud accepts it from
// a terminal only while the shop has no staff at all.
func (s *signIn) onCreateOwner() {
	if s.ownerPIN.Text != s.ownerPIN2.Text {
		s.message.SetText(lang.L("The two PINs differ"))
		return
	}
	name, pin := s.ownerName.Text, s.ownerPIN.Text
	actor := app.Actor{Staff: strings.TrimSpace(name), Role: app.RoleOwner, Terminal: s.m.terminal()}
	load(func() (app.Staff, error) { return s.m.staff.add(actor, name, app.RoleOwner, pin) }, func(member app.Staff, err error) {
		if err != nil {
			s.message.SetText(errorText(err))
			return
		}
		s.m.signedIn(member)
	})
}
