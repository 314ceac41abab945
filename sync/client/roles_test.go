package client_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

// rawTerminal speaks the sync protocol by hand, as a forger would.
type rawTerminal struct {
	t     *testing.T
	ws    *websocket.Conn
	token string
}

func dialRaw(t *testing.T, baseURL, token string) *rawTerminal {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(strings.Replace(baseURL, "http", "ws", 1)+wire.Path, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	r := &rawTerminal{t: t, ws: ws, token: token}
	if err := ws.WriteJSON(wire.Hello{Type: wire.TypeHello, Proto: wire.Proto, Cursor: 1 << 62}); err != nil {
		t.Fatal(err)
	}
	r.next(wire.TypeWelcome)
	return r
}

// next reads messages until one of type typ, skipping the change stream.
func (r *rawTerminal) next(typ string) []byte {
	r.t.Helper()
	for {
		_ = r.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, data, err := r.ws.ReadMessage()
		if err != nil {
			r.t.Fatalf("waiting for %s: %v", typ, err)
		}
		var env wire.Envelope
		_ = json.Unmarshal(data, &env)
		if env.Type == typ {
			return data
		}
		if env.Type == wire.TypeError {
			r.t.Fatalf("waiting for %s: %s", typ, data)
		}
	}
}

// push sends mutations and returns the cloud's verdicts.
func (r *rawTerminal) push(muts ...wire.Mutation) []wire.Result {
	r.t.Helper()
	if err := r.ws.WriteJSON(wire.Push{Type: wire.TypePush, Mutations: muts}); err != nil {
		r.t.Fatal(err)
	}
	out := make([]wire.Result, len(muts))
	for i := range muts {
		if err := json.Unmarshal(r.next(wire.TypeResult), &out[i]); err != nil {
			r.t.Fatal(err)
		}
	}
	return out
}

// signed is m with the proof the member's key makes for this terminal.
func signed(m wire.Mutation, member app.Staff, token string) wire.Mutation {
	m.Proof = app.SignChange(member.Key, app.TerminalBinding(token), m.Mid, member.Name, m.At, m.Command)
	return m
}

// A terminal token that claims role owner gets no owner-only action
// applied; only a proof made with the owner's PIN-derived key does, and
// revoking the terminal ends it.
func TestRoleForgeryIsRefused(t *testing.T) {
	tc := startCloud(t)
	if _, err := tc.srv.AddStaff(tc.shop.ID, "Owner", app.RoleOwner, "1234"); err != nil {
		t.Fatal(err)
	}
	list, err := tc.srv.AddStaff(tc.shop.ID, "Kasir", app.RoleCashier, "0000")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if len(s.Key) != 0 {
			t.Fatal("the staff list the cloud hands out carries a signing key")
		}
	}
	owner, err := app.SignIn(list, "1234")
	if err != nil {
		t.Fatal(err)
	}
	kasir, err := app.SignIn(list, "0000")
	if err != nil {
		t.Fatal(err)
	}
	o1 := postWoo(t, tc.url, tc.shop, 1)
	o2 := postWoo(t, tc.url, tc.shop, 2)
	id, tok := tc.token(t)
	raw := dialRaw(t, tc.url, tok)
	before := cloudHead(t, tc.store, tc.shop.ID)

	claimed := app.Actor{Staff: "Owner", Role: app.RoleOwner}
	at := time.Now().UTC().Add(-time.Second)
	pol := app.DefaultPolicy()
	pol.ShopAddress = "Jl. Palsu 1"
	forged := []wire.Mutation{
		{Mid: 1, Actor: claimed, At: at, Command: app.Command{Action: app.ActionImportProducts,
			Args: app.Args{Products: []*app.Product{{SKU: "FREE-1", Name: "Gratis", Currency: app.IDR, Price: 1, OnHand: 999}}}}},
		{Mid: 2, Actor: claimed, At: at, Command: app.Command{Action: app.ActionSetPolicy, Args: app.Args{Policy: &pol}}},
		{Mid: 3, Actor: claimed, At: at, Command: app.Command{Action: app.ActionReject, OrderID: o1, Args: app.Args{Reason: "out of stock"}}},
		{Mid: 4, Actor: claimed, At: at, Command: app.Command{Action: app.ActionCancel, OrderID: o2, Args: app.Args{Reason: "buyer asked"}}},
		{Mid: 5, Actor: claimed, At: at, Command: app.Command{Action: app.ActionAddStaff,
			Args: app.Args{Staff: &app.StaffChange{Name: "Maling", Role: app.RoleOwner, PIN: "4321", Salt: make([]byte, 16)}}}},
		// A made-up signature, and a real one by the cashier, prove no owner.
		{Mid: 6, Actor: claimed, At: at, Proof: &app.StaffProof{Staff: "Owner", Sig: strings.Repeat("ab", 32)},
			Command: app.Command{Action: app.ActionReject, OrderID: o1, Args: app.Args{Reason: "out of stock"}}},
		signed(wire.Mutation{Mid: 7, Actor: claimed, At: at, Command: app.Command{Action: app.ActionCancel, OrderID: o2, Args: app.Args{Reason: "x"}}}, kasir, tok),
		// The owner's real proof made for another mid does not carry over.
		func() wire.Mutation {
			m := signed(wire.Mutation{Mid: 99, Actor: claimed, At: at, Command: app.Command{Action: app.ActionReject, OrderID: o1, Args: app.Args{Reason: "x"}}}, owner, tok)
			m.Mid = 8
			return m
		}(),
	}
	for i, r := range raw.push(forged...) {
		if r.Status != wire.StatusRejected || r.Code != app.EForbidden {
			t.Errorf("forged mutation %d (%s): %+v, want rejected %s", i+1, forged[i].Action, r, app.EForbidden)
		}
	}
	if head := cloudHead(t, tc.store, tc.shop.ID); head != before {
		t.Fatalf("forged mutations changed the log: head %d → %d", before, head)
	}
	err = tc.store.View(tc.shop.ID, func(tx cloud.ShopTx) error {
		if p, _ := tx.Product("FREE-1"); p != nil {
			t.Error("forged import_products stored a product")
		}
		if p, _ := tx.Policy(); p != nil {
			t.Errorf("forged set_policy stored %+v", p)
		}
		for _, id := range []string{o1, o2} {
			if o, _ := tx.Order(id); o == nil || o.Status != app.StatusNew {
				t.Errorf("order %s after forged reject/cancel: %+v", id, o)
			}
		}
		staff, _ := tx.Staff()
		if len(staff) != 2 {
			t.Errorf("forged add_staff: %d staff", len(staff))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// A cashier's own proof is a cashier's rights; the owner's proof is the owner's.
	ok := raw.push(
		signed(wire.Mutation{Mid: 9, Actor: claimed, At: at, Command: app.Command{Action: app.ActionAccept, OrderID: o2}}, kasir, tok),
		signed(wire.Mutation{Mid: 10, Actor: app.Actor{Staff: "Owner", Role: app.RoleCashier}, At: at,
			Command: app.Command{Action: app.ActionReject, OrderID: o1, Args: app.Args{Reason: "out of stock"}}}, owner, tok),
	)
	for _, r := range ok {
		if r.Status != wire.StatusApplied {
			t.Fatalf("proven mutation refused: %+v", r)
		}
	}
	err = tc.store.View(tc.shop.ID, func(tx cloud.ShopTx) error {
		o, err := tx.Order(o1)
		if err != nil {
			return err
		}
		if o.Status != app.StatusCancelled {
			t.Errorf("owner's reject: order %s", o.Status)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_, items, _ := changesFrom(t, tc, before)
	last := items[len(items)-1]
	if last.Terminal != id || len(last.Events) == 0 || last.Events[0].Actor.Staff != "Owner" || last.Events[0].Actor.Role != app.RoleOwner || last.Events[0].Actor.Terminal != id {
		t.Errorf("the owner's reject is recorded as %+v", last.Events)
	}

	// The owner's proof is bound to this terminal: another terminal cannot replay it.
	_, tok2 := tc.token(t)
	raw2 := dialRaw(t, tc.url, tok2)
	replay := signed(wire.Mutation{Mid: 1, Actor: claimed, At: at, Command: app.Command{Action: app.ActionCancel, OrderID: o2, Args: app.Args{Reason: "x"}}}, owner, tok)
	if r := raw2.push(replay)[0]; r.Code != app.EForbidden {
		t.Fatalf("a proof for another terminal: %+v", r)
	}

	// Revoking the terminal ends its staff sessions: its socket closes, its
	// token no longer connects, and what its staff signed is refused elsewhere.
	if _, err := tc.srv.RevokeTerminal(id); err != nil {
		t.Fatal(err)
	}
	_ = raw.ws.SetReadDeadline(time.Now().Add(2 * time.Second))
	for {
		if _, _, err := raw.ws.ReadMessage(); err != nil {
			break
		}
	}
	_, resp, err := websocket.DefaultDialer.Dial(strings.Replace(tc.url, "http", "ws", 1)+wire.Path, http.Header{"Authorization": {"Bearer " + tok}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("revoked token reconnects: %v %v", resp, err)
	}
	late := signed(wire.Mutation{Mid: 2, Actor: claimed, At: at, Command: app.Command{Action: app.ActionCancel, OrderID: o2, Args: app.Args{Reason: "x"}}}, owner, tok)
	if r := raw2.push(late)[0]; r.Code != app.EForbidden {
		t.Fatalf("a revoked terminal's owner proof: %+v", r)
	}
}

// changesFrom reads the shop's log after seq.
func changesFrom(t *testing.T, tc *testCloud, after uint64) (uint64, []wire.Change, uint64) {
	t.Helper()
	raw, head, oldest, err := tc.store.ChangesAfter(tc.shop.ID, after, 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]wire.Change, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal(r, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return head, out, oldest
}

// The cloud checks a sign-in's PIN proof, and wrong PINs are limited per terminal.
func TestSignInIsCheckedInTheCloud(t *testing.T) {
	tc := startCloud(t)
	list, err := tc.srv.AddStaff(tc.shop.ID, "Owner", app.RoleOwner, "1234")
	if err != nil {
		t.Fatal(err)
	}
	owner, _ := app.SignIn(list, "1234")
	_, tok := tc.token(t)
	raw := dialRaw(t, tc.url, tok)
	check := func(key []byte) wire.StaffChecked {
		nonce := strings.Repeat("n", 24) + time.Now().Format("150405.000000000")
		req := wire.StaffCheck{Type: wire.TypeStaffCheck, Staff: "Owner", Nonce: nonce, Proof: app.SignInProof(key, app.TerminalBinding(tok), nonce)}
		if err := raw.ws.WriteJSON(req); err != nil {
			t.Fatal(err)
		}
		var r wire.StaffChecked
		if err := json.Unmarshal(raw.next(wire.TypeStaffChecked), &r); err != nil {
			t.Fatal(err)
		}
		if r.Nonce != nonce {
			t.Fatalf("answer for nonce %q, asked %q", r.Nonce, nonce)
		}
		return r
	}
	if r := check(owner.Key); !r.OK {
		t.Fatalf("the owner's right PIN: %+v", r)
	}
	wrong := make([]byte, 32)
	for i := 0; i < 5; i++ {
		if r := check(wrong); r.OK || r.Code != app.EForbidden {
			t.Fatalf("wrong PIN %d: %+v", i+1, r)
		}
	}
	// Five wrong PINs lock the terminal: even the right PIN waits, and so do its signed changes.
	if r := check(owner.Key); r.OK || !strings.Contains(r.Message, "too many wrong PINs") {
		t.Fatalf("after five wrong PINs: %+v", r)
	}
	m := signed(wire.Mutation{Mid: 1, Actor: app.Actor{Staff: "Owner"}, At: time.Now().UTC(), Command: app.Command{Action: app.ActionSetPolicy, Args: app.Args{Policy: new(app.DefaultPolicy())}}}, owner, tok)
	if r := raw.push(m)[0]; r.Code != app.EForbidden || !strings.Contains(r.Message, "too many wrong PINs") {
		t.Fatalf("signed change from a locked terminal: %+v", r)
	}
	// Another terminal of the shop is not locked.
	_, tok2 := tc.token(t)
	raw2 := dialRaw(t, tc.url, tok2)
	nonce := strings.Repeat("m", 32)
	_ = raw2.ws.WriteJSON(wire.StaffCheck{Type: wire.TypeStaffCheck, Staff: "Owner", Nonce: nonce, Proof: app.SignInProof(owner.Key, app.TerminalBinding(tok2), nonce)})
	var r wire.StaffChecked
	if err := json.Unmarshal(raw2.next(wire.TypeStaffChecked), &r); err != nil || !r.OK {
		t.Fatalf("another terminal's sign-in: %+v %v", r, err)
	}
}

// Staff added by the owner at one terminal reach another terminal, which
// can then sign them in; a removal reaches it too.
func TestStaffAddedAtOneTerminalReachAnother(t *testing.T) {
	tc := startCloud(t)
	idA, tokA := tc.token(t)
	idB, tokB := tc.token(t)
	a := newTerminal(t, tc.url, idA, tokA)
	b := newTerminal(t, tc.url, idB, tokB)
	// B's register is told of each list it stores, so its screens show it at once.
	var told [][]app.Staff
	b.stop()
	b.startWith(func(c *client.Client) {
		c.OnStaff = func(list []app.Staff) {
			b.mu.Lock()
			told = append(told, list)
			b.mu.Unlock()
		}
	})
	for _, tm := range []*terminal{a, b} {
		waitFor(t, 5*time.Second, "terminal online", func() bool { return tm.client.State().Status == client.Online })
	}
	tc.signInOwner(t, a)
	owner := app.Actor{Staff: "Owner", Role: app.RoleOwner}
	salt, _ := app.NewStaffSalt()
	add := app.Command{Action: app.ActionAddStaff, Args: app.Args{Staff: &app.StaffChange{Name: "Nina", Role: app.RolePacker, PIN: "2468", Salt: salt}}}
	if _, err := a.svc.Do(add, owner); err != nil {
		t.Fatal(err)
	}
	staffOf := func(tm *terminal) []app.Staff {
		var list []app.Staff
		_, _ = tm.db.GetSetting(app.SettingStaff, &list)
		return list
	}
	waitFor(t, 5*time.Second, "Nina on terminal B", func() bool { _, ok := app.FindStaff(staffOf(b), "Nina"); return ok })
	waitFor(t, 5*time.Second, "B's register told of Nina", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, list := range told {
			if _, ok := app.FindStaff(list, "Nina"); ok {
				return true
			}
		}
		return false
	})
	nina, err := app.SignIn(staffOf(b), "2468")
	if err != nil || nina.Name != "Nina" || nina.Role != app.RolePacker {
		t.Fatalf("Nina signs in at B as %+v: %v", nina, err)
	}
	// B signs Nina's change with the key her PIN unlocked there; the cloud agrees it is hers.
	b.svc.Keys.Remember(nina)
	if err := b.client.CheckSignIn(t.Context(), nina); err != nil {
		t.Fatalf("the cloud refused Nina's sign-in at B: %v", err)
	}
	// A list edited on the tablet does not fool the cloud: a key the cloud
	// does not hold is a wrong PIN there.
	forged := nina
	forged.Key = make([]byte, 32)
	if err := b.client.CheckSignIn(t.Context(), forged); app.ErrorCode(err) != app.EForbidden {
		t.Fatalf("a sign-in with a key the cloud does not hold: %v", err)
	}
	// A cashier at A cannot remove her: the cloud needs the owner's proof.
	a.svc.Keys.Forget("Owner")
	rm := app.Command{Action: app.ActionRemoveStaff, Args: app.Args{Staff: &app.StaffChange{Name: "Nina"}}}
	if _, err := a.svc.Do(rm, owner); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "the unproven removal refused", func() bool {
		a.mu.Lock()
		defer a.mu.Unlock()
		return len(a.rejected) == 1 && a.rejected[0].Code == app.EForbidden
	})
	tc.signInOwner(t, a)
	if _, err := a.svc.Do(rm, owner); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "Nina gone from terminal B", func() bool { _, ok := app.FindStaff(staffOf(b), "Nina"); return !ok && len(staffOf(b)) == 1 })
	// A terminal paired later gets the list in its snapshot or log.
	idC, tokC := tc.token(t)
	c := newTerminal(t, tc.url, idC, tokC)
	waitFor(t, 5*time.Second, "the list on terminal C", func() bool { _, ok := app.FindStaff(staffOf(c), "Owner"); return ok })
}
