package app

import (
	"context"
	"time"
)

// SweepOverdue auto-rejects every New order whose deadline has passed. It is idempotent,
// so it can run on start to catch up after the tablet was off, and then on a
// timer. It returns how many orders it rejected.
func (s *Service) SweepOverdue(now time.Time) (int, error) {
	pol := s.CurrentPolicy()
	total := 0
	for {
		ids, err := s.Store.DueForAutoReject(now, 2000)
		if err != nil {
			return total, err
		}
		if len(ids) == 0 {
			return total, nil
		}
		var applied []*Result
		err = s.Store.Update(func(tx Tx) error {
			applied = applied[:0]
			for _, id := range ids {
				res, err := s.apply(tx, pol, Command{Action: ActionAutoReject, OrderID: id}, SystemActor, now)
				if err != nil {
					if ErrorCode(err) == EInternal {
						return err
					}
					continue
				}
				applied = append(applied, res)
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		for _, r := range applied {
			s.changed(r)
		}
		total += len(applied)
		if len(applied) == 0 {
			// Every due order was refused (changed under us); stop rather than spin.
			return total, nil
		}
	}
}

// RunScheduler sweeps on start and then every interval until ctx ends.
// Errors go to report, never stop the loop: the next tick tries again.
func (s *Service) RunScheduler(ctx context.Context, interval time.Duration, report func(rejected int, err error)) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		n, err := s.SweepOverdue(s.now())
		if report != nil && (n > 0 || err != nil) {
			report(n, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
