package app

import (
	"strconv"
	"strings"
	"time"
)

// NoticeEvent is something that happened to an order that its buyer is told about.
type NoticeEvent string

// The events a buyer hears about, spelled as the CLI and the settings take them.
const (
	NoticeReceived        NoticeEvent = "received"
	NoticeConfirmed       NoticeEvent = "confirmed"
	NoticePaymentDenied   NoticeEvent = "payment_denied"
	NoticePaymentAccepted NoticeEvent = "payment_accepted"
	NoticeShipped         NoticeEvent = "shipped"
	NoticeDelivered       NoticeEvent = "delivered"
	NoticeCancelled       NoticeEvent = "cancelled"
	NoticeRefunded        NoticeEvent = "refunded"
)

// NoticeEvents lists every event in the order an order lives through them.
var NoticeEvents = []NoticeEvent{NoticeReceived, NoticeConfirmed, NoticePaymentDenied, NoticePaymentAccepted, NoticeShipped,
	NoticeDelivered, NoticeCancelled, NoticeRefunded}

var noticeEventLabels = map[NoticeEvent]string{
	NoticeReceived: "order received", NoticeConfirmed: "order confirmed", NoticePaymentDenied: "payment receipt denied",
	NoticePaymentAccepted: "payment accepted", NoticeShipped: "order shipped", NoticeDelivered: "order delivered",
	NoticeCancelled: "order cancelled", NoticeRefunded: "refund made",
}

// Label is the event as staff read it.
func (e NoticeEvent) Label() string {
	if l, ok := noticeEventLabels[e]; ok {
		return l
	}
	return string(e)
}

