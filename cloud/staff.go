package cloud

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/wire"
)

// StaffTx is the shop's staff list inside a shop transaction. The list
// keeps each member's signing key; it never leaves the cloud with it.
type StaffTx interface {
	// Staff is the shop's staff list with signing keys (empty when none).
	Staff() ([]app.Staff, error)
	// PutStaff replaces the shop's staff list.
	PutStaff(list []app.Staff) error
}

// storedStaff is a member as the cloud stores it: with the signing key,
// which app.Staff never marshals.
type storedStaff struct {
	app.Staff
	Key []byte `json:"key"`
}

// EncodeStaff is how every backend stores a shop's staff list, keys included.
func EncodeStaff(list []app.Staff) ([]byte, error) {
	out := make([]storedStaff, len(list))
	for i, s := range list {
		out[i] = storedStaff{Staff: s, Key: s.Key}
	}
	return json.Marshal(out)
}

// DecodeStaff reads what EncodeStaff stored.
func DecodeStaff(data []byte) ([]app.Staff, error) {
	var in []storedStaff
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, fmt.Errorf("shop staff: %w", err)
	}
	out := make([]app.Staff, len(in))
	for i, s := range in {
		out[i] = s.Staff
		out[i].Key = s.Key
	}
	return out, nil
}

// provenActor is who a terminal's mutation really comes from. A valid
// proof names a member of the shop's list, and the role is that member's;
// without one the terminal gets at most a cashier's rights, whatever the
// message's actor.role says. The only exceptions carry no privilege: the
// terminal's deadline sweep (auto_reject checks the deadline itself), a
// packer claiming less, and the first owner of a shop that has no staff.
func provenActor(tx ShopTx, term *Terminal, m wire.Mutation, now time.Time) (app.Actor, error) {
	a, err := claimedActor(tx, term, m, now)
	if err == nil {
		err = provenApproval(tx, term, m, a, now)
	}
	return a, err
}

func claimedActor(tx ShopTx, term *Terminal, m wire.Mutation, now time.Time) (app.Actor, error) {
	claimed := m.Actor
	a := app.Actor{Staff: claimed.Staff, Terminal: term.ID}
	if claimed.Role == app.RoleChannel {
		return a, app.Errorf(app.EForbidden, "a terminal cannot act as a channel")
	}
	if m.Proof == nil {
		switch {
		case claimed.Role == app.RoleSystem && m.Command.Action == app.ActionAutoReject:
			a.Role = app.RoleSystem
		case claimed.Role == app.RolePacker:
			a.Role = app.RolePacker
		default:
			a.Role = app.RoleCashier
		}
		if m.Command.Action == app.ActionAddStaff && m.Command.Args.Staff != nil && m.Command.Args.Staff.Role == app.RoleOwner {
			list, err := tx.Staff()
			if err != nil {
				return a, err
			}
			if len(list) == 0 {
				// A shop with no staff yet: its first owner is created by
				// whoever holds a terminal of the shop, once.
				a.Role = app.RoleOwner
			}
		}
		return a, nil
	}
	if wait := wrongPINs.lockedFor(term.ID, now); wait > 0 {
		return a, app.Errorf(app.EForbidden, "too many wrong PINs on this terminal; try again in %d minutes", int(wait.Minutes())+1)
	}
	list, err := tx.Staff()
	if err != nil {
		return a, err
	}
	member, err := verifyProof(list, term, m, *m.Proof, now)
	if err != nil {
		return a, err
	}
	return member.Actor(term.ID), nil
}

// verifyProof finds the member a proof names and checks it was made with
// their key for exactly this mutation; a proof that does not verify counts
// as a wrong PIN at the terminal.
func verifyProof(list []app.Staff, term *Terminal, m wire.Mutation, p app.StaffProof, now time.Time) (app.Staff, error) {
	member, ok := app.FindStaff(list, p.Staff)
	if !ok {
		return member, app.Errorf(app.EForbidden, "%s is not on the staff list", p.Staff)
	}
	if !p.Verify(member.Key, term.TokenHash, m.Mid, m.At, m.Command) {
		wrongPINs.fail(term.ID, now)
		return member, app.Errorf(app.EForbidden, "the PIN behind this change is wrong")
	}
	return member, nil
}

