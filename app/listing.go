package app

import (
	"strings"
	"time"
)

// Listing is one of the shop's product listings at a platform, as the
// cloud last read it, with the catalogue product the owner linked it to.
type Listing struct {
	Channel Channel `json:"channel"`
	// ID is the platform's listing (or model/variant) id; for a shop's
	// second or later WooCommerce store, "<store>/<id>" (WooExternalID), so
	// two stores' product #12 stay two listings.
	ID string `json:"id"`
	// Store is the WooCommerce store the listing was read from (its store
	// key); empty for other platforms.
	Store string `json:"store,omitempty"`
	// SKU is the seller SKU the platform holds; it may be empty.
	SKU      string   `json:"sku,omitempty"`
	Name     string   `json:"name"`
	Currency Currency `json:"currency"`
	Price    Money    `json:"price"`
	Qty      int      `json:"qty"`
	URL      string   `json:"url,omitempty"`
	// LinkedSKU is the catalogue product the owner said the listing sells.
	LinkedSKU string    `json:"linked_sku,omitempty"`
	ReadAt    time.Time `json:"read_at"`
}

// CatalogueSKU is the product the listing sells: the owner's link, else the platform's SKU.
func (l Listing) CatalogueSKU() string {
	if l.LinkedSKU != "" {
		return l.LinkedSKU
	}
	return strings.TrimSpace(l.SKU)
}

// NotInCatalogue keeps the listings whose product the shop's catalogue does
// not hold ("Not in POS"): no SKU, or a SKU no product has.
func NotInCatalogue(listings []Listing, has func(sku string) bool) []Listing {
	var out []Listing
	for _, l := range listings {
		if sku := l.CatalogueSKU(); sku == "" || !has(sku) {
			out = append(out, l)
		}
	}
	return out
}

// ProductFromListing is the catalogue product a listing becomes when the
// owner imports it: its name and price, the stock the platform shows, under
// sku. Errors: EInvalid naming the field.
func ProductFromListing(l Listing, sku string) (*Product, error) {
	p := &Product{SKU: strings.TrimSpace(sku), Name: strings.TrimSpace(l.Name), Currency: l.Currency, Price: l.Price, OnHand: max(l.Qty, 0)}
	if p.SKU == "" {
		return nil, FieldError("sku", "is required")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}
