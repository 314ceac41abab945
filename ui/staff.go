package ui

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/kasir/pos/app"
)

// staffBook is the staff list as this terminal knows it: the cloud's list,
// which sync stores under app.SettingStaff. Adding or removing a member is
// an owner's change (add_staff, remove_staff) that goes to the cloud like
// any other; the list here changes at once and the cloud's list replaces
// it when it arrives. With no Settings the list lives in memory only.
type staffBook struct {
	settings Settings
	svc      *app.Service
	// fromCloud says the stored list is the cloud's: a change made here is
	// shown from pending until the cloud's list arrives (or it is refused).
	fromCloud bool
	mu        sync.Mutex
	list      []app.Staff
	pending   []app.Staff
}

func newStaffBook(s Settings, svc *app.Service, fromCloud bool) *staffBook {
	b := &staffBook{settings: s, svc: svc, fromCloud: fromCloud}
	b.list = b.stored()
	return b
}

// stored reads the list sync keeps; a list that cannot be read is empty.
func (b *staffBook) stored() []app.Staff {
	if b.settings == nil {
		return b.list
	}
	var list app.StaffList
	if _, err := app.LoadSetting(b.settings, &list); err != nil {
		return nil
	}
	return list
}

func (b *staffBook) members() []app.Staff {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]app.Staff(nil), b.currentLocked()...)
}

// currentLocked is the list as staff should see it: a change not yet
// answered by the cloud, else the stored list.
func (b *staffBook) currentLocked() []app.Staff {
	if b.pending != nil {
		return b.pending
	}
	b.list = b.stored()
	return b.list
}

// settle drops the changes shown ahead of the cloud: its list arrived, or it
// refused one.
func (b *staffBook) settle() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = nil
}

// signIn finds the member whose PIN this is, holding the signing key the
// PIN unlocks. It is slow on purpose (PBKDF2): call it off the UI goroutine.
func (b *staffBook) signIn(pin string) (app.Staff, error) {
	return app.SignIn(b.members(), pin)
}

// add sends add_staff as actor and keeps the new member here; it returns
// the member holding their signing key. app.ChangeStaff refuses a
// duplicate name or PIN before anything is sent.
func (b *staffBook) add(actor app.Actor, name string, role app.Role, pin string) (app.Staff, error) {
	salt, err := app.NewStaffSalt()
	if err != nil {
		return app.Staff{}, err
	}
	return b.change(actor, app.ActionAddStaff, app.StaffChange{Name: name, Role: role, PIN: pin, Salt: salt})
}

// remove sends remove_staff as actor; never the last owner, so the shop
// cannot lock itself out.
func (b *staffBook) remove(actor app.Actor, name string) error {
	_, err := b.change(actor, app.ActionRemoveStaff, app.StaffChange{Name: name})
	return err
}

func (b *staffBook) change(actor app.Actor, a app.Action, c app.StaffChange) (app.Staff, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	list, err := app.ChangeStaff(b.currentLocked(), a, c)
	if err != nil {
		return app.Staff{}, err
	}
	if b.svc != nil {
		if _, err := b.svc.Do(app.Command{Action: a, Args: app.Args{Staff: &c}}, actor); err != nil {
			return app.Staff{}, err
		}
	}
	switch {
	case b.fromCloud:
		b.pending = app.PublicStaff(list)
	case b.settings != nil:
		if err := app.SaveSetting(b.settings, app.StaffList(app.PublicStaff(list))); err != nil {
			return app.Staff{}, err
		}
		b.list = list
	default:
		b.list = list
	}
	if a == app.ActionAddStaff {
		return list[len(list)-1], nil
	}
	return app.Staff{}, nil
}

// StaffChanged is told that the shop's staff list changed (sync stored the
// cloud's list). The sign-in screen is rebuilt, and a member who is no
// longer on the list is signed out: the cloud would refuse their changes.
// Safe from any goroutine.
func (m *Main) StaffChanged() {
	m.staff.settle()
	fyne.Do(func() {
		if m.actor.Staff == "" {
			m.showSignIn()
			return
		}
		if _, ok := app.FindStaff(m.staff.members(), m.actor.Staff); !ok {
			m.onLock()
			return
		}
		if m.current == screenSettings {
			m.settings.onShown()
		}
	})
}

// OnChangeRefused tells staff that the cloud refused a change of theirs that
// names no order (the staff list, the shop's settings, the catalogue). A
// refused staff change disappears from the list. Safe from any goroutine;
// the reason is said in the staff's language.
func (m *Main) OnChangeRefused(action app.Action, reason app.Message) {
	if action == app.ActionAddStaff || action == app.ActionRemoveStaff {
		m.staff.settle()
	}
	fyne.Do(func() {
		if m.actor.Staff == "" {
			m.showSignIn()
		} else if m.current == screenSettings {
			m.settings.onShown()
		}
		m.showBannerStyled(lang.L("The cloud refused the change: {{.M}}", map[string]any{"M": say(reason)}), true)
	})
}
