package printout

import (
	"strings"

	"github.com/kasir/pos/app"
)

// MoneyFormat turns an amount in minor units into the text printed for it.
// Callers that already have a formatter (app.Currency.Format) pass it in so
// the receipt shows amounts exactly as the screen does.
type MoneyFormat func(minor int64) string

// moneyFormat returns f, or else the currency's own format, which app
// owns: documents write amounts exactly as the screens and the command
// line do.
func moneyFormat(f MoneyFormat, currency string) MoneyFormat {
	if f != nil {
		return f
	}
	cur := app.Currency(strings.ToUpper(strings.TrimSpace(currency)))
	if cur == "" {
		cur = app.IDR
	}
	return func(m int64) string { return cur.Format(app.Money(m)) }
}
