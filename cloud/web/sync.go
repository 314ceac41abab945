package web

import (
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"

	"github.com/kasir/pos/cloud"
)

// syncServer serves one cloud server's terminal websockets; it is the
// core's cloud.Connections.
type syncServer struct {
	core *cloud.Server
	log  *slog.Logger
	opt  cloud.Options
	hubs *hubs
	edge *edge
	// connections counts open websockets, past hello or not.
	connections atomic.Int64
}

// Notify wakes the shop's sessions (see cloud.Connections).
func (s *syncServer) Notify(shop string, head uint64) { s.hubs.notify(shop, head) }

// Drop closes the terminal's sessions (see cloud.Connections).
func (s *syncServer) Drop(shop, terminal string, code int, reason string) {
	s.hubs.each(shop, func(ss *session) {
		if ss.term.ID == terminal {
			ss.closeWith(code, reason)
		}
	})
}

// CloseAll closes every session (see cloud.Connections).
func (s *syncServer) CloseAll() { s.hubs.closeAll() }

// WriteMetrics writes the sockets' series (see cloud.Connections).
func (s *syncServer) WriteMetrics(w io.Writer, metric func(name, typ, help string)) {
	sessions, lagTotal, lagWorst := s.hubs.lag()
	metric("pos_cloud_connections", "gauge", "Open terminal websockets.")
	fmt.Fprintf(w, "pos_cloud_connections %d\n", s.connections.Load())
	metric("pos_cloud_sessions", "gauge", "Terminals past hello, following their shop's log.")
	fmt.Fprintf(w, "pos_cloud_sessions %d\n", sessions)
	metric("pos_cloud_sync_lag_changes", "gauge", "Changes not yet sent to terminals: worst session and sum over sessions.")
	fmt.Fprintf(w, "pos_cloud_sync_lag_changes{agg=\"max\"} %d\n", lagWorst)
	fmt.Fprintf(w, "pos_cloud_sync_lag_changes{agg=\"sum\"} %d\n", lagTotal)
}
