package cloud

import "github.com/kasir/pos/app"

// UnlinkListing takes back the owner's link of a listing: new orders of it
// come with the platform's seller SKU again and its stock is no longer
// pushed as the product's. Orders already in keep their lines. Errors: ENotFound.
func (s *Server) UnlinkListing(shop string, ch app.Channel, id string) error {
	return s.store.Update(shop, func(tx ShopTx) error {
		l, err := FindListing(tx, ch, id)
		if err != nil {
			return err
		}
		l.LinkedSKU = ""
		return tx.PutListing(l)
	})
}
