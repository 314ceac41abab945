package app

import (
	"net/url"
	"strings"
)

// pairingScheme starts the text of a pairing QR code, so a tablet's scanner
// tells it apart from a product's barcode or an order's page.
const pairingScheme = "kasir-pair:"

// Pairing is what a tablet needs to follow a shop's cloud: the cloud's
// address and the terminal's token, shown once by the owner.
type Pairing struct {
	CloudURL string
	Token    string
}

// Text is the pairing as a QR code carries it: kasir-pair:?cloud=URL&token=T.
func (p Pairing) Text() string {
	return pairingScheme + "?" + url.Values{"cloud": {p.CloudURL}, "token": {p.Token}}.Encode()
}

// ParsePairing reads a scanned pairing code. Errors: EInvalid naming the part that is wrong.
func ParsePairing(s string) (Pairing, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), pairingScheme+"?")
	if !ok {
		return Pairing{}, FieldError("pairing code", "is not a Kasir pairing code")
	}
	q, err := url.ParseQuery(rest)
	if err != nil {
		return Pairing{}, FieldError("pairing code", "is not a Kasir pairing code")
	}
	p := Pairing{CloudURL: q.Get("cloud"), Token: q.Get("token")}
	if u, err := url.Parse(p.CloudURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Pairing{}, FieldError("cloud", "is not an http or https address")
	}
	if p.Token == "" || len(p.Token) > 200 {
		return Pairing{}, FieldError("token", "is required")
	}
	return p, nil
}
