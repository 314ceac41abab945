package cloud

import (
	"fmt"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/wire"
)

// pushChunk is how many mutations share one commit. Each is still decided
// alone and all-or-nothing: app.Execute writes only after every rule passed.
const pushChunk = 256

// maxSkew bounds how far a terminal's clock may move an action's time: an
// offline day keeps its real times, a wrong clock cannot move history far.
const maxSkew = 7 * 24 * time.Hour

// applyPush applies a terminal's mutations in mid order, following the
// server rule of DESIGN.md §4: a mid at or below the last returns the
// stored verdict, a gap stops the push with MID_GAP, the next mid runs
// app.Execute, appends to the change log and raises last_mid.
func (s *Server) applyPush(shop *Shop, term *Terminal, muts []wire.Mutation) ([]*wire.Result, *wire.Error, error) {
	defer s.prepareStaff(shop.ID, term, muts)()
	var all []*wire.Result
	for start := 0; start < len(muts); start += pushChunk {
		chunk := muts[start:min(start+pushChunk, len(muts))]
		res, gap, err := s.applyChunk(shop, term, chunk)
		all = append(all, res...)
		if gap != nil || err != nil {
			return all, gap, err
		}
	}
	return all, nil, nil
}

func (s *Server) applyChunk(shop *Shop, term *Terminal, muts []wire.Mutation) ([]*wire.Result, *wire.Error, error) {
	var (
		results []*wire.Result
		gap     *wire.Error
		added   int
		head    uint64
	)
	now := s.now()
	err := s.store.Update(shop.ID, func(tx ShopTx) error {
		// The batch may run this more than once: start from scratch each time.
		results, gap, added = results[:0], nil, 0
		pol, err := shopPolicy(tx, shop)
		if err != nil {
			return err
		}
		last, err := tx.LastMid(term.ID)
		if err != nil {
			return err
		}
		for _, m := range muts {
			if m.Mid == 0 {
				// Mids start at 1: a zero was never applied, so it is refused, not "already applied".
				bad := app.FieldError("mid", "must be 1 or more, got 0")
				text := app.MessageOf(bad)
				results = append(results, &wire.Result{Type: wire.TypeResult, Status: wire.StatusRejected,
					Code: app.EInvalid, Message: bad.Error(), Text: &text})
				continue
			}
			if m.Mid <= last {
				r, err := tx.StoredResult(term.ID, m.Mid)
				if err != nil {
					return err
				}
				if r == nil {
					r = &wire.Result{Mid: m.Mid, Status: wire.StatusApplied, Message: "already applied"}
				}
				r.Type = wire.TypeResult
				results = append(results, r)
				continue
			}
			if m.Mid != last+1 {
				gap = &wire.Error{Type: wire.TypeError, Code: wire.ECodeMidGap,
					Message: fmt.Sprintf("mid: got %d, expected %d", m.Mid, last+1), Expected: last + 1}
				break
			}
			r, changed, err := applyMutation(tx, pol, term, m, now)
			if err != nil {
				return err
			}
			if changed && m.Command.Action == app.ActionSetPolicy {
				// The mutations after it in this push run under the new rules.
				if pol, err = shopPolicy(tx, shop); err != nil {
					return err
				}
			}
			if changed {
				added++
			}
			results = append(results, r)
			last = m.Mid
		}
		head = tx.Head()
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	for _, r := range results {
		if r.Status == wire.StatusApplied {
			s.metrics.mutations.Add(1)
		} else {
			s.metrics.rejected.Add(1)
		}
	}
	s.notify(shop.ID, head, added)
	return results, gap, nil
}

// applyMutation decides one mutation inside tx. A rule's refusal is a
// stored, final verdict; only a storage failure returns an error.
func applyMutation(tx ShopTx, pol app.Policy, term *Terminal, m wire.Mutation, now time.Time) (*wire.Result, bool, error) {
	// The token, not the message, says which terminal acted, and the
	// staff proof, not the message, says who and in what role (staff.go).
	actor, err := provenActor(tx, term, m, now)
	at := now
	if !m.At.IsZero() && m.At.Before(now) && now.Sub(m.At) < maxSkew {
		at = m.At
	}
	r := &wire.Result{Type: wire.TypeResult, Mid: m.Mid}
	var res *app.Result
	var staff []app.Staff
	if err == nil {
		res, err = app.Execute(tx, pol, m.Command, actor, at)
	}
	if err == nil && res.Staff != nil {
		staff, err = applyStaffChange(tx, m.Command.Action, *res.Staff, takeAhead(term.ID, m.Mid))
	}
	if err != nil {
		code := app.ErrorCode(err)
		if code == app.EInternal {
			return nil, false, err
		}
		text := app.MessageOf(err)
		r.Status, r.Code, r.Message, r.Text = wire.StatusRejected, code, app.ErrorMessage(err), &text
		if m.OrderID != "" {
			if o, oerr := tx.Order(m.OrderID); oerr == nil {
				r.Order = o
			}
		}
		r.Seq = tx.Head()
		return r, false, tx.PutResult(term.ID, r)
	}
	if res.Policy != nil {
		if err := tx.PutPolicy(*res.Policy); err != nil {
			return nil, false, err
		}
	}
	if err := keepStockMoves(tx, res); err != nil {
		return nil, false, err
	}
	ch := &wire.Change{Order: res.Order, Products: res.Products, Events: res.Events, Policy: res.Policy, Staff: staff, Terminal: term.ID, Mid: m.Mid, At: now}
	seq, err := tx.AppendChange(ch)
	if err != nil {
		return nil, false, err
	}
	// The applied order reaches every terminal through the change log; the
	// verdict only needs to say which change carried it.
	r.Status, r.Seq = wire.StatusApplied, seq
	return r, true, tx.PutResult(term.ID, r)
}
