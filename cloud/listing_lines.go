package cloud

import "github.com/kasir/pos/app"

// linkListedLines gives the lines of every order a delivery carries the
// catalogue SKU the owner linked their listing to (app.LinkLines), inside
// the delivery's transaction, so app.Ingest allocates stock for them as for
// any line with a SKU. Webhooks, detail fetches and reconciliation all come
// this way (applyInbound). The shop's listings are read only when a line's
// SKU is not in the catalogue: most deliveries read none.
func linkListedLines(tx ShopTx, orders []app.Incoming) error {
	has, failed := catalogueHas(tx)
	var listings []app.Listing
	read := false
	link := func(ch app.Channel, lines []app.Line) error {
		need := false
		for _, l := range lines {
			if l.SKU == "" || !has(l.SKU) {
				need = true
				break
			}
		}
		if !need {
			return nil
		}
		if !read {
			var err error
			if listings, err = tx.Listings(); err != nil {
				return err
			}
			read = true
		}
		app.LinkLines(ch, lines, listings, has)
		return nil
	}
	for _, in := range orders {
		if in.Order != nil {
			if err := link(in.Channel, in.Order.Lines); err != nil {
				return err
			}
		}
		if in.Line != nil {
			one := []app.Line{*in.Line}
			if err := link(in.Channel, one); err != nil {
				return err
			}
			*in.Line = one[0]
		}
	}
	return *failed
}

// catalogueHas is the has app.LinkLines and app.LinkedTo ask, answered
// from the shop's catalogue in tx, each SKU read once; failed keeps the
// first store error met, for the caller to return.
func catalogueHas(tx ShopTx) (has func(sku string) bool, failed *error) {
	failed = new(error)
	known := map[string]bool{}
	has = func(sku string) bool {
		if ok, seen := known[sku]; seen {
			return ok
		}
		p, err := tx.Product(sku)
		if err != nil && app.ErrorCode(err) != app.ENotFound && *failed == nil {
			*failed = err
		}
		known[sku] = err == nil && p != nil
		return known[sku]
	}
	return has, failed
}
