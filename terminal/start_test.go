package terminal_test

import (
	"context"
	"crypto/pbkdf2"
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/terminal"
)

// A terminal that kept its own staff list before the cloud kept staff hands
// it to its embedded cloud: the owner keeps the owner's rights.
func TestEmbeddedCloudAdoptsTheTerminalsStaff(t *testing.T) {
	dir := t.TempDir()
	term, err := terminal.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	salt := []byte("0123456789abcdef")
	secret, err := pbkdf2.Key(sha256.New, "1234", salt, 60000, 32)
	if err != nil {
		t.Fatal(err)
	}
	legacy := []app.Staff{{Name: "Ayu", Role: app.RoleOwner, Salt: salt, Hash: secret}}
	if err := term.DB.PutSetting(app.SettingStaff, legacy); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	rt, err := terminal.Start(ctx, term, terminal.StartOptions{})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	defer func() { cancel(); rt.Close() }()
	ayu, err := app.SignIn(legacy, "1234")
	if err != nil || !ayu.CanSign() {
		t.Fatalf("the legacy owner signs in: %v, can sign %v", err, ayu.CanSign())
	}
	err = rt.Cloud.Server.Store().View(rt.Cloud.ShopID, func(tx cloud.ShopTx) error {
		kept, err := tx.Staff()
		if err != nil {
			return err
		}
		m, ok := app.FindStaff(kept, "Ayu")
		if !ok || m.Role != app.RoleOwner || string(m.Key) != string(ayu.Key) {
			t.Fatalf("the cloud keeps %+v", kept)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A feed rate that cannot be read stops the start with the field named,
// before any cloud starts; it never runs a feed at a rate nobody asked for.
func TestStartRefusesAFeedRateItCannotRead(t *testing.T) {
	term, err := terminal.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	_, err = terminal.Start(context.Background(), term, terminal.StartOptions{FeedRate: "fast"})
	if app.ErrorCode(err) != app.EInvalid || !strings.HasPrefix(app.ErrorMessage(err), "Rate must look like 2/min") {
		t.Fatalf("a feed rate of fast: %v", err)
	}
	if _, err := terminal.Start(context.Background(), term, terminal.StartOptions{CloudURL: "https://cloud.example"}); app.ErrorCode(err) != app.EInvalid || !strings.Contains(app.ErrorMessage(err), "Token is required") {
		t.Fatalf("a cloud without its token: %v", err)
	}
}
