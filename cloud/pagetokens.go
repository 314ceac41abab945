package cloud

// PageTokenIndex finds the sale a counter-made page token belongs to: such
// a token is made on the tablet and names neither shop nor order, so both
// backends keep token → shop and order, written in the order's transaction.
type PageTokenIndex interface {
	// SaleByPageToken is the shop and order of a sale's token, "" when none.
	SaleByPageToken(token string) (shop, order string, err error)
}
