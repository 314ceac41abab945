package cloud

import "github.com/kasir/pos/app"

// linkListedLines gives the lines of every order a delivery carries the
// catalogue SKU the owner linked their listing to (app.LinkLines), inside
// the delivery's transaction, so app.Ingest allocates stock for them as for
// any line with a SKU. Webhooks, detail fetches and reconciliation all come
// this way (applyInbound). A delivery with no lines reads nothing.
func linkListedLines(tx ShopTx, orders []app.Incoming) error {
	var listings []app.Listing
	read := false
	var failed error
	has := func(sku string) bool {
		p, err := tx.Product(sku)
		if err != nil && app.ErrorCode(err) != app.ENotFound && failed == nil {
			failed = err
		}
		return err == nil && p != nil
	}
	for _, in := range orders {
		if in.Order == nil && in.Line == nil {
			continue
		}
		if !read {
			var err error
			if listings, err = tx.Listings(); err != nil {
				return err
			}
			read = true
		}
		if len(listings) == 0 {
			return nil
		}
		if in.Order != nil {
			app.LinkLines(in.Channel, in.Order.Lines, listings, has)
		}
		if in.Line != nil {
			one := []app.Line{*in.Line}
			app.LinkLines(in.Channel, one, listings, has)
			*in.Line = one[0]
		}
	}
	return failed
}
