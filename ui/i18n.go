package ui

import (
	"os"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/assets"
)

// Languages staff can choose, by the code stored in settings.
var languages = []struct{ code, name string }{
	{"en", "English"},
	{"id", "Bahasa Indonesia"},
}

var translationsOnce sync.Once

// staffLang is the language app's messages are shown in; applyLanguage sets
// it with Fyne's, so errors, history notes and labels all speak the same.
var staffLang = app.English

// errorText is an error as staff read it, in their language.
func errorText(err error) string { return app.ErrorMessageIn(err, staffLang) }

// say is one of app's messages in the staff's language.
func say(m app.Message) string { return m.In(staffLang) }

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
		staffLang = app.English
		if strings.HasPrefix(os.Getenv("LANGUAGE")+os.Getenv("LC_ALL")+os.Getenv("LANG"), "id") {
			staffLang = app.Indonesian
		}
		return
	}
	if l, err := app.ParseLang(code); err == nil {
		staffLang = l
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
