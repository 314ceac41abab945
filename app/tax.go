package app

// TaxMode says how the shop charges PPN (Indonesia's value added tax).
type TaxMode string

// Tax modes a shop may choose; most small shops use none or inclusive.
const (
	TaxNone TaxMode = ""
	// TaxInclusive means shelf prices already contain the tax; the receipt
	// shows the part of the total that is tax.
	TaxInclusive TaxMode = "inclusive"
	// TaxExclusive adds the tax on top of the discounted subtotal.
	TaxExclusive TaxMode = "exclusive"
)

// PPNRate is Indonesia's VAT rate in basis points (11%).
const PPNRate = 1100

// TaxRule is the shop's tax setting.
type TaxRule struct {
	Mode TaxMode `json:"mode,omitempty"`
	// RateBP is the rate in basis points; 0 means PPN's 11%.
	RateBP int `json:"rate_bp,omitempty"`
}

func (t TaxRule) rate() int64 {
	if t.RateBP > 0 {
		return int64(t.RateBP)
	}
	return PPNRate
}

// Validate refuses a tax setting no shop could mean.
func (t TaxRule) Validate() error {
	switch t.Mode {
	case TaxNone, TaxInclusive, TaxExclusive:
	default:
		return FieldError("tax mode", "must be none, inclusive or exclusive, got %q", string(t.Mode))
	}
	if t.RateBP < 0 || t.RateBP > 5000 {
		return FieldError("tax rate", "must be between 0%% and 50%%")
	}
	return nil
}

// On returns the tax on a discounted amount and whether it is already inside
// that amount. Rounding is half up on the whole minor unit, as a receipt shows it.
func (t TaxRule) On(base Money) (tax Money, included bool) {
	r := t.rate()
	switch t.Mode {
	case TaxInclusive:
		// base = net + net*r/10000, so tax = base*r/(10000+r)
		return Money((int64(base)*r*2 + (10000 + r)) / (2 * (10000 + r))), true
	case TaxExclusive:
		return Money((int64(base)*r*2 + 10000) / 20000), false
	}
	return 0, false
}
