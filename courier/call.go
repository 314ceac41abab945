package courier

import (
	"context"
	"errors"
	"fmt"
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
			return &Error{Provider: c.Provider, Status: un.Status, Unreachable: true, Message: http.StatusText(un.Status)}
		}
		return &Error{Provider: c.Provider, Unreachable: true, Err: un.Err}
	case errors.As(err, &ref) && ref.Status < 300:
		return &Error{Provider: c.Provider, Status: ref.Status, Unreachable: true, Err: fmt.Errorf("unreadable answer: %s", ref.Message)}
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
