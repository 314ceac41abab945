package cloud_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/postgres"
)

// staffContract is what every backend must do with a shop's staff: keep the
// signing keys, hand out lists without them, log each change, refuse
// duplicates and the loss of the last owner.
func staffContract(t *testing.T, b cloud.Backend) {
	t.Helper()
	shop, err := cloud.AddShop(b, "Toko Staf", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv := cloud.NewServer(b, cloud.Options{Logger: quietLog()})
	if list, err := cloud.ShopStaff(b, shop.ID); err != nil || len(list) != 0 {
		t.Fatalf("a new shop's staff: %v %v", list, err)
	}
	if _, err := srv.AddStaff(shop.ID, "Owner", app.RoleOwner, "1234"); err != nil {
		t.Fatal(err)
	}
	list, err := srv.AddStaff(shop.ID, "Kasir", app.RoleCashier, "0000")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Key != nil || list[1].Key != nil {
		t.Fatalf("the list handed out: %+v", list)
	}
	if _, err := srv.AddStaff(shop.ID, "Rina", app.RolePacker, "1234"); app.ErrorCode(err) != app.EInvalid || !strings.Contains(app.ErrorMessage(err), "PIN") {
		t.Fatalf("a PIN another member uses: %v", err)
	}
	if _, err := srv.AddStaff(shop.ID, "kasir", app.RolePacker, "5555"); app.ErrorCode(err) != app.EInvalid {
		t.Fatalf("a name already on the list: %v", err)
	}
	if _, err := srv.AddStaff(shop.ID, "Rina", "boss", "5555"); app.ErrorCode(err) != app.EInvalid {
		t.Fatalf("an unknown role: %v", err)
	}
	if _, err := srv.RemoveStaff(shop.ID, "Owner"); app.ErrorCode(err) != app.EConflict {
		t.Fatalf("removing the last owner: %v", err)
	}
	if _, err := srv.RemoveStaff(shop.ID, "Nobody"); app.ErrorCode(err) != app.ENotFound {
		t.Fatalf("removing nobody: %v", err)
	}
	if list, err = srv.RemoveStaff(shop.ID, "Kasir"); err != nil || len(list) != 1 {
		t.Fatalf("remove Kasir: %v %v", list, err)
	}
	// The cloud keeps the key the owner's PIN unlocks.
	err = b.View(shop.ID, func(tx cloud.ShopTx) error {
		kept, err := tx.Staff()
		if err != nil {
			return err
		}
		owner, ok := app.FindStaff(kept, "Owner")
		unlocked, pinOK := owner.Unlock("1234")
		if !ok || !pinOK || len(owner.Key) != 32 || string(owner.Key) != string(unlocked.Key) {
			t.Errorf("stored owner: found %v, PIN %v, key %d bytes", ok, pinOK, len(owner.Key))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Each change is in the log, with the list and never a key.
	items, head, _, err := b.ChangesAfter(shop.ID, 0, 100)
	if err != nil || head != 3 || len(items) != 3 {
		t.Fatalf("log: head %d, %d items, %v", head, len(items), err)
	}
	for _, it := range items {
		if strings.Contains(string(it), `"key"`) {
			t.Fatalf("a change carries a signing key: %s", it)
		}
	}
	var last struct {
		Staff []app.Staff `json:"staff"`
	}
	if err := json.Unmarshal(items[2], &last); err != nil || len(last.Staff) != 1 || last.Staff[0].Name != "Owner" {
		t.Fatalf("last change's staff: %+v %v", last.Staff, err)
	}
}

func TestStaffContractBolt(t *testing.T) {
	st, err := bolt.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	staffContract(t, st)
}

func TestStaffContractPostgres(t *testing.T) {
	dsn := startPostgres(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	staffContract(t, st)
}

// pos-cloud staff add|list|remove work on the file and through a running server.
func TestStaffCommands(t *testing.T) {
	dir := t.TempDir()
	code, out := runCLI(t, "shop", "add", "--data", dir, "--name", "Toko Satu", "--json")
	if code != 0 {
		t.Fatalf("shop add: %d %s", code, out)
	}
	var shop cloud.ShopCreated
	_ = json.Unmarshal([]byte(out), &shop)
	if code, out = runCLI(t, "staff", "add", "--data", dir, "--shop", shop.ID, "--name", "Owner", "--role", "owner", "--pin", "1234"); code != 0 || !strings.Contains(out, "Owner") {
		t.Fatalf("staff add without a server: %d %s", code, out)
	}
	if code, out = runCLI(t, "staff", "add", "--data", dir, "--shop", shop.ID, "--name", "Kasir", "--role", "cashier", "--pin", "12"); code == 0 || !strings.Contains(out, "PIN") {
		t.Fatalf("a two-digit PIN: %d %s", code, out)
	}
	st, err := bolt.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := cloud.NewServer(st, cloud.Options{Logger: quietLog()})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = srv.ServeAdmin(ctx, dir) }()
	time.Sleep(100 * time.Millisecond)
	if code, out = runCLI(t, "staff", "add", "--data", dir, "--shop", shop.ID, "--name", "Kasir", "--role", "cashier", "--pin", "0000", "--json"); code != 0 {
		t.Fatalf("staff add through the server: %d %s", code, out)
	}
	if code, out = runCLI(t, "staff", "list", "--data", dir, "--shop", shop.ID, "--json"); code != 0 || strings.TrimSpace(out) != `[{"name":"Owner","role":"owner"},{"name":"Kasir","role":"cashier"}]` {
		t.Fatalf("staff list: %d %s", code, out)
	}
	if code, out = runCLI(t, "staff", "remove", "--data", dir, "--shop", shop.ID, "--name", "Owner"); code == 0 || !strings.Contains(out, "owner") {
		t.Fatalf("removing the last owner: %d %s", code, out)
	}
	if code, out = runCLI(t, "staff", "remove", "--data", dir, "--shop", shop.ID, "--name", "Kasir"); code != 0 {
		t.Fatalf("staff remove: %d %s", code, out)
	}
	if list, _ := cloud.ShopStaff(st, shop.ID); len(list) != 1 {
		t.Fatalf("after remove: %+v", list)
	}
	if code, out = runCLI(t, "staff", "list", "--data", dir); code == 0 || !strings.Contains(out, "Shop") {
		t.Fatalf("list without --shop: %d %s", code, out)
	}
}
