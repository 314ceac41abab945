package courier

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/kasir/pos/outbound"
)

// Timeout bounds one call to a provider; a provider that takes longer is unreachable.
const Timeout = 15 * time.Second

// Call is one JSON request to a provider, made by outbound (which the
// platform adapters share) and answered in courier.Error's terms.
type Call struct {
	Provider string
	Client   *http.Client
	Method   string
	URL      string
	Header   http.Header
	// Body is sent as JSON when not nil.
	Body any
	// Refusal reads the provider's error body into its code and message.
	Refusal func(status int, body []byte) (code, message string)
}

// Do sends the call once, through outbound, and decodes a 2xx answer into
// out. A 5xx, a 429, a timeout, a broken connection or an unreadable answer
// is an Unreachable *Error, which the couriers follower retries; a 4xx is a
// refusal carrying the provider's code and message.
func (c Call) Do(ctx context.Context, out any) error {
	req := outbound.Request{Platform: c.Provider, Method: c.Method, URL: c.URL, Body: c.Body, Reason: c.Refusal}
	if len(c.Header) > 0 {
		req.Auth = func(_ context.Context, r *http.Request) error {
			for k, v := range c.Header {
				r.Header[k] = v
			}
			return nil
		}
	}
	err := (&outbound.Caller{HTTP: c.Client, Timeout: Timeout, Attempts: 1}).Do(ctx, req, out)
	var (
		un  *outbound.Unavailable
		ref *outbound.Refusal
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &un):
		if un.Status != 0 {
			return &Error{Provider: c.Provider, Status: un.Status, Unreachable: true, Message: http.StatusText(un.Status), Sent: sentWith(un.Status)}
		}
		return &Error{Provider: c.Provider, Unreachable: true, Err: un.Err, Sent: !neverLeft(un.Err)}
	case errors.As(err, &ref) && ref.Status < 300:
		return &Error{Provider: c.Provider, Status: ref.Status, Unreachable: true, Sent: true, Err: fmt.Errorf("unreadable answer: %s", ref.Message)}
	case errors.As(err, &ref):
		code := ref.Code
		if code == "" {
			code = fmt.Sprint(ref.Status)
		}
		if ref.Status == http.StatusNotFound && code == "404" {
			return fmt.Errorf("%s: %w", c.Provider, ErrNotFound)
		}
		return &Error{Provider: c.Provider, Status: ref.Status, Code: code, Message: ref.Message}
	}
	return err
}

// sentWith reports whether an answer with this status may come from a
// provider that acted on the request: 429 and 503 say it was not taken
// (RFC 9110 §15.6.4, RFC 6585 §4); a 500, 502 or 504 says nothing of what
// happened behind it.
func sentWith(status int) bool {
	return status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable
}

// neverLeft reports whether a transport error happened before the request
// could reach the provider: no address, or no connection was made.
func neverLeft(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &dns) || (errors.As(err, &op) && op.Op == "dial")
}
