package backoffice

import (
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/kasir/pos/app"
)

// throttle counts failed sign-ins per e-mail and per address: after a few,
// each further try waits longer and, past a limit, is refused for a while.
type throttle struct {
	mu    sync.Mutex
	fails map[string]*failures
}

type failures struct {
	n    int
	last time.Time
}

func newThrottle() *throttle { return &throttle{fails: map[string]*failures{}} }

// freeTries is how many failures pass without delay; lockAfter refuses outright for lockFor.
const (
	freeTries = 3
	lockAfter = 10
	lockFor   = 15 * time.Minute
)

// delay is how long to slow the next try of key, and whether it is refused.
func (t *throttle) delay(key string, now time.Time) (time.Duration, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.fails[key]
	if f == nil {
		return 0, false
	}
	if now.Sub(f.last) > lockFor {
		delete(t.fails, key)
		return 0, false
	}
	if f.n >= lockAfter {
		return 0, true
	}
	if f.n < freeTries {
		return 0, false
	}
	return time.Duration(1<<min(f.n-freeTries, 3)) * 250 * time.Millisecond, false
}

func (t *throttle) fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.fails[key]
	if f == nil {
		f = &failures{}
		t.fails[key] = f
	}
	f.n++
	f.last = now
}

func (t *throttle) clear(key string) {
	t.mu.Lock()
	delete(t.fails, key)
	t.mu.Unlock()
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (bo *BackOffice) signInPage(w http.ResponseWriter, r *http.Request) {
	bo.render(w, r, "signin", &visit{lang: langOf(r)}, map[string]any{"Next": safeNext(r.URL.Query().Get("next"))})
}

func (bo *BackOffice) signIn(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	_ = r.ParseForm()
	email, password := r.PostFormValue("email"), r.PostFormValue("password")
	next, kept := safeNext(r.PostFormValue("next")), r.PostFormValue("kept")
	keys := []string{"ip:" + clientIP(r), "email:" + email}
	var wait time.Duration
	for _, k := range keys {
		d, locked := bo.login.delay(k, bo.now())
		if locked {
			w.WriteHeader(http.StatusTooManyRequests)
			bo.render(w, r, "signin", &visit{lang: lang}, map[string]any{"Next": next, "Kept": kept, "Email": email,
				"Error": bo.word(lang, "Too many failed sign-ins. Try again in 15 minutes.")})
			return
		}
		wait = max(wait, d)
	}
	time.Sleep(wait)
	o, err := Authenticate(bo.store, email, password)
	if err != nil {
		for _, k := range keys {
			bo.login.fail(k, bo.now())
		}
		w.WriteHeader(http.StatusUnauthorized)
		bo.render(w, r, "signin", &visit{lang: lang}, map[string]any{"Next": next, "Kept": kept, "Email": email,
			"Error": app.ErrorMessageIn(err, lang)})
		return
	}
	for _, k := range keys {
		bo.login.clear(k)
	}
	secret := newSecret()
	ss := &Session{Email: o.Email, CSRF: newSecret(), CreatedAt: bo.now().UTC(), Expires: bo.now().Add(sessionTTL), Agent: r.UserAgent()}
	if err := bo.store.PutSession(hashKey(secret), ss); err != nil {
		bo.fail(w, r, &visit{lang: lang}, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: secret, Path: Prefix, HttpOnly: true,
		Secure: bo.Secure || r.TLS != nil, SameSite: http.SameSiteLaxMode, MaxAge: int(sessionTTL / time.Second)})
	if kept != "" {
		// A form sent while signed out: show it again filled in, ready to send.
		vals, _ := url.ParseQuery(kept)
		bo.render(w, r, "resend", &visit{lang: lang, owner: o, session: ss}, map[string]any{"Action": next, "Fields": vals})
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (bo *BackOffice) signOut(w http.ResponseWriter, r *http.Request, v *visit) {
	_ = bo.store.DeleteSession(v.session.Key)
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: Prefix, HttpOnly: true, Secure: bo.Secure || r.TLS != nil,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
	http.Redirect(w, r, "/backoffice/signin", http.StatusSeeOther)
}

func (bo *BackOffice) sessionsPage(w http.ResponseWriter, r *http.Request, v *visit) {
	list, err := bo.store.Sessions(v.owner.Email)
	if err != nil {
		bo.fail(w, r, v, err)
		return
	}
	bo.render(w, r, "sessions", v, map[string]any{"Sessions": list})
}

func (bo *BackOffice) resetPage(w http.ResponseWriter, r *http.Request) {
	bo.render(w, r, "reset", &visit{lang: langOf(r)}, map[string]any{"Token": r.PathValue("token")})
}

func (bo *BackOffice) reset(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	_ = r.ParseForm()
	pw := r.PostFormValue("password")
	if err := checkPassword(pw); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		bo.render(w, r, "reset", &visit{lang: lang}, map[string]any{"Token": r.PathValue("token"), "Error": app.ErrorMessageIn(err, lang)})
		return
	}
	email, err := bo.store.TakeReset(hashKey(r.PathValue("token")), bo.now())
	if err == nil {
		err = SetPassword(bo.store, email, pw)
	}
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		bo.render(w, r, "reset", &visit{lang: lang}, map[string]any{"Token": r.PathValue("token"), "Error": app.ErrorMessageIn(err, lang)})
		return
	}
	// Every session of the account ends with the old password.
	if list, err := bo.store.Sessions(email); err == nil {
		for _, s := range list {
			_ = bo.store.DeleteSession(s.Key)
		}
	}
	http.Redirect(w, r, "/backoffice/signin", http.StatusSeeOther)
}
