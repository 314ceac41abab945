package backoffice

import (
	"encoding/base64"
	"encoding/json"
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// ownerOnly refuses a manager: accounts, staff and settings are the owner's.
func (bo *BackOffice) ownerOnly(h func(http.ResponseWriter, *http.Request, *visit)) func(http.ResponseWriter, *http.Request, *visit) {
	return func(w http.ResponseWriter, r *http.Request, v *visit) {
		if v.owner.Role != RoleOwner {
			bo.fail(w, r, v, app.Errorf(app.EForbidden, "only the shop's owner can open the settings"))
			return
		}
		h(w, r, v)
	}
}

// windowRow is one channel's acceptance window on the settings form.
type windowRow struct {
	Channel app.Channel
	Label   string
	// Hours is what the field shows: the shop's own window, or empty for the channel's default.
	Hours        string
	DefaultHours int
}

// accountRow is one kind of outside account: its masked fields, the form to
// set or replace it, and whether it can be connected by authorization.
type accountRow struct {
	Kind        app.AccountKind
	Fields      []app.AccountField
	Masked      map[string]string
	Set         bool
	Connectable bool
	UpdatedAt   time.Time
	LastError   string
	// Stores are a shop's WooCommerce stores, each masked with Remove.
	Stores []storeRow
}

// storeRow is one of the shop's WooCommerce stores.
type storeRow struct {
	Store, StoreURL string
	Masked          map[string]string
}

// staffRoles are the roles a member of staff can have, in the form's order.
var staffRoles = []app.Role{app.RoleCashier, app.RolePacker, app.RoleOwner}

func (bo *BackOffice) settingsPage(w http.ResponseWriter, r *http.Request, v *visit) {
	bo.showSettings(w, r, v, nil, http.StatusOK)
}

// showSettings is the settings page; extra adds a form's outcome (an error
// naming the field, a new terminal's code, a Connect link).
func (bo *BackOffice) showSettings(w http.ResponseWriter, r *http.Request, v *visit, extra map[string]any, status int) {
	terms, err := bo.cloud.Store().Terminals(v.shop.ID)
	if err != nil {
		bo.fail(w, r, v, err)
		return
	}
	var staff []app.Staff
	var pol app.Policy
	err = bo.cloud.Store().View(v.shop.ID, func(tx cloud.ShopTx) error {
		var err error
		if staff, err = tx.Staff(); err != nil {
			return err
		}
		p, err := tx.Policy()
		pol = v.shop.Policy()
		if p != nil {
			pol = *p
		}
		return err
	})
	if err != nil {
		bo.fail(w, r, v, err)
		return
	}
	form := r.PostForm
	if extra == nil || extra["Error"] == nil || extra["FormOf"] != "shop" {
		form = nil
	}
	data := map[string]any{"Terminals": terms, "Staff": app.PublicStaff(staff), "Roles": staffRoles,
		"Address": pol.ShopAddress, "Contact": pol.Notices.Contact, "Windows": windowRows(pol, form)}
	if form != nil {
		data["Address"], data["Contact"] = form.Get("address"), form.Get("contact")
	}
	if acc := bo.cloud.Accounts(); acc != nil {
		rows, err := bo.accountRows(acc, v.shop.ID)
		if err != nil {
			bo.fail(w, r, v, err)
			return
		}
		data["Accounts"] = rows
	} else {
		data["AccountsOff"] = true
	}
	for k, x := range extra {
		data[k] = x
	}
	w.WriteHeader(status)
	bo.render(w, r, "settings", v, data)
}

// windowRows are the online channels' windows, as stored or as typed in a refused form.
func windowRows(pol app.Policy, form map[string][]string) []windowRow {
	var out []windowRow
	for _, ch := range app.Channels {
		def := ch.Rule().AcceptWindow
		if def <= 0 {
			continue
		}
		row := windowRow{Channel: ch, Label: ch.Label(), DefaultHours: int(def / time.Hour)}
		if d, ok := pol.AcceptWindow[ch]; ok && d > 0 {
			row.Hours = strconv.Itoa(int(d / time.Hour))
		}
		if form != nil {
			row.Hours = strings.TrimSpace(first(form["window_"+string(ch)]))
		}
		out = append(out, row)
	}
	return out
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

func (bo *BackOffice) accountRows(acc *cloud.Accounts, shop string) ([]accountRow, error) {
	masked, err := acc.Masked(shop)
	if err != nil {
		return nil, err
	}
	var out []accountRow
	for _, k := range app.AccountKinds {
		row := accountRow{Kind: k, Fields: app.AccountFields(k), Connectable: bo.cloud.Connectable(k)}
		for _, m := range masked {
			if m.Kind == k {
				row.Set, row.Masked, row.UpdatedAt, row.LastError = true, m.Fields, m.UpdatedAt, m.LastError
				if k == app.AccountWooCommerce {
					row.Stores = append(row.Stores, storeRow{Store: m.Store, StoreURL: m.Fields["store_url"], Masked: m.Fields})
				}
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// saveShop sets the acceptance windows, the shop's address and its contact
// through app's set_policy rule on the cloud's apply path, so every
// terminal gets the same settings; app's Policy.Validate names a bad field.
func (bo *BackOffice) saveShop(w http.ResponseWriter, r *http.Request, v *visit) {
	refuse := func(err error) {
		bo.showSettings(w, r, v, map[string]any{"Error": app.ErrorMessageIn(err, v.lang), "FormOf": "shop"}, http.StatusBadRequest)
	}
	windows := map[app.Channel]time.Duration{}
	for _, ch := range app.Channels {
		s := strings.TrimSpace(r.PostFormValue("window_" + string(ch)))
		if s == "" || ch.Rule().AcceptWindow <= 0 {
			continue
		}
		h, err := strconv.Atoi(s)
		if err != nil {
			refuse(app.FieldError("Acceptance window", "for %s is not a whole number of hours", ch.Label()))
			return
		}
		windows[ch] = time.Duration(h) * time.Hour
	}
	_, err := bo.cloud.Apply(v.shop.ID, func(tx cloud.ShopTx, pol app.Policy) ([]*app.Result, error) {
		next := pol
		next.AcceptWindow = windows
		next.ShopAddress = strings.TrimSpace(r.PostFormValue("address"))
		next.Notices.Contact = strings.TrimSpace(r.PostFormValue("contact"))
		res, err := app.Execute(tx, pol, app.Command{Action: app.ActionSetPolicy, Args: app.Args{Policy: &next}}, v.actor(), bo.now())
		if err != nil {
			return nil, err
		}
		return []*app.Result{res}, nil
	})
	if err != nil {
		refuse(err)
		return
	}
	http.Redirect(w, r, "/backoffice/shops/"+v.shop.ID+"/settings?saved=shop#shop", http.StatusSeeOther)
}

// addStaff adds a member with a PIN; the cloud passes the list to every terminal.
func (bo *BackOffice) addStaff(w http.ResponseWriter, r *http.Request, v *visit) {
	role := app.Role(r.PostFormValue("role"))
	if !slices.Contains(staffRoles, role) {
		bo.showSettings(w, r, v, map[string]any{"Error": app.ErrorMessageIn(app.FieldError("role", "must be cashier, packer or owner"), v.lang)}, http.StatusBadRequest)
		return
	}
	if _, err := bo.cloud.AddStaff(v.shop.ID, strings.TrimSpace(r.PostFormValue("name")), role, r.PostFormValue("pin")); err != nil {
		bo.showSettings(w, r, v, map[string]any{"Error": app.ErrorMessageIn(err, v.lang)}, http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, "/backoffice/shops/"+v.shop.ID+"/settings?saved=staff#staff", http.StatusSeeOther)
}

// removeStaff takes a member off the list (never the last owner).
func (bo *BackOffice) removeStaff(w http.ResponseWriter, r *http.Request, v *visit) {
	if _, err := bo.cloud.RemoveStaff(v.shop.ID, r.PostFormValue("name")); err != nil {
		bo.showSettings(w, r, v, map[string]any{"Error": app.ErrorMessageIn(err, v.lang)}, http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, "/backoffice/shops/"+v.shop.ID+"/settings?saved=staff#staff", http.StatusSeeOther)
}

// pairTerminal adds a terminal and shows its token once, typed or scanned
// from a QR code that carries the cloud's address with it.
func (bo *BackOffice) pairTerminal(w http.ResponseWriter, r *http.Request, v *visit) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	t, tok, err := cloud.AddTerminal(bo.cloud.Store(), v.shop.ID, name, bo.now())
	if err != nil {
		bo.showSettings(w, r, v, map[string]any{"Error": app.ErrorMessageIn(err, v.lang)}, http.StatusBadRequest)
		return
	}
	pairing := app.Pairing{CloudURL: bo.publicURL(r), Token: tok}
	png, err := qrcode.Encode(pairing.Text(), qrcode.Medium, 320)
	if err != nil {
		bo.fail(w, r, v, err)
		return
	}
	bo.showSettings(w, r, v, map[string]any{"Paired": t, "Token": tok, "PairText": pairing.Text(),
		"QR": template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))}, http.StatusOK)
}

// publicURL is the cloud's address for a tablet: the one the operator set,
// else the one this browser reached.
func (bo *BackOffice) publicURL(r *http.Request) string {
	if u := bo.cloud.PublicURL(); u != "" {
		return strings.TrimRight(u, "/")
	}
	scheme := "http"
	if r.TLS != nil || bo.Secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// revokeTerminal stops a terminal of this shop at once; another shop's terminal is not found.
func (bo *BackOffice) revokeTerminal(w http.ResponseWriter, r *http.Request, v *visit) {
	t, err := bo.cloud.Store().Terminal(r.PathValue("term"))
	if err != nil || t.Shop != v.shop.ID {
		http.NotFound(w, r)
		return
	}
	if _, err := bo.cloud.RevokeTerminal(t.ID); err != nil {
		bo.fail(w, r, v, err)
		return
	}
	http.Redirect(w, r, "/backoffice/shops/"+v.shop.ID+"/settings#terminals", http.StatusSeeOther)
}

// accountKind is the path's account kind, or an error naming it.
func accountKind(r *http.Request) (app.AccountKind, error) {
	k := app.AccountKind(r.PathValue("kind"))
	if !slices.Contains(app.AccountKinds, k) {
		return "", app.FieldError("kind", "is not a kind of account")
	}
	return k, nil
}

// setAccount sets or replaces an account's fields; a secret left empty
// keeps the stored one, so replacing a URL does not need the keys again.
func (bo *BackOffice) setAccount(w http.ResponseWriter, r *http.Request, v *visit) {
	refuse := func(err error) {
		bo.showSettings(w, r, v, map[string]any{"Error": app.ErrorMessageIn(err, v.lang)}, http.StatusBadRequest)
	}
	acc := bo.cloud.Accounts()
	if acc == nil {
		refuse(app.Errorf(app.EInvalid, "the cloud was started without a secrets key, so it keeps no accounts"))
		return
	}
	kind, err := accountKind(r)
	if err != nil {
		refuse(err)
		return
	}
	fields, err := storedFields(acc, v.shop.ID, kind, r.PostFormValue("store_url"))
	if err != nil {
		refuse(err)
		return
	}
	for _, f := range app.AccountFields(kind) {
		if val := strings.TrimSpace(r.PostFormValue(f.Name)); val != "" {
			fields[f.Name] = val
		}
	}
	raw, err := json.Marshal(fields)
	if err == nil {
		_, err = acc.Set(v.shop.ID, kind, raw, bo.now())
	}
	if err != nil {
		refuse(err)
		return
	}
	http.Redirect(w, r, "/backoffice/shops/"+v.shop.ID+"/settings?saved="+string(kind)+"#accounts", http.StatusSeeOther)
}

// removeStore removes one of the shop's WooCommerce stores, named by the
// form's store_url: its webhooks are refused from then on and it hears no
// stock figures; its orders stay.
func (bo *BackOffice) removeStore(w http.ResponseWriter, r *http.Request, v *visit) {
	if _, err := bo.cloud.RemoveAccount(v.shop.ID, app.AccountWooCommerce, r.PostFormValue("store_url")); err != nil {
		bo.showSettings(w, r, v, map[string]any{"Error": app.ErrorMessageIn(err, v.lang), "FormOf": "accounts"}, http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, "/backoffice/shops/"+v.shop.ID+"/settings?saved=woocommerce#accounts", http.StatusSeeOther)
}

// storedFields are the stored values a form's empty fields keep. A shop
// keeps several WooCommerce stores, so for WooCommerce they are the values
// of the store the form names; a store not yet kept starts empty, never
// with another store's keys.
func storedFields(acc *cloud.Accounts, shop string, kind app.AccountKind, storeURL string) (map[string]string, error) {
	fields := map[string]string{}
	if kind == app.AccountWooCommerce {
		stores, err := acc.WooStores(shop)
		if err != nil && app.ErrorCode(err) != app.ENotFound {
			return nil, err
		}
		key, _ := app.WooStoreKey("store_url", storeURL)
		for _, st := range stores {
			if key != "" && st.Key == key {
				maps.Copy(fields, st.Fields)
			}
		}
		return fields, nil
	}
	stored, err := acc.Fields(shop, kind)
	if err != nil && app.ErrorCode(err) != app.ENotFound {
		return nil, err
	}
	maps.Copy(fields, stored)
	return fields, nil
}

// connectAccount makes the platform's authorization link and shows it for
// the owner to follow (a form may not redirect off the site under the CSP).
func (bo *BackOffice) connectAccount(w http.ResponseWriter, r *http.Request, v *visit) {
	kind, err := accountKind(r)
	var link string
	if err == nil {
		link, err = bo.cloud.Connect(v.shop.ID, kind)
	}
	if err != nil {
		bo.showSettings(w, r, v, map[string]any{"Error": app.ErrorMessageIn(err, v.lang)}, http.StatusBadRequest)
		return
	}
	bo.showSettings(w, r, v, map[string]any{"ConnectKind": kind, "ConnectURL": template.URL(link)}, http.StatusOK)
}
