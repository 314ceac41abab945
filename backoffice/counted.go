package backoffice

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/sync/wire"
)

// counted keeps, per shop, the report events of the orders a report can
// count (see countableStatuses),
// read once from the store and then kept current from the
// shop's change log, so a report over months does not decode every order again.
type counted struct {
	mu    sync.Mutex
	shops map[string]*shopOrders
}

type shopOrders struct {
	head uint64
	// events are each countable order's report events (app.ReportEvents).
	events map[string][]app.ReportEvent
}

func (so *shopOrders) put(o *app.Order) {
	if evs := app.ReportEvents(o); len(evs) > 0 {
		so.events[o.ID] = evs
		return
	}
	delete(so.events, o.ID)
}

// reportSource is the kept events as app.ReportFrom reads them.
type reportSource struct {
	events   []app.ReportEvent
	products []*app.Product
}

// ScanReportEvents hands fn every kept event in [from, to).
func (r reportSource) ScanReportEvents(from, to time.Time, fn func(app.ReportEvent) error) error {
	for _, ev := range r.events {
		if ev.At.Before(from) || !ev.At.Before(to) {
			continue
		}
		if err := fn(ev); err != nil {
			return err
		}
	}
	return nil
}

// Products is the shop's catalogue.
func (r reportSource) Products() ([]*app.Product, error) { return r.products, nil }

// reportEvents returns the report events of the shop's countable orders as of the log's head.
func (c *counted) reportEvents(b cloud.Backend, shop string) ([]app.ReportEvent, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.shops == nil {
		c.shops = map[string]*shopOrders{}
	}
	so := c.shops[shop]
	if so != nil {
		if err := so.catchUp(b, shop); err != nil {
			so = nil // a log pruned past our place: read the store again
		}
	}
	if so == nil {
		var head uint64
		if err := b.View(shop, func(tx cloud.ShopTx) error { head = tx.Head(); return nil }); err != nil {
			return nil, err
		}
		page, err := b.FindOrders(shop, app.Filter{Statuses: countableStatuses()})
		if err != nil {
			return nil, err
		}
		so = &shopOrders{head: head, events: make(map[string][]app.ReportEvent, len(page.Orders))}
		for _, o := range page.Orders {
			so.put(o)
		}
		// Changes committed between reading the head and the orders are applied again; applying is idempotent.
		if err := so.catchUp(b, shop); err != nil {
			return nil, err
		}
		c.shops[shop] = so
	}
	out := make([]app.ReportEvent, 0, len(so.events))
	for _, evs := range so.events {
		out = append(out, evs...)
	}
	return out, nil
}

// errPruned says the log no longer holds the changes after our place.
var errPruned = app.Errorf(app.EConflict, "the change log was pruned past the report's place")

func (so *shopOrders) catchUp(b cloud.Backend, shop string) error {
	for {
		items, head, oldest, err := b.ChangesAfter(shop, so.head, 1000)
		if err != nil {
			return err
		}
		if len(items) == 0 {
			so.head = max(so.head, head)
			return nil
		}
		if oldest > so.head+1 {
			return errPruned
		}
		for _, raw := range items {
			var ch wire.Change
			if err := json.Unmarshal(raw, &ch); err != nil {
				return err
			}
			if ch.Order != nil {
				so.put(ch.Order)
			}
			so.head = max(so.head, ch.Seq)
		}
	}
}

// countableStatuses are the statuses an order can have once it was
// completed (Completed, Complained, Returned, Refunded...): every status but
// those before completion and Cancelled, which app.Order.Counted never counts.
func countableStatuses() []app.Status {
	var out []app.Status
	for _, s := range app.Statuses {
		switch s {
		case app.StatusPaymentReview, app.StatusNew, app.StatusReadyToShip, app.StatusInDelivery, app.StatusDelivered, app.StatusCancelled:
			continue
		}
		out = append(out, s)
	}
	return out
}
