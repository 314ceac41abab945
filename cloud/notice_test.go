package cloud

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	smtp "github.com/emersion/go-smtp"

	"github.com/kasir/pos/app"
)

// mailbox is a real SMTP server on loopback (emersion/go-smtp) that
// requires AUTH PLAIN with one user and password, as a shop's provider
// does, and keeps every message it accepted.
type mailbox struct {
	user, pass string
	addr       string

	mu   sync.Mutex
	msgs []received
	srv  *smtp.Server
	// arrived, when set, hears of every message as it is accepted.
	arrived chan received
}

// received is one message as the server took it.
type received struct {
	From, To string
	Data     []byte
}

func newMailbox(t testing.TB) *mailbox {
	t.Helper()
	mb := &mailbox{user: "toko@example.id", pass: "app-password-1"}
	mb.start(t, "127.0.0.1:0")
	return mb
}

// start serves on addr; a mailbox stopped before can start again on its old address.
func (mb *mailbox) start(t testing.TB, addr string) {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailSession{mb: mb}, nil }))
	srv.Domain = "mail.example.id"
	srv.AllowInsecureAuth = true // loopback without TLS, as the account's tls "none" says
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	mb.mu.Lock()
	mb.srv, mb.addr = srv, l.Addr().String()
	mb.mu.Unlock()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
}

func (mb *mailbox) stop() {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	_ = mb.srv.Close()
}

func (mb *mailbox) port() string { _, p, _ := net.SplitHostPort(mb.addr); return p }

func (mb *mailbox) messages() []received {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return append([]received(nil), mb.msgs...)
}

type mailSession struct {
	mb     *mailbox
	authed bool
	from   string
	to     []string
}

func (s *mailSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *mailSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != s.mb.user || pass != s.mb.pass {
			return errors.New("invalid credentials")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasPrefix(to, "nobody@") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.mb.mu.Lock()
	for _, to := range s.to {
		s.mb.msgs = append(s.mb.msgs, received{From: s.from, To: to, Data: b})
		if s.mb.arrived != nil {
			s.mb.arrived <- received{From: s.from, To: to}
		}
	}
	s.mb.mu.Unlock()
	return nil
}

func (s *mailSession) Reset()        { s.from, s.to = "", nil }
func (s *mailSession) Logout() error { return nil }

// noticeCloud is a cloud over dir with the notices follower running and
// the shop's SMTP account pointing at mb. stop ends it like a shutdown.
type noticeCloud struct {
	srv  *Server
	st   Backend
	dir  string
	stop func()
}

var noticeKey = bytes.Repeat([]byte{7}, 32)

func startNoticeCloud(t testing.TB, dir string) *noticeCloud {
	t.Helper()
	st, err := OpenBolt(dir)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := OpenAccounts(st, noticeKey)
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer(st, Options{Logger: quiet(), Followers: []Follower{NewNotices()}, Accounts: acc})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.follow.run(ctx) }()
	var once sync.Once
	nc := &noticeCloud{srv: s, st: st, dir: dir}
	nc.stop = func() { once.Do(func() { cancel(); <-done; st.Close() }) }
	t.Cleanup(nc.stop)
	return nc
}

