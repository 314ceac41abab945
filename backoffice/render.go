package backoffice

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"github.com/kasir/pos/app"
)

// langOf is the page's language: the lang cookie or query, else the
// browser's first choice between Indonesian and English, Indonesian by default.
func langOf(r *http.Request) app.Lang {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "id" {
		return app.Lang(l)
	}
	if c, err := r.Cookie("kasir_lang"); err == nil && (c.Value == "en" || c.Value == "id") {
		return app.Lang(c.Value)
	}
	al := r.Header.Get("Accept-Language")
	if len(al) >= 2 && al[:2] == "en" {
		return app.English
	}
	return app.Indonesian
}

// word is a page label in lang; app's catalogue answers for statuses,
// actions and channels, which are its words.
func (bo *BackOffice) word(lang app.Lang, key string) string {
	if lang == app.Indonesian {
		if t, ok := indonesian[key]; ok {
			return t
		}
		return app.Translate(lang, key)
	}
	return key
}

func itoa(n int) string { return strconv.Itoa(n) }

func (bo *BackOffice) funcs() map[string]any {
	return map[string]any{
		"money": func(c app.Currency, m app.Money) string { return c.Format(m) },
		"when":  func(t time.Time) string { return t.Local().Format("2006-01-02 15:04") },
		"pct": func(part, whole app.Money) int {
			if whole <= 0 {
				return 0
			}
			return int(part * 100 / whole)
		},
		"add": func(a, b int) int { return a + b },
		// plain is an amount as a form field takes it back ("125000", "12.50").
		"plain": func(c app.Currency, m app.Money) string { return c.Plain(m) },
	}
}

// page is what every template receives.
type page struct {
	T       func(string) string
	Lang    app.Lang
	Owner   *Owner
	Manager bool
	CSRF    string
	Shop    any
	ShopID  string
	Path    string
	D       map[string]any
}

func (bo *BackOffice) render(w http.ResponseWriter, r *http.Request, name string, v *visit, data map[string]any) {
	p := page{Lang: v.lang, Owner: v.owner, D: data, Path: r.URL.Path}
	p.T = func(k string) string { return bo.word(v.lang, k) }
	if v.session != nil {
		p.CSRF = v.session.CSRF
	}
	if v.owner != nil {
		p.Manager = v.owner.Role == RoleManager
	}
	if v.shop != nil {
		p.Shop, p.ShopID = v.shop, v.shop.ID
	}
	var buf bytes.Buffer
	if err := bo.tmpl.ExecuteTemplate(&buf, name, p); err != nil {
		http.Error(w, "page error: "+err.Error(), http.StatusInternalServerError)
		return
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// fail shows an error page: not found for what does not exist, the rule's
// message for a refusal, and a plain notice for an internal fault.
func (bo *BackOffice) fail(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	status := http.StatusInternalServerError
	switch app.ErrorCode(err) {
	case app.ENotFound:
		status = http.StatusNotFound
	case app.EInvalid:
		status = http.StatusBadRequest
	case app.EForbidden:
		status = http.StatusForbidden
	case app.EConflict, app.EInvalidTransition:
		status = http.StatusConflict
	}
	msg := app.ErrorMessageIn(err, v.lang)
	if status == http.StatusInternalServerError {
		msg = bo.word(v.lang, "Something went wrong on the server. Try again.")
	}
	w.WriteHeader(status)
	bo.render(w, r, "error", v, map[string]any{"Error": msg})
}
