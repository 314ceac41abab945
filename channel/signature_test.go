package channel

import (
	"strings"
	"testing"
)

func TestSignatureHexEitherCase(t *testing.T) {
	sig := SignHex("k", []byte("body"))
	if !EqualHex("k", strings.ToUpper(sig), sig) || !EqualHex("k", sig, sig) {
		t.Fatal("hex in either case must match")
	}
	if EqualHex("k", sig[:10], sig) || EqualHex("", sig, sig) || EqualHex("k", "", sig) {
		t.Fatal("a short, empty or secretless signature must not match")
	}
	b := SignBase64("k", []byte("body"))
	if !Equal("k", b, b) || Equal("k", strings.ToLower(b), b) {
		t.Fatal("base64 is compared byte for byte")
	}
}
