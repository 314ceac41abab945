package tiktok

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// ownCourier reports whether the shop sent the parcel with a courier of
// its own (marked shipped by hand, or booked through a courier provider),
// with a tracking ID TikTok must hear; TikTok's own logistics assigns its
// courier itself.
func ownCourier(o *app.Order) bool {
	if o == nil {
		return false
	}
	s := o.Shipment
	return strings.TrimSpace(s.TrackingID) != "" && strings.TrimSpace(s.Courier) != "" &&
		(s.Method == app.ShipManual || s.Provider != app.ProviderNone)
}

// ShippingProvider is one courier TikTok accepts for an order's delivery
// option: Get Shipping Providers,
// GET /logistics/202309/delivery_options/{delivery_option_id}/shipping_providers
// (TikTok Shop Partner API 202309, Logistics), data
// {"shipping_providers":[{"id":"6617675021119438849","name":"J&T Express"}]}.
type ShippingProvider struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// providers lists the couriers TikTok accepts for the order's delivery option.
func (a *Adapter) providers(ctx context.Context, acc *account, deliveryOption string) ([]ShippingProvider, error) {
	var ans struct {
		ShippingProviders []ShippingProvider `json:"shipping_providers"`
	}
	err := a.call(ctx, acc, http.MethodGet, "/logistics/"+Version+"/delivery_options/"+url.PathEscape(deliveryOption)+"/shipping_providers", nil, nil, &ans)
	return ans.ShippingProviders, err
}

// squash is a courier's name for matching: letters and digits, lower case
// ("J&T Express" and "j&t" both hold "jt").
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// MatchProvider finds the provider whose name is the courier staff named:
// the same name, else one that starts with it or it starts with ("JNE" and
// "JNE Express"). ok is false when none or several fit.
func MatchProvider(list []ShippingProvider, courier string) (ShippingProvider, bool) {
	want := squash(courier)
	if want == "" {
		return ShippingProvider{}, false
	}
	var near []ShippingProvider
	for _, p := range list {
		got := squash(p.Name)
		if got == want {
			return p, true
		}
		if got != "" && (strings.HasPrefix(got, want) || strings.HasPrefix(want, got)) {
			near = append(near, p)
		}
	}
	if len(near) == 1 {
		return near[0], true
	}
	return ShippingProvider{}, false
}

// selfShip tells TikTok the shop shipped the package with its own courier
// (Ship Package, POST /fulfillment/202309/packages/{package_id}/ship,
// https://partner.tiktokshop.com/docv2/page/650aa4f1defece02be6e7cb1, with
// {"self_shipment":{"tracking_number":"…","shipping_provider_id":"…"}}; the
// same object in the official Node SDK's Fulfillment202309 Ship Package and
// Batch Ship Packages bodies). The provider is TikTok's courier of the
// order's delivery option whose name is the courier staff named; none that
// fits is a refusal in words naming the couriers TikTok offers. It may not
// be made twice, so a retold one reads the package back first.
func (a *Adapter) selfShip(ctx context.Context, acc *account, o *app.Order, retold bool) error {
	id, cur, shipped, err := a.packageToShip(ctx, acc, o.ExternalID, retold)
	if err != nil || shipped {
		return err
	}
	if cur.DeliveryOptionID == "" {
		return refusal(app.Text("TikTok Shop names no delivery option for order %s, so no courier of the shop's can be given", o.ExternalID).String())
	}
	list, err := a.providers(ctx, acc, cur.DeliveryOptionID)
	if err != nil {
		return err
	}
	p, ok := MatchProvider(list, o.Shipment.Courier)
	if !ok {
		names := make([]string, 0, len(list))
		for _, p := range list {
			names = append(names, p.Name)
		}
		return refusal(app.Text("TikTok Shop does not know the courier %s for this order; it accepts: %s", o.Shipment.Courier, strings.Join(names, ", ")).String())
	}
	body := map[string]any{"self_shipment": map[string]string{"tracking_number": strings.TrimSpace(o.Shipment.TrackingID), "shipping_provider_id": p.ID}}
	return a.call(ctx, acc, http.MethodPost, "/fulfillment/"+Version+"/packages/"+url.PathEscape(id)+"/ship", nil, body, nil)
}

// refusal is a refusal the adapter decides from TikTok's answers.
func refusal(msg string) error {
	return &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: msg}
}
