package app

import (
	"net/url"
	"strings"
)

// WhatsAppNumber writes a buyer's phone in international form (+628…), as
// wa.me needs it: an Indonesian 08… number gains 62, 00 becomes +, and
// spaces, dashes, dots and brackets go. Errors: EInvalid naming buyer.phone.
func WhatsAppNumber(phone string) (string, error) {
	s := strings.TrimSpace(phone)
	plus := strings.HasPrefix(s, "+")
	var d strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			d.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || (r == '+' && d.Len() == 0):
		default:
			return "", FieldError("buyer.phone", "%q is not a phone number", phone)
		}
	}
	n := d.String()
	switch {
	case plus:
	case strings.HasPrefix(n, "00"):
		n = n[2:]
	case strings.HasPrefix(n, "62"):
	case strings.HasPrefix(n, "0"):
		n = "62" + n[1:]
	case strings.HasPrefix(n, "8"):
		n = "62" + n
	}
	if len(n) < 9 || len(n) > 15 || n[0] == '0' {
		return "", FieldError("buyer.phone", "%q is not a phone number", phone)
	}
	return "+" + n, nil
}

// MaskPhone shows a number as +62…7890 in the history.
func MaskPhone(intl string) string {
	if len(intl) <= 7 {
		return "***"
	}
	return intl[:3] + "…" + intl[len(intl)-4:]
}

// CurrentNotice is the notice that fits the order as it is now, the one
// staff send by hand; false when its status calls for none.
func CurrentNotice(o *Order) (NoticeEvent, bool) {
	switch o.Status {
	case StatusPaymentReview:
		if o.PaymentReceipt != nil && o.PaymentReceipt.Message != "" {
			return NoticePaymentDenied, true
		}
		return NoticeReceived, true
	case StatusNew:
		return NoticeReceived, true
	case StatusReadyToShip:
		return NoticeConfirmed, true
	case StatusInDelivery:
		return NoticeShipped, true
	case StatusDelivered, StatusCompleted:
		if len(o.Refunds) > 0 || o.PaymentStatus == PaymentRefunded {
			return NoticeRefunded, true
		}
		return NoticeDelivered, true
	case StatusCancelled:
		return NoticeCancelled, true
	case StatusReturned, StatusRefunded:
		return NoticeRefunded, true
	}
	return "", false
}

// WhatsAppLink is the wa.me link that opens WhatsApp with the buyer's
// number and the notice's text filled in. Errors: EInvalid naming buyer.phone.
func (s NoticeSettings) WhatsAppLink(o *Order, ev NoticeEvent, shop string) (string, error) {
	n, err := WhatsAppNumber(o.Buyer.Phone)
	if err != nil {
		return "", err
	}
	t := s.NoticeText(o, ev, shop)
	return "https://wa.me/" + strings.TrimPrefix(n, "+") + "?text=" + url.QueryEscape(t.Body), nil
}

// WhatsAppOpened is the record that staff opened WhatsApp with the notice
// ev: it completes the notice the cloud left to be sent by hand, if any.
func WhatsAppOpened(o *Order, ev NoticeEvent) Notice {
	key := string(ev) + "@" + itoa(int(o.Version))
	for i := len(o.Notices) - 1; i >= 0; i-- {
		if o.Notices[i].Event == ev {
			key = o.Notices[i].Key
			break
		}
	}
	to := "***"
	if n, err := WhatsAppNumber(o.Buyer.Phone); err == nil {
		to = MaskPhone(n)
	}
	return Notice{Key: key, Event: ev, Via: ViaWhatsApp, State: NoticeOpened, To: to}
}
