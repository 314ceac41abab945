package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// RequestProofWindow is how far a signed request's time may be from the
// cloud's clock: a captured request is useless after it.
const RequestProofWindow = 5 * time.Minute

func requestMAC(key []byte, binding, staff string, at time.Time, path string, body []byte) []byte {
	sum := sha256.Sum256(body)
	m := hmac.New(sha256.New, key)
	for _, part := range []string{"kasir request v1", binding, staff, at.UTC().Format(time.RFC3339Nano), path, hex.EncodeToString(sum[:])} {
		m.Write([]byte(part))
		m.Write([]byte{0})
	}
	return m.Sum(nil)
}

// SignRequest proves that a signed-in member asked the cloud something
// that is not a change of the log (an account of the shop, a
// reconciliation): an HMAC under the member's key of the terminal binding,
// the member, the time, the path and the body.
func SignRequest(key []byte, binding, staff string, at time.Time, path string, body []byte) string {
	return hex.EncodeToString(requestMAC(key, binding, staff, at, path, body))
}

// CheckRequest verifies a SignRequest proof made with key, within
// RequestProofWindow of now. Errors: EForbidden.
func CheckRequest(key []byte, binding, staff string, at, now time.Time, path string, body []byte, sig string) error {
	got, err := hex.DecodeString(sig)
	if err != nil || len(key) == 0 || !hmac.Equal(got, requestMAC(key, binding, staff, at, path, body)) {
		return Errorf(EForbidden, "the request is not signed by %s at this terminal", staff)
	}
	if d := now.Sub(at); d > RequestProofWindow || d < -RequestProofWindow {
		return Errorf(EForbidden, "the request was signed at %s, too far from the cloud's clock; check the tablet's time", at.UTC().Format(time.RFC3339))
	}
	return nil
}
