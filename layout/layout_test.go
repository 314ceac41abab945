package layout

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/kasir/pos"

// rank is a package's layer: a package may import only packages of lower
// layers, so a circle cannot hide in the graph, and the cloud's core never
// reaches its outer parts but through an interface they implement.
func rank(pkg string) (int, bool) {
	rel := strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
	parts := strings.Split(rel, "/")
	switch {
	case rel == "app" || rel == "assets" || rel == "outbound" || rel == "jsonread":
		return 0, true // the rules, the files everything embeds, the outbound caller, the fast JSON reader
	case strings.HasPrefix(rel, "printer/internal/") || strings.HasPrefix(rel, "printout/internal/"):
		return 0, true // the printer's own encodings; the renderer's font generator
	case rel == "app/apptest" || rel == "channel" || rel == "courier" || rel == "sync/wire" || rel == "store" || rel == "printout" || rel == "cloud/pgtest" || rel == "raster":
		return 1, true // what adapters stand on; the terminal's store; documents and how they look on paper; outside documents drawn for the label printer
	case (parts[0] == "channel" || parts[0] == "courier") && len(parts) == 2, rel == "printer", rel == "raster/chromium":
		return 2, true // one adapter per platform or provider; the ESC/POS printer, on printout; Chromium drawing HTML for raster
	case (parts[0] == "channel" || parts[0] == "courier") && len(parts) == 3, rel == "printer/printertest":
		return 3, true // a platform's fake, written from its docs; the test printer
	case rel == "cloud":
		return 4, true // the cloud's core
	case parts[0] == "cloud" || rel == "backoffice" || rel == "sync/client" || rel == "demo/feed":
		return 5, true // the cloud's storage (cloud/bolt, cloud/postgres), HTTP face (cloud/web), command line (cloud/command) and extensions; the terminal's sync client; the sample-order feed
	case rel == "terminal":
		return 6, true // the running terminal
	case rel == "demo":
		return 7, true // the demo shop, seeded through the terminal
	case rel == "cli" || rel == "ui":
		return 8, true // the command line; the screens
	case rel == "" || parts[0] == "cmd" || rel == "layout":
		return 9, true // wiring
	}
	return 0, false
}

func goList(t *testing.T, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("go list %v: %v\n%s", args, err, stderr)
	}
	return strings.Fields(string(out))
}

// TestImportsGoDown: every import of one of our packages points to a lower
// layer; a new package must be given its layer here and in the README.
func TestImportsGoDown(t *testing.T) {
	lines := goList(t, "-f", `{{.ImportPath}}{{range .Imports}},{{.}}{{end}}`, "./...")
	for _, line := range lines {
		pkgs := strings.Split(line, ",")
		from := pkgs[0]
		fr, ok := rank(from)
		if !ok {
			t.Errorf("%s has no layer: give it one in layout_test.go and the README's Layout", from)
			continue
		}
		for _, to := range pkgs[1:] {
			if !strings.HasPrefix(to, module+"/") || to == from {
				continue
			}
			tr, ok := rank(to)
			if ok && tr >= fr {
				t.Errorf("%s (layer %d) imports %s (layer %d): imports go down only", from, fr, to, tr)
			}
		}
	}
}

// TestBinariesLinkOnlyTheirParts: the terminal does not carry the cloud's
// PostgreSQL driver, and the cloud carries no terminal store, sync client,
// running terminal, demo shop, UI or ESC/POS printer (the back office draws
// its labels with printout/, the renderer alone).
func TestBinariesLinkOnlyTheirParts(t *testing.T) {
	pos := goList(t, "-deps", ".")
	for _, dep := range pos {
		if strings.HasPrefix(dep, "github.com/jackc/pgx") || dep == module+"/cloud/postgres" {
			t.Errorf("bin/pos links %s", dep)
		}
	}
	cloud := goList(t, "-deps", "./cmd/pos-cloud")
	banned := map[string]bool{module + "/store": true, module + "/sync/client": true, module + "/terminal": true, module + "/demo": true, module + "/cli": true, module + "/ui": true}
	for _, dep := range cloud {
		if banned[dep] || strings.HasPrefix(dep, "fyne.io/") || dep == module+"/printer" || strings.HasPrefix(dep, module+"/printer/") {
			t.Errorf("bin/pos-cloud links %s", dep)
		}
	}
}

// TestCloudCoreOpensNoStore: the core stands on its Backend interface alone,
// and serves no websocket itself; the binaries wire cloud/bolt and
// cloud/postgres in (cloud.Wiring), and link cloud/web, which mounts the
// terminals' sync sockets on every server. The command line (cloud/command)
// stands on the core, never the other way.
func TestCloudCoreOpensNoStore(t *testing.T) {
	for _, dep := range goList(t, "-deps", "./cloud") {
		if dep == "go.etcd.io/bbolt" || strings.HasPrefix(dep, "github.com/jackc/pgx") || strings.HasPrefix(dep, "github.com/gorilla/websocket") ||
			dep == module+"/cloud/bolt" || dep == module+"/cloud/postgres" || dep == module+"/cloud/web" || dep == module+"/cloud/command" {
			t.Errorf("the cloud's core links %s", dep)
		}
	}
	for _, bin := range []string{".", "./cmd/pos-cloud"} {
		if !slices.Contains(goList(t, "-deps", bin), module+"/cloud/web") {
			t.Errorf("%s does not link cloud/web: its cloud would serve no sync socket", bin)
		}
	}
}
