package cloud

import "github.com/kasir/pos/app"

// StockHistoryTx is each product's stock history, written in the same
// transaction as the stock it explains, so a line never claims a change
// that did not commit, and no committed change lacks its line.
type StockHistoryTx interface {
	// AppendStockMove adds a line to its product's history.
	AppendStockMove(m app.StockMove) error
	// StockMoves is a product's history, newest first, at most limit lines (0: all).
	StockMoves(sku string, limit int) ([]app.StockMove, error)
}

// keepStockMoves writes the stock history a result carries; every path that
// applies a command (applyAndLog, a terminal's mutation) calls it.
func keepStockMoves(tx ShopTx, res *app.Result) error {
	for _, m := range res.StockMoves {
		if err := tx.AppendStockMove(m); err != nil {
			return err
		}
	}
	return nil
}
