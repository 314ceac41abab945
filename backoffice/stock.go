package backoffice

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// historyShown is how many lines of a product's stock history its page shows.
const historyShown = 100

func (bo *BackOffice) productPage(w http.ResponseWriter, r *http.Request, v *visit) {
	bo.showProduct(w, r, v, nil, http.StatusOK)
}

// showProduct is one product: its figures, the stock adjustment form and its stock history.
func (bo *BackOffice) showProduct(w http.ResponseWriter, r *http.Request, v *visit, formErr error, status int) {
	sku := r.PathValue("sku")
	var p *app.Product
	var moves []app.StockMove
	err := bo.cloud.Store().View(v.shop.ID, func(tx cloud.ShopTx) error {
		var err error
		if p, err = tx.Product(sku); err != nil {
			return err
		}
		moves, err = tx.StockMoves(sku, historyShown)
		return err
	})
	if err != nil {
		bo.fail(w, r, v, err)
		return
	}
	data := map[string]any{"Product": p, "Moves": moves, "Reasons": app.StockReasons, "Currency": v.shop.Policy().Currency,
		"Adjusted": r.URL.Query().Get("adjusted") != "", "Form": r.PostForm}
	if p.OnHand < p.Allocated {
		data["Short"] = app.Text("%s now has %d on the shelf but orders hold %d", p.SKU, p.OnHand, p.Allocated).In(v.lang)
	}
	if formErr != nil {
		data["Error"] = app.ErrorMessageIn(formErr, v.lang)
	}
	w.WriteHeader(status)
	bo.render(w, r, "product", v, data)
}

// adjustStock counts, writes off or receives one product's stock through
// app's adjust_stock rule and the cloud's apply path: the product reaches
// every terminal, and its history line is written in the same transaction.
func (bo *BackOffice) adjustStock(w http.ResponseWriter, r *http.Request, v *visit) {
	qty, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("quantity")))
	if err != nil {
		bo.showProduct(w, r, v, app.FieldError("quantity", "is not a whole number"), http.StatusBadRequest)
		return
	}
	cmd := app.Command{Action: app.ActionAdjustStock, Args: app.Args{Stock: &app.StockAdjustment{
		SKU: r.PathValue("sku"), Reason: app.StockReason(r.PostFormValue("reason")), Qty: qty, Note: r.PostFormValue("note"),
	}}}
	if _, err := bo.cloud.Execute(v.shop.ID, cmd, v.actor(), bo.now()); err != nil {
		if app.ErrorCode(err) == app.ENotFound {
			http.NotFound(w, r)
			return
		}
		bo.showProduct(w, r, v, err, http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, "/backoffice/shops/"+v.shop.ID+"/products/"+url.PathEscape(cmd.Args.Stock.SKU)+"?adjusted=1", http.StatusSeeOther)
}
