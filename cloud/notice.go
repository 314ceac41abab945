package cloud

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/kasir/pos/app"
)

// Notices is the follower that tells a shop's own buyers what happened to
// their orders, by e-mail through the shop's SMTP account. It reads the
// change log, so a terminal that is off loses nothing.
//
// The follower is at least once, so a notice is made at most once by its
// record on the order, written through the same apply-and-log path as any
// change: "sending" is written before the message leaves and "sent" or
// "retrying" after. A notice found still "sending" was interrupted by a
// crash; it may or may not have reached the server, so it is recorded as
// uncertain and never sent again.
type Notices struct {
	srv *Server
	// send delivers one message; tests and benchmarks keep the real one.
	send func(ctx context.Context, acc mailAccount, to string, msg noticeMail) (string, error)
	// sent remembers sends whose "sent" record could not be written, so a
	// retry records them as sent instead of uncertain.
	sent sync.Map
}

// NoticesName is the notices follower's cursor name.
const NoticesName = "notices"

// noticeRetryFor is how long a notice the mail server refuses or cannot
// take is retried before it shows as failed.
const noticeRetryFor = 24 * time.Hour

// noticeMaxBackoff caps the wait between attempts, so a server that is back
// is used within the hour.
const noticeMaxBackoff = time.Hour

// noticeActor is who the history names for what the notices follower records.
var noticeActor = app.Actor{Staff: "notices", Role: app.RoleSystem}

// NewNotices makes the notices follower; the server it is given to in
// Options.Followers attaches itself.
func NewNotices() *Notices { return &Notices{send: sendMail} }

// Name is the follower's cursor.
func (n *Notices) Name() string { return NoticesName }

func (n *Notices) attach(s *Server) { n.srv = s }

// Backoff retries a notice for a day, doubling from 200 ms to an hour; the
// notice itself records "failed" once the day is over, so it is never parked.
func (n *Notices) Backoff(attempts int) (time.Duration, bool) {
	d := followFirstRetry
	for i := 1; i < attempts && d < noticeMaxBackoff; i++ {
		d *= 2
	}
	return min(d, noticeMaxBackoff), false
}

// Follow sends the notices one change calls for. An error retries the
// change later; the records on the order keep what was already done.
func (n *Notices) Follow(ctx context.Context, e LogEntry) error {
	if n.srv == nil {
		return errors.New("notices: not attached to a server")
	}
	ch, err := e.Change()
	if err != nil {
		return Unprocessable(err)
	}
	if ch.Order == nil || !app.NotifiesBuyer(ch.Order) {
		return nil
	}
	due := app.NoticesDue(ch.Order, ch.Events)
	placed := false
	for _, ev := range ch.Events {
		placed = placed || ev.Action == app.ActionPlace
	}
	if len(due) == 0 && !(placed && ch.Order.PageToken == "") {
		return nil
	}
	shop, err := n.srv.store.Shop(e.Shop)
	if err != nil {
		return err
	}
	var (
		o   *app.Order
		pol app.Policy
	)
	err = n.srv.store.View(e.Shop, func(tx ShopTx) error {
		var err error
		if o, err = tx.Order(e.Order); err != nil {
			return err
		}
		pol, err = shopPolicy(tx, shop)
		return err
	})
	if app.ErrorCode(err) == app.ENotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if o.PageToken == "" {
		if o, err = n.issuePage(shop.ID, o.ID); err != nil {
			return err
		}
	}
	for _, d := range due {
		if o, err = n.tell(ctx, shop, pol, o, d); err != nil {
			return err
		}
	}
	return nil
}

// NewPageToken mints an order page token that names its shop and order, so
// the page finds the order without an index, and carries 128 random bits,
// so it cannot be guessed; replacing it revokes the old link.
func NewPageToken(shop, order string) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(shop)) + "." + enc.EncodeToString([]byte(order)) + "." + enc.EncodeToString(b[:])
}

