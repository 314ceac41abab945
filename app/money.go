package app

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Money is an amount in the minor unit of its currency (sen, cents; whole
// rupiah for IDR). Floats never hold money.
type Money int64

// minMoney is the one amount whose negation overflows.
const minMoney = Money(-1 << 63)

// Plus returns m + n, and false when the sum would leave int64.
func (m Money) Plus(n Money) (Money, bool) {
	s := m + n
	if (n > 0 && s < m) || (n < 0 && s > m) {
		return 0, false
	}
	return s, true
}

// Times returns m × q, and false when the product would leave int64.
func (m Money) Times(q int) (Money, bool) {
	if m == 0 || q == 0 {
		return 0, true
	}
	p := m * Money(q)
	if p/Money(q) != m || (q == -1 && m == minMoney) || (m == -1 && Money(q) == minMoney) {
		return 0, false
	}
	return p, true
}

// Currency is an ISO 4217 code the shop trades in.
type Currency string

// Currencies the product knows how to count and display.
const (
	IDR Currency = "IDR"
	SGD Currency = "SGD"
	MYR Currency = "MYR"
	PHP Currency = "PHP"
	THB Currency = "THB"
	VND Currency = "VND"
	USD Currency = "USD"
)

type currencyFormat struct {
	decimals  int
	symbol    string
	thousands string
	decimal   string
}

var currencyFormats = map[Currency]currencyFormat{
	IDR: {0, "Rp", ".", ","},
	SGD: {2, "S$", ",", "."},
	MYR: {2, "RM", ",", "."},
	PHP: {2, "₱", ",", "."},
	THB: {2, "฿", ",", "."},
	VND: {0, "₫", ".", ","},
	USD: {2, "$", ",", "."},
}

// ParseCurrency accepts an ISO code in any case and refuses unknown ones.
func ParseCurrency(s string) (Currency, error) {
	c := Currency(strings.ToUpper(strings.TrimSpace(s)))
	if err := c.Validate(); err != nil {
		return "", err
	}
	return c, nil
}

// Validate returns EInvalid for a currency the product does not support.
func (c Currency) Validate() error {
	if _, ok := currencyFormats[c]; !ok {
		return FieldError("currency", "unknown currency %q (use one of IDR, SGD, MYR, PHP, THB, VND, USD)", string(c))
	}
	return nil
}

// Decimals is the number of minor-unit digits: IDR 0, SGD and MYR 2.
func (c Currency) Decimals() int { return currencyFormats[c].decimals }

// Format renders an amount the way the shop's customers write it: IDR 125000 is "Rp 125.000".
func (c Currency) Format(m Money) string {
	f, ok := currencyFormats[c]
	if !ok {
		f = currencyFormat{0, string(c), ",", "."}
	}
	neg := m < 0
	// The magnitude as uint64, so the most negative amount does not wrap.
	mag := uint64(m)
	if neg {
		mag = -mag
	}
	unit := uint64(1)
	for i := 0; i < f.decimals; i++ {
		unit *= 10
	}
	whole, frac := mag/unit, mag%unit
	s := groupThousands(strconv.FormatUint(whole, 10), f.thousands)
	if f.decimals > 0 {
		s += f.decimal + fmt.Sprintf("%0*d", f.decimals, frac)
	}
	if neg {
		return "-" + f.symbol + " " + s
	}
	return f.symbol + " " + s
}

func groupThousands(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// Plain writes an amount as a form field or a platform's API takes it back:
// digits with the currency's decimals and no symbol or grouping (IDR 125000
// is "125000", SGD 1250 is "12.50"). ParseMoney reads it back exactly.
func (c Currency) Plain(m Money) string {
	dec := c.Decimals()
	neg := m < 0
	mag := uint64(m)
	if neg {
		mag = -mag
	}
	s := strconv.FormatUint(mag, 10)
	if dec > 0 {
		for len(s) <= dec {
			s = "0" + s
		}
		s = s[:len(s)-dec] + "." + s[len(s)-dec:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// ParseMoney reads a plain decimal amount ("125000", "12.50") into minor units.
// It refuses more fraction digits than the currency has, so nothing is rounded away.
func (c Currency) ParseMoney(s string) (Money, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty amount")
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	dec := c.Decimals()
	if hasFrac && len(frac) > dec {
		return 0, fmt.Errorf("%q has more than %d decimals for %s", s, dec, c)
	}
	for len(frac) < dec {
		frac += "0"
	}
	if whole == "" {
		whole = "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	var f int64
	if frac != "" {
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil {
			return 0, fmt.Errorf("%q is not a number", s)
		}
	}
	unit := int64(1)
	for i := 0; i < dec; i++ {
		unit *= 10
	}
	if w > (1<<62)/unit {
		return 0, fmt.Errorf("%q is too large", s)
	}
	m := Money(w*unit + f)
	if neg {
		m = -m
	}
	return m, nil
}

// ParseDecimal reads a platform's decimal string ("125000.00", "10.5") into the
// currency's minor unit without floats; extra decimals must be zeros.
func (cur Currency) ParseDecimal(field, s string) (Money, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	neg := strings.HasPrefix(s, "-")
	if neg {
		return 0, FieldError(field, "cannot be negative, got %q", s)
	}
	whole, frac, _ := strings.Cut(s, ".")
	d := cur.Decimals()
	if len(frac) > d {
		if strings.Trim(frac[d:], "0") != "" {
			return 0, FieldError(field, "%q has more decimals than %s allows", s, cur)
		}
		frac = frac[:d]
	}
	frac += strings.Repeat("0", d-len(frac))
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, FieldError(field, "is not a decimal amount: %q", s)
		}
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || Money(n) > MaxAmount {
		return 0, FieldError(field, "must be between 0 and %d, got %q", int64(MaxAmount), s)
	}
	return Money(n), nil
}

// ParseNumber reads an amount a platform writes as a JSON number (Shopee,
// Tokopedia) into the currency's minor units; a negative amount, or a
// fraction the currency cannot hold, is refused naming the field.
func (cur Currency) ParseNumber(field string, v float64) (Money, error) {
	scaled := v * math.Pow10(cur.Decimals())
	r := math.Round(scaled)
	if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(scaled-r) > 1e-6 || r > float64(MaxAmount) {
		return 0, FieldError(field, "must be a non-negative amount in %s, got %v", string(cur), v)
	}
	return Money(r), nil
}
