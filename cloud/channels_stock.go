package cloud

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// stockWindow is how long a SKU's figure waits for more changes before it is
// pushed: a burst of sales or an import sends its last figure once per listing.
const stockWindow = time.Second

// stockCallTimeout bounds one round of pushes of one figure.
const stockCallTimeout = time.Minute

type stockKey struct{ shop, sku string }

// stockPush coalesces stock figures per shop and SKU and pushes the last
// one to every listing of the SKU on every connected platform. One push per
// SKU is in flight at a time, so figures never arrive out of order.
type stockPush struct {
	c      *Channels
	window time.Duration

	mu       sync.Mutex
	waiting  map[stockKey]int // figure noted, not yet pushed
	armed    map[stockKey]bool
	inflight map[stockKey]bool
	failures map[stockKey]int
}

func newStockPush(c *Channels, window time.Duration) *stockPush {
	return &stockPush{c: c, window: window, waiting: map[stockKey]int{}, armed: map[stockKey]bool{},
		inflight: map[stockKey]bool{}, failures: map[stockKey]int{}}
}

// note keeps the newest figure of a SKU and makes sure a push is due.
func (sp *stockPush) note(shop, sku string, qty int) {
	k := stockKey{shop, sku}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	sp.waiting[k] = qty
	sp.arm(k, sp.window)
}

// arm schedules the key's push after d unless one is scheduled. Callers hold mu.
func (sp *stockPush) arm(k stockKey, d time.Duration) {
	if sp.armed[k] {
		return
	}
	sp.armed[k] = true
	time.AfterFunc(d, func() { sp.flush(k) })
}

// flush pushes the key's newest figure, unless a push of it is still in flight.
func (sp *stockPush) flush(k stockKey) {
	sp.mu.Lock()
	sp.armed[k] = false
	qty, ok := sp.waiting[k]
	if !ok {
		sp.mu.Unlock()
		return
	}
	if sp.inflight[k] {
		sp.arm(k, sp.window)
		sp.mu.Unlock()
		return
	}
	delete(sp.waiting, k)
	sp.inflight[k] = true
	sp.mu.Unlock()

	err := sp.push(k, qty)

	sp.mu.Lock()
	defer sp.mu.Unlock()
	sp.inflight[k] = false
	if err != nil {
		sp.failures[k]++
		if _, newer := sp.waiting[k]; !newer {
			sp.waiting[k] = qty
		}
		sp.arm(k, followBackoff(sp.failures[k])+sp.window)
		return
	}
	delete(sp.failures, k)
}

// push sends one figure to each platform the shop is connected to. A
// platform that is unavailable makes the whole figure come again (setting a
// figure twice is harmless); a refusal is counted and logged, not retried.
func (sp *stockPush) push(k stockKey, qty int) error {
	c := sp.c
	if c.srv == nil || c.srv.accounts == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), stockCallTimeout)
	defer cancel()
	var again error
	for ch, ad := range c.adapters {
		all, err := c.stockFields(k.shop, ch)
		if err != nil {
			again = err
			continue
		}
		for _, f := range all {
			err = ad.Stock(ctx, f, channel.Listing{SKU: k.sku, Qty: qty})
			var u *channel.Unavailable
			switch {
			case err == nil:
				c.stockOut.Add(1)
			case errors.As(err, &u):
				again = err
			default:
				c.count(ch, "refused")
				c.srv.log.Warn("a platform refused a stock figure", "shop", k.shop, "channel", string(ch), "sku", k.sku, "err", err)
			}
		}
	}
	return again
}

// stockFields are the accounts a stock figure goes out with: every one of
// a shop's WooCommerce stores, the one account of another platform.
func (c *Channels) stockFields(shop string, ch app.Channel) ([]map[string]string, error) {
	if ch == app.ChannelWooCommerce {
		stores, err := c.srv.accounts.WooStores(shop)
		out := make([]map[string]string, 0, len(stores))
		for _, st := range stores {
			out = append(out, st.Fields)
		}
		return out, err
	}
	f, err := c.fields(shop, app.AccountKind(ch))
	if f == nil || err != nil {
		return nil, err
	}
	return []map[string]string{f}, nil
}
