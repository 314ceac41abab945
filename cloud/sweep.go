package cloud

import (
	"context"
	"time"

	"github.com/kasir/pos/app"
)

// The cloud is the authority for deadlines: it alone auto-rejects overdue
// New orders, for every shop, whether or not a terminal is connected, and on
// start it catches up with everything that fell due while it was down.
// Terminals only show such an order as overdue (app.Order.Overdue) and
// receive the rejection through the change log like any other change.

// sweepEvery is how often deadlines are checked; an order is rejected at
// most this long after its deadline.
const sweepEvery = 15 * time.Second

// sweepBatch is how many due orders one transaction rejects: a catch-up
// after downtime pays one commit per thousand.
const sweepBatch = 1000

// SweepOverdue auto-rejects every shop's New orders whose deadline is at or
// before now, through the apply-and-log path webhooks use, and returns how
// many it rejected. An order that changed meanwhile (accepted, cancelled) is
// left as it is. It is idempotent, so it may run as often as needed.
func (s *Server) SweepOverdue(now time.Time) (int, error) {
	shops, err := s.store.Shops()
	if err != nil {
		return 0, err
	}
	total := 0
	var firstErr error
	for _, sh := range shops {
		n, err := s.sweepShop(sh.ID, now)
		total += n
		if err != nil && firstErr == nil {
			// One shop's trouble never holds back the others' deadlines.
			firstErr = err
		}
	}
	return total, firstErr
}

func (s *Server) sweepShop(shop string, now time.Time) (int, error) {
	total := 0
	for {
		ids, err := s.store.DueForAutoReject(shop, now, sweepBatch)
		if err != nil || len(ids) == 0 {
			return total, err
		}
		done := func() {}
		if p, ok := s.store.(OrderPrefetcher); ok {
			done = p.PrefetchOrders(shop, ids)
		}
		results, err := s.applyAndLog(shop, func(tx ShopTx, pol app.Policy) ([]*app.Result, error) {
			var out []*app.Result
			for _, id := range ids {
				res, err := app.Execute(tx, pol, app.Command{Action: app.ActionAutoReject, OrderID: id}, app.SystemActor, now)
				if err != nil {
					if app.ErrorCode(err) == app.EInternal {
						return nil, err
					}
					continue
				}
				out = append(out, res)
			}
			return out, nil
		})
		done()
		if err != nil {
			return total, err
		}
		total += len(results)
		s.metrics.autoRejected.Add(uint64(len(results)))
		if len(results) == 0 || len(ids) < sweepBatch {
			// Nothing more is due, or every due order was refused: stop rather than spin.
			return total, nil
		}
	}
}

// sweepLoop sweeps at once (catching up after downtime) and then every sweepEvery.
func (s *Server) sweepLoop(ctx context.Context) {
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		if n, err := s.SweepOverdue(s.now()); err != nil {
			s.log.Error("auto-reject sweep", "err", err, "rejected", n)
		} else if n > 0 {
			s.log.Info("auto-rejected overdue orders", "rejected", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