// ParseNoticeEvent accepts an event name. Errors: EInvalid naming the event.
func ParseNoticeEvent(s string) (NoticeEvent, error) {
	e := NoticeEvent(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := noticeEventLabels[e]; ok {
		return e, nil
	}
	names := make([]string, len(NoticeEvents))
	for i, n := range NoticeEvents {
		names[i] = string(n)
	}
	return "", FieldError("event", "%q is not a notice event (use %s)", s, strings.Join(names, ", "))
}

// NotifiesBuyer reports whether the shop itself tells this order's buyer:
// its own web store, manual (WhatsApp and social) orders, and in-store sales
// that are delivered. Marketplaces tell their own buyers, and WooCommerce
// e-mails the notes its connector writes.
func NotifiesBuyer(o *Order) bool {
	switch o.Channel {
	case ChannelStore, ChannelManual:
		return true
	case ChannelInStore:
		return o.Shipment.Method != "" || o.Shipment.TrackingID != ""
	}
	return false
}

// DueNotice is a notice one change calls for: the event and the order
// version of the history entry that caused it, which together name the
// notice, so the same change followed twice asks for the same notice.
type DueNotice struct {
	Event   NoticeEvent `json:"event"`
	Version int64       `json:"version"`
}

// Key names the notice on its order.
func (d DueNotice) Key() string { return string(d.Event) + "@" + strconv.FormatInt(d.Version, 10) }

// NoticesDue is which notices a change of an order calls for, from the order
// after the change and the history entries it added. It is a pure function
// of the change, so following a change again gives the same notices.
func NoticesDue(o *Order, events []Event) []DueNotice {
	if o == nil || !NotifiesBuyer(o) {
		return nil
	}
	var out []DueNotice
	for _, e := range events {
		if ev, ok := noticeFor(o, e); ok {
			out = append(out, DueNotice{Event: ev, Version: e.Version})
		}
	}
	return out
}

// noticeFor maps one history entry to the event it tells the buyer, if any.
func noticeFor(o *Order, e Event) (NoticeEvent, bool) {
	switch e.Action {
	case ActionAccept, ActionCreatePackage:
		if e.From == StatusNew && e.To == StatusReadyToShip {
			return NoticeConfirmed, true
		}
	case ActionPlace:
		// An order of the shop's own that needs no acceptance is confirmed as
		// it is placed; one that waits for the shop (or for its payment to be
		// checked) is acknowledged at once, as STOREBERRY's buyers expect.
		if e.To == StatusReadyToShip {
			return NoticeConfirmed, true
		}
		if (e.To == StatusNew || e.To == StatusPaymentReview) && (o.Channel == ChannelStore || o.Channel == ChannelManual) {
			return NoticeReceived, true
		}
	case ActionDenyPayment:
		return NoticePaymentDenied, true
	case ActionAcceptPayment:
		return NoticePaymentAccepted, true
	case ActionShip, ActionPickedUp:
		if e.To == StatusInDelivery && e.From != StatusInDelivery {
			return NoticeShipped, true
		}
	case ActionDeliver:
		return NoticeDelivered, true
	case ActionRefundSale:
		return NoticeRefunded, true
	case ActionResolve:
		if c := o.Complaint; c != nil && (c.Resolution == ResolveRefund || c.Resolution == ResolveReturn) {
			return NoticeRefunded, true
		}
	}
	if e.To == StatusCancelled && e.From != StatusCancelled && e.From != "" && e.Action != ActionVoidSale {
		return NoticeCancelled, true
	}
	if e.Action == ActionChannelUpdate && e.From != e.To {
		switch e.To {
		case StatusInDelivery:
			return NoticeShipped, true
		case StatusDelivered:
			return NoticeDelivered, true
		}
	}
	return "", false
}

// NoticeVia is how a notice reaches the buyer.
type NoticeVia string

// Ways to reach a buyer.
const (
	ViaEmail    NoticeVia = "email"
	ViaWhatsApp NoticeVia = "whatsapp"
	// ViaNone is the record of a buyer who left no way to reach them.
	ViaNone NoticeVia = "none"
)

// NoticeState is where one notice stands.
type NoticeState string

// Notice states. Sending is written before the message leaves and replaced
// by the result after, so a notice found still sending was interrupted.
const (
	NoticeSending   NoticeState = "sending"
	NoticeSent      NoticeState = "sent"
	NoticeRetrying  NoticeState = "retrying"
	NoticeFailed    NoticeState = "failed"
	NoticeUncertain NoticeState = "uncertain"
	NoticeNoContact NoticeState = "no_contact"
	NoticeByHand    NoticeState = "by_hand"
	NoticeOpened    NoticeState = "opened"
	NoticeOff       NoticeState = "off"
)

// Notice is one notice to the buyer and where it stands; the order keeps
// them, so the order and its history say what reached the buyer.
type Notice struct {
	Key   string      `json:"key"`
	Event NoticeEvent `json:"event"`
	Via   NoticeVia   `json:"via"`
	State NoticeState `json:"state"`
	// To is the address or number, masked as staff and logs see it.
	To string `json:"to,omitempty"`
	// Reply is the server's answer ("250 OK") or the error.
	Reply    string    `json:"reply,omitempty"`
	Attempts int       `json:"attempts,omitempty"`
	FirstAt  time.Time `json:"first_at,omitzero"`
	At       time.Time `json:"at,omitzero"`
	// By is who recorded it: a staff member who opened WhatsApp, or the cloud.
	By string `json:"by,omitempty"`
}

// NoticeFor returns the order's record of the notice key sent via, or nil.
func (o *Order) NoticeFor(key string, via NoticeVia) *Notice {
	for i := range o.Notices {
		if o.Notices[i].Key == key && o.Notices[i].Via == via {
			return &o.Notices[i]
		}
	}
	return nil
}

// maxNotices bounds the records one order keeps; the oldest go first.
const maxNotices = 64

// Validate checks a notice record before it is written on an order.
func (n Notice) Validate() error {
	if _, err := ParseNoticeEvent(string(n.Event)); err != nil {
		return err
	}
	switch n.Via {
	case ViaEmail, ViaWhatsApp, ViaNone:
	default:
		return FieldError("notice.via", "must be email, whatsapp or none, not %q", string(n.Via))
	}
	switch n.State {
	case NoticeSending, NoticeSent, NoticeRetrying, NoticeFailed, NoticeUncertain, NoticeNoContact, NoticeByHand, NoticeOpened, NoticeOff:
	default:
		return FieldError("notice.state", "%q is not a notice state", string(n.State))
	}
	if err := checkKey("notice.key", n.Key, MaxIDLen); err != nil {
		return err
	}
	if err := checkLine("notice.to", n.To, MaxEmailLen); err != nil {
		return err
	}
	return checkText("notice.reply", n.Reply, MaxReasonLen)
}

// recordNotice writes where a notice stands on the order and says in the
// history exactly what happened: a message is "sent" only once a server took it.
func recordNotice(c *change) (Status, error) {
	n := c.cmd.Args.Notice
	if n == nil {
		return "", FieldError("args.notice", "is required")
	}
	if err := n.Validate(); err != nil {
		return "", err
	}
	c.kind = KindNote
	rec := *n
	rec.At, rec.By = c.now, c.actor.Staff
	if cur := c.order.NoticeFor(rec.Key, rec.Via); cur != nil {
		if rec.FirstAt.IsZero() {
			rec.FirstAt = cur.FirstAt
		}
		*cur = rec
	} else {
		if rec.FirstAt.IsZero() {
			rec.FirstAt = c.now
		}
		c.order.Notices = append(c.order.Notices, rec)
		if len(c.order.Notices) > maxNotices {
			c.order.Notices = c.order.Notices[len(c.order.Notices)-maxNotices:]
		}
	}
	c.note = rec.Words(c.actor)
	return c.from, nil
}

// Words is what the history says of a notice record.
func (n Notice) Words(by Actor) Message {
	ev := Word(n.Event.Label())
	switch {
	case n.Via == ViaEmail && n.State == NoticeSending:
		return Text("sending e-mail to %s (%s)", n.To, ev)
	case n.Via == ViaEmail && n.State == NoticeSent:
		return Text("e-mail sent to %s (%s): %s", n.To, n.Reply, ev)
	case n.Via == ViaEmail && n.State == NoticeRetrying:
		return Text("e-mail failed: %s, retrying (%s)", n.Reply, ev)
	case n.Via == ViaEmail && n.State == NoticeFailed:
		return Text("e-mail failed: %s; not sent (%s)", n.Reply, ev)
	case n.Via == ViaEmail && n.State == NoticeUncertain:
		return Text("e-mail to %s may not have been sent: the cloud stopped while sending; not sent again (%s)", n.To, ev)
	case n.Via == ViaWhatsApp && n.State == NoticeSending:
		return Text("sending WhatsApp to %s (%s)", n.To, ev)
	case n.Via == ViaWhatsApp && n.State == NoticeSent:
		return Text("WhatsApp sent to %s (%s): %s", n.To, n.Reply, ev)
	case n.Via == ViaWhatsApp && n.State == NoticeRetrying:
		return Text("WhatsApp failed: %s, retrying (%s)", n.Reply, ev)
	case n.Via == ViaWhatsApp && n.State == NoticeFailed:
		return Text("WhatsApp failed: %s; not sent (%s)", n.Reply, ev)
	case n.Via == ViaWhatsApp && n.State == NoticeUncertain:
		return Text("WhatsApp to %s may not have been sent: the cloud stopped while sending; not sent again (%s)", n.To, ev)
	case n.State == NoticeNoContact:
		return Text("no contact to notify (%s)", ev)
	case n.State == NoticeByHand:
		return Text("no e-mail address: send it on WhatsApp from the order (%s)", ev)
	case n.State == NoticeOff:
		return Text("not sent: the shop switched this notice off (%s)", ev)
	case n.Via == ViaWhatsApp && n.State == NoticeOpened:
		who := by.Staff
		if n.By != "" {
			who = n.By
		}
		return Text("WhatsApp opened by %s (%s)", who, ev)
	}
	return Text("notice %s via %s: %s (%s)", string(n.State), string(n.Via), n.Reply, ev)
}

// MaxPageTokenLen bounds an order page token (it names the shop and the order).
const MaxPageTokenLen = 300

// issuePage gives the order a new public page token; the old link stops working.
func issuePage(c *change) (Status, error) {
	tok := strings.TrimSpace(c.cmd.Args.PageToken)
	if err := ValidatePageToken(tok); err != nil {
		return "", err
	}
	c.kind = KindNote
	if c.order.PageToken == "" {
		c.note = Text("Order page link issued")
	} else {
		c.note = Text("Order page link replaced; the old link no longer works")
	}
	c.order.PageToken = tok
	return c.from, nil
}

// MaskEmail shows an address as a***@example.id: enough for staff to
// recognise it, not enough to copy it from a screen or a log.
func MaskEmail(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 {
		return "***"
	}
	r := []rune(addr[:at])
	return string(r[0]) + "***" + addr[at:]
}
