package cloud

import (
	"context"
	"fmt"
	"strings"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// ListingTx is a shop's marketplace listings as the cloud last read them
// (the "Not in POS" page); they stay in the cloud and never reach terminals.
type ListingTx interface {
	// Listings is every stored listing of the shop, by channel and id.
	Listings() ([]app.Listing, error)
	// PutListings replaces the channel's listings with ls.
	PutListings(ch app.Channel, ls []app.Listing) error
	// PutListing adds or replaces one listing.
	PutListing(l app.Listing) error
}

// catalogue finds the platform's listings reader: its channels adapter, or its hook.
func (s *Server) catalogue(ch app.Channel) (channel.Catalogue, bool) {
	if s.channels != nil {
		if c, ok := s.channels.adapters[ch].(channel.Catalogue); ok {
			return c, true
		}
	}
	c, ok := s.opt.Hooks[string(ch)].(channel.Catalogue)
	return c, ok
}

// ListsCatalogue reports whether the cloud can read the channel's listings
// (its adapter is a channel.Catalogue); a platform becomes readable as its adapter lands.
func (s *Server) ListsCatalogue(ch app.Channel) bool {
	_, ok := s.catalogue(ch)
	return ok
}

// ReadListings asks the platform for the shop's listings with the shop's
// account and keeps them, carrying over the owner's links of listings that
// are still there. It returns how many were read. Errors: EInvalid naming
// the channel or the missing account, the platform's own refusal.
func (s *Server) ReadListings(ctx context.Context, shop string, ch app.Channel) (int, error) {
	n, err := s.readListings(ctx, shop, ch)
	if ch.Valid() {
		s.listingReads.note(shop, app.ListingRead{Channel: ch, At: s.now(), Listings: n, Err: err})
	}
	return n, err
}

// readListings is ReadListings before its outcome is noted.
func (s *Server) readListings(ctx context.Context, shop string, ch app.Channel) (int, error) {
	cat, ok := s.catalogue(ch)
	if !ok {
		return 0, app.FieldError("channel", "%s listings cannot be read by this cloud", string(ch))
	}
	if s.accounts == nil {
		return 0, errNoAccounts()
	}
	sources, err := s.listingSources(shop, ch)
	if err != nil {
		return 0, err
	}
	if len(sources) == 0 {
		return 0, app.FieldError("channel", "set the %s account first, then read its listings", string(ch))
	}
	type read struct {
		channel.RemoteListing
		id, store string
	}
	var remote []read
	for _, src := range sources {
		got, err := cat.Listings(ctx, src.fields)
		if err != nil {
			if src.name != "" {
				return 0, fmt.Errorf("reading %s listings of %s: %w", ch, src.name, err)
			}
			return 0, fmt.Errorf("reading %s listings: %w", ch, err)
		}
		for _, r := range got {
			remote = append(remote, read{RemoteListing: r, id: app.WooExternalID(src.store, r.ID), store: src.name})
		}
	}
	shopRec, err := s.store.Shop(shop)
	if err != nil {
		return 0, err
	}
	now := s.now()
	err = s.store.Update(shop, func(tx ShopTx) error {
		old, err := tx.Listings()
		if err != nil {
			return err
		}
		links := map[string]string{}
		for _, l := range old {
			if l.Channel == ch && l.LinkedSKU != "" {
				links[l.ID] = l.LinkedSKU
			}
		}
		ls := make([]app.Listing, 0, len(remote))
		for _, r := range remote {
			ls = append(ls, app.Listing{Channel: ch, ID: r.id, Store: r.store, SKU: strings.TrimSpace(r.SKU), Name: r.Name, Currency: shopRec.Policy().Currency,
				Price: r.Price, Qty: r.Qty, URL: r.URL, LinkedSKU: links[r.id], ReadAt: now})
		}
		return tx.PutListings(ch, ls)
	})
	return len(remote), err
}

// listingSources are the accounts a channel's listings are read with:
// every one of the shop's WooCommerce stores (each named by its store, and
// the second and later tagging their listings' ids), or the platform's one
// account. The same shape as a reconciliation's.
func (s *Server) listingSources(shop string, ch app.Channel) ([]syncSource, error) {
	if ch == app.ChannelWooCommerce {
		stores, err := s.accounts.WooStores(shop)
		return wooSources(stores), err
	}
	f, err := s.accounts.Fields(shop, app.AccountKind(ch))
	if f == nil || err != nil {
		return nil, err
	}
	return []syncSource{{fields: f}}, nil
}

// ShopListings is every listing the cloud keeps for the shop.
func (s *Server) ShopListings(shop string) ([]app.Listing, error) {
	var out []app.Listing
	err := s.store.View(shop, func(tx ShopTx) error {
		var err error
		out, err = tx.Listings()
		return err
	})
	return out, err
}

// FindListing returns one kept listing. Errors: ENotFound.
func FindListing(tx ShopTx, ch app.Channel, id string) (app.Listing, error) {
	ls, err := tx.Listings()
	if err != nil {
		return app.Listing{}, err
	}
	for _, l := range ls {
		if l.Channel == ch && l.ID == id {
			return l, nil
		}
	}
	return app.Listing{}, app.Errorf(app.ENotFound, "listing %s not found", id)
}

// LinkListing says which catalogue product a listing sells. Errors:
// ENotFound (listing), EInvalid naming the SKU when no product has it.
func (s *Server) LinkListing(shop string, ch app.Channel, id, sku string) error {
	sku = strings.TrimSpace(sku)
	return s.store.Update(shop, func(tx ShopTx) error {
		l, err := FindListing(tx, ch, id)
		if err != nil {
			return err
		}
		if sku == "" {
			return app.FieldError("sku", "is required")
		}
		if _, err := tx.Product(sku); app.ErrorCode(err) == app.ENotFound {
			return app.FieldError("sku", "%s is not in the catalogue", sku)
		} else if err != nil {
			return err
		}
		l.LinkedSKU = sku
		return tx.PutListing(l)
	})
}
