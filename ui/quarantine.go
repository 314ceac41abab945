package ui

import (
	"fyne.io/fyne/v2"

	"github.com/kasir/pos/app"
)

// OnQuarantined tells staff which orders from the cloud this tablet could
// not store (the sync set them aside, told the cloud, and went on): a
// danger banner naming them, which stays until staff close it. The sync
// calls it when a session starts with such orders and whenever the list
// changes; an empty list leaves the screen alone. Safe from any goroutine.
func (m *Main) OnQuarantined(orderNumbers []string, otherChanges int) {
	notice := app.Unstored(orderNumbers, otherChanges)
	if notice.IsZero() {
		return
	}
	fyne.Do(func() { m.showBannerStyled(say(notice), true) })
}
