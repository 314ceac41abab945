package cloud

import (
	"net/http"

	"github.com/kasir/pos/app"

	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/lazada"
	"github.com/kasir/pos/channel/shopee"
	"github.com/kasir/pos/channel/tiktok"
	"github.com/kasir/pos/channel/tokopedia"
	"github.com/kasir/pos/channel/webstore"
	"github.com/kasir/pos/channel/woocommerce"
)

// Hooks are the channels' webhook readers by the {channel} segment of
// /v1/shops/{shop}/webhooks/{channel}, which is also the account kind whose
// fields verify them. Wiring passes them in Options.Hooks; the platforms that
// are also channel.Router serve /v1/channels/{platform}/push.
type Hooks map[string]channel.Hook

// DefaultHooks are the readers of every channel this cloud knows.
func DefaultHooks() Hooks {
	return Hooks{
		"woocommerce": woocommerce.Hook{},
		"store":       webstore.Hook{},
		"tokopedia":   tokopedia.Hook{},
		"shopee":      shopee.Hook{},
		"lazada":      lazada.Hook{},
		"tiktok":      tiktok.Hook{},
	}
}

// generatedFields name, per channel, the account field each secret the
// cloud generated stands in for, for shops that set no account of their own.
var generatedFields = map[string]map[string]string{
	"woocommerce": {"webhook_secret": SecretWooCommerce},
	"store":       {"webhook_secret": SecretStore},
	"tokopedia":   {"webhook_secret": SecretTokopedia},
	"shopee":      {"partner_key": SecretShopee},
	"lazada":      {"app_secret": SecretLazada, "app_key": SecretLazadaKey},
	"tiktok":      {"app_secret": SecretTikTok, "app_key": SecretTikTokKey},
	"logistics":   {"webhook_secret": SecretLogistics},
}

// hookFields are the account fields a channel's deliveries to a shop are
// verified with: the shop's account of that kind where it has set one, else
// the secret the cloud generated, under the account's field names.
func (s *Server) hookFields(shop *Shop, ch string) (map[string]string, error) {
	if s.accounts != nil && ch != "logistics" {
		f, err := s.accounts.Fields(shop.ID, app.AccountKind(ch))
		if err != nil || f != nil {
			return f, err
		}
	}
	names, ok := generatedFields[ch]
	if !ok {
		names = map[string]string{"webhook_secret": ch}
	}
	f := make(map[string]string, len(names))
	for field, secret := range names {
		f[field] = shop.Secrets[secret]
	}
	return f, nil
}

// webhook is what serving one path segment's deliveries needs: a channel's
// hook, or the couriers' logistics update.
type webhook struct {
	verify func(fields map[string]string, r *http.Request, body []byte) bool
	parse  func(r *http.Request, body []byte) (*inbound, error)
	// ping lets a delivery through verify when it creates nothing (WooCommerce's ping).
	ping func(r *http.Request, body []byte) bool
	// statusOnly marks pushes that carry an id and a status, never a whole
	// order: their bodies are capped at 64 KiB.
	statusOnly bool
}

// webhookFor finds the reader of a path segment.
func (s *Server) webhookFor(ch string) (webhook, bool) {
	if ch == "logistics" {
		return logisticsHook, true
	}
	h, ok := s.opt.Hooks[ch]
	if !ok {
		return webhook{}, false
	}
	w := webhook{verify: h.Verify, parse: func(r *http.Request, body []byte) (*inbound, error) {
		in, err := h.Parse(r, body)
		if err != nil {
			return nil, err
		}
		return &inbound{orders: in.Orders, delivery: in.Delivery, ignore: in.Ignore}, nil
	}}
	if p, ok := h.(channel.Pinger); ok {
		w.ping = p.Ping
	}
	if sp, ok := h.(channel.StatusPusher); ok {
		w.statusOnly = sp.StatusOnly()
	}
	return w, true
}

// wooSourceHeader names the store a WooCommerce delivery came from
// (https://woocommerce.com/document/webhooks/): its home URL.
const wooSourceHeader = "X-WC-Webhook-Source"

// deliveryFields are hookFields for one delivery. A shop's WooCommerce
// deliveries are verified with the store X-WC-Webhook-Source names; store
// says which store it is, so its orders' external ids and numbers carry
// it. A source that names none of the shop's stores, or no source where
// the shop keeps several, gives no fields: nothing verifies.
func (s *Server) deliveryFields(shop *Shop, ch string, r *http.Request) (fields map[string]string, store wooSource, err error) {
	if ch == "woocommerce" && s.accounts != nil {
		stores, kept, err := s.accounts.wooStoresKept(shop.ID)
		if err != nil {
			return nil, wooSource{}, err
		}
		if kept {
			f, store := pickWooStore(stores, r.Header.Get(wooSourceHeader))
			return f, store, nil
		}
	}
	f, err := s.hookFields(shop, ch)
	return f, wooSource{}, err
}

// wooSource is the WooCommerce store an order came from, as its order
// carries it: id is the store key its external id takes ("" for the
// shop's first store, whose orders keep bare ids), label the store its
// number names ("" for a shop with one store).
type wooSource struct{ id, label string }

// sourceOf is how the orders of st, one of a shop's stores, say where they came from.
func sourceOf(stores []WooStore, st WooStore) wooSource {
	src := wooSource{id: st.Key, label: st.Key}
	if st.First {
		src.id = ""
	}
	if len(stores) < 2 {
		src.label = ""
	}
	return src
}

// pickWooStore finds the store a delivery's source names.
func pickWooStore(stores []WooStore, source string) (map[string]string, wooSource) {
	if source == "" {
		// A shop with one store works as it did before stores were told apart.
		if len(stores) != 1 {
			return nil, wooSource{}
		}
		source = stores[0].Fields["store_url"]
	}
	key, err := app.WooStoreKey(wooSourceHeader, source)
	if err != nil {
		return nil, wooSource{}
	}
	for _, st := range stores {
		if st.Key == key {
			return st.Fields, sourceOf(stores, st)
		}
	}
	return nil, wooSource{}
}

// fromStore gives the orders of a WooCommerce store their store: a second
// or later store's in the external id, so they never merge with another
// store's order of the same number, and every store's in the number staff
// read when the shop keeps several.
func (in *inbound) fromStore(store wooSource) {
	for i := range in.orders {
		inc := &in.orders[i]
		inc.ExternalID = app.WooExternalID(store.id, inc.ExternalID)
		if store.label != "" && inc.Order != nil && inc.Order.Number != "" {
			inc.Order.Number += " (" + store.label + ")"
		}
	}
}
