package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// TestSendOnWhatsAppRecordsWhoOpenedIt: a WhatsApp order's detail offers
// "Send on WhatsApp"; tapping it opens the link and the history says who
// opened WhatsApp, not that the buyer was told.
func TestSendOnWhatsAppRecordsWhoOpenedIt(t *testing.T) {
	f := newFixture(t, "Owner")
	o := f.place(app.ChannelManual, "", "Sari", 0)
	f.m.Refresh()
	f.m.online.openOrder(o.ID)
	b := button(f.m.online.detail.actions, "Send on WhatsApp")
	if b == nil || b.Disabled() {
		t.Fatalf("no Send on WhatsApp button: %v", b)
	}
	test.Tap(b)
	deadline := time.Now().Add(5 * time.Second)
	var notes []string
	for time.Now().Before(deadline) {
		got, err := f.db.OrderWithHistory(o.ID)
		if err != nil {
			t.Fatal(err)
		}
		notes = notes[:0]
		for _, e := range got.History {
			notes = append(notes, e.NoteIn(app.English))
		}
		if strings.Contains(strings.Join(notes, "\n"), "WhatsApp opened by Owner (order confirmed)") {
			f.m.Refresh()
			f.m.online.openOrder(o.ID)
			if !labelSays(f.m.online.detail.content, "WhatsApp opened by Owner") {
				t.Fatal("the order's notices card does not show it")
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("history: %q", notes)
}

// TestNoticesCardPreviewsAndRefusesUnknownPlaceholders: in the owner's
// Settings, an unknown placeholder is named and not saved; a good template
// previews filled in and is saved into the shop's policy.
func TestNoticesCardPreviewsAndRefusesUnknownPlaceholders(t *testing.T) {
	f := newFixture(t, "Owner")
	card := f.m.settings.noticesCard()
	var body *widget.Entry
	var labels []*widget.Label
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Card:
			walk(w.Content)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case *widget.Form:
			for _, it := range w.Items {
				walk(it.Widget)
			}
		case *widget.Entry:
			if w.MultiLine {
				body = w
			}
		case *widget.Label:
			labels = append(labels, w)
		}
	}
	walk(card)
	if body == nil || !strings.Contains(body.Text, "{buyer}") {
		t.Fatalf("the card shows no template: %v", body)
	}
	says := func(s string) bool {
		for _, l := range labels {
			if strings.Contains(l.Text, s) {
				return true
			}
		}
		return false
	}
	body.SetText("Halo {buyer}, resi {resi}")
	if !says("{resi}") {
		t.Fatal("an unknown placeholder is not named")
	}
	test.Tap(button(card, "Save"))
	body.SetText("Halo {buyer}, pesanan {order} dikonfirmasi")
	if !says("Halo Rina, pesanan WEB-1001 dikonfirmasi") {
		t.Fatal("the preview is not filled in")
	}
	test.Tap(button(card, "Save"))
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if got := f.m.svc.CurrentPolicy().Notices.Template(app.NoticeReceived, app.Indonesian).Body; got == "Halo {buyer}, pesanan {order} dikonfirmasi" {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("not saved: %q", f.m.svc.CurrentPolicy().Notices.Template(app.NoticeReceived, app.Indonesian).Body)
}

// labelSays reports whether a label under o holds text.
func labelSays(o fyne.CanvasObject, text string) bool {
	switch w := o.(type) {
	case *widget.Label:
		return strings.Contains(w.Text, text)
	case *widget.Card:
		return labelSays(w.Content, text)
	case *fyne.Container:
		for _, c := range w.Objects {
			if labelSays(c, text) {
				return true
			}
		}
	}
	return false
}
