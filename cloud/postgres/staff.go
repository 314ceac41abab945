package postgres

import (
	"errors"
	"github.com/kasir/pos/cloud"

	"github.com/jackc/pgx/v5"

	"github.com/kasir/pos/app"
)

// pgStaffSchema keeps each shop's staff list (storedStaff JSON, keys included) in one row.
const pgStaffSchema = `
CREATE TABLE IF NOT EXISTS shop_staff (shop text PRIMARY KEY REFERENCES shops(id), data text NOT NULL);
`

func (t *pgShopTx) Staff() ([]app.Staff, error) {
	var data string
	err := t.tx.QueryRow(t.ctx, `SELECT data FROM shop_staff WHERE shop = $1`, t.shop).Scan(&data)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return cloud.DecodeStaff([]byte(data))
}

func (t *pgShopTx) PutStaff(list []app.Staff) error {
	data, err := cloud.EncodeStaff(list)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(t.ctx, `INSERT INTO shop_staff (shop, data) VALUES ($1, $2)
		ON CONFLICT (shop) DO UPDATE SET data = EXCLUDED.data`, t.shop, string(data))
	return err
}

func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
