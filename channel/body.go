package channel

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/kasir/pos/app"
)

// DecodeJSON decodes a platform's body into v; a body that does not fit is
// an app.FieldError naming the offending field.
func DecodeJSON(body []byte, v any) error {
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "body"
		}
		return app.FieldError(field, "must be %s, got JSON %s", te.Type.String(), te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return app.FieldError("body", "malformed JSON at byte %d: %s", se.Offset, se.Error())
	}
	return app.FieldError("body", "%s", err.Error())
}

// RequestURL is the URL the sender signed (Shopee signs url|body); a proxy
// in front of the cloud must pass X-Forwarded-Proto and keep the Host header.
func RequestURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	return scheme + "://" + r.Host + r.URL.RequestURI()
}

// ParseUnix turns seconds (or milliseconds) since the epoch into a time;
// zero or less is no time at all.
func ParseUnix(n int64) time.Time {
	if n <= 0 {
		return time.Time{}
	}
	if n > 1e12 {
		return time.UnixMilli(n).UTC()
	}
	return time.Unix(n, 0).UTC()
}

// JoinName joins name parts, skipping blanks.
func JoinName(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

// FirstNonEmpty is the first value that is not blank, since platforms fill
// the buyer's phone or name in one of several places.
func FirstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// Quote is s as a JSON string, for messages that name a value the platform sent.
func Quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
