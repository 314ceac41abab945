package client_test

import (
	"testing"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// signInOwner puts "Owner" (PIN 1234) on the shop's staff list, once, and
// signs them in at each terminal, so the changes they make there carry the
// owner's proof.
func (tc *testCloud) signInOwner(t testing.TB, tms ...*terminal) {
	t.Helper()
	tc.signInOwnerAs(t, "Owner", tms...)
}

// signInOwnerAs is signInOwner for an owner of another name.
func (tc *testCloud) signInOwnerAs(t testing.TB, name string, tms ...*terminal) {
	t.Helper()
	list, err := cloud.ShopStaff(tc.store, tc.shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := app.FindStaff(list, name); !ok {
		if list, err = tc.srv.AddStaff(tc.shop.ID, name, app.RoleOwner, "1234"); err != nil {
			t.Fatal(err)
		}
	}
	for _, tm := range tms {
		tm.signIn(t, list, "1234")
	}
}

// signIn unlocks the member whose PIN this is and keeps their key, as the
// sign-in screen does.
func (tm *terminal) signIn(t testing.TB, list []app.Staff, pin string) app.Staff {
	t.Helper()
	m, err := app.SignIn(list, pin)
	if err != nil {
		t.Fatal(err)
	}
	tm.svc.Keys.Remember(m)
	return m
}
