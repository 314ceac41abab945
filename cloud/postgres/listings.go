package postgres

import (
	"encoding/json"
	"fmt"

	"github.com/kasir/pos/app"
)

// pgListingSchema holds the shops' marketplace listings as last read.
const pgListingSchema = `
CREATE TABLE IF NOT EXISTS listings (shop text NOT NULL, channel text NOT NULL, id text NOT NULL, data text NOT NULL, PRIMARY KEY (shop, channel, id));
`

func (t *pgShopTx) Listings() ([]app.Listing, error) {
	var out []app.Listing
	err := scanJSON(t, `SELECT data FROM listings WHERE shop = $1 ORDER BY channel, id`, func(b []byte) error {
		var l app.Listing
		if err := json.Unmarshal(b, &l); err != nil {
			return fmt.Errorf("stored listing: %w", err)
		}
		out = append(out, l)
		return nil
	})
	return out, err
}

func (t *pgShopTx) PutListings(ch app.Channel, ls []app.Listing) error {
	if _, err := t.tx.Exec(t.ctx, `DELETE FROM listings WHERE shop = $1 AND channel = $2`, t.shop, string(ch)); err != nil {
		return err
	}
	for _, l := range ls {
		if err := t.PutListing(l); err != nil {
			return err
		}
	}
	return nil
}

func (t *pgShopTx) PutListing(l app.Listing) error {
	data, err := json.Marshal(l)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(t.ctx, `INSERT INTO listings (shop, channel, id, data) VALUES ($1, $2, $3, $4)
		ON CONFLICT (shop, channel, id) DO UPDATE SET data = EXCLUDED.data`, t.shop, string(l.Channel), l.ID, string(data))
	return err
}
