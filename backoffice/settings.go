package backoffice

import (
	"net/http"
	"strings"

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

func (bo *BackOffice) settingsPage(w http.ResponseWriter, r *http.Request, v *visit) {
	bo.showSettings(w, r, v, nil, http.StatusOK)
}

func (bo *BackOffice) showSettings(w http.ResponseWriter, r *http.Request, v *visit, extra map[string]any, status int) {
	terms, err := bo.cloud.Store().Terminals(v.shop.ID)
	if err != nil {
		bo.fail(w, r, v, err)
		return
	}
	var staff []app.Staff
	err = bo.cloud.Store().View(v.shop.ID, func(tx cloud.ShopTx) error {
		var err error
		staff, err = tx.Staff()
		return err
	})
	if err != nil {
		bo.fail(w, r, v, err)
		return
	}
	data := map[string]any{"Terminals": terms, "Staff": staff}
	for k, x := range extra {
		data[k] = x
	}
	w.WriteHeader(status)
	bo.render(w, r, "settings", v, data)
}

// pairTerminal adds a terminal and shows its token once, for the tablet's pairing screen.
func (bo *BackOffice) pairTerminal(w http.ResponseWriter, r *http.Request, v *visit) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	t, tok, err := cloud.AddTerminal(bo.cloud.Store(), v.shop.ID, name, bo.now())
	if err != nil {
		bo.showSettings(w, r, v, map[string]any{"Error": app.ErrorMessageIn(err, v.lang)}, http.StatusBadRequest)
		return
	}
	bo.showSettings(w, r, v, map[string]any{"Paired": t, "Token": tok}, http.StatusOK)
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
	http.Redirect(w, r, "/backoffice/shops/"+v.shop.ID+"/settings", http.StatusSeeOther)
}
