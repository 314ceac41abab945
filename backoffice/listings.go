package backoffice

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// readTimeout bounds one platform's listings read, which pages through the whole shop.
const readTimeout = 60 * time.Second

func (bo *BackOffice) listingsPage(w http.ResponseWriter, r *http.Request, v *visit) {
	bo.showListings(w, r, v, nil, http.StatusOK)
}

// showListings is the "Not in POS" page: the platforms whose listings the
// cloud reads, and each listing whose product the catalogue lacks, with
// link and import forms.
func (bo *BackOffice) showListings(w http.ResponseWriter, r *http.Request, v *visit, formErr error, status int) {
	all, err := bo.cloud.ShopListings(v.shop.ID)
	if err != nil {
		bo.fail(w, r, v, err)
		return
	}
	products, err := bo.cloud.Products(v.shop.ID)
	if err != nil {
		bo.fail(w, r, v, err)
		return
	}
	skus := map[string]bool{}
	var skuList []string
	for _, p := range products {
		skus[p.SKU] = true
		skuList = append(skuList, p.SKU)
	}
	sort.Strings(skuList)
	missing := app.NotInCatalogue(all, func(sku string) bool { return skus[sku] })
	sort.Slice(missing, func(i, j int) bool {
		if missing[i].Channel != missing[j].Channel {
			return missing[i].Channel < missing[j].Channel
		}
		return missing[i].Name < missing[j].Name
	})
	var readable []app.Channel
	for _, ch := range app.Channels {
		if bo.cloud.ListsCatalogue(ch) {
			readable = append(readable, ch)
		}
	}
	data := map[string]any{"Listings": missing, "Total": len(all), "Readable": readable, "SKUs": skuList,
		"Currency": v.shop.Policy().Currency, "Read": r.URL.Query().Get("read"), "Done": r.URL.Query().Get("done")}
	// How each platform's latest read went, the cloud's own hourly ones too.
	type readState struct {
		Channel app.Channel
		Text    string
		Failed  bool
	}
	var reads []readState
	for _, rd := range bo.cloud.ListingReads(v.shop.ID) {
		reads = append(reads, readState{rd.Channel, rd.Text().In(v.lang), rd.Err != nil})
	}
	data["Reads"] = reads
	var linked []app.Listing
	for _, l := range all {
		if l.LinkedSKU != "" {
			linked = append(linked, l)
		}
	}
	sort.Slice(linked, func(i, j int) bool {
		if linked[i].Channel != linked[j].Channel {
			return linked[i].Channel < linked[j].Channel
		}
		return linked[i].Name < linked[j].Name
	})
	data["Linked"] = linked
	if formErr != nil {
		data["Error"] = app.ErrorMessageIn(formErr, v.lang)
	}
	w.WriteHeader(status)
	bo.render(w, r, "listings", v, data)
}

// formChannel is a channel named by a form or path, checked.
func formChannel(s string) (app.Channel, error) {
	ch := app.Channel(s)
	if !ch.Valid() {
		return "", app.FieldError("channel", "%q is unknown", s)
	}
	return ch, nil
}

// readListings asks one platform for the shop's listings now.
func (bo *BackOffice) readListings(w http.ResponseWriter, r *http.Request, v *visit) {
	ch, err := formChannel(r.PostFormValue("channel"))
	var n int
	if err == nil {
		ctx, cancel := context.WithTimeout(r.Context(), readTimeout)
		defer cancel()
		n, err = bo.cloud.ReadListings(ctx, v.shop.ID, ch)
	}
	if err != nil {
		bo.showListings(w, r, v, err, http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, "/backoffice/shops/"+v.shop.ID+"/listings?read="+url.QueryEscape(string(ch)+": "+itoa(n)), http.StatusSeeOther)
}

// linkListing says which catalogue product a listing sells.
func (bo *BackOffice) linkListing(w http.ResponseWriter, r *http.Request, v *visit) {
	ch, err := formChannel(r.PathValue("channel"))
	if err == nil {
		err = bo.cloud.LinkListing(v.shop.ID, ch, r.PathValue("id"), r.PostFormValue("sku"))
	}
	bo.listingChanged(w, r, v, err, "linked")
}

// importListing makes a listing a catalogue product, through app's
// import_products rule on the cloud's apply path (so terminals get it), and
// links the listing to it in the same transaction. A SKU the catalogue
// already has is refused: that listing wants a link, not a new product.
func (bo *BackOffice) importListing(w http.ResponseWriter, r *http.Request, v *visit) {
	ch, err := formChannel(r.PathValue("channel"))
	if err != nil {
		bo.showListings(w, r, v, err, http.StatusBadRequest)
		return
	}
	sku := strings.TrimSpace(r.PostFormValue("sku"))
	_, err = bo.cloud.Apply(v.shop.ID, func(tx cloud.ShopTx, pol app.Policy) ([]*app.Result, error) {
		l, err := cloud.FindListing(tx, ch, r.PathValue("id"))
		if err != nil {
			return nil, err
		}
		p, err := app.ProductFromListing(l, sku)
		if err != nil {
			return nil, err
		}
		if _, err := tx.Product(p.SKU); err == nil {
			return nil, app.FieldError("sku", "%s is already in the catalogue: link the listing to it instead", p.SKU)
		} else if app.ErrorCode(err) != app.ENotFound {
			return nil, err
		}
		res, err := app.Execute(tx, pol, app.Command{Action: app.ActionImportProducts, Args: app.Args{Products: []*app.Product{p}}}, v.actor(), bo.now())
		if err != nil {
			return nil, err
		}
		l.LinkedSKU = p.SKU
		return []*app.Result{res}, tx.PutListing(l)
	})
	bo.listingChanged(w, r, v, err, "imported")
}

// unlinkListing takes back the owner's link of a listing: new orders of it
// move no stock until it is linked again.
func (bo *BackOffice) unlinkListing(w http.ResponseWriter, r *http.Request, v *visit) {
	ch, err := formChannel(r.PathValue("channel"))
	if err == nil {
		err = bo.cloud.UnlinkListing(v.shop.ID, ch, r.PathValue("id"))
	}
	bo.listingChanged(w, r, v, err, "unlinked")
}

// listingChanged answers a change to one listing: a listing the shop does
// not have is not found, a refusal shows the listings with its reason, and
// a change made goes back to the listings saying what was done.
func (bo *BackOffice) listingChanged(w http.ResponseWriter, r *http.Request, v *visit, err error, done string) {
	if err != nil {
		if app.ErrorCode(err) == app.ENotFound {
			http.NotFound(w, r)
			return
		}
		bo.showListings(w, r, v, err, http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, "/backoffice/shops/"+v.shop.ID+"/listings?done="+done, http.StatusSeeOther)
}