// IssuePage gives an order a new page token, revoking any old link. Errors: ENotFound.
func (s *Server) IssuePage(shop, order string) (*app.Order, error) {
	res, err := s.Execute(shop, app.Command{Action: app.ActionIssuePage, OrderID: order,
		Args: app.Args{PageToken: NewPageToken(shop, order)}}, noticeActor, s.now())
	if app.ErrorCode(err) == app.EInvalid {
		return nil, Unprocessable(err)
	}
	if err != nil {
		return nil, err
	}
	return res.Order, nil
}

func (n *Notices) issuePage(shop, order string) (*app.Order, error) {
	return n.srv.IssuePage(shop, order)
}

// record writes where a notice stands on the order and returns the order after.
func (n *Notices) record(shop string, o *app.Order, rec app.Notice) (*app.Order, error) {
	res, err := n.srv.Execute(shop, app.Command{Action: app.ActionRecordNotice, OrderID: o.ID, Args: app.Args{Notice: &rec}}, noticeActor, n.srv.now())
	if app.ErrorCode(err) == app.EInvalid {
		return o, Unprocessable(err)
	}
	if err != nil {
		return o, err
	}
	return res.Order, nil
}

// tell makes one notice happen at most once on each way the shop reaches
// the buyer: e-mail when the buyer gave an address, and WhatsApp when the
// shop connected the WhatsApp Business Cloud API and named an approved
// template for the event. A buyer the shop cannot reach is recorded so.
func (n *Notices) tell(ctx context.Context, shop *Shop, pol app.Policy, o *app.Order, d app.DueNotice) (*app.Order, error) {
	key := d.Key()
	base := app.Notice{Key: key, Event: d.Event}
	if !pol.Notices.On(d.Event) {
		if o.NoticeFor(key, app.ViaNone) != nil {
			return o, nil
		}
		base.Via, base.State = app.ViaNone, app.NoticeOff
		return n.record(shop.ID, o, base)
	}
	email := strings.TrimSpace(o.Buyer.Email)
	if app.ValidBuyerEmail(email) != nil {
		email = "" // a web store's typo: no server could deliver it
	}
	phone, phoneErr := app.WhatsAppNumber(o.Buyer.Phone)
	wa, waErr := n.whatsAppAccount(shop.ID)
	byAPI := phoneErr == nil && waErr == nil && pol.Notices.WhatsAppTemplates[d.Event] != ""
	if email == "" && !byAPI {
		base.Via, base.State = app.ViaNone, app.NoticeNoContact
		if phoneErr == nil {
			base.Via, base.State = app.ViaWhatsApp, app.NoticeByHand
		}
		if o.NoticeFor(key, base.Via) != nil {
			return o, nil
		}
		return n.record(shop.ID, o, base)
	}
	var failed error
	if acc, accErr := n.smtpAccount(shop.ID); email != "" && accErr != nil {
		// Nothing can be sent until the shop sets its account: say so once, without a send.
		if o.NoticeFor(key, app.ViaEmail) == nil {
			rec := base
			rec.Via, rec.To, rec.State, rec.Reply = app.ViaEmail, app.MaskEmail(email), app.NoticeFailed, accErr.Error()
			var err error
			if o, err = n.record(shop.ID, o, rec); err != nil {
				return o, err
			}
		}
	} else if email != "" {
		var err error
		o, err = n.deliver(shop.ID, o, d, app.ViaEmail, app.MaskEmail(email), func(o *app.Order) (string, error) {
			return n.send(ctx, acc, email, noticeMessage(pol.Notices, o, d, shop))
		})
		if err != nil {
			failed = err
		}
	}
	if byAPI {
		var err error
		o, err = n.deliver(shop.ID, o, d, app.ViaWhatsApp, app.MaskPhone(phone), func(o *app.Order) (string, error) {
			return sendWhatsApp(ctx, wa, phone, pol.Notices, o, d, shop.Name)
		})
		if err != nil && failed == nil {
			failed = err
		}
	}
	return o, failed
}

