package ui

import (
	"os"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/kasir/pos/assets"
)

// Languages staff can choose, by the code stored in settings.
var languages = []struct{ code, name string }{
	{"en", "English"},
	{"id", "Bahasa Indonesia"},
}

var translationsOnce sync.Once

// loadTranslations registers the embedded bundles with Fyne's lang package once.
func loadTranslations() {
	translationsOnce.Do(func() {
		if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
			fyne.LogError("loading translations", err)
		}
	})
}

// applyLanguage makes lang.L answer in the language with this code ("en",
// "id"); "" keeps the system's language. Fyne picks the language from the
// locale environment, so on desktop and tablet Linux builds we set it and
// reload the bundles; on Android the system language wins.
func applyLanguage(code string) {
	loadTranslations()
	if code == "" {
		return
	}
	_ = os.Setenv("LANGUAGE", code)
	_ = os.Setenv("LC_ALL", code)
	// Re-adding the bundles makes lang pick the locale again.
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		fyne.LogError("reloading translations", err)
	}
}

// languageName is the display name of a language code.
func languageName(code string) string {
	for _, l := range languages {
		if l.code == code {
			return l.name
		}
	}
	return languages[0].name
}
