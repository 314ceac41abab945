package app

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
)

// SaleTokenPrefix starts the page token a counter sale is rung up with.
// The cloud's own tokens name their shop and order ("shop.order.random");
// a sale's token is made on the tablet, offline too, before the cloud knows
// the sale, so it is only 128 random bits and the cloud finds the sale by an
// index of these tokens.
const SaleTokenPrefix = "s-"

// NewSaleToken makes the page token a sale carries from the moment it is
// rung up, so its receipt's QR code links to the sale's page at once.
func NewSaleToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return SaleTokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// IsSaleToken reports whether tok is a counter sale's token (not the cloud's).
func IsSaleToken(tok string) bool {
	return strings.HasPrefix(tok, SaleTokenPrefix) && !strings.Contains(tok, ".")
}

// ValidatePageToken refuses a page token that is too short to be
// unguessable, too long, or holds characters a URL path would escape.
func ValidatePageToken(tok string) error {
	if len(tok) < 20 || len(tok) > MaxPageTokenLen || strings.Trim(tok, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != "" {
		return FieldError("args.page_token", "must be 20 to %d letters, digits, -, _ or .", MaxPageTokenLen)
	}
	return nil
}
