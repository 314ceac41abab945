package cloud

import (
	"io"
	"log/slog"

	"github.com/kasir/pos/sync/wire"
)

// Connections is the terminals' live sync connections, which cloud/web
// serves: the core wakes them after a commit, drops a terminal's when it is
// revoked or must be resent its quarantined changes, closes them all when
// it stops, and asks their figures for /metrics.
type Connections interface {
	// Notify tells the shop's connections that its log's head is now head.
	Notify(shop string, head uint64)
	// Drop closes the terminal's connections with a websocket close code and reason.
	Drop(shop, terminal string, code int, reason string)
	// CloseAll closes every connection: the server is stopping.
	CloseAll()
	// WriteMetrics writes the connections' series in Prometheus text format;
	// metric writes a series' HELP and TYPE lines.
	WriteMetrics(w io.Writer, metric func(name, typ, help string))
}

// AttachConnections hands the server the connections that cloud/web serves;
// its Extension calls it while NewServer mounts the routes, before anything is served.
func (s *Server) AttachConnections(c Connections) { s.conns = c }

// Logger is the server's log.
func (s *Server) Logger() *slog.Logger { return s.log }

// Options are the server's options, with the defaults filled in.
func (s *Server) Options() Options { return s.opt }

// ApplyPush applies a terminal's mutations in mid order under the shop's
// rules and logs each change: a terminal's path into apply-and-log. It
// returns one result per mid, and a gap error when a mid is missing.
func (s *Server) ApplyPush(shop *Shop, term *Terminal, muts []wire.Mutation) ([]*wire.Result, *wire.Error, error) {
	return s.applyPush(shop, term, muts)
}

// Greet answers a terminal's hello from the store: the welcome (its last
// mid, the verdicts it has not acknowledged, the log's head) and, when an
// admin asked for its quarantined changes again, the cursor to apply the log
// again from (resend is false otherwise; the request is taken, once).
func (s *Server) Greet(term *Terminal, lastAcked uint64) (welcome *wire.Welcome, resendFrom uint64, resend bool, err error) {
	var (
		last, head uint64
		results    []wire.Result
		marked     bool
	)
	err = s.store.View(term.Shop, func(tx ShopTx) error {
		var err error
		if last, err = tx.LastMid(term.ID); err != nil {
			return err
		}
		head = tx.Head()
		if results, err = unackedResults(tx, term.ID, lastAcked, last); err != nil {
			return err
		}
		q, err := tx.Quarantined(term.ID)
		for _, e := range q {
			marked = marked || e.Resend
		}
		return err
	})
	if err == nil && marked {
		err = s.store.Update(term.Shop, func(tx ShopTx) error {
			var err error
			resendFrom, resend, err = takeResend(tx, term.ID)
			return err
		})
	}
	if err != nil {
		return nil, 0, false, err
	}
	return &wire.Welcome{Type: wire.TypeWelcome, Terminal: term.ID, Shop: term.Shop, ServerSeq: head, LastMid: last, Results: results}, resendFrom, resend, nil
}

// unackedResults are the verdicts on mids after acked up to last, as kept
// (the newest ResultsKept of a terminal); a terminal never has more than
// that unacknowledged.
func unackedResults(tx ShopTx, terminal string, acked, last uint64) ([]wire.Result, error) {
	if last <= acked {
		return nil, nil
	}
	from := acked + 1
	if last-acked > ResultsKept {
		from = last - ResultsKept + 1
	}
	out := make([]wire.Result, 0, last-from+1)
	for mid := from; mid <= last; mid++ {
		r, err := tx.StoredResult(terminal, mid)
		if err != nil {
			return nil, err
		}
		if r == nil {
			continue
		}
		r.Type = wire.TypeResult
		out = append(out, *r)
	}
	return out, nil
}

// ResetSnapshot is what a terminal too far behind the log (or ahead of it,
// after a restore) starts again from: every order and product, the shop's
// rules and its staff as terminals see them.
func (s *Server) ResetSnapshot(shop string) (*wire.Snapshot, error) {
	snap, err := s.store.Snapshot(shop)
	if err != nil {
		return nil, err
	}
	err = s.store.View(shop, func(tx ShopTx) error {
		if snap.Policy, err = tx.Policy(); err != nil {
			return err
		}
		snap.Staff, err = publicStaff(tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return snap, nil
}