// provenApproval refuses a change that names an approving owner (an
// in-store sale's override) unless that owner's own proof comes with it;
// an owner acting needs none.
func provenApproval(tx ShopTx, term *Terminal, m wire.Mutation, actor app.Actor, now time.Time) error {
	name := app.ApproverOf(m.Command)
	if name == "" || actor.Role == app.RoleOwner {
		return nil
	}
	if m.Approval == nil || !strings.EqualFold(strings.TrimSpace(m.Approval.Staff), name) {
		return app.Errorf(app.EForbidden, "the approval of %s is not proven: the owner must type their PIN on this terminal", name)
	}
	if wait := wrongPINs.lockedFor(term.ID, now); wait > 0 {
		return app.Errorf(app.EForbidden, "too many wrong PINs on this terminal; try again in %d minutes", int(wait.Minutes())+1)
	}
	list, err := tx.Staff()
	if err != nil {
		return err
	}
	approver, err := verifyProof(list, term, m, *m.Approval, now)
	if err != nil {
		return err
	}
	if approver.Role != app.RoleOwner {
		return app.Errorf(app.EForbidden, "only the owner can approve this; %s is not an owner", approver.Name)
	}
	return nil
}

// applyStaffChange applies a validated add_staff or remove_staff to the
// shop's list and returns the new list as terminals receive it. Adding
// checks the PIN against every member's (PBKDF2 each, tens of ms): ahead,
// when given, is that work done before the write transaction, used if the
// list is still the one it was done on.
func applyStaffChange(tx ShopTx, a app.Action, c app.StaffChange, ahead *staffAhead) ([]app.Staff, error) {
	list, err := tx.Staff()
	if err != nil {
		return nil, err
	}
	var next []app.Staff
	if ahead != nil && ahead.base == staffDigest(list) {
		next, err = ahead.list, ahead.err
	} else {
		next, err = app.ChangeStaff(list, a, c)
	}
	if err != nil {
		return nil, err
	}
	if err := tx.PutStaff(next); err != nil {
		return nil, err
	}
	return app.PublicStaff(next), nil
}

// staffAhead is an add_staff worked out before its write transaction,
// on the list whose digest is base.
type staffAhead struct {
	base [32]byte
	list []app.Staff
	err  error
}

func staffDigest(list []app.Staff) [32]byte {
	data, _ := EncodeStaff(list)
	return sha256.Sum256(data)
}

// aheadOfPush holds the add_staff mutations of pushes being applied, by
// terminal and mid, so their PIN checks do not run under the write lock.
var aheadOfPush = struct {
	sync.Mutex
	by map[string]*staffAhead
}{by: map[string]*staffAhead{}}

func aheadKey(terminal string, mid uint64) string {
	return terminal + "\x00" + strconv.FormatUint(mid, 10)
}

// prepareStaff works out, outside any write transaction, each add_staff
// of a push on the list as it stands; applyMutation uses the result when
// the list has not changed meanwhile. Call the returned func when the push
// is done, to forget the work.
func (s *Server) prepareStaff(shopID string, term *Terminal, muts []wire.Mutation) func() {
	var done []string
	forget := func() {
		aheadOfPush.Lock()
		defer aheadOfPush.Unlock()
		for _, k := range done {
			delete(aheadOfPush.by, k)
		}
	}
	var (
		list   []app.Staff
		loaded bool
	)
	for _, m := range muts {
		if m.Command.Action != app.ActionAddStaff || m.Command.Args.Staff == nil {
			continue
		}
		if !loaded {
			if err := s.store.View(shopID, func(tx ShopTx) error {
				var err error
				list, err = tx.Staff()
				return err
			}); err != nil {
				return forget
			}
			loaded = true
		}
		next, err := app.ChangeStaff(list, app.ActionAddStaff, *m.Command.Args.Staff)
		aheadOfPush.Lock()
		if len(aheadOfPush.by) > 1000 {
			clear(aheadOfPush.by)
		}
		k := aheadKey(term.ID, m.Mid)
		aheadOfPush.by[k] = &staffAhead{base: staffDigest(list), list: next, err: err}
		aheadOfPush.Unlock()
		done = append(done, k)
		if err == nil {
			list = next
		}
	}
	return forget
}

// takeAhead returns the work prepareStaff did for a mutation; the write
// transaction may run more than once, so it stays until the push is done.
func takeAhead(terminal string, mid uint64) *staffAhead {
	aheadOfPush.Lock()
	defer aheadOfPush.Unlock()
	return aheadOfPush.by[aheadKey(terminal, mid)]
}

