package ui

import (
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// reprintingPrinter is a Printing that also has prints waiting for "print again?".
type reprintingPrinter struct {
	*recordingPrinter
	mu      sync.Mutex
	waiting []UncertainPrint
	again   []app.Actor
	kept    []uint64
}

func (p *reprintingPrinter) Uncertain() []UncertainPrint {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]UncertainPrint(nil), p.waiting...)
}

func (p *reprintingPrinter) answer(id uint64) {
	for i, u := range p.waiting {
		if u.ID == id {
			p.waiting = append(p.waiting[:i], p.waiting[i+1:]...)
			return
		}
	}
}

func (p *reprintingPrinter) PrintAgain(id uint64, actor app.Actor) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.answer(id)
	p.again = append(p.again, actor)
	return "Queued on tcp://label-printer (COPY)", nil
}

func (p *reprintingPrinter) KeepPrinted(id uint64, actor app.Actor) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.answer(id)
	p.kept = append(p.kept, id)
	return nil
}

// overlayButton finds a button by its text in the top overlay (a dialog).
func overlayButton(t *testing.T, m *Main, text string) *widget.Button {
	t.Helper()
	top := m.Window().Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is open")
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("the dialog has no %q button", text)
	return nil
}

func overlayText(m *Main) string {
	top := m.Window().Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var sb strings.Builder
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.Label); ok {
			sb.WriteString(l.Text + "\n")
		}
	}
	return sb.String()
}

func TestReprintQuestionIsAskedOnceAndAnswered(t *testing.T) {
	f := newFixture(t, "Kasir")
	pr := &reprintingPrinter{recordingPrinter: f.pr, waiting: []UncertainPrint{
		{ID: 7, Question: app.MayHavePrinted(app.DocLabel, "1234").Text(), PrinterSaid: "paper out"},
		{ID: 9, Question: app.MayHavePrinted(app.DocReceipt, "POS-1").Text(), PrinterSaid: "ready"},
	}}
	f.m.d.Printing = pr
	r := newReprintAsker(f.m)
	r.ask()
	text := overlayText(f.m)
	if !strings.Contains(text, "Label for #1234 may have printed: print again?") || !strings.Contains(text, "paper out") {
		t.Fatalf("dialog says %q", text)
	}
	r.ask() // one question at a time
	if n := len(f.m.Window().Canvas().Overlays().List()); n != 1 {
		t.Fatalf("%d dialogs open", n)
	}
	test.Tap(overlayButton(t, f.m, "Print again (COPY)"))
	fyne.DoAndWait(func() {})
	if len(pr.again) != 1 || pr.again[0].Staff != "Kasir" {
		t.Fatalf("print again by %+v", pr.again)
	}
	if !f.m.banner.Visible() || !strings.Contains(f.m.bannerText.Text, "COPY") {
		t.Errorf("banner %q", f.m.bannerText.Text)
	}

	r.ask()
	if text := overlayText(f.m); !strings.Contains(text, "Receipt for #POS-1") {
		t.Fatalf("second question: %q", text)
	}
	test.Tap(overlayButton(t, f.m, "It printed"))
	fyne.DoAndWait(func() {})
	if len(pr.kept) != 1 || pr.kept[0] != 9 {
		t.Fatalf("kept %v", pr.kept)
	}
	r.ask()
	if top := f.m.Window().Canvas().Overlays().Top(); top != nil {
		t.Fatalf("asked again after every print was answered: %q", overlayText(f.m))
	}
}

// Nobody signed in: the question waits for someone who can answer it.
func TestReprintQuestionWaitsForStaff(t *testing.T) {
	f := newFixture(t, "")
	pr := &reprintingPrinter{recordingPrinter: f.pr, waiting: []UncertainPrint{{ID: 7, Question: app.MayHavePrinted(app.DocLabel, "1234").Text()}}}
	f.m.d.Printing = pr
	r := newReprintAsker(f.m)
	before := len(f.m.Window().Canvas().Overlays().List())
	r.ask()
	if n := len(f.m.Window().Canvas().Overlays().List()); n != before {
		t.Fatal("asked before anyone signed in")
	}
	f.m.signedIn(f.staff["Owner"])
	r.ask()
	if !strings.Contains(overlayText(f.m), "Label for #1234") {
		t.Fatal("not asked after sign-in")
	}
}

// The owner's choice in Settings becomes the shop's reprint_uncertain.
func TestReprintSettingIsTheShopPolicy(t *testing.T) {
	f := newFixture(t, "Owner")
	card := f.m.settings.reprintCard().(*widget.Card)
	group := card.Content.(*widget.RadioGroup)
	if group.Selected != "Ask staff" {
		t.Fatalf("default %q", group.Selected)
	}
	group.SetSelected("Print it again, marked COPY")
	if got := f.svc.CurrentPolicy().ReprintUncertain; got != app.ReprintAlways {
		t.Fatalf("policy %q", got)
	}
	var stored app.Policy
	if _, err := f.db.GetSetting(app.SettingPolicy, &stored); err != nil || stored.ReprintUncertain != app.ReprintAlways {
		t.Fatalf("stored %q, %v", stored.ReprintUncertain, err)
	}
}
