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

// stockFigure is a SKU's newest figure waiting to be pushed: qty as of the
// change seq, and floor, the oldest change whose figure is not yet pushed.
type stockFigure struct {
	qty        int
	seq, floor uint64
}

// stockCursor names the place in each shop's log before which every stock
// figure has reached the platforms. It is kept as that pseudo-follower's
// cursor (FollowerLog), so it lives in either backend with no new table;
// a cloud that starts again pushes the current figure of every SKU that
// changed after it, so a figure queued when the cloud stopped is not lost.
const stockCursor = "channels-stock"

// stockPush coalesces stock figures per shop and SKU and pushes the last
// one to every listing of the SKU on every connected platform. One push per
// SKU is in flight at a time, so figures never arrive out of order.
type stockPush struct {
	c      *Channels
	window time.Duration

	mu       sync.Mutex
	waiting  map[stockKey]stockFigure // figure noted, not yet pushed
	armed    map[stockKey]bool
	inflight map[stockKey]uint64 // the floor of the figure being pushed
	failures map[stockKey]int
	newest   map[stockKey]uint64 // the newest change noted: an older one retold is stale
	noted    map[string]uint64   // by shop, the newest change noted
	saved    map[string]uint64   // by shop, the stock cursor as stored
}

func newStockPush(c *Channels, window time.Duration) *stockPush {
	return &stockPush{c: c, window: window, waiting: map[stockKey]stockFigure{}, armed: map[stockKey]bool{},
		inflight: map[stockKey]uint64{}, failures: map[stockKey]int{}, newest: map[stockKey]uint64{},
		noted: map[string]uint64{}, saved: map[string]uint64{}}
}

// note keeps the newest figure of a SKU, as of change seq, and makes sure a
// push is due. A figure of an older change than one already noted (a
// change followed again) is stale: the newer figure is waiting, in flight
// or pushed, and is the one the listings must show.
func (sp *stockPush) note(shop, sku string, qty int, seq uint64) {
	k := stockKey{shop, sku}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	sp.noted[shop] = max(sp.noted[shop], seq)
	if seq < sp.newest[k] {
		return
	}
	sp.newest[k] = seq
	f, ok := sp.waiting[k]
	if !ok {
		f.floor = seq
	}
	f.qty, f.seq = qty, seq
	sp.waiting[k] = f
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
	f, ok := sp.waiting[k]
	if !ok {
		sp.mu.Unlock()
		return
	}
	if _, pushing := sp.inflight[k]; pushing {
		sp.arm(k, sp.window)
		sp.mu.Unlock()
		return
	}
	delete(sp.waiting, k)
	sp.inflight[k] = f.floor
	sp.mu.Unlock()

	err := sp.push(k, f.qty)

	sp.mu.Lock()
	delete(sp.inflight, k)
	if err != nil {
		sp.failures[k]++
		if next, newer := sp.waiting[k]; newer {
			next.floor = min(next.floor, f.floor)
			sp.waiting[k] = next
		} else {
			sp.waiting[k] = f
		}
		sp.arm(k, followBackoff(sp.failures[k])+sp.window)
		sp.mu.Unlock()
		return
	}
	delete(sp.failures, k)
	cursor, move := sp.cursor(k.shop)
	sp.mu.Unlock()
	if move {
		sp.save(k.shop, cursor)
	}
}

// cursor is where the shop's stock cursor may move: before the oldest
// change whose figure is not yet pushed, or past every change noted.
// move is false when that is not past the stored cursor. Callers hold mu.
func (sp *stockPush) cursor(shop string) (uint64, bool) {
	cur := sp.noted[shop]
	for k, f := range sp.waiting {
		if k.shop == shop {
			cur = min(cur, f.floor-1)
		}
	}
	for k, floor := range sp.inflight {
		if k.shop == shop {
			cur = min(cur, floor-1)
		}
	}
	return cur, cur > sp.saved[shop]
}

