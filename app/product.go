package app

import "strings"

// Product is a stock-keeping unit the shop sells.
type Product struct {
	SKU       string   `json:"sku"`
	Name      string   `json:"name"`
	Barcode   string   `json:"barcode,omitempty"`
	Currency  Currency `json:"currency"`
	Price     Money    `json:"price"`
	Cost      Money    `json:"cost"`
	OnHand    int      `json:"on_hand"`
	Allocated int      `json:"allocated"`
	// WeightGrams feeds the parcel weight on labels.
	WeightGrams int `json:"weight_grams,omitempty"`
}

// Available is what can still be promised to a new order.
func (p *Product) Available() int { return p.OnHand - p.Allocated }

// Validate checks a product's fields and names the first one that is wrong.
func (p *Product) Validate() error {
	if strings.TrimSpace(p.SKU) == "" {
		return FieldError("sku", "is required")
	}
	if len(p.SKU) > 64 {
		return FieldError("sku", "is longer than 64 characters")
	}
	if strings.TrimSpace(p.Name) == "" {
		return FieldError("name", "is required")
	}
	if err := p.Currency.Validate(); err != nil {
		return err
	}
	if p.Price < 0 {
		return FieldError("price", "cannot be negative")
	}
	if p.Cost < 0 {
		return FieldError("cost", "cannot be negative")
	}
	if p.OnHand < 0 {
		return FieldError("on_hand", "cannot be negative")
	}
	if p.Allocated < 0 {
		return FieldError("allocated", "cannot be negative")
	}
	if p.WeightGrams < 0 {
		return FieldError("weight_grams", "cannot be negative")
	}
	return nil
}
