package cloud

import (
	"mime"
	"net/http"
	"time"
)

// The cloud's edges (cloud/web) are bounded: a slow, large or unauthenticated request
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

// StatusPushBody caps the bodies of pushes that carry only an id and a status.
const StatusPushBody = 64 << 10

// mediaType is the request's Content-Type without parameters, lower case.
func mediaType(r *http.Request) string {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return mt
}
