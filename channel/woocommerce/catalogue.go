package woocommerce

import (
	"context"
	"net/http"
	"strconv"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

var _ channel.Catalogue = (*Adapter)(nil)

// listPage is the most WooCommerce answers in one page.
const listPage = 100

// listed is the part of a product or variation a listing shows
// (https://woocommerce.github.io/woocommerce-rest-api-docs/#product-properties,
// #product-variation-properties).
type listed struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	Type       string  `json:"type"`
	SKU        string  `json:"sku"`
	Price      string  `json:"price"`
	Permalink  string  `json:"permalink"`
	Stock      *int    `json:"stock_quantity"`
	Variations []int64 `json:"variations"`
}

// Listings reads the store's products (GET /products?per_page=100&page=N,
// https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-products)
// and, for a variable product, its variations, each its own listing with
// its own SKU (GET /products/{id}/variations,
// https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-product-variations).
// A page shorter than asked is the last.
func (a *Adapter) Listings(ctx context.Context, f map[string]string) ([]channel.RemoteListing, error) {
	s, err := a.store(f)
	if err != nil {
		return nil, err
	}
	var out []channel.RemoteListing
	err = s.pages(ctx, "/products", func(p listed) error {
		if p.Type != "variable" {
			return appendListing(&out, p, "")
		}
		return s.pages(ctx, "/products/"+strconv.FormatInt(p.ID, 10)+"/variations", func(v listed) error {
			return appendListing(&out, v, p.Name)
		})
	})
	return out, err
}

func (s *store) pages(ctx context.Context, path string, each func(listed) error) error {
	for page := 1; ; page++ {
		var rows []listed
		if err := s.call(ctx, http.MethodGet, path+"?per_page="+strconv.Itoa(listPage)+"&page="+strconv.Itoa(page), nil, &rows); err != nil {
			return err
		}
		for _, r := range rows {
			if err := each(r); err != nil {
				return err
			}
		}
		if len(rows) < listPage {
			return nil
		}
	}
}

// appendListing adds a product or a variation, named after its parent
// when the store gives the variation no name of its own.
func appendListing(out *[]channel.RemoteListing, p listed, parent string) error {
	if p.ID <= 0 {
		return app.FieldError("id", "is required on every WooCommerce product")
	}
	l := channel.RemoteListing{ID: strconv.FormatInt(p.ID, 10), SKU: p.SKU, Name: channel.FirstNonEmpty(p.Name, parent), URL: p.Permalink}
	if p.Price != "" {
		// The store's prices are in its own currency, rupiah for the shops
		// the register serves.
		price, err := app.IDR.ParseDecimal("price", p.Price)
		if err != nil {
			return err
		}
		l.Price = price
	}
	if p.Stock != nil {
		l.Qty = max(*p.Stock, 0)
	}
	*out = append(*out, l)
	return nil
}
