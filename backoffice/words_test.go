package backoffice

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kasir/pos/app"
)

// TestEveryLabelHasBothLanguages reads every label the templates ask for,
// and the tab titles, and wants Indonesian for each (English is the key).
func TestEveryLabelHasBothLanguages(t *testing.T) {
	re := regexp.MustCompile(`call \$?\.T "([^"]+)"`)
	keys := map[string]bool{}
	err := fs.WalkDir(files, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(files, path)
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			keys[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 50 {
		t.Fatalf("found only %d labels: the pattern no longer matches the templates", len(keys))
	}
	for _, tb := range tabs {
		keys[tb.Title] = true
	}
	keys["In Store"] = true
	bo := &BackOffice{}
	for k := range keys {
		if bo.word(app.Indonesian, k) == k && indonesian[k] != k {
			t.Errorf("label %q has no Indonesian", k)
		}
	}
}

// TestEveryMessageHasIndonesian reads the back office's own message keys
// (app.Errorf and app.FieldError formats) and wants app's catalogue to have each.
func TestEveryMessageHasIndonesian(t *testing.T) {
	re := regexp.MustCompile(`app\.(?:Errorf\([^,]+|FieldError\("[^"]+"), "([^"]+)"`)
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			n++
			if !app.Translated(app.Indonesian, m[1]) {
				t.Errorf("%s: no Indonesian for %q", p, m[1])
			}
		}
	}
	if n < 15 {
		t.Fatalf("found only %d messages: the pattern no longer matches the code", n)
	}
}
