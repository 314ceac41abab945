package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kasir/pos/app"
)

// widgetPlaces maps every visible widget on the window to its absolute
// position and size, leaving out the objects under skip.
func widgetPlaces(t *testing.T, win fyne.Window, skip fyne.CanvasObject) map[fyne.CanvasObject]place {
	t.Helper()
	win.Canvas().Capture() // lay everything out
	hidden := map[fyne.CanvasObject]bool{}
	for _, o := range test.LaidOutObjects(skip) {
		hidden[o] = true
	}
	d := fyne.CurrentApp().Driver()
	out := map[fyne.CanvasObject]place{}
	for _, o := range test.LaidOutObjects(win.Content()) {
		if _, ok := o.(fyne.Widget); !ok || hidden[o] || !o.Visible() {
			continue
		}
		out[o] = place{d.AbsolutePositionForObject(o), o.Size()}
	}
	return out
}

// place is where a widget is drawn.
type place struct {
	pos  fyne.Position
	size fyne.Size
}

func TestBannerMovesNoWidget(t *testing.T) {
	for _, size := range []fyne.Size{{Width: 1280, Height: 800}, {Width: 800, Height: 1280}} {
		f := newFixture(t, "Owner")
		f.m.Window().Resize(size)
		o := f.place(app.ChannelTokopedia, "7001", "Budi", time.Hour)
		f.m.Refresh()
		f.m.online.onTabSelected(f.tab(app.StatusNew))
		f.m.online.openOrder(o.ID)
		before := widgetPlaces(t, f.m.Window(), f.m.toast)
		if len(before) < 20 {
			t.Fatalf("only %d widgets found", len(before))
		}
		f.m.OnNewOrders(2)
		if !f.m.banner.Visible() {
			t.Fatal("no banner")
		}
		after := widgetPlaces(t, f.m.Window(), f.m.toast)
		moved := 0
		for w, p := range before {
			if q, ok := after[w]; ok && q != p {
				moved++
				t.Errorf("%v: %T moved from %v to %v when the banner showed", size, w, p, q)
			}
		}
		if moved == 0 && len(after) != len(before) {
			t.Errorf("%v: %d widgets before the banner, %d after", size, len(before), len(after))
		}
		// A tap on the banner's text lands on the banner, not on what is beneath.
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(f.m.bannerText).Add(fyne.NewPos(5, 5))
		under, _ := findTappable(f.m.Window(), pos)
		if _, ok := under.(*tapShield); !ok {
			t.Errorf("%v: a tap on the banner text reaches %T", size, under)
		}
	}
}

// findTappable is the tappable widget a tap at pos reaches: the last one
// drawn there, as the driver picks it.
func findTappable(win fyne.Window, pos fyne.Position) (fyne.CanvasObject, bool) {
	var found fyne.CanvasObject
	var walk func(o fyne.CanvasObject, at fyne.Position)
	walk = func(o fyne.CanvasObject, at fyne.Position) {
		if o == nil || !o.Visible() {
			return
		}
		at = at.Add(o.Position())
		s := o.Size()
		if pos.X < at.X || pos.Y < at.Y || pos.X >= at.X+s.Width || pos.Y >= at.Y+s.Height {
			return
		}
		if _, ok := o.(fyne.Tappable); ok {
			found = o
		}
		switch w := o.(type) {
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c, at)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c, at)
			}
		}
	}
	walk(win.Content(), fyne.Position{})
	return found, found != nil
}
