package app_test

import (
	"testing"

	"github.com/kasir/pos/app"
)

// A member's check value opens the sign-in but does not give the signing
// key; the PIN does, and the key is the one the cloud derives.
func TestStaffKeysComeOnlyFromThePIN(t *testing.T) {
	list, err := app.AddStaff(nil, "Ayu", app.RoleOwner, "123456")
	if err != nil {
		t.Fatal(err)
	}
	cloudKey := list[0].Key
	pub := app.PublicStaff(list)
	if pub[0].CanSign() || len(cloudKey) != 32 {
		t.Fatalf("public list signs: %v; cloud key %d bytes", pub[0].CanSign(), len(cloudKey))
	}
	for _, b := range [][]byte{pub[0].Hash, pub[0].Salt} {
		if string(b) == string(cloudKey) {
			t.Fatal("the signing key is in the public record")
		}
	}
	m, err := app.SignIn(pub, "123456")
	if err != nil || string(m.Key) != string(cloudKey) {
		t.Fatalf("the PIN unlocks another key (%v)", err)
	}
	if _, err := app.SignIn(pub, "654321"); !app.IsWrongPIN(err) {
		t.Fatalf("a wrong PIN: %v", err)
	}
	// A record from before the cloud kept staff still signs in, but cannot sign.
	legacy := app.Staff{Name: "Old", Role: app.RoleOwner, Salt: pub[0].Salt}
	if m, ok := legacy.Unlock("123456"); ok || m.CanSign() {
		t.Fatal("an empty legacy hash unlocked")
	}
}

// Each journaled change by a signed-in member carries a proof bound to its
// mid, the terminal and the command; without the key nothing is signed.
func TestJournaledChangesAreSigned(t *testing.T) {
	var got []app.Journaled
	svc, _, _ := newService(t, app.WithJournal(func(_ app.Tx, j app.Journaled) error { got = append(got, j); return nil }))
	list, _ := app.AddStaff(nil, "Ayu", app.RoleOwner, "1234")
	ayu, _ := app.SignIn(app.PublicStaff(list), "1234")
	svc.Keys.Bind("pos_token")
	ids := placeNew(t, svc, 1)
	note := app.Command{Action: app.ActionAddNote, OrderID: ids[0], Args: app.Args{Note: "ok"}}
	if _, err := svc.Do(note, owner); err != nil {
		t.Fatal(err)
	}
	if got[len(got)-1].Prove != nil {
		t.Fatal("a change by someone not signed in was signed")
	}
	svc.Keys.Remember(ayu)
	if _, err := svc.Do(note, owner); err != nil {
		t.Fatal(err)
	}
	j := got[len(got)-1]
	p := j.Prove(7)
	binding := app.TerminalBinding("pos_token")
	if !p.Verify(list[0].Key, binding, 7, j.At, j.Cmd) {
		t.Fatal("the proof does not verify with the cloud's key")
	}
	other := j.Cmd
	other.Args.Note = "changed"
	for name, ok := range map[string]bool{
		"another mid":      p.Verify(list[0].Key, binding, 8, j.At, j.Cmd),
		"another terminal": p.Verify(list[0].Key, app.TerminalBinding("pos_other"), 7, j.At, j.Cmd),
		"another command":  p.Verify(list[0].Key, binding, 7, j.At, other),
	} {
		if ok {
			t.Errorf("the proof verifies for %s", name)
		}
	}
	svc.Keys.Forget("Ayu")
	if _, err := svc.Do(note, owner); err != nil {
		t.Fatal(err)
	}
	if got[len(got)-1].Prove != nil {
		t.Fatal("signed after the member signed out")
	}
}

// BenchmarkVerifyChange is what checking one mutation's proof costs the cloud.
func BenchmarkVerifyChange(b *testing.B) {
	list, _ := app.AddStaff(nil, "Ayu", app.RoleOwner, "1234")
	cmd := app.Command{Action: app.ActionReject, OrderID: "tokopedia:1", Args: app.Args{Reason: "stok habis"}}
	binding := app.TerminalBinding("pos_token")
	p := app.SignChange(list[0].Key, binding, 1, "Ayu", t0, cmd)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !p.Verify(list[0].Key, binding, 1, t0, cmd) {
			b.Fatal("proof does not verify")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/verify")
}
