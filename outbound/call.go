// Package outbound calls the outside world's HTTP APIs in their own JSON
// shapes: marketplaces and web stores (channel/) and courier aggregators
// (courier/) both stand on it, so there is one place that decides what a
// timeout, a 429, a 5xx and a refusal mean.
package outbound

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Caller makes outbound calls to a platform: JSON over HTTP, each attempt
// bounded by a timeout, 429 waited out as Retry-After says, 5xx and
// timeouts retried with jittered backoff. What it cannot finish in its
// attempts comes back as *Unavailable, for the follower to try later; what
// the platform refuses comes back as *Refusal at once.
type Caller struct {
	HTTP *http.Client
	// Timeout bounds one attempt.
	Timeout time.Duration
	// Attempts is how many times one call is tried before it is Unavailable.
	Attempts int
	// FirstRetry is the first backoff; it doubles per attempt up to MaxWait,
	// which also caps a Retry-After.
	FirstRetry, MaxWait time.Duration
}

// NewCaller has the defaults the connectors use: 10 s per attempt, 4
// attempts, backoff from 200 ms to 5 s.
func NewCaller() *Caller {
	return &Caller{HTTP: &http.Client{}, Timeout: 10 * time.Second, Attempts: 4, FirstRetry: 200 * time.Millisecond, MaxWait: 5 * time.Second}
}

// Request is one call in the platform's own shape.
type Request struct {
	// Platform names the platform in errors ("Tokopedia").
	Platform string
	Method   string
	URL      string
	// Body is sent as JSON when not nil.
	Body any
	// Auth sets the credentials on each attempt (a token may be renewed between attempts).
	Auth func(ctx context.Context, r *http.Request) error
	// Expired reports whether an answer says the token expired; Renew then
	// fetches a new one and the call is made again, once.
	Expired func(status int, body []byte) bool
	Renew   func(ctx context.Context) error
	// Message reads the platform's own words out of a refusal's body.
	Message func(body []byte) string
	// Reason, when set, reads the platform's own code and words out of a
	// refusal (Message is then not asked); an empty message leaves the HTTP
	// status text and no code.
	Reason func(status int, body []byte) (code, message string)
}

// BodyMax is how much of a platform's answer an error keeps.
const BodyMax = 512

// Refusal is an answer the platform will give again however often it is
// asked: the call is refused, in the platform's words.
type Refusal struct {
	Platform string
	Status   int
	// Code is the platform's own error code, when Request.Reason read one.
	Code string
	// Message is the platform's own explanation, or the HTTP status text.
	Message string
	// Body is the raw answer, truncated to BodyMax.
	Body string
}

func (r *Refusal) Error() string {
	return fmt.Sprintf("%s refused (HTTP %d): %s", r.Platform, r.Status, r.Message)
}

// Unavailable is a call that did not get through in its attempts: the
// platform was down, slow or asked to wait. Trying later may succeed.
type Unavailable struct {
	Platform string
	Err      error
	// Status is the last HTTP status answered (0 when none came).
	Status int
	// RetryAfter is the wait the platform last asked for, if it did.
	RetryAfter time.Duration
}

func (u *Unavailable) Error() string { return fmt.Sprintf("%s unavailable: %v", u.Platform, u.Err) }
func (u *Unavailable) Unwrap() error { return u.Err }

// IsRefusal tells a lasting refusal from a passing failure.
func IsRefusal(err error) (*Refusal, bool) {
	var r *Refusal
	ok := errors.As(err, &r)
	return r, ok
}

// Truncate keeps at most BodyMax bytes of b, on a rune boundary.
func Truncate(b []byte) string {
	if len(b) <= BodyMax {
		return string(b)
	}
	cut := BodyMax
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return string(b[:cut]) + "…"
}

