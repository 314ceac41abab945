package ui

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kasir/pos/app"
)

// billPrinter is a Printing whose labels of marketplace orders are the
// platform's bill (BillPrinting), waiting for the cloud.
type billPrinter struct {
	*recordingPrinter
	own  []string
	wait error
}

func (p *billPrinter) Preview(doc app.Document, o *app.Order) (image.Image, error) {
	if doc == app.DocLabel && app.BillSource(o) != "" && p.wait != nil {
		return nil, p.wait
	}
	return p.recordingPrinter.Preview(doc, o)
}

func (p *billPrinter) PreviewOwnLabel(o *app.Order) (image.Image, error) {
	return p.recordingPrinter.Preview(app.DocLabel, o)
}

func (p *billPrinter) PrintOwnLabel(o *app.Order, actor app.Actor) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.own = append(p.own, o.Number+":"+actor.Staff)
	return "Queued on Test printer", nil
}

func (p *billPrinter) BillWait(orderID string) error { return p.wait }

// withTracking makes an accepted order ready to ship with a courier's tracking ID.
func withTracking(f *fixture, ch app.Channel, ext string) *app.Order {
	o := f.place(ch, ext, "Rina", 0)
	if ch.Rule().Marketplace || ch == app.ChannelStore {
		f.do(app.ActionAccept, o.ID, app.Args{})
	}
	f.do(app.ActionArrangeDropoff, o.ID, app.Args{Courier: "JNE"})
	cmd, _ := app.CourierCommand(o.ID, app.CourierUpdate{Kind: app.CourierAssigned, Courier: "JNE", TrackingID: "JNE00" + ext})
	if _, err := f.svc.Do(cmd, app.ChannelActor("logistics")); err != nil {
		f.t.Fatal(err)
	}
	f.m.Refresh()
	f.m.online.openOrder(o.ID)
	return o
}

// TestMarketplaceLabelIsTheBillAndOursIsAtHand: a Tokopedia order's label
// is Tokopedia's bill; the order says why it waits, offers our own label,
// and a bill the cloud cannot give now is still queued when staff ask.
func TestMarketplaceLabelIsTheBillAndOursIsAtHand(t *testing.T) {
	f := newFixture(t, "Owner")
	bp := &billPrinter{recordingPrinter: f.pr, wait: app.BillWaiting(app.BillTokopedia, app.Errorf(app.EUnreachable, "The cloud did not answer: the airway bill cannot be fetched now"))}
	f.m.d.Printing = bp
	o := withTracking(f, app.ChannelTokopedia, "T-700")
	d := f.m.online.detail
	if labelWith(d.actions, "Waiting for Tokopedia's airway bill: cloud unreachable") == nil {
		t.Error("the order does not say why its bill waits")
	}
	own := button(d.actions, "Print our label")
	if button(d.actions, "Print label") == nil || own == nil {
		t.Fatal("no Print label and Print our label")
	}
	if out := os.Getenv("BILL_DETAIL_PNG"); out != "" { // docs/bill-detail.png
		var buf bytes.Buffer
		if err := png.Encode(&buf, f.m.Window().Canvas().Capture()); err != nil || os.WriteFile(out, buf.Bytes(), 0o644) != nil {
			t.Errorf("writing %s: %v", out, err)
		}
	}

	test.Tap(own)
	fyne.DoAndWait(func() {})
	test.Tap(topButton(f, "Print"))
	fyne.DoAndWait(func() {})
	if len(bp.own) != 1 || bp.own[0] != o.Number+":Owner" {
		t.Fatalf("our own label: %v", bp.own)
	}

	test.Tap(button(f.m.online.detail.actions, "Print label"))
	fyne.DoAndWait(func() {})
	if text := overlayText(f.m); !strings.Contains(text, "Waiting for Tokopedia's airway bill: cloud unreachable") {
		t.Fatalf("the dialog says %q", text)
	}
	test.Tap(topButton(f, "Print it when it arrives"))
	fyne.DoAndWait(func() {})
	if len(f.pr.printed) != 1 || f.pr.printed[0] != "label:"+o.Number+":Owner" {
		t.Fatalf("printed %v", f.pr.printed)
	}
}

// TestOwnLabelOrderHasOneLabelButton: a web-store order's label is ours alone.
func TestOwnLabelOrderHasOneLabelButton(t *testing.T) {
	f := newFixture(t, "Owner")
	f.m.d.Printing = &billPrinter{recordingPrinter: f.pr}
	withTracking(f, app.ChannelManual, "W-800")
	d := f.m.online.detail
	if button(d.actions, "Print label") == nil || button(d.actions, "Print our label") != nil {
		t.Fatal("a manual order's label buttons")
	}
}

// TestRefusedBillIsTold: a bill that will not print is said in a banner.
func TestRefusedBillIsTold(t *testing.T) {
	f := newFixture(t, "Owner")
	err := app.BillNotPrinted(app.BillShopee, app.Errorf(app.ERefused, "%s refused the airway bill: %s", "Shopee", "package not found"))
	f.m.OnPrintFailed(app.MessageOf(err))
	fyne.DoAndWait(func() {})
	if want := "Shopee's airway bill could not be printed: Shopee refused the airway bill: package not found"; !f.m.banner.Visible() || f.m.bannerText.Text != want {
		t.Errorf("banner %q", f.m.bannerText.Text)
	}
}
