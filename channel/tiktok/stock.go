package tiktok

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// Product is one row of Search Products
// (POST /product/202309/products/search?page_size=…,
// https://partner.tiktokshop.com/docv2/page/67b837b685619104a6846369; the page kept is
// the 202502 version, whose seller_skus filter and skus fields below 202309 shares):
//
//	{"products":[{"id":"1729592969712207008","title":"Short Boat Invisible Socks","status":"ACTIVATE",
//	  "skus":[{"id":"1729592969712207012","seller_sku":"Color-Red-XM01",
//	    "price":{"currency":"IDR","tax_exclusive_price":"111000","sale_price":"121000"},
//	    "inventory":[{"warehouse_id":"7068517275539719942","quantity":999}]}]}],
//	 "next_page_token":"b2Zmc2V0PTAK","total_count":200}
type Product struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status string `json:"status"`
	SKUs   []struct {
		ID        string `json:"id"`
		SellerSKU string `json:"seller_sku"`
		Price     struct {
			Currency          string `json:"currency"`
			TaxExclusivePrice string `json:"tax_exclusive_price"`
			SalePrice         string `json:"sale_price"`
		} `json:"price"`
		Inventory []Inventory `json:"inventory"`
	} `json:"skus"`
}

// Inventory is a SKU's stock in one warehouse.
type Inventory struct {
	WarehouseID string `json:"warehouse_id"`
	Quantity    int    `json:"quantity"`
}

type productPage struct {
	Products      []Product `json:"products"`
	NextPageToken string    `json:"next_page_token"`
	TotalCount    int       `json:"total_count"`
}

// maxPages bounds a catalogue read, so a platform that keeps answering a
// next page cannot keep the cloud busy (100 pages of 100 products).
const maxPages = 100

// products reads every page of Search Products with the filter.
func (a *Adapter) products(ctx context.Context, acc *account, filter map[string]any) ([]Product, error) {
	var all []Product
	token := ""
	for range maxPages {
		q := url.Values{"page_size": {"100"}}
		if token != "" {
			q.Set("page_token", token)
		}
		var p productPage
		if err := a.call(ctx, acc, http.MethodPost, "/product/"+Version+"/products/search", q, filter, &p); err != nil {
			return nil, err
		}
		all = append(all, p.Products...)
		if p.NextPageToken == "" || len(p.Products) == 0 {
			break
		}
		token = p.NextPageToken
	}
	return all, nil
}

// MaxStock is the most Update Inventory takes for one warehouse.
const MaxStock = 99999

// Stock sets the available quantity of every TikTok SKU whose seller_sku
// is the SKU (Update Inventory, POST /product/202309/products/{product_id}/inventory/update,
// https://partner.tiktokshop.com/docv2/page/6503068fc20ad60284b38858):
// {"skus":[{"id":"…","inventory":[{"warehouse_id":"…","quantity":N}]}]}.
// TikTok wants every warehouse of the SKU named: the figure goes to the
// first, the others get 0. Setting a figure twice is harmless.
func (a *Adapter) Stock(ctx context.Context, f map[string]string, l channel.Listing) error {
	acc, err := forShop(f)
	if err != nil {
		return err
	}
	sku := strings.TrimSpace(l.SKU)
	if sku == "" {
		return app.FieldError("sku", "is required")
	}
	found, err := a.products(ctx, acc, map[string]any{"seller_skus": []string{sku}})
	if err != nil {
		return err
	}
	qty := min(max(l.Qty, 0), MaxStock)
	for _, p := range found {
		var skus []map[string]any
		for _, s := range p.SKUs {
			if s.SellerSKU != sku {
				continue
			}
			inv := make([]map[string]any, 0, max(len(s.Inventory), 1))
			for i, w := range s.Inventory {
				q := 0
				if i == 0 {
					q = qty
				}
				inv = append(inv, map[string]any{"warehouse_id": w.WarehouseID, "quantity": q})
			}
			if len(inv) == 0 {
				inv = append(inv, map[string]any{"quantity": qty})
			}
			skus = append(skus, map[string]any{"id": s.ID, "inventory": inv})
		}
		if len(skus) == 0 {
			continue
		}
		if err := a.call(ctx, acc, http.MethodPost, "/product/"+Version+"/products/"+url.PathEscape(p.ID)+"/inventory/update", nil,
			map[string]any{"skus": skus}, nil); err != nil {
			return err
		}
	}
	return nil
}

// Listings reads every SKU of every product at TikTok Shop, so the shop
// sees which are not in its catalogue.
func (a *Adapter) Listings(ctx context.Context, f map[string]string) ([]channel.RemoteListing, error) {
	acc, err := forShop(f)
	if err != nil {
		return nil, err
	}
	found, err := a.products(ctx, acc, map[string]any{"status": "ACTIVATE"})
	if err != nil {
		return nil, err
	}
	var out []channel.RemoteListing
	for _, p := range found {
		for _, s := range p.SKUs {
			cur := app.IDR
			if c, err := app.ParseCurrency(s.Price.Currency); err == nil {
				cur = c
			}
			price := s.Price.SalePrice
			if price == "" {
				price = s.Price.TaxExclusivePrice
			}
			m, _ := money(cur, "price", price)
			qty := 0
			for _, w := range s.Inventory {
				qty += w.Quantity
			}
			out = append(out, channel.RemoteListing{ID: s.ID, SKU: strings.TrimSpace(s.SellerSKU), Name: p.Title, Price: m, Qty: qty})
		}
	}
	return out, nil
}
