package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// askOwner asks the owner to type their PIN on this tablet to allow what
// the signed-in member may not do alone; why says what needs allowing.
// done runs with the owner, holding the key their PIN unlocked.
func (m *Main) askOwner(why string, done func(owner app.Staff)) {
	pin := &widget.Entry{Password: true, PlaceHolder: lang.L("Owner's PIN")}
	var fd *formDialog
	fd = newFormDialog(lang.L("The owner must allow this"), lang.L("Allow"), lang.L("Cancel"), []*widget.FormItem{
		{Text: lang.L("Why"), Widget: &widget.Label{Text: why, Wrapping: fyne.TextWrapWord}},
		{Text: lang.L("PIN"), Widget: pin},
	}, func() error {
		member, err := m.staff.signIn(pin.Text)
		if err != nil {
			pin.SetText("")
			return err
		}
		if member.Role != app.RoleOwner {
			pin.SetText("")
			return app.Errorf(app.EForbidden, "only the owner can allow this")
		}
		fd.dlg.Hide()
		done(member)
		return nil
	}, m.win)
	fd.dlg.Resize(fyne.NewSize(440, 0))
	fd.dlg.Show()
	m.win.Canvas().Focus(pin)
}

// asOwner runs work in the background as the owner: at once when the owner
// is signed in, after the owner's PIN otherwise. The owner's key signs what
// work sends, and is forgotten after it unless the owner is signed in.
func (m *Main) asOwner(why string, work func(actor app.Actor) error, done func(error)) {
	run := func(owner *app.Staff) {
		actor := m.actor
		if owner != nil {
			actor = owner.Actor(m.terminal())
		}
		load(func() (struct{}, error) {
			if owner != nil && m.svc != nil {
				m.svc.Keys.Remember(*owner)
				defer m.svc.Keys.Forget(owner.Name)
			}
			return struct{}{}, work(actor)
		}, func(_ struct{}, err error) { done(err) })
	}
	if m.actor.Role == app.RoleOwner {
		run(nil)
		return
	}
	m.askOwner(why, func(owner app.Staff) { run(&owner) })
}
