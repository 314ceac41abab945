package web

import (
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// The cloud's edges are bounded: a slow, large or unauthenticated request
// holds a fixed amount of memory for a fixed time, and a flood from one
// address or at one shop gets 429. docs/webhooks.md and docs/sync-protocol.md
// document every figure here; cloud.Options sets them.

// limiterKeys bounds how many addresses or shops a limiter remembers.
const limiterKeys = 100_000

// edge holds the limits every request passes before it costs more than a
// header, one per cloud server.
type edge struct {
	webhookIP, webhookShop *limiter
	syncIP, syncShop       *limiter
	bodies                 *budget
	bodyTimeout            time.Duration
}

func newEdge(o cloud.Options) *edge {
	return &edge{
		webhookIP: newLimiter(o.WebhookRate), webhookShop: newLimiter(o.WebhookRate),
		syncIP: newLimiter(o.SyncRate), syncShop: newLimiter(o.SyncRate),
		bodies: &budget{left: o.BodyBudget}, bodyTimeout: o.BodyTimeout,
	}
}

// admit takes one delivery from the shop's allowance, once the core knows
// whose it is.
func (e *edge) admit(shop string) bool { return e.webhookShop.allow(shop, time.Now()) }

// clientIP is the peer's address without its port; a unix socket has none.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// tooMany answers 429 with a Retry-After the sender's backoff can follow.
func tooMany(w http.ResponseWriter, what string) {
	w.Header().Set("Retry-After", "1")
	cloud.WriteJSON(w, http.StatusTooManyRequests, apiError{Code: "rate_limited", Message: what + ": too many requests; retry after 1 second"})
}

// limiter is a token bucket per key (an address or a shop).
type limiter struct {
	rate  cloud.Rate
	mu    sync.Mutex
	byKey map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(r cloud.Rate) *limiter { return &limiter{rate: r, byKey: map[string]*bucket{}} }

// allow takes one token from key's bucket, and reports false when it is empty.
func (l *limiter) allow(key string, now time.Time) bool {
	if l.rate.PerSecond < 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.byKey[key]
	if !ok {
		if len(l.byKey) >= limiterKeys {
			l.forgetFull(now)
		}
		b = &bucket{tokens: float64(l.rate.Burst), at: now}
		l.byKey[key] = b
	}
	b.tokens = min(float64(l.rate.Burst), b.tokens+now.Sub(b.at).Seconds()*l.rate.PerSecond)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// forgetFull drops buckets that have refilled, which the limiter would
// recreate as they are; if every key is busy, it starts afresh, so memory
// stays bounded whatever the number of addresses.
func (l *limiter) forgetFull(now time.Time) {
	for k, b := range l.byKey {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate.PerSecond >= float64(l.rate.Burst) {
			delete(l.byKey, k)
		}
	}
	if len(l.byKey) >= limiterKeys {
		l.byKey = map[string]*bucket{}
	}
}

// budget is the bytes webhook bodies may hold while they are read; a body
// reserves its size first, so many slow senders cannot add up past it.
type budget struct {
	mu   sync.Mutex
	left int64
}

func (b *budget) take(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if n > b.left {
		return false
	}
	b.left -= n
	return true
}

func (b *budget) give(n int64) {
	b.mu.Lock()
	b.left += n
	b.mu.Unlock()
}

// bodyError is a refused body: the status to answer and why.
type bodyError struct {
	status int
	err    *app.Error
}

// readBody reads a webhook body of at most limit bytes within the body
// timeout, holding its share of the body budget only while it reads. A body
// that is really too large gets 413, one cut short in transit 400, one that
// stalls 408, and one that finds the budget spent 503.
func (e *edge) readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, *bodyError) {
	if r.ContentLength > limit {
		return nil, &bodyError{http.StatusRequestEntityTooLarge, app.FieldError("body", "is %d bytes; this webhook takes at most %d", r.ContentLength, limit)}
	}
	want := limit
	if r.ContentLength >= 0 {
		want = r.ContentLength
	}
	if !e.bodies.take(want) {
		w.Header().Set("Retry-After", "1")
		return nil, &bodyError{http.StatusServiceUnavailable, app.Errorf("unavailable", "the cloud is reading many webhooks at once; retry after 1 second")}
	}
	defer e.bodies.give(want)
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(e.bodyTimeout))
	buf := make([]byte, 0, min(want, 64<<10)+1)
	body, err := readAll(http.MaxBytesReader(w, r.Body, limit), buf)
	if err == nil && r.ContentLength >= 0 && int64(len(body)) != r.ContentLength {
		err = io.ErrUnexpectedEOF
	}
	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		_ = rc.SetReadDeadline(time.Time{})
		return body, nil
	case errors.As(err, &tooLarge):
		return nil, &bodyError{http.StatusRequestEntityTooLarge, app.FieldError("body", "is larger than %d bytes", limit)}
	case errors.Is(err, os.ErrDeadlineExceeded) || isTimeout(err):
		return nil, &bodyError{http.StatusRequestTimeout, app.FieldError("body", "did not arrive within %s", e.bodyTimeout)}
	case r.ContentLength < 0:
		return nil, &bodyError{http.StatusBadRequest, app.FieldError("body", "was cut short after %d bytes", len(body))}
	default:
		return nil, &bodyError{http.StatusBadRequest, app.FieldError("body", "was cut short after %d bytes (Content-Length says %d)", len(body), r.ContentLength)}
	}
}

// readAll is io.ReadAll into buf, which grows only as bytes arrive.
func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// mediaType is the request's Content-Type without parameters, lower case.
func mediaType(r *http.Request) string {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return mt
}
