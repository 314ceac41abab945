package app

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// keyArgs says which arguments of a message helper are message keys.
var keyArgs = map[string][]int{
	"Errorf":     {1},
	"FieldError": {0, 1},
	"Text":       {0},
	"Word":       {0},
	"refuse":     {0},
}

// helperDefs are the helpers themselves, which pass their format on.
var helperDefs = map[string]bool{"Errorf": true, "FieldError": true, "Text": true, "refuse": true}

// usedKey is one message key found in the sources.
type usedKey struct {
	key string
	at  string
}

// messageKeys parses the Go files of dir and returns every message key given
// to the helpers, and the places where a key is not a constant. In app/ the
// helpers are called bare (and c.refuse); elsewhere as app.X.
func messageKeys(t *testing.T, dir string, qualified bool) (keys []usedKey, bad []string) {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var parsed []*ast.File
	consts := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							consts[n.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			}
		}
	}
	for _, f := range parsed {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && helperDefs[fd.Name.Name] && !qualified {
				continue
			}
			ast.Inspect(d, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				name := ""
				switch fn := call.Fun.(type) {
				case *ast.Ident:
					if !qualified {
						name = fn.Name
					}
				case *ast.SelectorExpr:
					if x, ok := fn.X.(*ast.Ident); ok && qualified && x.Name == "app" {
						name = fn.Sel.Name
					} else if !qualified && fn.Sel.Name == "refuse" {
						name = "refuse"
					}
				}
				idx, ok := keyArgs[name]
				if !ok || (qualified && name == "refuse") {
					return true
				}
				for _, i := range idx {
					if i >= len(call.Args) {
						continue
					}
					at := fset.Position(call.Args[i].Pos()).String()
					switch a := call.Args[i].(type) {
					case *ast.BasicLit:
						if a.Kind == token.STRING {
							k, _ := strconv.Unquote(a.Value)
							if name == "FieldError" && i == 0 && codeLike(k) {
								continue // said in words by fieldText; fieldNames are checked as labels
							}
							if k != "" {
								keys = append(keys, usedKey{k, at})
							}
							continue
						}
					case *ast.Ident:
						if k, ok := consts[a.Name]; ok {
							keys = append(keys, usedKey{k, at})
							continue
						}
					}
					// A field may be a path built at run time ("lines[3].qty"); fieldText says it in words.
					if name != "Word" && !(name == "FieldError" && i == 0) {
						bad = append(bad, at)
					}
				}
				return true
			})
		}
	}
	return keys, bad
}

// labelKeys are the labels shown as words: statuses, actions, channels and the rest.
func labelKeys() []string {
	var out []string
	for _, s := range Statuses {
		out = append(out, s.Label())
	}
	for _, m := range []map[Action]string{actionLabels} {
		for _, l := range m {
			out = append(out, l)
		}
	}
	for c := range channelRules {
		out = append(out, c.Label())
	}
	for _, l := range paymentMethods {
		out = append(out, l)
	}
	for _, l := range shipmentStateLabels {
		out = append(out, l)
	}
	for _, l := range documentLabels {
		out = append(out, l)
	}
	for _, c := range Couriers() {
		out = append(out, c.Label())
	}
	for _, l := range fieldNames {
		out = append(out, l, upperFirst(l))
	}
	return append(out, "Internal error")
}

// verbs maps each argument a format uses (by position) to its verb.
func verbs(format string) map[int]string {
	out := map[int]string{}
	arg := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			continue
		}
		for i < len(format) && strings.ContainsRune("+-# 0123456789.*", rune(format[i])) {
			i++
		}
		if i < len(format) && format[i] == '[' {
			end := strings.IndexByte(format[i:], ']')
			if end > 0 {
				n, _ := strconv.Atoi(format[i+1 : i+end])
				arg = n - 1
				i += end + 1
			}
		}
		if i < len(format) {
			out[arg] = string(format[i])
			arg++
		}
	}
	return out
}

