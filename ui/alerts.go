package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/kasir/pos/app"
)

// OnOrdersChanged tells staff, once per order, of a buyer's cancel that came
// from a channel: a banner in the danger style and a system notification,
// in app's words. Safe from any goroutine; the sync layer calls it with the
// orders it just stored.
func (m *Main) OnOrdersChanged(orders []*app.Order) {
	var alerts []app.Message
	var keys []string
	for _, o := range orders {
		msg := app.BuyerCancelAlert(o)
		if msg.IsZero() {
			continue
		}
		alerts, keys = append(alerts, msg), append(keys, o.ID+"/"+string(o.Status))
	}
	if len(alerts) == 0 {
		return
	}
	fyne.Do(func() {
		if m.cancelAlerts == nil {
			m.cancelAlerts = map[string]bool{}
		}
		for i, msg := range alerts {
			if m.cancelAlerts[keys[i]] {
				continue
			}
			m.cancelAlerts[keys[i]] = true
			text := say(msg)
			m.showBannerStyled(text, true)
			if m.notify != nil {
				m.notify.alert(lang.L("Buyer asked to cancel"), text)
			}
		}
		m.refresh()
	})
}
