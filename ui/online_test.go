package ui

import (
	"fmt"
	"reflect"
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

// highlighted is the row the list marks as selected, or -1.
func highlighted(l *orderList) int {
	sel := reflect.ValueOf(l.list).Elem().FieldByName("selected")
	if sel.Len() == 0 {
		return -1
	}
	return int(sel.Index(0).Int())
}

// rowIndex is where the list shows the order, or -1.
func rowIndex(l *orderList, id string) int {
	for i := 0; i < l.total; i++ {
		if o, ok := l.row(i); ok && o.ID == id {
			return i
		}
	}
	return -1
}

func TestSelectionFollowsTheOrder(t *testing.T) {
	f := newFixture(t, "Owner")
	for i := range 4 {
		f.place(app.ChannelTokopedia, fmt.Sprintf("800%d", i), "Buyer", time.Duration(i+1)*time.Hour)
	}
	review := &app.Order{Channel: app.ChannelWooCommerce, ExternalID: "WC-9", PaymentMethod: app.PayTransfer, Buyer: app.Buyer{Name: "Rudi"},
		Lines: []app.Line{{SKU: "SKU-1", Name: "Kopi Susu 250ml", Qty: 1, UnitPrice: 25000}}, PaymentReceipt: &app.PaymentReceipt{ImageURL: "bukti.png", UploadedAt: clock}}
	res, err := f.svc.Place(review, app.ChannelActor("woocommerce"))
	if err != nil || res.Order.Status != app.StatusPaymentReview {
		t.Fatalf("payment review order: %v %v", err, res)
	}
	f.m.Refresh()
	s := f.m.online
	l := s.list
	check := func(step string) {
		t.Helper()
		h := highlighted(l)
		switch want := rowIndex(l, s.detail.id); {
		case h != want:
			t.Errorf("%s: row %d highlighted, the detail's order is at row %d", step, h, want)
		case h >= 0:
			// Tapping any other row opens it; the highlighted one is the open order.
			other := (h + 1) % l.total
			if o, _ := l.row(other); o != nil {
				l.list.Select(other)
				if s.detail.id != o.ID {
					t.Errorf("%s: tapping row %d left the detail on %s", step, other, s.detail.id)
				}
				l.list.Select(h)
			}
		}
	}
	s.onTabSelected(f.tab(app.StatusNew))
	l.list.Select(1)
	picked := s.detail.id
	check("opened")
	test.Tap(button(s.detail.actions, "Accept"))
	if s.detail.id != picked || s.detail.order.Status != app.StatusReadyToShip {
		t.Fatalf("after accept the detail shows %s (%v), want %s ready to ship", s.detail.id, s.detail.order.Status, picked)
	}
	check("accepted")
	if h := highlighted(l); h != -1 {
		t.Errorf("after accept row %d of New is highlighted, the order left New", h)
	}
	// Tapping the row now at the accepted one's place opens that order.
	if o, ok := l.row(1); ok {
		l.list.Select(1)
		if s.detail.id != o.ID {
			t.Errorf("tapping row 1 after accept opened %s, want %s", s.detail.id, o.ID)
		}
	}
	s.detail.run(app.ActionReject, app.Args{Reason: "out of stock"})
	check("rejected")
	// The order moves between tabs and stays selected where it went.
	s.openOrder(picked)
	s.onTabSelected(f.tab(app.StatusReadyToShip))
	check("followed to Ready to Ship")
	if highlighted(l) != rowIndex(l, picked) || highlighted(l) < 0 {
		t.Errorf("the accepted order is not highlighted in Ready to Ship")
	}
	s.onTabSelected(f.tab(app.StatusPaymentReview))
	l.list.Select(0)
	if s.detail.id != res.Order.ID {
		t.Fatalf("payment review row opened %s", s.detail.id)
	}
	s.detail.run(app.ActionAcceptPayment, app.Args{})
	if s.detail.order.Status != app.StatusNew {
		t.Errorf("after the payment decision the detail shows %v", s.detail.order.Status)
	}
	check("payment accepted")
}
