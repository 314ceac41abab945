package cloud

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
)

// Secrets are a shop's webhook keys by name: one per channel, plus the app
// keys Lazada and TikTok Shop mix into their signatures.
type Secrets map[string]string

// Secret names, as printed by `pos-cloud shop add --json`.
const (
	SecretWooCommerce = "woocommerce"
	SecretStore       = "store"
	SecretShopee      = "shopee"
	SecretTokopedia   = "tokopedia"
	SecretLazada      = "lazada"
	SecretLazadaKey   = "lazada_app_key"
	SecretTikTok      = "tiktok"
	SecretTikTokKey   = "tiktok_app_key"
	SecretLogistics   = "logistics"
)

// secretNames lists every secret a new shop gets.
var secretNames = []string{
	SecretWooCommerce, SecretStore, SecretShopee, SecretTokopedia, SecretLazada,
	SecretLazadaKey, SecretTikTok, SecretTikTokKey, SecretLogistics,
}

// SecretNames lists every secret a new shop gets, in the order `shop add` prints them.
func SecretNames() []string { return slices.Clone(secretNames) }

// NewSecrets mints a fresh secret for every channel; app keys are shorter
// and look like the numeric-ish keys the marketplaces issue.
func NewSecrets() Secrets {
	s := Secrets{}
	for _, n := range secretNames {
		if strings.HasSuffix(n, "_app_key") {
			s[n] = randomHex(8)
			continue
		}
		s[n] = randomHex(32)
	}
	return s
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newID mints a short random id with a readable prefix.
func newID(prefix string) string { return prefix + "_" + randomHex(8) }

// NewToken mints a terminal pairing token; only its hash is ever stored.
func NewToken() string { return "pos_" + base64.RawURLEncoding.EncodeToString(randomBytes(32)) }

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// HashToken is the hex SHA-256 under which a token is stored and looked up.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func hmacSHA256(key string, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, []byte(key))
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// SignBase64 is WooCommerce's (and our web store's) signature: base64(HMAC-SHA256(secret, body)).
func SignBase64(secret string, body []byte) string {
	return base64.StdEncoding.EncodeToString(hmacSHA256(secret, body))
}

// SignHex is the marketplaces' signature: hex HMAC-SHA256(secret, parts…).
func SignHex(secret string, parts ...[]byte) string {
	return hex.EncodeToString(hmacSHA256(secret, parts...))
}

// equalSig compares signatures in constant time; an empty secret never matches.
func equalSig(secret, got, want string) bool {
	if secret == "" || got == "" {
		return false
	}
	return hmac.Equal([]byte(strings.TrimSpace(got)), []byte(want))
}
