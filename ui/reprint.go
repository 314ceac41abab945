package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// Reprints answers prints that may have printed: the printer took a job's
// bytes but never confirmed it (the terminal stopped, or the printer hung),
// so the queue set it aside rather than print a second copy blindly. The
// register's Printing implements it beside Printing (window.go); a Printing
// without it simply never asks.
type Reprints interface {
	// Uncertain lists the prints waiting for "print again?"; it is called
	// every 2 s and must return at once.
	Uncertain() []UncertainPrint
	// PrintAgain prints the job once more, marked COPY, and returns a message for staff.
	PrintAgain(id uint64, actor app.Actor) (string, error)
	// KeepPrinted records that the job did print; it is not printed again.
	KeepPrinted(id uint64, actor app.Actor) error
}

// UncertainPrint is one print waiting for staff's answer.
type UncertainPrint struct {
	ID uint64
	// Question is app's message, e.g. "Label for #1234 may have printed: print again?".
	Question app.Message
	// PrinterSaid is what the printer answered when it was asked afterwards ("ready", "paper out", …).
	PrinterSaid string
}

// reprintAsker puts each uncertain print to the signed-in staff member
// once, one dialog at a time.
type reprintAsker struct {
	m     *Main
	asked map[uint64]bool
	open  bool
}

func newReprintAsker(m *Main) *reprintAsker { return &reprintAsker{m: m, asked: map[uint64]bool{}} }

// watchReprints asks about uncertain prints every 2 s while the window runs.
func (m *Main) watchReprints() {
	if _, ok := m.d.Printing.(Reprints); !ok {
		return
	}
	r := newReprintAsker(m)
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for range tick.C {
		fyne.Do(r.ask)
	}
}

// ask shows the next unanswered question, unless one is open or nobody is signed in.
func (r *reprintAsker) ask() {
	rp, ok := r.m.d.Printing.(Reprints)
	if !ok || r.open || r.m.actor.Staff == "" {
		return
	}
	for _, u := range rp.Uncertain() {
		if r.asked[u.ID] {
			continue
		}
		r.asked[u.ID] = true
		r.open = true
		r.show(rp, u)
		return
	}
}

func (r *reprintAsker) show(rp Reprints, u UncertainPrint) {
	question := &widget.Label{Text: say(u.Question), Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}}
	why := &widget.Label{Wrapping: fyne.TextWrapWord, Text: lang.L("The printer took it but did not confirm that it printed. Look at the printer: a copy printed again says COPY on it.")}
	content := container.NewVBox(question, why)
	if u.PrinterSaid != "" {
		content.Add(&widget.Label{Wrapping: fyne.TextWrapWord, Text: lang.L("The printer now says: {{.S}}", map[string]any{"S": u.PrinterSaid})})
	}
	actor := r.m.actor
	d := dialog.NewCustomConfirm(lang.L("Print again?"), lang.L("Print again (COPY)"), lang.L("It printed"), content, func(again bool) {
		if again {
			load(func() (string, error) { return rp.PrintAgain(u.ID, actor) }, func(msg string, err error) { r.answered(u, msg, err) })
			return
		}
		load(func() (string, error) { return lang.L("Recorded as printed"), rp.KeepPrinted(u.ID, actor) },
			func(msg string, err error) { r.answered(u, msg, err) })
	}, r.m.win)
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
}

// answered reports the outcome; a failed answer is asked again later.
func (r *reprintAsker) answered(u UncertainPrint, msg string, err error) {
	r.open = false
	if err != nil {
		delete(r.asked, u.ID)
		r.m.showError(lang.L("Print again?"), err)
		return
	}
	r.m.showBanner(msg)
	r.m.refresh()
}

// reprintChoices are the shop's answers to a print that may have printed, in the order shown.
var reprintChoices = []app.ReprintChoice{app.ReprintAsk, app.ReprintAlways, app.ReprintNever}

func reprintChoiceText(c app.ReprintChoice) string {
	switch c {
	case app.ReprintAlways:
		return lang.L("Print it again, marked COPY")
	case app.ReprintNever:
		return lang.L("Do not print it again")
	}
	return lang.L("Ask staff")
}

// reprintCard lets the owner choose what every terminal does with a print
// that may have printed (app.Policy.ReprintUncertain); auto-print stations
// with nobody at them follow it.
func (s *settingsScreen) reprintCard() fyne.CanvasObject {
	var opts []string
	for _, c := range reprintChoices {
		opts = append(opts, reprintChoiceText(c))
	}
	group := &widget.RadioGroup{Options: opts, Required: true}
	group.Selected = reprintChoiceText(s.m.svc.CurrentPolicy().ReprintUncertain.Or())
	group.OnChanged = func(text string) { s.onReprintChanged(text) }
	return widget.NewCard(lang.L("Prints that may have printed"),
		lang.L("When the printer took a label or receipt but did not confirm it"), group)
}

func (s *settingsScreen) onReprintChanged(text string) {
	for _, c := range reprintChoices {
		if reprintChoiceText(c) == text && c != s.m.svc.CurrentPolicy().ReprintUncertain.Or() {
			pol := s.m.svc.CurrentPolicy()
			pol.ReprintUncertain = c
			s.m.setPolicy(pol)
		}
	}
}
