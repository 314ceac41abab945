// Package backoffice is the owner's web back office served by pos-cloud at
// /backoffice/: orders, products, reports and settings of the owner's shops,
// every change applied through the cloud's one apply-and-log path.
package backoffice

import (
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	bolt "go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

//go:embed templates/*.html static/*
var files embed.FS

// Prefix is where the back office is served.
const Prefix = "/backoffice/"

// sessionTTL is how long a session lasts without use.
const sessionTTL = 12 * time.Hour

// BackOffice is the web application over one cloud server.
type BackOffice struct {
	cloud *cloud.Server
	store Store
	tmpl  *template.Template
	login *throttle
	now   func() time.Time
	// counted keeps each shop's countable orders for reports.
	counted counted
	// Secure marks cookies Secure; set when the server speaks TLS.
	Secure bool
}

func init() {
	cloud.Extend(cloud.Extension{Routes: mount, AdminRoutes: adminRoutes, Commands: commands})
}

// mount serves the back office when the cloud's backend can keep its accounts.
func mount(s *cloud.Server, mux *http.ServeMux) {
	st, err := StoreFor(s.Store())
	if err != nil {
		mux.HandleFunc(Prefix, func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "back office unavailable: "+err.Error(), http.StatusServiceUnavailable)
		})
		return
	}
	bo := New(s, st)
	mux.Handle(Prefix, bo)
}

// StoreFor is the back office's store inside a cloud backend.
func StoreFor(b cloud.Backend) (Store, error) {
	if db, ok := b.(interface{ DB() *bolt.DB }); ok {
		return NewBoltStore(db.DB())
	}
	if pg, ok := b.(interface{ Pool() *pgxpool.Pool }); ok {
		return NewPgStore(pg.Pool())
	}
	return nil, errors.New("the back office keeps its accounts in the bbolt or PostgreSQL backend only")
}

// New builds the back office over a cloud server and an account store.
func New(s *cloud.Server, st Store) *BackOffice {
	bo := &BackOffice{cloud: s, store: st, login: newThrottle(), now: time.Now}
	bo.tmpl = template.Must(template.New("").Funcs(bo.funcs()).ParseFS(files, "templates/*.html"))
	return bo
}

