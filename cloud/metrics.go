package cloud

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// metrics are counted in memory and rendered in the Prometheus text format
// by hand: a handful of series does not justify a client library.
type metrics struct {
	start     time.Time
	changes   atomic.Uint64
	mutations atomic.Uint64
	rejected  atomic.Uint64
	// quarantined counts changes terminals reported they could not store.
	quarantined atomic.Uint64
	// autoRejected counts orders the cloud's deadline sweep rejected.
	autoRejected atomic.Uint64

	mu       sync.Mutex
	webhooks map[[2]string]uint64 // channel, outcome
}

func newMetrics() *metrics {
	return &metrics{start: time.Now(), webhooks: map[[2]string]uint64{}}
}

// labelEscaper escapes a label value as the Prometheus text format does:
// backslash, double quote and newline, and nothing else.
var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// label renders name="value" with the value escaped.
func label(name, value string) string { return name + `="` + labelEscaper.Replace(value) + `"` }

// webhook counts one delivery by channel and outcome (created, updated,
// duplicate, ignored, unauthorized, invalid, error).
func (m *metrics) webhook(channel, outcome string) {
	m.mu.Lock()
	m.webhooks[[2]string{channel, outcome}]++
	m.mu.Unlock()
}

// WriteMetrics writes every series in the Prometheus text format, the
// terminals' connections' too; cloud/web serves it at /metrics.
func (s *Server) WriteMetrics(w io.Writer) error {
	m := s.metrics
	var b strings.Builder
	changes := m.changes.Load()

	m.mu.Lock()
	keys := make([][2]string, 0, len(m.webhooks))
	for k := range m.webhooks {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	counts := make([]uint64, len(keys))
	for i, k := range keys {
		counts[i] = m.webhooks[k]
	}
	m.mu.Unlock()

	metric := func(name, typ, help string) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
	}
	if s.conns != nil {
		s.conns.WriteMetrics(&b, metric)
	}
	metric("pos_cloud_changes_total", "counter", "Changes appended to shop logs.")
	fmt.Fprintf(&b, "pos_cloud_changes_total %d\n", changes)
	metric("pos_cloud_mutations_total", "counter", "Terminal mutations decided, by status.")
	fmt.Fprintf(&b, "pos_cloud_mutations_total{status=\"applied\"} %d\n", m.mutations.Load())
	fmt.Fprintf(&b, "pos_cloud_mutations_total{status=\"rejected\"} %d\n", m.rejected.Load())
	metric("pos_cloud_quarantined_total", "counter", "Changes terminals reported they could not store (quarantined), counted once each.")
	fmt.Fprintf(&b, "pos_cloud_quarantined_total %d\n", m.quarantined.Load())
	metric("pos_cloud_webhooks_total", "counter", "Webhook deliveries by channel and outcome.")
	for i, k := range keys {
		fmt.Fprintf(&b, "pos_cloud_webhooks_total{%s,%s} %d\n", label("channel", k[0]), label("outcome", k[1]), counts[i])
	}
	metric("pos_cloud_auto_rejected_total", "counter", "New orders the cloud rejected because their acceptance deadline passed.")
	fmt.Fprintf(&b, "pos_cloud_auto_rejected_total %d\n", m.autoRejected.Load())
	s.follow.writeMetrics(&b, metric)
	if s.channels != nil {
		s.channels.writeMetrics(&b, metric)
	}
	metric("pos_cloud_uptime_seconds", "gauge", "Seconds since the server started.")
	fmt.Fprintf(&b, "pos_cloud_uptime_seconds %g\n", time.Since(m.start).Seconds())
	_, err := io.WriteString(w, b.String())
	return err
}
