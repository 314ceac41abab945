package cloud

import (
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/wire"
)

// Execute applies one command to a shop as the cloud itself; see applyAndLog.
// Errors: those of app.Execute, ENotFound for an unknown shop.
func (s *Server) Execute(shopID string, cmd app.Command, actor app.Actor, at time.Time) (*app.Result, error) {
	res, err := s.applyAndLog(shopID, func(tx ShopTx, pol app.Policy) ([]*app.Result, error) {
		res, err := app.Execute(tx, pol, cmd, actor, at)
		if err != nil {
			return nil, err
		}
		return []*app.Result{res}, nil
	})
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// applyAndLog is the cloud's one path from a decision to the log, for the
// cloud's own commands, the sweep and the extensions; see applyLog. After
// the commit every terminal and follower of the shop is woken.
func (s *Server) applyAndLog(shopID string, decide func(tx ShopTx, pol app.Policy) ([]*app.Result, error)) ([]*app.Result, error) {
	shop, err := s.store.Shop(shopID)
	if err != nil {
		return nil, err
	}
	// The change is stamped now: retention counts from when the log got it.
	results, head, err := applyLog(s.store, shop, time.Now().UTC(), decide)
	if err != nil {
		return nil, err
	}
	s.notify(shopID, head, len(results))
	return results, nil
}

// applyLog is the one apply-and-log path that webhooks, the cloud's own
// commands, the sweep and catalogue imports share (a terminal's mutation
// adds its ledger around the same steps, mutation.go): decide runs app's
// rules in one transaction on the shop under the shop's policy, and each
// result it returns keeps its stock history (and a policy it set) and is
// appended to the change log, stamped at, in that same transaction. It returns the results and
// the shop's head; the caller wakes the shop's terminals and followers.
func applyLog(st Backend, shop *Shop, at time.Time, decide func(tx ShopTx, pol app.Policy) ([]*app.Result, error)) ([]*app.Result, uint64, error) {
	var (
		results []*app.Result
		head    uint64
	)
	err := st.Update(shop.ID, func(tx ShopTx) error {
		pol, err := shopPolicy(tx, shop)
		if err != nil {
			return err
		}
		if results, err = decide(tx, pol); err != nil {
			return err
		}
		for _, res := range results {
			if err := keepStockMoves(tx, res); err != nil {
				return err
			}
			// A policy set here is kept and travels like one set at a terminal.
			if res.Policy != nil {
				if err := tx.PutPolicy(*res.Policy); err != nil {
					return err
				}
			}
			if _, err := tx.AppendChange(&wire.Change{Order: res.Order, Products: res.Products, Events: res.Events, Policy: res.Policy, At: at}); err != nil {
				return err
			}
		}
		head = tx.Head()
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return results, head, nil
}

// catalogueActor is who a catalogue loaded at the cloud is recorded as.
var catalogueActor = app.Actor{Staff: "catalogue import", Role: app.RoleOwner}

// importCatalogue writes products as import_products changes through the
// same rule terminals use, so the change log carries the catalogue to every
// terminal. It returns the new head and how many changes it appended.
func importCatalogue(st Backend, shopID string, ps []*app.Product, now time.Time) (uint64, int, error) {
	shop, err := st.Shop(shopID)
	if err != nil {
		return 0, 0, err
	}
	results, head, err := applyLog(st, shop, now, func(tx ShopTx, pol app.Policy) ([]*app.Result, error) {
		var out []*app.Result
		for start := 0; start < len(ps); start += importBatch {
			cmd := app.Command{Action: app.ActionImportProducts, Args: app.Args{Products: ps[start:min(start+importBatch, len(ps))]}}
			res, err := app.Execute(tx, pol, cmd, catalogueActor, now)
			if err != nil {
				return nil, err
			}
			// A catalogue change carries the products alone, as it always has.
			out = append(out, &app.Result{Products: res.Products, StockMoves: res.StockMoves})
		}
		return out, nil
	})
	if err != nil {
		return 0, 0, err
	}
	return head, len(results), nil
}

// importBatch matches the most products one import_products command may carry.
const importBatch = 200

// ImportProducts loads a shop's catalogue and pushes it to its terminals.
// Errors: EInvalid naming the row and field, ENotFound for an unknown shop.
func (s *Server) ImportProducts(shopID string, ps []*app.Product) error {
	head, n, err := importCatalogue(s.store, shopID, ps, s.now())
	if err != nil {
		return err
	}
	s.notify(shopID, head, n)
	return nil
}

// shopPolicy is the rule book a shop's changes run under: the rules its
// owner set from a terminal, or the defaults in the shop's currency.
func shopPolicy(tx ShopTx, shop *Shop) (app.Policy, error) {
	p, err := tx.Policy()
	if err != nil || p == nil {
		return shop.Policy(), err
	}
	pol := *p
	if pol.Currency == "" {
		pol.Currency = shop.Policy().Currency
	}
	return pol, nil
}
