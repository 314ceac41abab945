package cloud

import (
	"strings"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// linkedListings are the listings the owner linked to sku whose seller SKU
// at the platform is none or one the catalogue lacks (app.LinkedTo), by
// channel: a figure pushed by SKU would miss them.
func (c *Channels) linkedListings(shop, sku string) (map[app.Channel][]app.Listing, error) {
	out := map[app.Channel][]app.Listing{}
	err := c.srv.store.View(shop, func(tx ShopTx) error {
		all, err := tx.Listings()
		if err != nil || len(all) == 0 {
			return err
		}
		has, failed := catalogueHas(tx)
		for _, l := range app.LinkedTo(all, sku, has) {
			out[l.Channel] = append(out[l.Channel], l)
		}
		return *failed
	})
	return out, err
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
