package printout

import (
	"strconv"
	"strings"
)

// MoneyFormat turns an amount in minor units into the text printed for it.
// Callers that already have a formatter (app.Currency.Format) pass it in so
// the receipt shows amounts exactly as the screen does.
type MoneyFormat func(minor int64) string

type currencyStyle struct {
	symbol              string
	decimals            int
	thousands, fraction string
}

var currencyStyles = map[string]currencyStyle{
	"IDR": {"Rp", 0, ".", ","},
	"SGD": {"S$", 2, ",", "."},
	"MYR": {"RM", 2, ",", "."},
	"USD": {"$", 2, ",", "."},
}

// FormatMoney formats minor units in the given ISO currency: IDR 125000 is
// "Rp 125.000", SGD 1250 is "S$ 12.50". An unknown code is printed before
// the amount with two decimals, so nothing is silently mis-scaled.
func FormatMoney(minor int64, currency string) string {
	st, ok := currencyStyles[strings.ToUpper(currency)]
	if !ok {
		st = currencyStyle{strings.ToUpper(currency), 2, ",", "."}
	}
	neg := minor < 0
	u := uint64(minor)
	if neg {
		u = uint64(-minor)
	}
	unit := uint64(1)
	for i := 0; i < st.decimals; i++ {
		unit *= 10
	}
	digits := strconv.FormatUint(u/unit, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if st.symbol != "" {
		b.WriteString(st.symbol)
		b.WriteByte(' ')
	}
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(st.thousands)
		}
		b.WriteByte(digits[i])
	}
	if st.decimals > 0 {
		frac := strconv.FormatUint(u%unit, 10)
		b.WriteString(st.fraction)
		b.WriteString(strings.Repeat("0", st.decimals-len(frac)))
		b.WriteString(frac)
	}
	return b.String()
}

// moneyFormat returns f, or a formatter for currency when f is nil.
func moneyFormat(f MoneyFormat, currency string) MoneyFormat {
	if f != nil {
		return f
	}
	if currency == "" {
		currency = "IDR"
	}
	return func(m int64) string { return FormatMoney(m, currency) }
}
