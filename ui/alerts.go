package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"github.com/kasir/pos/app"
)

// OnOrdersChanged tells staff, once per order, of a buyer's cancel that came
// from a channel: a banner in the danger style and a system notification,
// in app's words. Safe from any goroutine; the sync layer calls it with the
// orders it just stored.
func (m *Main) OnOrdersChanged(orders []*app.Order) {
	var alerts []app.Message
	var keys, cancelled []string
	for _, o := range orders {
		msg := app.BuyerCancelAlert(o)
		if msg.IsZero() {
			continue
		}
		alerts, keys = append(alerts, msg), append(keys, o.ID+"/"+string(o.Status))
		if app.BuyerCancelled(o) {
			cancelled = append(cancelled, o.ID)
		} else {
			cancelled = append(cancelled, "")
		}
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
			if cancelled[i] != "" {
				if m.unseenCancels == nil {
					m.unseenCancels = map[string]bool{}
				}
				m.unseenCancels[cancelled[i]] = true
			}
			text := say(msg)
			m.showBannerStyled(text, true)
			if m.notify != nil {
				m.notify.alert(lang.L("Buyer asked to cancel"), text)
			}
		}
		m.refresh()
	})
}

// showCancelCount sets the cancel badge: the open cancel requests the store
// counts, and the buyer cancels staff have not opened.
func (m *Main) showCancelCount() {
	if m.cancelBadge == nil {
		return
	}
	m.cancelBadge.setCount(m.badges.CancelRequests+len(m.unseenCancels), true, theme.ColorNameError)
	m.onlineTab.content.Refresh()
	m.tabBar.Refresh()
}

// sawCancel clears a buyer cancel from the badge once staff open the order.
func (m *Main) sawCancel(id string) {
	if !m.unseenCancels[id] {
		return
	}
	delete(m.unseenCancels, id)
	m.showCancelCount()
}

// sawAllCancels clears every buyer cancel from the badge once staff look at
// the Cancelled sub-tab, where each of them is listed.
func (m *Main) sawAllCancels() {
	if len(m.unseenCancels) == 0 {
		return
	}
	clear(m.unseenCancels)
	m.showCancelCount()
}
