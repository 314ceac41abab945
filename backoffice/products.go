package backoffice

import (
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/kasir/pos/app"
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
