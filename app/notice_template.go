package app

import (
	"sort"
	"strings"
)

// NoticeTemplate is what a buyer reads for one event in one language. Both
// parts hold placeholders in braces ({order}) that Render fills in.
type NoticeTemplate struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// NoticePlaceholders are every placeholder a template may use, with what it stands for.
var NoticePlaceholders = map[string]string{
	"buyer":         "the buyer's name",
	"order":         "the order number",
	"shop":          "the shop's name",
	"contact":       "the shop's contact for buyers",
	"total":         "the order total",
	"items":         "the items, one a line",
	"courier":       "the courier",
	"tracking_id":   "the courier's tracking ID",
	"tracking_link": "the courier's tracking page",
	"reason":        "why the order was cancelled",
	"message":       "the shop's message about the payment receipt",
	"refund":        "the amount refunded",
	"link":          "the order's own page",
}

// maxTemplateLen bounds a template; a notice is a short message.
const maxTemplateLen = 2000

// placeholders lists the names in braces in s, in order, and whether every brace closes.
func placeholders(s string) ([]string, bool) {
	var out []string
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return out, !strings.Contains(s, "}")
		}
		if strings.Contains(s[:i], "}") {
			return out, false
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return out, false
		}
		out = append(out, s[i+1:i+j])
		s = s[i+j+1:]
	}
}

// Validate refuses a template with an unknown placeholder, naming it, or an
// empty or overlong part. field names the template ("template shipped.id").
func (t NoticeTemplate) Validate(field string) error {
	if strings.TrimSpace(t.Subject) == "" {
		return FieldError(field+" subject", "is required")
	}
	if strings.TrimSpace(t.Body) == "" {
		return FieldError(field+" body", "is required")
	}
	for part, s := range map[string]string{"subject": t.Subject, "body": t.Body} {
		if len(s) > maxTemplateLen {
			return FieldError(field+" "+part, "is longer than %d characters", maxTemplateLen)
		}
		names, closed := placeholders(s)
		for _, n := range names {
			if _, ok := NoticePlaceholders[n]; !ok {
				return FieldError(field+" "+part, "has the unknown placeholder {%s} (known: %s)", n, placeholderList())
			}
		}
		if !closed {
			return FieldError(field+" "+part, "has a brace that does not close a placeholder")
		}
	}
	if strings.ContainsAny(t.Subject, "\r\n") {
		return FieldError(field+" subject", "must be one line")
	}
	return nil
}

func placeholderList() string {
	names := make([]string, 0, len(NoticePlaceholders))
	for n := range NoticePlaceholders {
		names = append(names, "{"+n+"}")
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}

// Render fills in the placeholders; values holds each placeholder's text.
func (t NoticeTemplate) Render(values map[string]string) NoticeTemplate {
	return NoticeTemplate{Subject: fill(t.Subject, values), Body: fill(t.Body, values)}
}

func fill(s string, values map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		j := strings.IndexByte(s, '}')
		if i < 0 || j < i {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(values[s[i+1:j]])
		s = s[j+1:]
	}
}

// defaultTemplates are what a shop starts with, in Indonesian and English.
var defaultTemplates = map[Lang]map[NoticeEvent]NoticeTemplate{
	Indonesian: {
		NoticeReceived:  {"Pesanan {order} sudah kami terima", "Halo {buyer},\n\nTerima kasih, pesanan {order} sudah kami terima. Kami akan segera mengonfirmasinya.\nTotal: {total}\n\n{items}\n\nLihat pesanan: {link}\n\n{shop} · {contact}"},
		NoticeConfirmed: {"Pesanan {order} dikonfirmasi", "Halo {buyer},\n\nPesanan {order} sudah kami terima dan sedang kami siapkan.\nTotal: {total}\n\n{items}\n\nLihat pesanan: {link}\n\nTerima kasih,\n{shop}"},
		NoticePaymentDenied: {"Bukti bayar pesanan {order} belum bisa diterima",
			"Halo {buyer},\n\nBukti pembayaran untuk pesanan {order} belum bisa kami terima:\n{message}\n\nSilakan kirim ulang bukti pembayaran. Lihat pesanan: {link}\n\n{shop} · {contact}"},
		NoticePaymentAccepted: {"Pembayaran pesanan {order} diterima", "Halo {buyer},\n\nPembayaran {total} untuk pesanan {order} sudah kami terima. Pesanan segera kami siapkan.\n\nLihat pesanan: {link}\n\n{shop}"},
		NoticeShipped: {"Pesanan {order} sudah dikirim",
			"Halo {buyer},\n\nPesanan {order} sudah dikirim dengan {courier}.\nNomor resi: {tracking_id}\nLacak paket: {tracking_link}\n\nLihat pesanan: {link}\n\n{shop}"},
		NoticeDelivered: {"Pesanan {order} sudah sampai", "Halo {buyer},\n\nPesanan {order} sudah diterima. Terima kasih sudah berbelanja di {shop}!\n\nLihat pesanan: {link}"},
		NoticeCancelled: {"Pesanan {order} dibatalkan", "Halo {buyer},\n\nPesanan {order} dibatalkan.\nAlasan: {reason}\n\nAda pertanyaan? Hubungi {contact}.\n\n{shop}"},
		NoticeRefunded:  {"Pengembalian dana pesanan {order}", "Halo {buyer},\n\nKami sudah mengembalikan dana {refund} untuk pesanan {order}.\n\nLihat pesanan: {link}\n\n{shop}"},
	},
	English: {
		NoticeReceived:  {"We received your order {order}", "Hi {buyer},\n\nThank you, we received your order {order} and will confirm it shortly.\nTotal: {total}\n\n{items}\n\nSee your order: {link}\n\n{shop} · {contact}"},
		NoticeConfirmed: {"Order {order} confirmed", "Hi {buyer},\n\nWe have your order {order} and are preparing it.\nTotal: {total}\n\n{items}\n\nSee your order: {link}\n\nThank you,\n{shop}"},
		NoticePaymentDenied: {"Payment receipt for order {order} not accepted",
			"Hi {buyer},\n\nWe could not accept the payment receipt for order {order}:\n{message}\n\nPlease send the receipt again. See your order: {link}\n\n{shop} · {contact}"},
		NoticePaymentAccepted: {"Payment for order {order} received", "Hi {buyer},\n\nWe received your payment of {total} for order {order} and will prepare it now.\n\nSee your order: {link}\n\n{shop}"},
		NoticeShipped: {"Order {order} has shipped",
			"Hi {buyer},\n\nYour order {order} is on its way with {courier}.\nTracking number: {tracking_id}\nTrack it: {tracking_link}\n\nSee your order: {link}\n\n{shop}"},
		NoticeDelivered: {"Order {order} delivered", "Hi {buyer},\n\nYour order {order} was delivered. Thank you for shopping at {shop}!\n\nSee your order: {link}"},
		NoticeCancelled: {"Order {order} cancelled", "Hi {buyer},\n\nYour order {order} was cancelled.\nReason: {reason}\n\nQuestions? Contact {contact}.\n\n{shop}"},
		NoticeRefunded:  {"Refund for order {order}", "Hi {buyer},\n\nWe refunded {refund} for your order {order}.\n\nSee your order: {link}\n\n{shop}"},
	},
}

// DefaultNoticeTemplate is the template a shop starts with for an event and language.
func DefaultNoticeTemplate(ev NoticeEvent, lang Lang) NoticeTemplate {
	if t, ok := defaultTemplates[lang][ev]; ok {
		return t
	}
	return defaultTemplates[Indonesian][ev]
}