// Do makes the call and decodes a 2xx answer into out (when not nil); an
// out of type *[]byte receives the answer's bytes as they are.
func (c *Caller) Do(ctx context.Context, req Request, out any) error {
	var payload []byte
	if req.Body != nil {
		var err error
		if payload, err = json.Marshal(req.Body); err != nil {
			return fmt.Errorf("%s %s: encoding the body: %w", req.Method, req.URL, err)
		}
	}
	attempts := max(c.Attempts, 1)
	renewed := false
	var last error
	var lastWait time.Duration
	lastStatus := 0
	for n := 0; n < attempts; n++ {
		status, body, hdr, err := c.once(ctx, req, payload)
		lastStatus = status
		wait := time.Duration(0)
		switch {
		case err != nil:
			if r, ok := IsRefusal(err); ok {
				return r // the credentials were refused while fetching a token
			}
			if ctx.Err() != nil {
				return &Unavailable{Platform: req.Platform, Err: ctx.Err()}
			}
			last = err
		case status >= 200 && status < 300:
			if raw, ok := out.(*[]byte); ok {
				// A document (a platform's airway bill), not a JSON answer.
				*raw = body
				return nil
			}
			if out == nil || len(bytes.TrimSpace(body)) == 0 {
				return nil
			}
			if err := json.Unmarshal(body, out); err != nil {
				return &Refusal{Platform: req.Platform, Status: status, Message: "the answer is not the JSON expected: " + err.Error(), Body: Truncate(body)}
			}
			return nil
		case req.Expired != nil && req.Renew != nil && req.Expired(status, body) && !renewed:
			renewed = true
			if err := req.Renew(ctx); err != nil {
				return err
			}
			n-- // a renewed token is not a failed attempt
			continue
		case status == http.StatusTooManyRequests:
			wait = retryAfter(hdr.Get("Retry-After"), time.Now())
			lastWait = wait
			last = fmt.Errorf("HTTP 429 %s", strings.TrimSpace(Truncate(body)))
		case status >= 500:
			last = fmt.Errorf("HTTP %d %s", status, strings.TrimSpace(Truncate(body)))
		default:
			code, msg := "", ""
			switch {
			case req.Reason != nil:
				if code, msg = req.Reason(status, body); msg == "" {
					code = ""
				}
			case req.Message != nil:
				msg = req.Message(body)
			}
			if msg == "" {
				msg = http.StatusText(status)
			}
			return &Refusal{Platform: req.Platform, Status: status, Code: code, Message: msg, Body: Truncate(body)}
		}
		if n == attempts-1 {
			break
		}
		if wait == 0 {
			wait = c.backoff(n)
		}
		if c.MaxWait > 0 && wait > c.MaxWait {
			wait = c.MaxWait
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return &Unavailable{Platform: req.Platform, Err: ctx.Err()}
		case <-t.C:
		}
	}
	return &Unavailable{Platform: req.Platform, Err: last, Status: lastStatus, RetryAfter: lastWait}
}

// once is one attempt, bounded by the timeout.
func (c *Caller) once(ctx context.Context, req Request, payload []byte) (int, []byte, http.Header, error) {
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	r, err := http.NewRequestWithContext(ctx, req.Method, req.URL, body)
	if err != nil {
		return 0, nil, nil, err
	}
	r.Header.Set("Accept", "application/json")
	if payload != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if req.Auth != nil {
		if err := req.Auth(ctx, r); err != nil {
			return 0, nil, nil, err
		}
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(r)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return 0, nil, nil, err
	}
	return resp.StatusCode, b, resp.Header, nil
}

// backoff is FirstRetry doubled per attempt, with jitter so that many
// calls failing together do not come back together.
func (c *Caller) backoff(n int) time.Duration {
	d := c.FirstRetry
	if d <= 0 {
		d = 200 * time.Millisecond
	}
	for i := 0; i < n && (c.MaxWait == 0 || d < c.MaxWait); i++ {
		d *= 2
	}
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// retryAfter reads Retry-After as seconds or an HTTP date; without one, a second.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
		return 0
	}
	return time.Second
}