// changeStaff applies a staff change made at the cloud (the admin socket)
// and logs it, so every terminal receives the new list. The PIN check runs
// before the write transaction.
func changeStaff(b Backend, shopID string, a app.Action, c app.StaffChange, now time.Time) ([]app.Staff, uint64, error) {
	if _, err := b.Shop(shopID); err != nil {
		return nil, 0, err
	}
	if a == app.ActionAddStaff && c.Salt == nil {
		salt, err := app.NewStaffSalt()
		if err != nil {
			return nil, 0, err
		}
		c.Salt = salt
	}
	var before []app.Staff
	if err := b.View(shopID, func(tx ShopTx) error {
		var err error
		before, err = tx.Staff()
		return err
	}); err != nil {
		return nil, 0, err
	}
	next, err := app.ChangeStaff(before, a, c)
	ahead := &staffAhead{base: staffDigest(before), list: next, err: err}
	var (
		list []app.Staff
		head uint64
	)
	err = b.Update(shopID, func(tx ShopTx) error {
		var err error
		if list, err = applyStaffChange(tx, a, c, ahead); err != nil {
			return err
		}
		if _, err := tx.AppendChange(&wire.Change{Staff: list, At: now}); err != nil {
			return err
		}
		head = tx.Head()
		return nil
	})
	return list, head, err
}

// ShopStaff lists a shop's staff as terminals see them (no keys).
func ShopStaff(b Backend, shopID string) ([]app.Staff, error) {
	var list []app.Staff
	err := b.View(shopID, func(tx ShopTx) error {
		l, err := tx.Staff()
		list = app.PublicStaff(l)
		return err
	})
	return list, err
}

// AddStaff adds a member to a shop and passes the list to its terminals.
// Errors: EInvalid naming the field, ENotFound (shop).
func (s *Server) AddStaff(shopID, name string, role app.Role, pin string) ([]app.Staff, error) {
	list, head, err := changeStaff(s.store, shopID, app.ActionAddStaff, app.StaffChange{Name: name, Role: role, PIN: pin}, s.now())
	if err != nil {
		return nil, err
	}
	s.notify(shopID, head, 1)
	return list, nil
}

// RemoveStaff removes a member (never the last owner). Errors: ENotFound, EConflict.
func (s *Server) RemoveStaff(shopID, name string) ([]app.Staff, error) {
	list, head, err := changeStaff(s.store, shopID, app.ActionRemoveStaff, app.StaffChange{Name: name}, s.now())
	if err != nil {
		return nil, err
	}
	s.notify(shopID, head, 1)
	return list, nil
}

// pinGuard counts wrong PINs per terminal, in this process: after
// maxWrongPINs within wrongPINWindow, the terminal's proofs are refused
// unchecked until the window has passed since the last one.
type pinGuard struct {
	mu    sync.Mutex
	wrong map[string][]time.Time
}

const (
	maxWrongPINs   = 5
	wrongPINWindow = 5 * time.Minute
)

var wrongPINs = &pinGuard{wrong: map[string][]time.Time{}}

func (g *pinGuard) recent(terminal string, now time.Time) []time.Time {
	var kept []time.Time
	for _, t := range g.wrong[terminal] {
		if now.Sub(t) < wrongPINWindow {
			kept = append(kept, t)
		}
	}
	if kept == nil {
		delete(g.wrong, terminal)
	} else {
		g.wrong[terminal] = kept
	}
	return kept
}

// lockedFor is how long the terminal must wait before a PIN is checked again.
func (g *pinGuard) lockedFor(terminal string, now time.Time) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.recent(terminal, now)
	if len(r) < maxWrongPINs {
		return 0
	}
	return wrongPINWindow - now.Sub(r[len(r)-1])
}

func (g *pinGuard) fail(terminal string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.wrong[terminal] = append(g.recent(terminal, now), now)
}

// CheckSignIn answers a terminal asking whether a sign-in is genuine: the
// member exists and the proof was made with the key their PIN unlocks.
func (s *Server) CheckSignIn(term *Terminal, req wire.StaffCheck) *wire.StaffChecked {
	out := &wire.StaffChecked{Type: wire.TypeStaffChecked, Staff: req.Staff, Nonce: req.Nonce}
	if err := s.verifySignIn(term, req); err != nil {
		if app.ErrorCode(err) == app.EInternal {
			s.log.Error("staff check", "terminal", term.ID, "err", err)
		}
		out.Code, out.Message = app.ErrorCode(err), app.ErrorMessage(err)
		return out
	}
	out.OK = true
	return out
}

func (s *Server) verifySignIn(term *Terminal, req wire.StaffCheck) error {
	now := s.now()
	if wait := wrongPINs.lockedFor(term.ID, now); wait > 0 {
		return app.Errorf(app.EForbidden, "too many wrong PINs on this terminal; try again in %d minutes", int(wait.Minutes())+1)
	}
	if len(req.Nonce) < 16 || len(req.Nonce) > 128 {
		return app.FieldError("nonce", "must be 16 to 128 characters")
	}
	member, err := s.staffMember(term.Shop, req.Staff)
	if err != nil {
		return err
	}
	if !app.CheckSignInProof(member.Key, term.TokenHash, req.Nonce, req.Proof) {
		wrongPINs.fail(term.ID, now)
		return app.Errorf(app.EForbidden, "wrong PIN")
	}
	return nil
}

