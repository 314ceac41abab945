package cloud

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
)

// The cloud's edges are bounded: a slow, large or unauthenticated request
// holds a fixed amount of memory for a fixed time, and a flood from one
// address or at one shop gets 429. docs/webhooks.md and docs/sync-protocol.md
// document every figure here.

// Edge defaults; Options override each.
const (
	defaultHeaderTimeout = 5 * time.Second
	defaultBodyTimeout   = 10 * time.Second
	defaultHelloTimeout  = 10 * time.Second
	// defaultBodyBudget bounds the bytes of all webhook bodies being read at once.
	defaultBodyBudget = 16 << 20
	// statusPushBody caps channels whose pushes carry only an id and a status.
	statusPushBody = StatusPushBody
	// limiterKeys bounds how many addresses or shops a limiter remembers.
	limiterKeys = 100_000
)

// Rate is a token bucket's refill per second and its burst; a negative
// PerSecond turns the limit off.
type Rate struct {
	PerSecond float64
	Burst     int
}

// Default rates: a shop's channels rarely send more than a few pushes a
// second, and a terminal reconnects with backoff.
var (
	defaultWebhookRate = Rate{PerSecond: 50, Burst: 500}
	defaultSyncRate    = Rate{PerSecond: 5, Burst: 60}
)

// edgeDefaults fills the edge options left at zero.
func (o *Options) edgeDefaults() {
	if o.HeaderTimeout == 0 {
		o.HeaderTimeout = defaultHeaderTimeout
	}
	if o.BodyTimeout == 0 {
		o.BodyTimeout = defaultBodyTimeout
	}
	if o.HelloTimeout == 0 {
		o.HelloTimeout = defaultHelloTimeout
	}
	if o.BodyBudget == 0 {
		o.BodyBudget = defaultBodyBudget
	}
	if o.WebhookRate == (Rate{}) {
		o.WebhookRate = defaultWebhookRate
	}
	if o.SyncRate == (Rate{}) {
		o.SyncRate = defaultSyncRate
	}
}

// edge holds the limits every request passes before it costs more than a header.
type edge struct {
	webhookIP, webhookShop *limiter
	syncIP, syncShop       *limiter
	bodies                 *budget
}

func newEdge(o Options) *edge {
	return &edge{
		webhookIP: newLimiter(o.WebhookRate), webhookShop: newLimiter(o.WebhookRate),
		syncIP: newLimiter(o.SyncRate), syncShop: newLimiter(o.SyncRate),
		bodies: &budget{left: o.BodyBudget},
	}
}

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
	writeJSON(w, http.StatusTooManyRequests, apiError{Code: "rate_limited", Message: what + ": too many requests; retry after 1 second"})
}

// limiter is a token bucket per key (an address or a shop).
type limiter struct {
	rate  Rate
	mu    sync.Mutex
	byKey map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(r Rate) *limiter { return &limiter{rate: r, byKey: map[string]*bucket{}} }

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
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, *bodyError) {
	if r.ContentLength > limit {
		return nil, &bodyError{http.StatusRequestEntityTooLarge, app.FieldError("body", "is %d bytes; this webhook takes at most %d", r.ContentLength, limit)}
	}
	want := limit
	if r.ContentLength >= 0 {
		want = r.ContentLength
	}
	if !s.edge.bodies.take(want) {
		w.Header().Set("Retry-After", "1")
		return nil, &bodyError{http.StatusServiceUnavailable, app.Errorf("unavailable", "the cloud is reading many webhooks at once; retry after 1 second")}
	}
	defer s.edge.bodies.give(want)
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(s.opt.BodyTimeout))
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
		return nil, &bodyError{http.StatusRequestTimeout, app.FieldError("body", "did not arrive within %s", s.opt.BodyTimeout)}
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

// ReadWebhookBody reads a delivery's body of at most limit bytes within the
// body timeout and the body budget; a refused body comes with the status to
// answer (413, 400, 408 or 503) and why.
func (s *Server) ReadWebhookBody(w http.ResponseWriter, r *http.Request, limit int64) (body []byte, status int, err error) {
	body, be := s.readBody(w, r, limit)
	if be != nil {
		return nil, be.status, be.err
	}
	return body, http.StatusOK, nil
}

// MediaType is the request's Content-Type without parameters, lower case.
func MediaType(r *http.Request) string { return mediaType(r) }

// StatusPushBody caps the bodies of pushes that carry only an id and a status.
const StatusPushBody = 64 << 10
