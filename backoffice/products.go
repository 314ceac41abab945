package backoffice

import (
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// maxImport bounds an uploaded catalogue file.
const maxImport = 8 << 20

func (bo *BackOffice) productsPage(w http.ResponseWriter, r *http.Request, v *visit) {
	bo.showProducts(w, r, v, nil, "", http.StatusOK)
}

func (bo *BackOffice) showProducts(w http.ResponseWriter, r *http.Request, v *visit, formErr error, done string, status int) {
	all, err := bo.cloud.Products(v.shop.ID)
	if err != nil {
		bo.fail(w, r, v, err)
		return
	}
	q := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("q")))
	var list []*app.Product
	for _, p := range all {
		if q == "" || strings.Contains(strings.ToLower(p.SKU), q) || strings.Contains(strings.ToLower(p.Name), q) || strings.Contains(p.Barcode, q) {
			list = append(list, p)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	total := len(list)
	if len(list) > 200 {
		list = list[:200]
	}
	if n := r.URL.Query().Get("imported"); n != "" && done == "" {
		done = n
	}
	data := map[string]any{"Products": list, "Total": total, "Q": r.URL.Query().Get("q"), "Done": done, "Currency": v.shop.Policy().Currency}
	if formErr != nil {
		data["Error"] = app.ErrorMessageIn(formErr, v.lang)
	}
	w.WriteHeader(status)
	bo.render(w, r, "products", v, data)
}

// importProducts reads a CSV in `pos products import`'s format and loads it
// through the cloud's import path, which sends it to every terminal.
func (bo *BackOffice) importProducts(w http.ResponseWriter, r *http.Request, v *visit) {
	f, _, err := r.FormFile("file")
	if err != nil {
		bo.showProducts(w, r, v, app.FieldError("file", "is required: choose a CSV file"), "", http.StatusBadRequest)
		return
	}
	defer f.Close()
	ps, err := app.ParseProducts(io.LimitReader(f, maxImport), v.shop.Policy().Currency)
	if err == nil {
		err = bo.cloud.ImportProducts(v.shop.ID, ps)
	}
	if err != nil {
		bo.showProducts(w, r, v, err, "", http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, "/backoffice/shops/"+v.shop.ID+"/products?imported="+itoa(len(ps)), http.StatusSeeOther)
}

// editProduct changes one product's price, cost and reorder level. It reads
// and writes the product in one transaction through import_products, so a
// sale at the same moment keeps its stock and every terminal gets the change.
func (bo *BackOffice) editProduct(w http.ResponseWriter, r *http.Request, v *visit) {
	cur := v.shop.Policy().Currency
	price, err := cur.ParseMoney(strings.TrimSpace(r.PostFormValue("price")))
	if err != nil {
		bo.showProducts(w, r, v, app.FieldError("price", "is not an amount like 15000"), "", http.StatusBadRequest)
		return
	}
	cost, err := cur.ParseMoney(strings.TrimSpace(r.PostFormValue("cost")))
	if err != nil {
		bo.showProducts(w, r, v, app.FieldError("cost", "is not an amount like 15000"), "", http.StatusBadRequest)
		return
	}
	reorder, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("reorder_level")))
	if err != nil || reorder < 0 {
		bo.showProducts(w, r, v, app.FieldError("reorder_level", "must be a whole number, 0 or more"), "", http.StatusBadRequest)
		return
	}
	sku := r.PathValue("sku")
	_, err = bo.cloud.Apply(v.shop.ID, func(tx cloud.ShopTx, pol app.Policy) ([]*app.Result, error) {
		p, err := tx.Product(sku)
		if err != nil {
			return nil, err
		}
		edited := *p
		edited.Price, edited.Cost, edited.ReorderLevel = price, cost, reorder
		res, err := app.Execute(tx, pol, app.Command{Action: app.ActionImportProducts, Args: app.Args{Products: []*app.Product{&edited}}}, v.actor(), bo.now())
		if err != nil {
			return nil, err
		}
		return []*app.Result{res}, nil
	})
	if err != nil {
		if app.ErrorCode(err) == app.ENotFound {
			http.NotFound(w, r)
			return
		}
		bo.showProducts(w, r, v, err, "", http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, "/backoffice/shops/"+v.shop.ID+"/products?q="+url.QueryEscape(sku), http.StatusSeeOther)
}
