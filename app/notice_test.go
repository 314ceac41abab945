package app

import (
	"strings"
	"testing"
	"time"
)

// TestNoticesDueFollowTheOrderLife walks a web-store order through its life
// and checks which notices each change calls for, and that a marketplace
// order calls for none.
func TestNoticesDueFollowTheOrderLife(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	pol := DefaultPolicy()
	o := sampleOrder(ChannelStore)
	o.Status = StatusNew
	o.Buyer.Email = "rina@example.id"
	res, err := Execute(tx, pol, Command{Action: ActionPlace, Args: Args{Order: o}}, owner, t0)
	if err != nil {
		t.Fatal(err)
	}
	if due := NoticesDue(res.Order, res.Events); len(due) != 1 || due[0].Event != NoticeReceived || due[0].Version != res.Order.Version {
		t.Fatalf("placing a New order: %v, want the one received notice", due)
	}
	id := res.Order.ID
	steps := []struct {
		cmd  Command
		want []NoticeEvent
	}{
		{Command{Action: ActionAccept, OrderID: id}, []NoticeEvent{NoticeConfirmed}},
		{Command{Action: ActionAddNote, OrderID: id, Args: Args{Note: "gift wrap"}}, nil},
		{Command{Action: ActionShip, OrderID: id, Args: Args{Courier: "J&T", TrackingID: "JT0001"}}, []NoticeEvent{NoticeShipped}},
		{Command{Action: ActionRecordNotice, OrderID: id, Args: Args{Notice: &Notice{Key: "shipped@3", Event: NoticeShipped, Via: ViaEmail, State: NoticeSent, To: "r***@example.id", Reply: "250 OK"}}}, nil},
		{Command{Action: ActionDeliver, OrderID: id}, []NoticeEvent{NoticeDelivered}},
		{Command{Action: ActionComplete, OrderID: id}, nil},
	}
	for i, s := range steps {
		res, err := Execute(tx, pol, s.cmd, owner, t0.Add(time.Duration(i+1)*time.Minute))
		if err != nil {
			t.Fatalf("%s: %v", s.cmd.Action, err)
		}
		due := NoticesDue(res.Order, res.Events)
		var got []NoticeEvent
		for _, d := range due {
			got = append(got, d.Event)
			if d.Version != res.Order.Version {
				t.Errorf("%s: notice version %d, order version %d", s.cmd.Action, d.Version, res.Order.Version)
			}
		}
		if strings.Join(evNames(got), ",") != strings.Join(evNames(s.want), ",") {
			t.Errorf("%s: notices %v, want %v", s.cmd.Action, got, s.want)
		}
		if s.cmd.Action == ActionRecordNotice {
			if n := res.Order.NoticeFor("shipped@3", ViaEmail); n == nil || n.State != NoticeSent {
				t.Errorf("record not kept: %+v", res.Order.Notices)
			}
			if note := res.Events[0].NoteIn(English); note != "e-mail sent to r***@example.id (250 OK): order shipped" {
				t.Errorf("history says %q", note)
			}
			if note := res.Events[0].NoteIn(Indonesian); !strings.Contains(note, "terkirim") {
				t.Errorf("Indonesian history says %q", note)
			}
		}
	}
	m := sampleOrder(ChannelShopee)
	m.Status = StatusNew
	mres, err := Execute(tx, pol, Command{Action: ActionPlace, Args: Args{Order: m}}, owner, t0)
	if err != nil {
		t.Fatal(err)
	}
	if due := NoticesDue(mres.Order, mres.Events); len(due) != 0 {
		t.Fatalf("a marketplace order's arrival was due %v", due)
	}
	ready := sampleOrder(ChannelManual)
	ready.Status = StatusReadyToShip
	rres, err := Execute(tx, pol, Command{Action: ActionPlace, Args: Args{Order: ready}}, owner, t0)
	if err != nil {
		t.Fatal(err)
	}
	if due := NoticesDue(rres.Order, rres.Events); len(due) != 1 || due[0].Event != NoticeConfirmed {
		t.Fatalf("a manual order placed ready to pack was due %v, want only confirmed", due)
	}
	acc, err := Execute(tx, pol, Command{Action: ActionAccept, OrderID: mres.Order.ID}, owner, t0)
	if err != nil {
		t.Fatal(err)
	}
	if due := NoticesDue(acc.Order, acc.Events); len(due) != 0 {
		t.Fatalf("a marketplace buyer was due %v", due)
	}
}

func evNames(evs []NoticeEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = string(e)
	}
	return out
}

