package cloud

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"

	"github.com/kasir/pos/app"
)

// mailAccount is a shop's SMTP account as docs/accounts.md names its fields.
type mailAccount struct {
	host               string
	port               int
	tls                string
	username, password string
	from               string
}

// mailAccountOf reads the fields app.ParseAccount already checked.
func mailAccountOf(f map[string]string) (mailAccount, error) {
	port, err := strconv.Atoi(f["port"])
	if err != nil {
		return mailAccount{}, fmt.Errorf("smtp account: port %q", f["port"])
	}
	return mailAccount{host: f["host"], port: port, tls: f["tls"], username: f["username"], password: f["password"], from: f["from"]}, nil
}

// noticeMail is one message to a buyer: the subject and the plain text,
// its HTML twin, and the Message-ID that names the notice, so a receiver
// that keeps Message-IDs sees any duplicate for what it is.
type noticeMail struct {
	Subject, Text, HTML, MessageID string
}

// noticeMessage renders the notice in the buyer's language.
func noticeMessage(ns app.NoticeSettings, o *app.Order, d app.DueNotice, shop *Shop) noticeMail {
	t := ns.NoticeText(o, d.Event, shop.Name)
	return noticeMail{Subject: t.Subject, Text: t.Body, HTML: noticeHTML(t.Body),
		MessageID: strings.NewReplacer(":", "-", "@", "-", "/", "-").Replace(d.Key()+"."+o.ID) + "@" + shop.ID + ".kasir"}
}

var linkPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// noticeHTML is the plain text as a small HTML page: escaped, lines kept, links live.
func noticeHTML(text string) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><body style="font-family:sans-serif;font-size:15px;line-height:1.5;color:#222">`)
	for _, para := range strings.Split(text, "\n\n") {
		esc := html.EscapeString(para)
		esc = linkPattern.ReplaceAllStringFunc(esc, func(u string) string {
			return `<a href="` + u + `">` + u + `</a>`
		})
		b.WriteString("<p>" + strings.ReplaceAll(esc, "\n", "<br>") + "</p>")
	}
	b.WriteString("</body></html>")
	return b.String()
}

// mailTimeout bounds one delivery, connect to the server's last reply.
const mailTimeout = 30 * time.Second

// sendMail hands one message to the shop's SMTP server and returns the
// server's reply to the message ("250 2.0.0 Ok: queued as …").
func sendMail(ctx context.Context, acc mailAccount, to string, msg noticeMail) (string, error) {
	m := mail.NewMsg()
	if err := m.From(acc.from); err != nil {
		return "", err
	}
	if err := m.To(to); err != nil {
		return "", err
	}
	m.Subject(msg.Subject)
	m.SetMessageIDWithValue(msg.MessageID)
	m.SetDate()
	m.SetBodyString(mail.TypeTextPlain, msg.Text)
	m.AddAlternativeString(mail.TypeTextHTML, msg.HTML)
	opts := []mail.Option{mail.WithPort(acc.port), mail.WithTimeout(mailTimeout)}
	switch acc.tls {
	case "tls":
		opts = append(opts, mail.WithSSL())
	case "starttls":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	}
	if acc.username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(acc.username), mail.WithPassword(acc.password))
	}
	c, err := mail.NewClient(acc.host, opts...)
	if err != nil {
		return "", err
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		return "", err
	}
	return "250 " + m.ServerResponse(), nil
}

var replyPattern = regexp.MustCompile(`\b([45]\d\d)[ -]"?(?:[45]\.\d{1,3}\.\d{1,3} )?([^,]*)`)

// smtpReply says why a send failed in the words staff read in the history:
// the server's text and code ("mailbox unavailable (550)"), or that the
// server could not be reached.
func smtpReply(err error) string {
	var se *mail.SendError
	if errors.As(err, &se) && se.ErrorCode() > 0 {
		if m := replyPattern.FindStringSubmatch(se.Error()); m != nil {
			return strings.Trim(strings.TrimSpace(m[2]), `"`) + " (" + m[1] + ")"
		}
		return fmt.Sprintf("the mail server refused it (%d)", se.ErrorCode())
	}
	var ne net.Error
	var op *net.OpError
	if errors.As(err, &op) || (errors.As(err, &ne) && ne.Timeout()) {
		return "cannot reach the mail server: " + err.Error()
	}
	s := err.Error()
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}
