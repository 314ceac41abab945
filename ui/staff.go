package ui

import (
	"errors"
	"sync"

	"github.com/kasir/pos/app"
)

// staffBook is the staff list (app.Staff, stored under app.SettingStaff)
// with its persistence; with no Settings it lives in memory only.
type staffBook struct {
	settings Settings
	mu       sync.Mutex
	list     []app.Staff
}

func newStaffBook(s Settings) *staffBook {
	b := &staffBook{settings: s}
	if s != nil {
		if _, err := s.GetSetting(app.SettingStaff, &b.list); err != nil {
			b.list = nil
		}
	}
	return b
}

func (b *staffBook) members() []app.Staff {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]app.Staff(nil), b.list...)
}

// signIn finds the member whose PIN this is. It is slow on purpose (PBKDF2):
// call it off the UI goroutine.
func (b *staffBook) signIn(pin string) (app.Staff, error) {
	return app.SignIn(b.members(), pin)
}

// add stores a new member; app.AddStaff refuses a duplicate name or PIN.
func (b *staffBook) add(name string, role app.Role, pin string) (app.Staff, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	list, err := app.AddStaff(append([]app.Staff(nil), b.list...), name, role, pin)
	if err != nil {
		return app.Staff{}, err
	}
	if err := b.saveLocked(list); err != nil {
		return app.Staff{}, err
	}
	return list[len(list)-1], nil
}

// remove deletes a member but never the last owner, so the shop cannot lock itself out.
func (b *staffBook) remove(name string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	var kept []app.Staff
	owners := 0
	for _, o := range b.list {
		if o.Name != name {
			kept = append(kept, o)
			if o.Role == app.RoleOwner {
				owners++
			}
		}
	}
	if owners == 0 {
		return errors.New("the shop needs at least one owner")
	}
	return b.saveLocked(kept)
}

func (b *staffBook) saveLocked(list []app.Staff) error {
	if b.settings != nil {
		if err := b.settings.PutSetting(app.SettingStaff, list); err != nil {
			return err
		}
	}
	b.list = list
	return nil
}
