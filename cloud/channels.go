package cloud

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/lazada"
	"github.com/kasir/pos/channel/shopee"
	"github.com/kasir/pos/channel/tiktok"
	"github.com/kasir/pos/channel/tokopedia"
	"github.com/kasir/pos/channel/woocommerce"
)

// Channels is the follower that makes every decision made in the register
// reach the platform that sold the order, and keeps each platform's stock
// figures true. It reads the change log, so nothing is lost while a
// platform is down, and each order's decisions reach it in order.
//
// Each call is recorded on the order (app.ChannelCall) before it leaves
// and after it is answered. A call found still "calling" was interrupted;
// it is made again with Decision.Retold, and the adapter repeats only what
// the platform treats as idempotent, reading the rest back first.
type Channels struct {
	srv      *Server
	adapters map[app.Channel]channel.Adapter
	stock    *stockPush

	mu       sync.Mutex
	refusals map[[2]string]uint64 // channel, step
	calls    map[[2]string]uint64 // channel, outcome
	stockOut atomic.Uint64
}

// ChannelsName is the connectors follower's cursor name.
const ChannelsName = "channels"

// channelTellWithin bounds how old a decision may be and still be told:
// platforms decide on their own well within it (Tokopedia cancels an order
// nobody acked after two days), so an older one is history, not news. It
// also keeps a cloud that starts the follower over an old log from
// replaying its past to the platforms.
const channelTellWithin = 72 * time.Hour

// channelsActor is who the history names for the connectors' records.
var channelsActor = app.Actor{Staff: "channels", Role: app.RoleSystem}

// NewChannels makes the follower with the given adapters, or with every
// adapter this cloud has when none are given.
func NewChannels(adapters ...channel.Adapter) *Channels {
	if len(adapters) == 0 {
		adapters = []channel.Adapter{woocommerce.New(), tokopedia.New(), lazada.New(), tiktok.New(), shopee.New()}
	}
	c := &Channels{adapters: map[app.Channel]channel.Adapter{}, refusals: map[[2]string]uint64{}, calls: map[[2]string]uint64{}}
	for _, a := range adapters {
		c.adapters[a.Channel()] = a
	}
	c.stock = newStockPush(c, stockWindow)
	return c
}

// Name is the follower's cursor.
func (c *Channels) Name() string { return ChannelsName }

func (c *Channels) attach(s *Server) {
	c.srv = s
	for ch, a := range c.adapters {
		if r, ok := a.(channel.Renewer); ok {
			kind := app.AccountKind(ch)
			r.OnRenew(func(f map[string]string, t channel.Tokens) { c.keepRenewed(kind, f, t) })
		}
	}
}

// keepRenewed stores tokens an adapter renewed mid-call in the account
// whose platform shop id the fields name, so a restart does not find the
// spent refresh token.
func (c *Channels) keepRenewed(kind app.AccountKind, f map[string]string, t channel.Tokens) {
	field := app.AccountRouteField(kind)
	if c.srv == nil || c.srv.accounts == nil || field == "" || f[field] == "" {
		return
	}
	shop, err := c.srv.store.ShopByRoute(kind, f[field])
	if err == nil && shop != "" {
		_, err = c.srv.keepTokens(shop, kind, t)
	}
	if err != nil {
		c.srv.log.Warn("renewed tokens not kept", "kind", kind, "err", err)
	}
}

// Backoff retries a platform that is down for as long as it takes, backing
// off to five minutes: an hour's outage loses nothing. Only a refusal parks.
func (c *Channels) Backoff(attempts int) (time.Duration, bool) {
	return followBackoff(attempts), false
}

