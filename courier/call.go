package courier

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Timeout bounds one call to a provider; a provider that takes longer is unreachable.
const Timeout = 15 * time.Second

// Call is one JSON request to a provider.
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

// Do sends the call and decodes a 2xx answer into out. A 5xx, a timeout
// or a broken connection is an Unreachable *Error; a 4xx is a refusal
// carrying the provider's code and message.
func (c Call) Do(ctx context.Context, out any) error {
	var body io.Reader
	if c.Body != nil {
		b, err := json.Marshal(c.Body)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, c.Method, c.URL, body)
	if err != nil {
		return err
	}
	for k, v := range c.Header {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "application/json")
	if c.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := c.Client
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return &Error{Provider: c.Provider, Unreachable: true, Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return &Error{Provider: c.Provider, Status: resp.StatusCode, Unreachable: true, Err: err}
	}
	if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
		return &Error{Provider: c.Provider, Status: resp.StatusCode, Unreachable: true, Message: http.StatusText(resp.StatusCode)}
	}
	if resp.StatusCode >= 300 {
		code, msg := fmt.Sprint(resp.StatusCode), http.StatusText(resp.StatusCode)
		if c.Refusal != nil {
			if cd, m := c.Refusal(resp.StatusCode, raw); m != "" {
				code, msg = cd, m
			}
		}
		if resp.StatusCode == http.StatusNotFound && code == "404" {
			return fmt.Errorf("%s: %w", c.Provider, ErrNotFound)
		}
		return &Error{Provider: c.Provider, Status: resp.StatusCode, Code: code, Message: msg}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return &Error{Provider: c.Provider, Status: resp.StatusCode, Unreachable: true, Err: fmt.Errorf("unreadable answer: %w", err)}
	}
	return nil
}