// deliver runs one notice on one way of reaching the buyer through its
// record: nothing when it was already sent or given up, "uncertain" when
// an earlier send was interrupted, else "sending", the send, and its result.
func (n *Notices) deliver(shop string, o *app.Order, d app.DueNotice, via app.NoticeVia, to string,
	send func(*app.Order) (string, error)) (*app.Order, error) {
	key := d.Key()
	base := app.Notice{Key: key, Event: d.Event, Via: via, To: to}
	sentKey := shop + "\x00" + o.ID + "\x00" + key + "\x00" + string(via)
	if rec := o.NoticeFor(key, via); rec != nil {
		switch rec.State {
		case app.NoticeSending:
			base.Attempts, base.FirstAt = rec.Attempts, rec.FirstAt
			if reply, ok := n.sent.Load(sentKey); ok {
				base.State, base.Reply = app.NoticeSent, reply.(string)
			} else {
				base.State = app.NoticeUncertain
			}
			o, err := n.record(shop, o, base)
			if err == nil {
				n.sent.Delete(sentKey)
			}
			return o, err
		case app.NoticeRetrying:
			if n.srv.now().Sub(rec.FirstAt) >= noticeRetryFor {
				base.State, base.Reply, base.Attempts, base.FirstAt = app.NoticeFailed, rec.Reply, rec.Attempts, rec.FirstAt
				return n.record(shop, o, base)
			}
			base.Attempts, base.FirstAt = rec.Attempts, rec.FirstAt
		case app.NoticeByHand:
			// The cloud left it to staff before the shop could send it; it goes out now.
		default:
			return o, nil
		}
	}
	base.Attempts++
	base.State = app.NoticeSending
	o, err := n.record(shop, o, base)
	if err != nil {
		return o, err
	}
	reply, sendErr := send(o)
	if sendErr == nil {
		n.sent.Store(sentKey, reply)
		base.State, base.Reply = app.NoticeSent, reply
		o, err = n.record(shop, o, base)
		if err == nil {
			n.sent.Delete(sentKey)
		}
		return o, err
	}
	base.State = app.NoticeRetrying
	if via == app.ViaEmail {
		base.Reply = smtpReply(sendErr)
	} else {
		base.Reply = whatsAppReply(sendErr)
	}
	if o, err = n.record(shop, o, base); err != nil {
		return o, err
	}
	return o, fmt.Errorf("%s %s of order %s: %w", via, d.Event, o.Number, sendErr)
}

// whatsAppAccount opens the shop's WhatsApp Business Cloud API account.
func (n *Notices) whatsAppAccount(shop string) (whatsAppAccount, error) {
	if n.srv.accounts == nil {
		return whatsAppAccount{}, errors.New("no accounts")
	}
	list, err := n.srv.accounts.List(shop)
	if err != nil {
		return whatsAppAccount{}, err
	}
	for _, a := range list {
		if a.Kind == app.AccountWhatsApp {
			return whatsAppAccount{token: a.Fields["token"], phoneNumberID: a.Fields["phone_number_id"], apiBase: a.Fields["api_base"]}, nil
		}
	}
	return whatsAppAccount{}, errors.New("the shop has no whatsapp account")
}

// smtpAccount opens the shop's SMTP account.
func (n *Notices) smtpAccount(shop string) (mailAccount, error) {
	if n.srv.accounts == nil {
		return mailAccount{}, errors.New("this cloud keeps no accounts (no secrets key)")
	}
	list, err := n.srv.accounts.List(shop)
	if err != nil {
		return mailAccount{}, err
	}
	for _, a := range list {
		if a.Kind == app.AccountSMTP {
			return mailAccountOf(a.Fields)
		}
	}
	return mailAccount{}, errors.New("the shop has no smtp account (pos-cloud account set --kind smtp)")
}