// Follow tells the platform each decision one change carries, and queues
// the stock figures it moved.
func (c *Channels) Follow(ctx context.Context, e LogEntry) error {
	if c.srv == nil {
		return errors.New("channels: not attached to a server")
	}
	ch, err := e.Change()
	if err != nil {
		return Unprocessable(err)
	}
	for _, p := range ch.Products {
		if p != nil && p.SKU != "" {
			c.stock.note(e.Shop, p.SKU, p.Available(), e.Seq)
		}
	}
	if ch.Order == nil {
		return nil
	}
	if _, ok := c.adapters[ch.Order.Channel]; !ok {
		return nil
	}
	if byPlatform(ch.Events) && (ch.Order.DetailsPending || refetch(c.adapters[ch.Order.Channel], ch.Order)) {
		// Keyed by the change, so a change followed twice fetches once,
		// and a later push that leaves the order pending fetches again.
		if _, err := c.fetchDetails(ctx, e.Shop, ch.Order.Channel, ch.Order.ExternalID, fmt.Sprintf("details:%s:%d", ch.Order.ExternalID, e.Seq)); err != nil {
			return err
		}
	}
	for _, ev := range ch.Events {
		step, ok := app.ChannelStepOf(ch.Order, ev)
		if !ok {
			continue
		}
		if err := c.tell(ctx, e.Shop, ch.Order, step, ev); err != nil {
			return err
		}
	}
	return nil
}

// fields opens the shop's account for a platform; nil when the shop has none.
func (c *Channels) fields(shop string, kind app.AccountKind) (map[string]string, error) {
	if c.srv.accounts == nil {
		return nil, nil
	}
	list, err := c.srv.accounts.List(shop)
	if err != nil {
		return nil, err
	}
	for _, acc := range list {
		if acc.Kind == kind {
			return acc.Fields, nil
		}
	}
	return nil, nil
}

// orderFields opens the account an order's platform calls go out with: for
// WooCommerce, the store the order came from (by its external id's store).
// nil when the shop keeps no such account or store.
func (c *Channels) orderFields(shop string, ch app.Channel, externalID string) (map[string]string, error) {
	if ch != app.ChannelWooCommerce || c.srv.accounts == nil {
		return c.fields(shop, app.AccountKind(ch))
	}
	stores, err := c.srv.accounts.WooStores(shop)
	if err != nil {
		return nil, err
	}
	key, _ := app.SplitWooExternalID(externalID)
	for _, st := range stores {
		if (key == "" && st.First) || (key != "" && !st.First && st.Key == key) {
			return st.Fields, nil
		}
	}
	return nil, nil
}

// wooSourceOf is the store a WooCommerce order of the shop came from, by
// its external id.
func (c *Channels) wooSourceOf(shop, externalID string) (wooSource, error) {
	stores, err := c.srv.accounts.WooStores(shop)
	if err != nil {
		return wooSource{}, err
	}
	key, _ := app.SplitWooExternalID(externalID)
	for _, st := range stores {
		if (key == "" && st.First) || (key != "" && !st.First && st.Key == key) {
			return sourceOf(stores, st), nil
		}
	}
	return wooSource{id: key}, nil
}

