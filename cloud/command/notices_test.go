package command_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/command"
	"github.com/kasir/pos/cloud/web"
)

// TestNoticesCLI edits a shop's notices from the command line: a template
// with an unknown placeholder is refused naming it, a good one is saved and
// previewed, an event is switched off, and show prints both languages.
func TestNoticesCLI(t *testing.T) {
	dir := t.TempDir()
	st, err := bolt.OpenBackend(dir)
	if err != nil {
		t.Fatal(err)
	}
	shop, err := cloud.AddShop(st, "Toko Rina", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	run := func(args ...string) (string, string, int) {
		var out, errOut bytes.Buffer
		code := command.Main(context.Background(), cloud.Wiring{Bolt: bolt.OpenBackend, Serve: web.ServeWithAdmin}, append(args, "--data", dir, "--shop", shop.ID), &out, &errOut)
		return out.String(), errOut.String(), code
	}
	if _, e, code := run("notices", "set", "--event", "shipped", "--lang", "id", "--subject", "Pesanan {order}", "--body", "Resi {resi}"); code == 0 || !strings.Contains(e, "{resi}") {
		t.Fatalf("unknown placeholder: %d %s", code, e)
	}
	out, e, code := run("notices", "set", "--event", "shipped", "--lang", "id", "--body", "Halo {buyer}, resi {tracking_id} ({courier}): {tracking_link}",
		"--contact", "WA 0812-1111-2222", "--page-url", "https://cloud.example.id/")
	if code != 0 {
		t.Fatalf("set: %s", e)
	}
	for _, want := range []string{"shipped (on)", "[id, the shop's own] subject: Pesanan {order} sudah dikirim", "Halo Rina, resi JNE0123456789 (JNE):", "[en, default]", "Tracking number: JNE0123456789", "https://cloud.example.id/o/preview"} {
		if !strings.Contains(out, want) {
			t.Errorf("set prints no %q:\n%s", want, out)
		}
	}
	if _, e, code := run("notices", "set", "--event", "delivered", "--off"); code != 0 {
		t.Fatalf("off: %s", e)
	}
	out, _, code = run("notices", "show")
	if code != 0 || !strings.Contains(out, "delivered (off)") || !strings.Contains(out, "confirmed (on)") || !strings.Contains(out, "contact:   WA 0812-1111-2222") {
		t.Fatalf("show:\n%s", out)
	}
	if _, e, code := run("notices", "set", "--event", "shipped", "--lang", "id", "--default"); code != 0 {
		t.Fatalf("default: %s", e)
	}
	if out, _, _ = run("notices", "show", "--event", "shipped"); !strings.Contains(out, "[id, default]") || strings.Contains(out, "delivered") {
		t.Fatalf("show --event after --default:\n%s", out)
	}
}
