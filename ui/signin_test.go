package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kasir/pos/app"
)

func pressKey(c fyne.Canvas, name fyne.KeyName) {
	c.OnTypedKey()(&fyne.KeyEvent{Name: name})
}

func waitSignedIn(t *testing.T, f *fixture, who string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for f.m.actor.Staff != who {
		if time.Now().After(deadline) {
			t.Fatalf("signed in as %+v, want %s", f.m.actor, who)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The PIN pad takes a physical keyboard: digits, Backspace and Enter.
func TestPINPadTakesTheKeyboard(t *testing.T) {
	f := newFixture(t, "")
	si := newSignIn(f.m)
	f.m.Window().SetContent(si.buildUI())
	c := f.m.Window().Canvas()
	test.TypeOnCanvas(c, "12x9")
	if si.pin != "129" || si.dots.Text != "●●●" {
		t.Fatalf("after typing 12x9: pin %q, dots %q", si.pin, si.dots.Text)
	}
	pressKey(c, fyne.KeyBackspace)
	test.TypeOnCanvas(c, "34")
	if si.pin != "1234" {
		t.Fatalf("after Backspace and 34: pin %q", si.pin)
	}
	pressKey(c, fyne.KeyReturn)
	waitSignedIn(t, f, "Owner")
	if f.m.actor.Role != app.RoleOwner {
		t.Fatalf("signed in as %+v", f.m.actor)
	}
	if _, ok := f.svc.Keys.Key("Owner"); !ok {
		t.Fatal("the owner's signing key is not held for the sign-in")
	}
	// Signed in, the keyboard belongs to the screens again.
	if c.OnTypedRune() != nil || c.OnTypedKey() != nil {
		t.Fatal("the PIN pad still takes the keyboard after sign-in")
	}
	// Locking forgets the key.
	f.m.onLock()
	if _, ok := f.svc.Keys.Key("Owner"); ok {
		t.Fatal("the owner's key outlived the sign-in")
	}
	if c.OnTypedRune() == nil {
		t.Fatal("the PIN pad does not take the keyboard after locking")
	}
}

// The keypad's Enter (numeric keypad) signs in too, and a refusal from the
// cloud keeps the tablet signed out with the cloud's reason.
func TestCloudRefusalKeepsThePadLocked(t *testing.T) {
	f := newFixture(t, "")
	asked := ""
	f.m.d.CheckSignIn = func(m app.Staff) error {
		asked = m.Name
		if !m.CanSign() {
			t.Error("the cloud was asked without the key the PIN unlocked")
		}
		return app.Errorf(app.EForbidden, "%s is not on the staff list", m.Name)
	}
	si := newSignIn(f.m)
	f.m.Window().SetContent(si.buildUI())
	c := f.m.Window().Canvas()
	test.TypeOnCanvas(c, "0000")
	pressKey(c, fyne.KeyEnter)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(si.message.Text, "not on the staff list") {
		if time.Now().After(deadline) {
			t.Fatalf("message %q", si.message.Text)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if asked != "Kasir" || f.m.actor.Staff != "" {
		t.Fatalf("asked about %q, signed in as %+v", asked, f.m.actor)
	}
}

// Five wrong PINs lock the pad, even for the right PIN.
func TestWrongPINsLockThePad(t *testing.T) {
	f := newFixture(t, "")
	si := newSignIn(f.m)
	f.m.Window().SetContent(si.buildUI())
	c := f.m.Window().Canvas()
	for i := 0; i < maxWrongPINs; i++ {
		test.TypeOnCanvas(c, "9999")
		pressKey(c, fyne.KeyReturn)
		deadline := time.Now().Add(5 * time.Second)
		for si.busy || si.pin != "" {
			if time.Now().After(deadline) {
				t.Fatal("the pad never answered")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	test.TypeOnCanvas(c, "1234")
	pressKey(c, fyne.KeyReturn)
	if !strings.Contains(si.message.Text, "Too many wrong PINs") || f.m.actor.Staff != "" {
		t.Fatalf("after five wrong PINs: %q, signed in as %+v", si.message.Text, f.m.actor)
	}
}

// The owner adds and removes staff from settings; the list is what sync
// keeps, and the member can sign in at once.
func TestOwnerAddsAndRemovesStaff(t *testing.T) {
	f := newFixture(t, "Owner")
	nina, err := f.m.staff.add(f.m.actor, "Nina", app.RolePacker, "2468")
	if err != nil {
		t.Fatal(err)
	}
	if !nina.CanSign() {
		t.Fatal("the new member holds no signing key")
	}
	var stored []app.Staff
	if _, err := f.db.GetSetting(app.SettingStaff, &stored); err != nil || len(stored) != 3 {
		t.Fatalf("stored staff %d: %v", len(stored), err)
	}
	if got, err := app.SignIn(stored, "2468"); err != nil || got.Name != "Nina" {
		t.Fatalf("Nina signs in as %+v: %v", got, err)
	}
	kasir := f.staff["Kasir"].Actor("Counter")
	if err := f.m.staff.remove(kasir, "Nina"); app.ErrorCode(err) != app.EForbidden {
		t.Fatalf("a cashier removed staff: %v", err)
	}
	if err := f.m.staff.remove(f.m.actor, "Nina"); err != nil {
		t.Fatal(err)
	}
	if err := f.m.staff.remove(f.m.actor, "Owner"); app.ErrorCode(err) != app.EConflict {
		t.Fatalf("removing the last owner: %v", err)
	}
	if n := len(f.m.staff.members()); n != 2 {
		t.Fatalf("%d staff after removing Nina", n)
	}
}

// With a cloud, a staff change shows at once and the cloud's list then
// decides: a refused addition leaves the list, the banner says why.
func TestStaffChangeWaitsForTheCloud(t *testing.T) {
	f := newFixture(t, "Owner")
	f.m.staff.fromCloud = true
	if _, err := f.m.staff.add(f.m.actor, "Nina", app.RolePacker, "2468"); err != nil {
		t.Fatal(err)
	}
	if _, ok := app.FindStaff(f.m.staff.members(), "Nina"); !ok {
		t.Fatal("Nina is not shown while the cloud decides")
	}
	var stored []app.Staff
	_, _ = f.db.GetSetting(app.SettingStaff, &stored)
	if _, ok := app.FindStaff(stored, "Nina"); ok {
		t.Fatal("the cloud's list was overwritten before the cloud answered")
	}
	f.m.OnChangeRefused(app.ActionAddStaff, app.Verbatim("only the owner can add staff"))
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(f.m.bannerText.Text, "only the owner can add staff") {
		if time.Now().After(deadline) {
			t.Fatalf("banner %q", f.m.bannerText.Text)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, ok := app.FindStaff(f.m.staff.members(), "Nina"); ok {
		t.Fatal("a refused addition is still on the list")
	}
}
