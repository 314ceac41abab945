package cloud

import (
	"encoding/json"
	"fmt"

	"github.com/kasir/pos/sync/wire"
)

// A terminal that cannot store a change quarantines it and reports its
// whole list (see docs/sync-protocol.md, "quarantine"). The cloud keeps the
// latest list per terminal, counts every newly reported change in /metrics,
// and, when an admin asks after a fix, has the terminal apply the log again
// from the oldest of them at its next hello.

// quarantineKey names one entry across reports.
func quarantineKey(q wire.Quarantined) string { return fmt.Sprint(q.Seq, "\x00", q.OrderID) }

// mergeQuarantine takes a terminal's new list in place of the kept one,
// keeping the resend marks of entries still listed; it returns how many
// entries are new.
func mergeQuarantine(kept, report []wire.Quarantined) ([]wire.Quarantined, int) {
	marked := make(map[string]bool, len(kept))
	for _, q := range kept {
		marked[quarantineKey(q)] = q.Resend
	}
	out := make([]wire.Quarantined, len(report))
	added := 0
	for i, q := range report {
		resend, seen := marked[quarantineKey(q)]
		if !seen {
			added++
		}
		q.Resend = resend
		out[i] = q
	}
	return out, added
}

// quarantine stores a terminal's report and counts what is new in it.
func (ss *session) quarantine(data []byte) {
	var m wire.Quarantine
	if err := json.Unmarshal(data, &m); err != nil {
		ss.fail(wire.ECodeBadMessage, "quarantine: "+err.Error())
		return
	}
	var added int
	err := ss.srv.store.Update(ss.term.Shop, func(tx ShopTx) error {
		kept, err := tx.Quarantined(ss.term.ID)
		if err != nil {
			return err
		}
		var merged []wire.Quarantined
		merged, added = mergeQuarantine(kept, m.Items)
		if len(merged) == 0 && len(kept) == 0 {
			return nil
		}
		return tx.PutQuarantined(ss.term.ID, merged)
	})
	if err != nil {
		ss.srv.log.Error("quarantine report", "terminal", ss.term.ID, "err", err)
		return
	}
	if added > 0 {
		ss.srv.metrics.quarantined.Add(uint64(added))
		for _, q := range m.Items {
			ss.srv.log.Warn("terminal could not store a change", "shop", ss.term.Shop, "terminal", ss.term.ID, "seq", q.Seq, "order", q.Number, "err", q.Error)
		}
	}
}

// takeResend returns the cursor a terminal must apply the log again from,
// when an admin asked for its quarantined changes to be resent, and clears
// the marks: one resend per request.
func takeResend(tx ShopTx, terminal string) (uint64, bool, error) {
	kept, err := tx.Quarantined(terminal)
	if err != nil {
		return 0, false, err
	}
	var from uint64
	found := false
	for i, q := range kept {
		if !q.Resend {
			continue
		}
		if !found || q.Seq < from {
			from = q.Seq
		}
		found = true
		kept[i].Resend = false
	}
	if !found {
		return 0, false, nil
	}
	if from > 0 {
		from--
	}
	return from, true, tx.PutQuarantined(terminal, kept)
}

// ResendQuarantined marks every change a terminal reported as quarantined
// to be sent again; the terminal applies the log again from the oldest at
// its next hello. It returns the marked entries. Errors: ENotFound.
func ResendQuarantined(b Backend, terminal string) ([]wire.Quarantined, error) {
	t, err := b.Terminal(terminal)
	if err != nil {
		return nil, err
	}
	var kept []wire.Quarantined
	err = b.Update(t.Shop, func(tx ShopTx) error {
		var err error
		if kept, err = tx.Quarantined(terminal); err != nil {
			return err
		}
		for i := range kept {
			kept[i].Resend = true
		}
		if len(kept) == 0 {
			return nil
		}
		return tx.PutQuarantined(terminal, kept)
	})
	return kept, err
}

// ResendQuarantined marks a terminal's quarantined changes for resend and
// closes its socket, so it reconnects and gets them at once.
func (s *Server) ResendQuarantined(terminal string) ([]wire.Quarantined, error) {
	kept, err := ResendQuarantined(s.store, terminal)
	if err != nil {
		return nil, err
	}
	if t, err := s.store.Terminal(terminal); err == nil && len(kept) > 0 {
		s.hubs.each(t.Shop, func(ss *session) {
			if ss.term.ID == terminal {
				ss.closeWith(1012, "resending quarantined changes")
			}
		})
	}
	return kept, nil
}