// TestEveryMessageIsTranslated fails when a message key used by app/, ui/,
// cli/, printer/ or a channel adapter has no Indonesian text, when a key is not a constant (it could never
// be in the catalogue), or when a translation's placeholders differ from its key's.
func TestEveryMessageIsTranslated(t *testing.T) {
	var all []usedKey
	dirs := []struct {
		dir       string
		qualified bool
	}{{".", false}, {"../ui", true}, {"../cli", true}, {"../printer", true}, {"../channel", true}, {"../raster", true}, {"../raster/chromium", true}}
	// Every platform adapter gives staff the platform's refusals in words.
	adapters, _ := filepath.Glob("../channel/*")
	for _, dir := range adapters {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			dirs = append(dirs, struct {
				dir       string
				qualified bool
			}{dir, true})
		}
	}
	for _, d := range dirs {
		if _, err := os.Stat(d.dir); err != nil {
			continue
		}
		keys, bad := messageKeys(t, d.dir, d.qualified)
		for _, at := range bad {
			t.Errorf("%s: a message key must be a constant string, so that it can be translated", at)
		}
		all = append(all, keys...)
	}
	if len(all) < 100 {
		t.Fatalf("found only %d message keys; the source scan is broken", len(all))
	}
	for _, l := range labelKeys() {
		all = append(all, usedKey{l, "a label"})
	}
	var missing []string
	seen := map[string]bool{}
	for _, k := range all {
		if seen[k.key] {
			continue
		}
		seen[k.key] = true
		if !Translated(Indonesian, k.key) {
			missing = append(missing, k.at+": "+strconv.Quote(k.key))
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("no Indonesian text for %s", m)
	}
	for key, id := range indonesian {
		if !reflect.DeepEqual(verbs(key), verbs(id)) {
			t.Errorf("placeholders differ: %q has %v, its Indonesian %q has %v", key, verbs(key), id, verbs(id))
		}
		if strings.TrimSpace(id) == "" {
			t.Errorf("empty Indonesian text for %q", key)
		}
	}
}

func TestVerbsReadsIndexedArguments(t *testing.T) {
	got := verbs("%[2]s dari %[1]d, 100%% %[3]q")
	want := map[int]string{1: "s", 0: "d", 2: "q"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("verbs = %v, want %v", got, want)
	}
}

func TestErrorsReadInTheStaffsLanguage(t *testing.T) {
	err := FieldError("Pickup time", "%s is in the past", time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	if got := ErrorMessage(err); got != "Pickup time 2026-11-30 09:00 is in the past" {
		t.Errorf("English: %q", got)
	}
	if got := ErrorMessageIn(err, Indonesian); got != "Waktu penjemputan 2026-11-30 09:00 sudah lewat" {
		t.Errorf("Indonesian: %q", got)
	}
	te := &TransitionError{Number: "#1", Status: StatusCompleted, Action: ActionAccept}
	if got := ErrorMessageIn(te, Indonesian); got != "Pesanan #1 berstatus Selesai: tidak bisa terima" {
		t.Errorf("transition: %q", got)
	}
	if got := ErrorMessageIn(os.ErrNotExist, Indonesian); got != "Kesalahan internal" {
		t.Errorf("internal: %q", got)
	}
}

func TestMessageSurvivesJSON(t *testing.T) {
	m := Text("%s says the order is %s", ChannelTokopedia, StatusCancelled)
	m = Text("%s (kept %s: the channel's status is older)", m, StatusCompleted)
	data, err := json.Marshal(Event{Note: m.String(), NoteText: m})
	if err != nil {
		t.Fatal(err)
	}
	var back Event
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.NoteIn(Indonesian) != m.In(Indonesian) || back.NoteIn(English) != m.String() {
		t.Fatalf("after JSON: %q / %q, want %q / %q", back.NoteIn(English), back.NoteIn(Indonesian), m.String(), m.In(Indonesian))
	}
	if id := m.In(Indonesian); strings.Contains(id, "Cancelled") || strings.Contains(id, "Completed") || !strings.Contains(id, "Dibatalkan") {
		t.Fatalf("Indonesian note still reads in English or codes: %q", m.In(Indonesian))
	}
	old := Event{Note: "Cancel request approved"}
	if old.NoteIn(Indonesian) == old.Note {
		t.Fatalf("an older argument-less note is not translated: %q", old.NoteIn(Indonesian))
	}
}

func TestFieldPathsReadAsWords(t *testing.T) {
	err := FieldError("lines[0].qty", "must be between 1 and %d, got %d", 100, -1)
	if got := err.Error(); got != "Line 1 quantity must be between 1 and 100, got -1" {
		t.Errorf("English: %q", got)
	}
	if got := ErrorMessageIn(err, Indonesian); got != "Baris 1 jumlah harus antara 1 dan 100, bukan -1" {
		t.Errorf("Indonesian: %q", got)
	}
	if got := FieldError("Recipient name", "is required").Error(); got != "Recipient name is required" {
		t.Errorf("words kept: %q", got)
	}
}