// save stores the shop's stock cursor; a store that cannot only means the
// next start pushes some figures again.
func (sp *stockPush) save(shop string, cursor uint64) {
	c := sp.c
	if c.srv == nil {
		return
	}
	if err := c.srv.store.SaveFollowing(stockCursor, shop, cursor, nil, nil); err != nil {
		c.srv.log.Warn("keeping the stock cursor", "shop", shop, "err", err)
		return
	}
	sp.mu.Lock()
	sp.saved[shop] = max(sp.saved[shop], cursor)
	sp.mu.Unlock()
}

// recover queues, for every shop, the current figure of every SKU a change
// after the shop's stock cursor moved: those figures may have been queued
// when the cloud stopped and never pushed. A shop whose stock cursor was
// never stored (a cloud older than the cursor) reads its whole kept log
// once: every SKU it moved gets its figure again, which is harmless.
func (sp *stockPush) recover(ctx context.Context) {
	c := sp.c
	if c.srv == nil {
		return
	}
	shops, err := c.srv.store.Shops()
	if err != nil {
		c.srv.log.Error("stock: listing shops", "err", err)
		return
	}
	for _, sh := range shops {
		if ctx.Err() != nil {
			return
		}
		if err := sp.recoverShop(sh.ID); err != nil {
			c.srv.log.Error("stock: figures queued before the start", "shop", sh.ID, "err", err)
		}
	}
}

func (sp *stockPush) recoverShop(shop string) error {
	st := sp.c.srv.store
	cur, err := st.FollowerCursor(stockCursor, shop)
	if err != nil {
		return err
	}
	sp.mu.Lock()
	sp.saved[shop] = max(sp.saved[shop], cur)
	sp.mu.Unlock()
	touched := map[string]uint64{} // SKU → the newest change that moved it
	last := cur
	for after := cur; ; {
		items, _, _, err := st.ChangesAfter(shop, after, followBatch)
		if err != nil {
			return err
		}
		if len(items) == 0 {
			break
		}
		for _, raw := range items {
			e, err := logEntry(shop, raw)
			if err != nil {
				return err
			}
			after = max(after, e.Seq)
			last = after
			ch, err := e.Change()
			if err != nil {
				continue // the follower parks it; it moves no stock here
			}
			for _, p := range ch.Products {
				if p != nil && p.SKU != "" {
					touched[p.SKU] = e.Seq
				}
			}
		}
	}
	if len(touched) == 0 {
		// Nothing moved stock after the cursor: it may pass what was read.
		if last > cur {
			sp.save(shop, last)
		}
		return nil
	}
	// The figure pushed is the SKU's figure now: newer than any queued.
	return st.View(shop, func(tx ShopTx) error {
		for sku, seq := range touched {
			p, err := tx.Product(sku)
			if app.ErrorCode(err) == app.ENotFound {
				continue
			}
			if err != nil {
				return err
			}
			sp.note(shop, sku, p.Available(), seq)
		}
		return nil
	})
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
	tell := func(ch app.Channel, l channel.Listing, err error) {
		var u *channel.Unavailable
		switch {
		case err == nil:
			c.stockOut.Add(1)
		case errors.As(err, &u):
			again = err
		default:
			c.count(ch, "refused")
			c.srv.log.Warn("a platform refused a stock figure", "shop", k.shop, "channel", string(ch), "sku", k.sku, "listing", l.ID, "err", err)
		}
	}
	linked, err := c.linkedListings(k.shop, k.sku)
	if err != nil {
		again = err
	}
	for ch, ad := range c.adapters {
		all, err := c.stockFields(k.shop, ch)
		if err != nil {
			again = err
			continue
		}
		for _, f := range all {
			l := channel.Listing{SKU: k.sku, Qty: qty}
			tell(ch, l, ad.Stock(ctx, f, l))
		}
		for _, t := range linked[ch] {
			f, err := c.listingFields(k.shop, t)
			if err != nil {
				again = err
				continue
			}
			if f == nil {
				continue
			}
			l := linkedStock(t, qty)
			tell(ch, l, ad.Stock(ctx, f, l))
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
