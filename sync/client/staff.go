package client

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"github.com/kasir/pos/sync/wire"
	stdsync "sync"
	"time"

	"github.com/kasir/pos/app"
)

// withStaff adds the shop's staff list to the settings a page of changes
// stores, when the page carried one.
func withStaff(settings map[string]any, staff []app.Staff) map[string]any {
	if staff == nil {
		return settings
	}
	if settings == nil {
		settings = map[string]any{}
	}
	settings[app.SettingStaff] = app.PublicStaff(staff)
	return settings
}

// pageStaff is the newest staff list a page of changes carries above cursor.
func pageStaff(wp wirePage, bad map[int]error, cursor uint64) []app.Staff {
	var staff []app.Staff
	for i, it := range wp.Items {
		if it.Seq > cursor && bad[i] == nil && it.Staff != nil {
			staff = it.Staff
		}
	}
	return staff
}

// tellStaff tells OnStaff of a staff list that was just stored.
func (c *Client) tellStaff(staff []app.Staff) {
	if staff != nil && c.OnStaff != nil {
		c.OnStaff(app.PublicStaff(staff))
	}
}

// checkWaiters are the sign-in checks waiting for the cloud's answer, by nonce.
type checkWaiters struct {
	mu stdsync.Mutex
	by map[string]chan wire.StaffChecked
}

func (w *checkWaiters) add(nonce string) chan wire.StaffChecked {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.by == nil {
		w.by = map[string]chan wire.StaffChecked{}
	}
	ch := make(chan wire.StaffChecked, 1)
	w.by[nonce] = ch
	return ch
}

func (w *checkWaiters) done(nonce string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.by, nonce)
}

// checksWhen is the check queue once the session is welcomed, and nil
// (never ready) before, so a check never goes ahead of hello.
func (c *Client) checksWhen(welcomed bool) chan wire.StaffCheck {
	if !welcomed {
		return nil
	}
	return c.checks
}

func (c *Client) onStaffChecked(data []byte) {
	var r wire.StaffChecked
	if json.Unmarshal(data, &r) != nil {
		return
	}
	c.waiting.mu.Lock()
	ch := c.waiting.by[r.Nonce]
	c.waiting.mu.Unlock()
	if ch != nil {
		select {
		case ch <- r:
		default:
		}
	}
}

// checkTimeout bounds how long a sign-in waits for the cloud's word; after
// it the tablet's own PIN check stands, as it does offline.
const checkTimeout = 3 * time.Second

// CheckSignIn asks the cloud to confirm that member (as app.SignIn returned
// them, holding the key their PIN unlocked) signed in with their real PIN.
// It returns the cloud's refusal (EForbidden: wrong PIN, removed from the
// staff list, too many wrong PINs on this terminal), or nil when the cloud
// agreed or could not be asked in time (offline: the tablet's check stands,
// and every change is still proven to the cloud when it is sent).
func (c *Client) CheckSignIn(ctx context.Context, member app.Staff) error {
	if !member.CanSign() || c.State().Status == Offline {
		return nil
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	nonce := hex.EncodeToString(b[:])
	ch := c.waiting.add(nonce)
	defer c.waiting.done(nonce)
	req := wire.StaffCheck{Type: wire.TypeStaffCheck, Staff: member.Name, Nonce: nonce,
		Proof: app.SignInProof(member.Key, app.TerminalBinding(c.cfg.Token), nonce)}
	timer := time.NewTimer(checkTimeout)
	defer timer.Stop()
	select {
	case c.checks <- req:
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return nil
	}
	select {
	case r := <-ch:
		if r.OK {
			return nil
		}
		return &app.Error{Code: r.Code, Message: r.Message}
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return nil
	}
}
