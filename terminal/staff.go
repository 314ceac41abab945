package terminal

import (
	"fmt"
	"io"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud/web"
)

// SignIn signs a staff member in on this terminal by their PIN, as the PIN
// pad does: the changes the command makes are recorded as theirs and carry
// the proof the cloud needs to grant their role. Without a sign-in the
// cloud treats command-line changes as a cashier's.
func (t *Terminal) SignIn(pin string) error {
	var list app.StaffList
	if _, err := app.LoadSetting(t.DB, &list); err != nil {
		return err
	}
	m, err := app.SignIn(list, pin)
	if err != nil {
		return err
	}
	tok, err := t.cloudToken()
	if err != nil {
		return err
	}
	t.Service.Keys.Bind(tok)
	t.Service.Keys.Remember(m)
	t.Staff = &m
	return nil
}

// Approve unlocks the key of the owner whose PIN this is, so a change that
// names them as approver (--approved-by) carries their proof; the command
// still runs as whoever signed in.
func (t *Terminal) Approve(pin string) error {
	var list app.StaffList
	if _, err := app.LoadSetting(t.DB, &list); err != nil {
		return err
	}
	m, err := app.SignIn(list, pin)
	if err != nil {
		return err
	}
	if m.Role != app.RoleOwner {
		return app.Errorf(app.EForbidden, "only the owner can approve this; %s is not an owner", m.Name)
	}
	tok, err := t.cloudToken()
	if err != nil {
		return err
	}
	t.Service.Keys.Bind(tok)
	t.Service.Keys.Remember(m)
	return nil
}

// cloudToken is the token this terminal syncs with: the pairing's, or the
// embedded cloud's.
func (t *Terminal) cloudToken() (string, error) {
	var p app.CloudSetting
	if _, err := app.LoadSetting(t.DB, &p); err != nil {
		return "", err
	}
	if p.Remote() != "" {
		return p.Token, nil
	}
	return web.EmbeddedToken(t.DataDir)
}

// AdoptLocalStaff hands the staff list this terminal kept on its own (before
// the cloud kept staff) to its embedded cloud, when the cloud has none.
func AdoptLocalStaff(t *Terminal, e *web.Embedded, log io.Writer) error {
	var local app.StaffList
	if _, err := app.LoadSetting(t.DB, &local); err != nil || len(local) == 0 {
		return err
	}
	n, err := e.AdoptStaff(local)
	if n > 0 {
		fmt.Fprintf(log, "cloud: now keeps the %d staff this terminal had\n", n)
	}
	return err
}
