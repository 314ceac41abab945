package cloud

import (
	"strings"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// linkedListings are the listings the owner linked to sku whose seller SKU
// at the platform is another (or none), by channel: a figure pushed by SKU
// would miss them. A listing whose seller SKU is sku gets the SKU's push.
func (c *Channels) linkedListings(shop, sku string) (map[app.Channel][]app.Listing, error) {
	var all []app.Listing
	err := c.srv.store.View(shop, func(tx ShopTx) error {
		var err error
		all, err = tx.Listings()
		return err
	})
	if err != nil {
		return nil, err
	}
	out := map[app.Channel][]app.Listing{}
	for _, l := range app.LinkedTo(all, sku) {
		if strings.TrimSpace(l.SKU) != sku {
			out[l.Channel] = append(out[l.Channel], l)
		}
	}
	return out, nil
}

// listingFields is the account a linked listing was read with: its
// WooCommerce store, or the platform's one account; nil when the shop no
// longer keeps it.
func (c *Channels) listingFields(shop string, l app.Listing) (map[string]string, error) {
	if l.Channel != app.ChannelWooCommerce {
		return c.fields(shop, app.AccountKind(l.Channel))
	}
	stores, err := c.srv.accounts.WooStores(shop)
	if err != nil {
		return nil, err
	}
	for _, st := range stores {
		if st.Key == l.Store {
			return st.Fields, nil
		}
	}
	return nil, nil
}

// linkedStock is a figure for one linked listing: its platform id (a
// second WooCommerce store's id without the store's tag) and seller SKU.
func linkedStock(l app.Listing, qty int) channel.Listing {
	id := l.ID
	if l.Channel == app.ChannelWooCommerce {
		_, id = app.SplitWooExternalID(id)
	}
	return channel.Listing{ID: id, SKU: strings.TrimSpace(l.SKU), Qty: qty}
}
