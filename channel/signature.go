package channel

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// SignHex is hex(HMAC-SHA256(secret, body)), lower case.
func SignHex(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// SignBase64 is base64(HMAC-SHA256(secret, body)), as WooCommerce signs.
func SignBase64(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// EqualHex compares a received hex signature with the expected one in
// constant time; platforms send hex in either case, so case is not compared.
// An empty secret or signature never matches.
func EqualHex(secret, got, want string) bool {
	if secret == "" || got == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(strings.ToLower(strings.TrimSpace(got))), []byte(strings.ToLower(want))) == 1
}

// Equal compares a received signature byte for byte in constant time (base64 is case-sensitive).
func Equal(secret, got, want string) bool {
	if secret == "" || got == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(want)) == 1
}