// noticeShop adds a shop whose SMTP account is mb, with the order page at pageURL.
func noticeShop(t testing.TB, nc *noticeCloud, mb *mailbox) *Shop {
	t.Helper()
	shop, err := AddShop(nc.st, "Toko Rina", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cred := fmt.Sprintf(`{"host":"127.0.0.1","port":%s,"tls":"none","username":%q,"password":%q,"from":"toko@example.id"}`, mb.port(), mb.user, mb.pass)
	if _, err := nc.srv.accounts.Set(shop.ID, app.AccountSMTP, []byte(cred), time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := nc.srv.SetNotices(shop.ID, func(ns *app.NoticeSettings) error {
		ns.PageURL, ns.Contact = "https://cloud.example.id", "WA 0812-1111-2222"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return shop
}

// placeStoreOrder places a web-store order waiting for acceptance.
func placeStoreOrder(t testing.TB, s *Server, shop, email string) *app.Order {
	t.Helper()
	o := &app.Order{Channel: app.ChannelStore, Status: app.StatusNew, Number: "WEB-" + fmt.Sprint(time.Now().UnixNano()%1e6), Currency: app.IDR,
		Buyer: app.Buyer{Name: "Rina", Email: email, Phone: "081234567890", Address: app.Address{Street: "Jl. Melati 3", City: "Bandung"}},
		Lines: []app.Line{{SKU: "KAOS-1", Name: "Kaos Polos", Qty: 2, UnitPrice: 50000}}}
	res, err := s.Execute(shop, app.Command{Action: app.ActionPlace, Args: app.Args{Order: o}}, cloudOwner, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return res.Order
}

func step(t testing.TB, s *Server, shop string, cmd app.Command) {
	t.Helper()
	if _, err := s.Execute(shop, cmd, cloudOwner, time.Now()); err != nil {
		t.Fatalf("%s: %v", cmd.Action, err)
	}
}

// waitMessages waits until mb holds n messages, then a while longer, so a
// duplicate would have time to arrive.
func waitMessages(t testing.TB, mb *mailbox, n int) []received {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for len(mb.messages()) < n && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(400 * time.Millisecond)
	got := mb.messages()
	if len(got) != n {
		for _, m := range got {
			t.Logf("message to %s: %s", m.To, subjectOf(t, m))
		}
		t.Fatalf("%d messages arrived, want %d", len(got), n)
	}
	return got
}

func subjectOf(t testing.TB, m received) string {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatal(err)
	}
	s, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// parts reads the message's plain-text and HTML parts.
func parts(t testing.TB, m received) (text, html string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q (%v), want multipart/alternative", msg.Header.Get("Content-Type"), err)
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p) // multipart decodes quoted-printable itself
		switch ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct {
		case "text/plain":
			text = string(b)
		case "text/html":
			html = string(b)
		}
	}
	if text == "" || html == "" {
		t.Fatalf("missing a part: text %q html %q", text, html)
	}
	return text, html
}

// history is the order's history in English.
func history(t testing.TB, st Backend, shop, id string) string {
	t.Helper()
	o, err := st.OrderByRef(shop, id)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range o.History {
		b.WriteString(e.NoteIn(app.English) + "\n")
	}
	return b.String()
}

// TestNoticesSendEachOnceAcrossRestarts takes a web-store order new →
// accepted → shipped → delivered → completed with the cloud restarted
// between events, against a real SMTP server that checks AUTH: exactly the
// expected messages arrive, each once, in Indonesian, with the tracking ID
// and link, and the history says what the server answered.
func TestNoticesSendEachOnceAcrossRestarts(t *testing.T) {
	mb := newMailbox(t)
	dir := t.TempDir()
	nc := startNoticeCloud(t, dir)
	shop := noticeShop(t, nc, mb)
	o := placeStoreOrder(t, nc.srv, shop.ID, "rina@example.id")
	waitMessages(t, mb, 1)

	nc.stop()
	nc = startNoticeCloud(t, dir)
	step(t, nc.srv, shop.ID, app.Command{Action: app.ActionAccept, OrderID: o.ID})
	waitMessages(t, mb, 2)

	nc.stop()
	nc = startNoticeCloud(t, dir)
	step(t, nc.srv, shop.ID, app.Command{Action: app.ActionShip, OrderID: o.ID, Args: app.Args{Courier: "J&T", TrackingID: "JT0042424242"}})
	waitMessages(t, mb, 3)

	nc.stop()
	nc = startNoticeCloud(t, dir)
	step(t, nc.srv, shop.ID, app.Command{Action: app.ActionDeliver, OrderID: o.ID})
	step(t, nc.srv, shop.ID, app.Command{Action: app.ActionComplete, OrderID: o.ID})
	got := waitMessages(t, mb, 4)

	want := []string{"Pesanan " + o.Number + " sudah kami terima", "Pesanan " + o.Number + " dikonfirmasi",
		"Pesanan " + o.Number + " sudah dikirim", "Pesanan " + o.Number + " sudah sampai"}
	for i, m := range got {
		if m.To != "rina@example.id" || m.From != "toko@example.id" {
			t.Errorf("message %d from %s to %s", i, m.From, m.To)
		}
		if s := subjectOf(t, m); s != want[i] {
			t.Errorf("message %d subject %q, want %q", i, s, want[i])
		}
	}
	text, html := parts(t, got[2])
	for _, w := range []string{"Nomor resi: JT0042424242", "https://jet.co.id/track?awb=JT0042424242", "https://cloud.example.id/o/"} {
		if !strings.Contains(text, w) || !strings.Contains(html, w) {
			t.Errorf("the shipped notice lacks %q:\n%s\n%s", w, text, html)
		}
	}
	h := history(t, nc.st, shop.ID, o.ID)
	if n := strings.Count(h, "e-mail sent to r***@example.id (250 "); n != 4 {
		t.Errorf("history has %d sent lines, want 4:\n%s", n, h)
	}
	if strings.Contains(h, "rina@example.id") {
		t.Errorf("the history shows the whole address:\n%s", h)
	}
}

// TestNoticeRetriesAServerThatIsDown starts with the SMTP server down: the
// history says the e-mail failed and is retried, and once the server is up
// exactly one message arrives.
func TestNoticeRetriesAServerThatIsDown(t *testing.T) {
	mb := newMailbox(t)
	nc := startNoticeCloud(t, t.TempDir())
	shop := noticeShop(t, nc, mb)
	addr := mb.addr
	mb.stop()
	o := placeStoreOrder(t, nc.srv, shop.ID, "budi@example.id")
	step(t, nc.srv, shop.ID, app.Command{Action: app.ActionAccept, OrderID: o.ID})
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(history(t, nc.st, shop.ID, o.ID), "retrying") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	h := history(t, nc.st, shop.ID, o.ID)
	if !strings.Contains(h, "e-mail failed: cannot reach the mail server") || !strings.Contains(h, "retrying") {
		t.Fatalf("history while the server is down:\n%s", h)
	}
	mb.start(t, addr)
	waitMessages(t, mb, 2) // received and confirmed, each once
	deadline = time.Now().Add(5 * time.Second)
	for !strings.Contains(history(t, nc.st, shop.ID, o.ID), "e-mail sent to b***@example.id") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if h := history(t, nc.st, shop.ID, o.ID); !strings.Contains(h, "e-mail sent to b***@example.id (250 ") {
		t.Fatalf("history after the server came back:\n%s", h)
	}
}

// TestNoticeRefusedAndUncertain: a mailbox the server refuses reads as the
// server's words and code, and a notice found still "sending" (the cloud
// stopped mid-send) is recorded as uncertain and not sent again.
func TestNoticeRefusedAndUncertain(t *testing.T) {
	mb := newMailbox(t)
	nc := startNoticeCloud(t, t.TempDir())
	shop := noticeShop(t, nc, mb)
	o := placeStoreOrder(t, nc.srv, shop.ID, "nobody@example.id")
	step(t, nc.srv, shop.ID, app.Command{Action: app.ActionAccept, OrderID: o.ID})
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(history(t, nc.st, shop.ID, o.ID), "retrying") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if h := history(t, nc.st, shop.ID, o.ID); !strings.Contains(h, "e-mail failed: mailbox unavailable (550), retrying") {
		t.Fatalf("history of a refused mailbox:\n%s", h)
	}

	// A crash between the "sending" record and the result, made by writing
	// the record the follower writes before a send.
	o2 := placeStoreOrder(t, nc.srv, shop.ID, "sari@example.id")
	toSari := func() (n int) {
		for _, m := range mb.messages() {
			if m.To == "sari@example.id" {
				n++
			}
		}
		return n
	}
	deadline = time.Now().Add(10 * time.Second)
	for toSari() < 1 && time.Now().Before(deadline) { // the received notice
		time.Sleep(20 * time.Millisecond)
	}
	nc.stop()
	nc = startNoticeCloudWithout(t, nc)
	res, err := nc.srv.Execute(shop.ID, app.Command{Action: app.ActionAccept, OrderID: o2.ID}, cloudOwner, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	key := app.DueNotice{Event: app.NoticeConfirmed, Version: res.Order.Version}.Key()
	step(t, nc.srv, shop.ID, app.Command{Action: app.ActionRecordNotice, OrderID: o2.ID, Args: app.Args{Notice: &app.Notice{
		Key: key, Event: app.NoticeConfirmed, Via: app.ViaEmail, State: app.NoticeSending, To: "s***@example.id", Attempts: 1}}})
	dir := nc.dir
	nc.stop()
	nc2 := startNoticeCloud(t, dir)
	deadline = time.Now().Add(10 * time.Second)
	for !strings.Contains(history(t, nc2.st, shop.ID, o2.ID), "may not have been sent") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if h := history(t, nc2.st, shop.ID, o2.ID); !strings.Contains(h, "e-mail to s***@example.id may not have been sent") {
		t.Fatalf("history after a crash mid-send:\n%s", h)
	}
	if n := toSari(); n != 1 {
		t.Fatalf("%d messages to the buyer, want only the received notice: the one interrupted mid-send was sent again", n)
	}
}

// TestNoticeWithoutContact: a buyer with no e-mail and no phone gets
// nothing, and the order says so; an event the shop switched off is not sent.
func TestNoticeWithoutContact(t *testing.T) {
	mb := newMailbox(t)
	nc := startNoticeCloud(t, t.TempDir())
	shop := noticeShop(t, nc, mb)
	o := &app.Order{Channel: app.ChannelManual, Status: app.StatusNew, Currency: app.IDR, Buyer: app.Buyer{Name: "Tanpa Kontak"},
		Lines: []app.Line{{SKU: "KAOS-1", Name: "Kaos", Qty: 1, UnitPrice: 50000}}}
	res, err := nc.srv.Execute(shop.ID, app.Command{Action: app.ActionPlace, Args: app.Args{Order: o}}, cloudOwner, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	step(t, nc.srv, shop.ID, app.Command{Action: app.ActionAccept, OrderID: res.Order.ID})
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(history(t, nc.st, shop.ID, res.Order.ID), "no contact to notify (order confirmed)") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if h := history(t, nc.st, shop.ID, res.Order.ID); !strings.Contains(h, "no contact to notify (order confirmed)") {
		t.Fatalf("history of a buyer without contact:\n%s", h)
	}
	if n := len(mb.messages()); n != 0 {
		t.Fatalf("%d messages sent to nobody", n)
	}
}

// startNoticeCloudWithout reopens the cloud's directory with no notices
// follower, so a test can write what a crashed follower left behind.
func startNoticeCloudWithout(t testing.TB, old *noticeCloud) *noticeCloud {
	t.Helper()
	st, err := OpenBolt(old.dir)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := OpenAccounts(st, noticeKey)
	if err != nil {
		t.Fatal(err)
	}
	nc := &noticeCloud{srv: NewServer(st, Options{Logger: quiet(), Accounts: acc}), st: st, dir: old.dir}
	var once sync.Once
	nc.stop = func() { once.Do(func() { st.Close() }) }
	t.Cleanup(nc.stop)
	return nc
}

// TestNoticeWithoutSMTPAccount: a shop that set no e-mail account gets one
// line saying so on the order, and no "sending" claim.
func TestNoticeWithoutSMTPAccount(t *testing.T) {
	nc := startNoticeCloud(t, t.TempDir())
	shop, err := AddShop(nc.st, "Toko Baru", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	o := placeStoreOrder(t, nc.srv, shop.ID, "rina@example.id")
	step(t, nc.srv, shop.ID, app.Command{Action: app.ActionAccept, OrderID: o.ID})
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(history(t, nc.st, shop.ID, o.ID), "not sent (order confirmed)") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	h := history(t, nc.st, shop.ID, o.ID)
	if strings.Count(h, "e-mail failed: the shop has no smtp account") != 2 || strings.Count(h, "(order received)") != 1 ||
		strings.Count(h, "(order confirmed)") != 1 || strings.Contains(h, "sending e-mail") {
		t.Fatalf("history:\n%s", h)
	}
}
