package app

// Product is a stock-keeping unit the shop sells.
type Product struct {
	SKU     string `json:"sku"`
	Name    string `json:"name"`
	Barcode string `json:"barcode,omitempty"`
	// Category groups the register's product grid (its chips).
	Category  string   `json:"category,omitempty"`
	Currency  Currency `json:"currency"`
	Price     Money    `json:"price"`
	Cost      Money    `json:"cost"`
	OnHand    int      `json:"on_hand"`
	Allocated int      `json:"allocated"`
	// Damaged counts refunded pieces set aside, not for sale.
	Damaged int `json:"damaged,omitempty"`
	// ReorderLevel is the stock at which the shop buys more; 0 means never warn.
	ReorderLevel int `json:"reorder_level,omitempty"`
	// WeightGrams feeds the parcel weight on labels.
	WeightGrams int `json:"weight_grams,omitempty"`
}

// Available is what can still be promised to a new order.
func (p *Product) Available() int { return p.OnHand - p.Allocated }
