package app

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