// tell makes one decision reach the platform once.
func (c *Channels) tell(ctx context.Context, shop string, at *app.Order, step app.ChannelStep, ev app.Event) error {
	ad := c.adapters[at.Channel]
	if !ad.Hears(step, at) || c.srv.now().Sub(ev.At) > channelTellWithin {
		return nil
	}
	f, err := c.orderFields(shop, at.Channel, at.ExternalID)
	if err != nil {
		return err
	}
	if f == nil {
		return nil // the shop keeps no credentials for this platform (or store): nothing can be told
	}
	var cur *app.Order
	err = c.srv.store.View(shop, func(tx ShopTx) error {
		var err error
		cur, err = tx.Order(at.ID)
		return err
	})
	if app.ErrorCode(err) == app.ENotFound {
		return nil
	}
	if err != nil {
		return err
	}
	key := app.ChannelCallKey(step, ev.Version)
	rec := app.ChannelCall{Key: key, Step: step, State: app.CallCalling}
	retold := false
	if prev := cur.ChannelCallFor(key); prev != nil {
		if prev.State == app.CallDone {
			return nil
		}
		// calling: interrupted, it may have reached the platform; refused: a person asked to retry.
		retold = prev.State == app.CallCalling
		rec.Attempts = prev.Attempts
	}
	rec.Attempts++
	if err := c.record(shop, at.ID, rec); err != nil {
		return err
	}
	d := channel.Decision{Step: step, Order: at, Reason: decisionReason(at, step), Retold: retold}
	callErr := ad.Push(ctx, f, d)
	if callErr == nil {
		c.count(at.Channel, "done")
		rec.State = app.CallDone
		return c.record(shop, at.ID, rec)
	}
	var u *channel.Unavailable
	if errors.As(callErr, &u) {
		// Left "calling": the next attempt reads back before repeating.
		c.count(at.Channel, "unavailable")
		return fmt.Errorf("%s of order %s: %w", step, at.Number, callErr)
	}
	rec.State = app.CallRefused
	if r, ok := channel.IsRefusal(callErr); ok {
		rec.Reply, rec.Body = r.Message, r.Body
	} else {
		rec.Reply = callErr.Error()
	}
	c.count(at.Channel, "refused")
	c.mu.Lock()
	c.refusals[[2]string{string(at.Channel), string(step)}]++
	c.mu.Unlock()
	if err := c.record(shop, at.ID, rec); err != nil {
		return err
	}
	// Parked: the order's later decisions wait behind it until someone retries.
	return Unprocessable(errors.New(rec.Words(at.Channel).String()))
}

func decisionReason(o *app.Order, step app.ChannelStep) string {
	switch step {
	case app.StepReject, app.StepCancel:
		return o.CancelNote
	case app.StepReturn:
		if o.Complaint != nil {
			return o.Complaint.Reason
		}
	}
	return ""
}

// record writes where a call stands on the order.
func (c *Channels) record(shop, order string, rec app.ChannelCall) error {
	_, err := c.srv.Execute(shop, app.Command{Action: app.ActionRecordChannelCall, OrderID: order,
		Args: app.Args{ChannelCall: &rec}}, channelsActor, c.srv.now())
	if app.ErrorCode(err) == app.EInvalid {
		return Unprocessable(err)
	}
	return err
}

func (c *Channels) count(ch app.Channel, outcome string) {
	c.mu.Lock()
	c.calls[[2]string{string(ch), outcome}]++
	c.mu.Unlock()
}

// writeMetrics adds the connectors' counters to /metrics.
func (c *Channels) writeMetrics(b *strings.Builder, metric func(name, typ, help string)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	metric("pos_cloud_channel_calls_total", "counter", "Decisions told to a platform, by channel and outcome (done, unavailable, refused).")
	for _, k := range sortedKeys(c.calls) {
		fmt.Fprintf(b, "pos_cloud_channel_calls_total{%s,%s} %d\n", label("channel", k[0]), label("outcome", k[1]), c.calls[k])
	}
	metric("pos_cloud_channel_refusals_total", "counter", "Decisions a platform refused, by channel and step; the order shows why.")
	for _, k := range sortedKeys(c.refusals) {
		fmt.Fprintf(b, "pos_cloud_channel_refusals_total{%s,%s} %d\n", label("channel", k[0]), label("step", k[1]), c.refusals[k])
	}
	metric("pos_cloud_channel_stock_pushes_total", "counter", "Stock figures pushed to platform listings.")
	fmt.Fprintf(b, "pos_cloud_channel_stock_pushes_total %d\n", c.stockOut.Load())
}

func sortedKeys(m map[[2]string]uint64) [][2]string {
	keys := make([][2]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+"\x00"+keys[i][1] < keys[j][0]+"\x00"+keys[j][1] })
	return keys
}

