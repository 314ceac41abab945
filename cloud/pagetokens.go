package cloud

import (
	"encoding/base64"
	"strings"

	"github.com/kasir/pos/app"
)

// PageTokenIndex finds the sale a counter-made page token belongs to: such
// a token is made on the tablet and names neither shop nor order, so both
// backends keep token → shop and order, written in the order's transaction.
type PageTokenIndex interface {
	// SaleByPageToken is the shop and order of a sale's token, "" when none.
	SaleByPageToken(token string) (shop, order string, err error)
}

// PageTokenParts reads the shop and order a token made by NewPageToken
// names; the token itself is then compared with the order's.
func PageTokenParts(tok string) (shop, order string, ok bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 || len(tok) > app.MaxPageTokenLen {
		return "", "", false
	}
	s, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	o, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	if err1 != nil || err2 != nil || len(s) == 0 || len(o) == 0 {
		return "", "", false
	}
	return string(s), string(o), true
}
