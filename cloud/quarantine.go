package cloud

import (
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

// ReportQuarantine keeps a terminal's report of the changes it could not
// store, and counts and logs what is new in it.
func (s *Server) ReportQuarantine(term *Terminal, items []wire.Quarantined) error {
	var added int
	err := s.store.Update(term.Shop, func(tx ShopTx) error {
		kept, err := tx.Quarantined(term.ID)
		if err != nil {
			return err
		}
		var merged []wire.Quarantined
		merged, added = mergeQuarantine(kept, items)
		if len(merged) == 0 && len(kept) == 0 {
			return nil
		}
		return tx.PutQuarantined(term.ID, merged)
	})
	if err != nil {
		return err
	}
	if added > 0 {
		s.metrics.quarantined.Add(uint64(added))
		for _, q := range items {
			s.log.Warn("terminal could not store a change", "shop", term.Shop, "terminal", term.ID, "seq", q.Seq, "order", q.Number, "err", q.Error)
		}
	}
	return nil
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
	if t, err := s.store.Terminal(terminal); err == nil && len(kept) > 0 && s.conns != nil {
		s.conns.Drop(t.Shop, terminal, 1012, "resending quarantined changes")
	}
	return kept, nil
}