// channelRefusals are, by platform, the newest refusal of the shop's that
// waits parked for a retry, in words, for `account show`.
func channelRefusals(b Backend, shop string) map[app.AccountKind]string {
	out := map[app.AccountKind]string{}
	pending, err := b.PendingChanges(ChannelsName, shop)
	if err != nil {
		return out
	}
	for _, p := range pending {
		if !p.Parked {
			continue
		}
		var head struct {
			Order *struct {
				Channel app.Channel `json:"channel"`
			} `json:"order"`
		}
		if json.Unmarshal(p.Change, &head) != nil || head.Order == nil {
			continue
		}
		out[app.AccountKind(head.Order.Channel)] = p.Error // by sequence: the newest wins
	}
	return out
}

// byPlatform reports whether the platform itself made the change (a push,
// or details applied), as opposed to the register or the cloud's sweep.
func byPlatform(evs []app.Event) bool {
	for _, ev := range evs {
		if ev.Actor.Role == app.RoleChannel {
			return true
		}
	}
	return false
}

// refetch reports whether a platform's push into the order's status
// brings details its push did not carry: a tracking number the order lacks.
func refetch(ad channel.Adapter, o *app.Order) bool {
	r, ok := ad.(channel.Refetcher)
	return ok && o.Shipment.TrackingID == "" && r.Refetch(o.ChannelStatus)
}

// fetchDetails asks the platform for the whole order it knows by
// externalID and applies it as the platform's own update, through the same
// path as a webhook: lines linked by SKU, stock allocated once, and a
// repeated delivery (the same key) changes nothing. Every adapter that is a
// channel.DetailParser is fetched; others are left as they are (nil reply).
// A platform that is down is an error to retry; a refusal or an answer that
// does not parse is Unprocessable, with the answer truncated.
func (c *Channels) fetchDetails(ctx context.Context, shopID string, ch app.Channel, externalID, key string) (*WebhookReply, error) {
	ad, ok := c.adapters[ch]
	if !ok {
		return nil, nil
	}
	dp, ok := ad.(channel.DetailParser)
	if !ok {
		return nil, nil
	}
	f, err := c.orderFields(shopID, ch, externalID)
	if err != nil || f == nil {
		return nil, err
	}
	// A second or later WooCommerce store knows the order by its own id;
	// the external id the cloud keeps carries the store.
	var store wooSource
	platformID := externalID
	if ch == app.ChannelWooCommerce {
		if store, err = c.wooSourceOf(shopID, externalID); err != nil {
			return nil, err
		}
		_, platformID = app.SplitWooExternalID(externalID)
	}
	raw, err := ad.Details(ctx, f, platformID)
	var u *channel.Unavailable
	if errors.As(err, &u) {
		return nil, fmt.Errorf("details of order %s: %w", externalID, err)
	}
	if err != nil {
		return nil, Unprocessable(fmt.Errorf("details of order %s: %w", externalID, err))
	}
	d, code, err := dp.ParseDetails(raw)
	if err != nil {
		return nil, Unprocessable(fmt.Errorf("details of order %s do not parse: %w; answer: %s", externalID, err, channel.Truncate(raw)))
	}
	shop, err := c.srv.store.Shop(shopID)
	if err != nil {
		return nil, err
	}
	if key == "" && store.id != "" {
		// Two stores may answer the same bytes for their own order #1001:
		// the answer keys the delivery only together with its store.
		sum := sha256.Sum256(append([]byte(store.id+"\x00"), raw...))
		key = "sha256:" + hex.EncodeToString(sum[:])
	}
	if len(key) > app.MaxIDLen {
		sum := sha256.Sum256([]byte(key))
		key = "details:" + hex.EncodeToString(sum[:])
	}
	in := &inbound{orders: []app.Incoming{{Channel: ch, ExternalID: platformID, ChannelStatus: code, Order: d}}, delivery: key}
	in.fromStore(store)
	if err := in.validate(); err != nil {
		return nil, Unprocessable(fmt.Errorf("details of order %s: %w; answer: %s", externalID, err, channel.Truncate(raw)))
	}
	return c.srv.applyInbound(shop, string(ch), in, raw)
}
