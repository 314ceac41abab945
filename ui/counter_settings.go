package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// taxChoices are the counter's PPN modes, in the order the card lists them.
var taxChoices = []app.TaxMode{app.TaxNone, app.TaxInclusive, app.TaxExclusive}

func taxLabel(m app.TaxMode) string {
	switch m {
	case app.TaxInclusive:
		return lang.L("PPN 11% included in prices")
	case app.TaxExclusive:
		return lang.L("PPN 11% added at the till")
	}
	return lang.L("No tax")
}

// counterCard holds the owner's counter rules: PPN and the cashier's
// discount limit. They travel to the cloud and every terminal like the
// acceptance windows (set_policy).
func (s *settingsScreen) counterCard() fyne.CanvasObject {
	pol := s.m.svc.CurrentPolicy()
	var opts []string
	for _, m := range taxChoices {
		opts = append(opts, taxLabel(m))
	}
	tax := &widget.Select{Options: opts}
	tax.SetSelected(taxLabel(pol.Tax.Mode))
	tax.OnChanged = func(string) {
		p := s.m.svc.CurrentPolicy()
		p.Tax.Mode = taxChoices[tax.SelectedIndex()]
		s.m.setPolicy(p)
	}
	caps := []int{0, 500, 1000, 2000, 5000}
	var capOpts []string
	for _, c := range caps {
		capOpts = append(capOpts, strconv.Itoa(c/100)+"%")
	}
	limit := &widget.Select{Options: capOpts}
	limit.SetSelected(strconv.Itoa(pol.DiscountCapBP(app.RoleCashier)/100) + "%")
	limit.OnChanged = func(string) {
		p := s.m.svc.CurrentPolicy()
		next := map[app.Role]int{}
		for r, c := range p.DiscountCaps {
			next[r] = c
		}
		next[app.RoleCashier] = caps[limit.SelectedIndex()]
		p.DiscountCaps = next
		s.m.setPolicy(p)
	}
	form := widget.NewForm(widget.NewFormItem(lang.L("Tax"), tax), widget.NewFormItem(lang.L("Cashier's discount limit"), limit))
	return widget.NewCard(lang.L("Counter"), lang.L("Above the limit, the owner's PIN allows a discount"), form)
}