// StaffRequest names a member to add or remove (the admin socket's staff routes).
type StaffRequest struct {
	Name string `json:"name"`
	Role string `json:"role,omitempty"`
	PIN  string `json:"pin,omitempty"`
}

// AddStaff adds a member to a shop; see Server.AddStaff.
func (a Admin) AddStaff(shop, name string, role app.Role, pin string) ([]app.Staff, error) {
	var out []app.Staff
	err := a.call("/admin/shops/"+shop+"/staff", StaffRequest{Name: name, Role: string(role), PIN: pin}, &out)
	if errors.Is(err, errNoServer) {
		err = a.direct(func(b Backend) error {
			var err error
			out, _, err = changeStaff(b, shop, app.ActionAddStaff, app.StaffChange{Name: name, Role: role, PIN: pin}, time.Now().UTC())
			return err
		})
	}
	return out, err
}

// ListStaff lists a shop's staff (names and roles; PIN hashes never print).
func (a Admin) ListStaff(shop string) ([]app.Staff, error) {
	var out []app.Staff
	err := a.call("/admin/shops/"+shop+"/staff/list", struct{}{}, &out)
	if errors.Is(err, errNoServer) {
		err = a.direct(func(b Backend) error {
			var err error
			out, err = ShopStaff(b, shop)
			return err
		})
	}
	return out, err
}

// RemoveStaff removes a member from a shop; see Server.RemoveStaff.
func (a Admin) RemoveStaff(shop, name string) ([]app.Staff, error) {
	var out []app.Staff
	err := a.call("/admin/shops/"+shop+"/staff/remove", StaffRequest{Name: name}, &out)
	if errors.Is(err, errNoServer) {
		err = a.direct(func(b Backend) error {
			var err error
			out, _, err = changeStaff(b, shop, app.ActionRemoveStaff, app.StaffChange{Name: name}, time.Now().UTC())
			return err
		})
	}
	return out, err
}

func publicStaff(tx ShopTx) ([]app.Staff, error) {
	list, err := tx.Staff()
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return app.PublicStaff(list), nil
}

// AddStaffMember adds a member to the shop with the salt the caller chose,
// so the caller can derive the same signing key (the demo seed).
func (s *Server) AddStaffMember(shop string, c app.StaffChange) error {
	_, head, err := changeStaff(s.store, shop, app.ActionAddStaff, c, s.now())
	if err != nil {
		return err
	}
	s.notify(shop, head, 1)
	return nil
}

// AdoptStaff gives the shop (the embedded cloud's), while it has no staff,
// the list the terminal kept on its own before the cloud kept staff, so its
// owner keeps their rights after the upgrade. Records of the older scheme
// keep their hashes and sign with app.LegacyKey. It returns how many were taken.
func (s *Server) AdoptStaff(shop string, local []app.Staff) (int, error) {
	var (
		adopted []app.Staff
		head    uint64
	)
	err := s.store.Update(shop, func(tx ShopTx) error {
		adopted = adopted[:0]
		cur, err := tx.Staff()
		if err != nil || len(cur) > 0 {
			return err
		}
		owners := 0
		for _, m := range local {
			key := app.LegacyKey(m)
			if key == nil || len(m.Salt) == 0 {
				continue // a record of the current scheme was made for a cloud, which has it
			}
			m.Key = key
			adopted = append(adopted, m)
			if m.Role == app.RoleOwner {
				owners++
			}
		}
		if owners == 0 {
			adopted = nil
			return nil
		}
		if err := tx.PutStaff(adopted); err != nil {
			return err
		}
		if _, err := tx.AppendChange(&wire.Change{Staff: app.PublicStaff(adopted), At: s.now()}); err != nil {
			return err
		}
		head = tx.Head()
		return nil
	})
	if err != nil || len(adopted) == 0 {
		return 0, err
	}
	s.notify(shop, head, 1)
	return len(adopted), nil
}

// staffMember finds name on shop's staff list; a name not on it is refused, since only listed staff may act.
func (s *Server) staffMember(shop, name string) (app.Staff, error) {
	var member app.Staff
	var found bool
	err := s.store.View(shop, func(tx ShopTx) error {
		list, err := tx.Staff()
		member, found = app.FindStaff(list, name)
		return err
	})
	if err != nil {
		return app.Staff{}, err
	}
	if !found {
		return app.Staff{}, app.Errorf(app.EForbidden, "%s is not on the staff list", name)
	}
	return member, nil
}