// ServeHTTP routes every back office page.
func (bo *BackOffice) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	if l := r.URL.Query().Get("lang"); l == "en" || l == "id" {
		// The language chosen on the page header stays for the next pages.
		http.SetCookie(w, &http.Cookie{Name: "kasir_lang", Value: l, Path: Prefix, MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
	}
	bo.routes().ServeHTTP(w, r)
}

func (bo *BackOffice) routes() *http.ServeMux {
	mux := http.NewServeMux()
	static, _ := fs.Sub(files, "static")
	mux.Handle("GET /backoffice/static/", http.StripPrefix("/backoffice/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /backoffice/signin", bo.signInPage)
	mux.HandleFunc("POST /backoffice/signin", bo.signIn)
	mux.HandleFunc("GET /backoffice/reset/{token}", bo.resetPage)
	mux.HandleFunc("POST /backoffice/reset/{token}", bo.reset)
	mux.HandleFunc("POST /backoffice/signout", bo.signedIn(bo.signOut))
	mux.HandleFunc("GET /backoffice/{$}", bo.signedIn(bo.home))
	mux.HandleFunc("GET /backoffice/sessions", bo.signedIn(bo.sessionsPage))
	mux.HandleFunc("GET /backoffice/shops/{shop}/orders", bo.shop(bo.ordersPage))
	mux.HandleFunc("POST /backoffice/shops/{shop}/orders/bulk", bo.shop(bo.bulkAction))
	mux.HandleFunc("GET /backoffice/shops/{shop}/orders/{id}", bo.shop(bo.orderPage))
	mux.HandleFunc("POST /backoffice/shops/{shop}/orders/{id}", bo.shop(bo.orderAction))
	mux.HandleFunc("GET /backoffice/shops/{shop}/orders/{id}/label.png", bo.shop(bo.download("label", labelDocument, false)))
	mux.HandleFunc("GET /backoffice/shops/{shop}/orders/{id}/label.pdf", bo.shop(bo.download("label", labelDocument, true)))
	mux.HandleFunc("GET /backoffice/shops/{shop}/orders/{id}/slip.png", bo.shop(bo.download("slip", slipDocument, false)))
	mux.HandleFunc("GET /backoffice/shops/{shop}/orders/{id}/slip.pdf", bo.shop(bo.download("slip", slipDocument, true)))
	mux.HandleFunc("GET /backoffice/shops/{shop}/events", bo.shop(bo.events))
	mux.HandleFunc("GET /backoffice/shops/{shop}/products", bo.shop(bo.productsPage))
	mux.HandleFunc("POST /backoffice/shops/{shop}/products/import", bo.shop(bo.importProducts))
	mux.HandleFunc("POST /backoffice/shops/{shop}/products/{sku}", bo.shop(bo.editProduct))
	mux.HandleFunc("GET /backoffice/shops/{shop}/products/{sku}", bo.shop(bo.productPage))
	mux.HandleFunc("POST /backoffice/shops/{shop}/products/{sku}/stock", bo.shop(bo.adjustStock))
	mux.HandleFunc("GET /backoffice/shops/{shop}/listings", bo.shop(bo.listingsPage))
	mux.HandleFunc("POST /backoffice/shops/{shop}/listings/read", bo.shop(bo.readListings))
	mux.HandleFunc("POST /backoffice/shops/{shop}/listings/{channel}/{id}/link", bo.shop(bo.linkListing))
	mux.HandleFunc("POST /backoffice/shops/{shop}/listings/{channel}/{id}/import", bo.shop(bo.importListing))
	mux.HandleFunc("POST /backoffice/shops/{shop}/listings/{channel}/{id}/unlink", bo.shop(bo.unlinkListing))
	mux.HandleFunc("GET /backoffice/shops/{shop}/report", bo.shop(bo.reportPage))
	mux.HandleFunc("GET /backoffice/shops/{shop}/report.csv", bo.shop(bo.reportCSV))
	mux.HandleFunc("GET /backoffice/shops/{shop}/settings", bo.shop(bo.ownerOnly(bo.settingsPage)))
	mux.HandleFunc("POST /backoffice/shops/{shop}/settings/terminals", bo.shop(bo.ownerOnly(bo.pairTerminal)))
	mux.HandleFunc("POST /backoffice/shops/{shop}/settings/terminals/{term}/revoke", bo.shop(bo.ownerOnly(bo.revokeTerminal)))
	mux.HandleFunc("POST /backoffice/shops/{shop}/settings/shop", bo.shop(bo.ownerOnly(bo.saveShop)))
	mux.HandleFunc("POST /backoffice/shops/{shop}/settings/staff", bo.shop(bo.ownerOnly(bo.addStaff)))
	mux.HandleFunc("POST /backoffice/shops/{shop}/settings/staff/remove", bo.shop(bo.ownerOnly(bo.removeStaff)))
	mux.HandleFunc("POST /backoffice/shops/{shop}/settings/accounts/{kind}", bo.shop(bo.ownerOnly(bo.setAccount)))
	mux.HandleFunc("POST /backoffice/shops/{shop}/settings/accounts/{kind}/connect", bo.shop(bo.ownerOnly(bo.connectAccount)))
	mux.HandleFunc("POST /backoffice/shops/{shop}/settings/accounts/woocommerce/remove", bo.shop(bo.ownerOnly(bo.removeStore)))
	mux.HandleFunc("GET /backoffice/shops/{shop}/settings/notices", bo.shop(bo.ownerOnly(bo.noticesPage)))
	mux.HandleFunc("POST /backoffice/shops/{shop}/settings/notices/{event}", bo.shop(bo.ownerOnly(bo.saveNotice)))
	return mux
}

// visit is one signed-in request.
type visit struct {
	owner   *Owner
	session *Session
	lang    app.Lang
	shop    *cloud.Shop
}

const cookieName = "kasir_bo"

// signedIn runs h for a valid session; a POST also needs the session's CSRF
// token. Without a session a GET goes to sign-in and comes back after; a
// POST's form is carried through sign-in so nothing typed is lost.
func (bo *BackOffice) signedIn(h func(http.ResponseWriter, *http.Request, *visit)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, ok := bo.visitOf(r)
		if !ok {
			bo.toSignIn(w, r)
			return
		}
		if r.Method == http.MethodPost {
			if err := r.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
				http.Error(w, "bad form", http.StatusBadRequest)
				return
			}
			if r.PostFormValue("csrf") != v.session.CSRF {
				http.Error(w, bo.word(v.lang, "The form expired or came from another site. Reload the page and try again."), http.StatusForbidden)
				return
			}
		}
		h(w, r, v)
	}
}