func TestTemplateRefusesUnknownPlaceholderByName(t *testing.T) {
	var s NoticeSettings
	err := s.SetTemplate(NoticeShipped, Indonesian, NoticeTemplate{Subject: "Pesanan {order}", Body: "Resi {resi}"})
	if err == nil || !strings.Contains(err.Error(), "{resi}") || !strings.Contains(err.Error(), "shipped.id") {
		t.Fatalf("unknown placeholder: %v", err)
	}
	if err := s.SetTemplate(NoticeShipped, Indonesian, NoticeTemplate{Subject: "Pesanan {order", Body: "x"}); err == nil {
		t.Fatal("an unclosed brace was accepted")
	}
	if err := s.SetTemplate(NoticeShipped, English, NoticeTemplate{Subject: "Order {order} is out", Body: "Track {tracking_id} at {tracking_link}"}); err != nil {
		t.Fatal(err)
	}
	if err := (Policy{Currency: IDR, Notices: s}).Validate(); err != nil {
		t.Fatalf("valid settings refused: %v", err)
	}
	bad := NoticeSettings{Templates: map[string]NoticeTemplate{"shipped.id": {Subject: "x", Body: "{nope}"}}}
	if err := (Policy{Currency: IDR, Notices: bad}).Validate(); err == nil || !strings.Contains(err.Error(), "{nope}") {
		t.Fatalf("policy with an unknown placeholder: %v", err)
	}
}

func TestNoticeTextFillsTheOrderIn(t *testing.T) {
	o := &Order{Number: "WEB-1001", Currency: IDR, Total: 125000, Buyer: Buyer{Name: "Rina"},
		Shipment: Shipment{Courier: "J&T Express", TrackingID: "JT 77"}, PageToken: "tok_abcdefghijklmnopqrstuvwxyz"}
	s := NoticeSettings{PageURL: "https://cloud.example.id/"}
	id := s.NoticeText(o, NoticeShipped, "Toko Rina")
	if !strings.Contains(id.Subject, "WEB-1001") || !strings.Contains(id.Body, "Nomor resi: JT 77") ||
		!strings.Contains(id.Body, "https://jet.co.id/track?awb=JT+77") || !strings.Contains(id.Body, "https://cloud.example.id/o/tok_abcdefghijklmnopqrstuvwxyz") {
		t.Fatalf("Indonesian notice: %+v", id)
	}
	o.Buyer.Lang = English
	en := s.NoticeText(o, NoticeShipped, "Toko Rina")
	if !strings.Contains(en.Body, "Tracking number: JT 77") || strings.Contains(en.Body, "{") {
		t.Fatalf("English notice: %+v", en)
	}
	s.Switch(NoticeShipped, false)
	if s.On(NoticeShipped) || !s.On(NoticeDelivered) {
		t.Fatal("switching off")
	}
	if got := s.TrackingLink("Kurir Kampung", "AB1"); got != "https://cekresi.com/?noresi=AB1" {
		t.Fatalf("unknown courier link %q", got)
	}
}

func TestBuyerEmailIsCheckedWhenEntered(t *testing.T) {
	tx := newMemTx()
	o := sampleOrder(ChannelManual)
	o.Buyer.Email = "rina at example"
	_, err := Execute(tx, DefaultPolicy(), Command{Action: ActionPlace, Args: Args{Order: o}}, owner, t0)
	if ErrorCode(err) != EInvalid || !strings.Contains(err.Error(), "mail") {
		t.Fatalf("bad address: %v", err)
	}
	if MaskEmail("andi@example.id") != "a***@example.id" {
		t.Fatal(MaskEmail("andi@example.id"))
	}
}

func TestWhatsAppLink(t *testing.T) {
	for in, want := range map[string]string{"0812-3456-7890": "+6281234567890", "+62 812 3456 7890": "+6281234567890",
		"62812345678": "+62812345678", "812345678": "+62812345678", "0060 12 345 6789": "+60123456789"} {
		if got, err := WhatsAppNumber(in); err != nil || got != want {
			t.Errorf("%q → %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "12", "0812x"} {
		if _, err := WhatsAppNumber(bad); err == nil {
			t.Errorf("%q was taken for a phone number", bad)
		}
	}
	o := &Order{Number: "WA-7", Status: StatusInDelivery, Currency: IDR, Version: 4, Buyer: Buyer{Name: "Sari", Phone: "0812 1111 2222"},
		Shipment: Shipment{Courier: "JNE", TrackingID: "JNE77"}}
	ev, ok := CurrentNotice(o)
	if !ok || ev != NoticeShipped {
		t.Fatalf("current notice %v %v", ev, ok)
	}
	link, err := NoticeSettings{}.WhatsAppLink(o, ev, "Toko Sari")
	if err != nil || !strings.HasPrefix(link, "https://wa.me/6281211112222?text=") || !strings.Contains(link, "JNE77") {
		t.Fatalf("link %q %v", link, err)
	}
	n := WhatsAppOpened(o, ev)
	if n.Key != "shipped@4" || n.To != "+62…2222" || n.Validate() != nil {
		t.Fatalf("record %+v", n)
	}
	if got := n.Words(Actor{Staff: "Kasir"}).In(English); got != "WhatsApp opened by Kasir (order shipped)" {
		t.Fatalf("history says %q", got)
	}
}