// shop is signedIn plus the shop of the path, which the account must see;
// another shop's page answers as if it did not exist.
func (bo *BackOffice) shop(h func(http.ResponseWriter, *http.Request, *visit)) http.HandlerFunc {
	return bo.signedIn(func(w http.ResponseWriter, r *http.Request, v *visit) {
		id := r.PathValue("shop")
		if !v.owner.Sees(id) {
			http.NotFound(w, r)
			return
		}
		sh, err := bo.cloud.Store().Shop(id)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		v.shop = sh
		h(w, r, v)
	})
}

func (bo *BackOffice) visitOf(r *http.Request) (*visit, bool) {
	c, err := r.Cookie(cookieName)
	if err != nil || c.Value == "" {
		return nil, false
	}
	ss, err := bo.store.Session(hashKey(c.Value))
	if err != nil || bo.now().After(ss.Expires) {
		return nil, false
	}
	o, err := bo.store.Owner(ss.Email)
	if err != nil {
		return nil, false
	}
	// Sliding expiry, written at most every few minutes.
	if ss.Expires.Sub(bo.now()) < sessionTTL-5*time.Minute {
		ss.Expires = bo.now().Add(sessionTTL)
		_ = bo.store.PutSession(ss.Key, ss)
	}
	return &visit{owner: o, session: ss, lang: langOf(r)}, true
}

// toSignIn shows the sign-in page with where to go back to and, for a form, what was typed.
func (bo *BackOffice) toSignIn(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		http.Redirect(w, r, "/backoffice/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	_ = r.ParseMultipartForm(8 << 20)
	kept := url.Values{}
	for k, vs := range r.PostForm {
		if k != "csrf" {
			kept[k] = vs
		}
	}
	w.WriteHeader(http.StatusUnauthorized)
	bo.render(w, r, "signin", &visit{lang: langOf(r)}, map[string]any{
		"Next": r.URL.RequestURI(), "Kept": kept.Encode(), "Expired": true,
	})
}

// safeNext keeps redirects inside the back office.
func safeNext(n string) string {
	if !strings.HasPrefix(n, Prefix) || strings.HasPrefix(n, "//") || strings.Contains(n, "\\") {
		return Prefix
	}
	return n
}

func (bo *BackOffice) home(w http.ResponseWriter, r *http.Request, v *visit) {
	if len(v.owner.Shops) == 1 {
		http.Redirect(w, r, "/backoffice/shops/"+v.owner.Shops[0]+"/orders", http.StatusSeeOther)
		return
	}
	var shops []*cloud.Shop
	for _, id := range v.owner.Shops {
		if sh, err := bo.cloud.Store().Shop(id); err == nil {
			shops = append(shops, sh)
		}
	}
	bo.render(w, r, "home", v, map[string]any{"Shops": shops})
}
