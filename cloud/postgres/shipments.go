package postgres

import (
	"errors"
	"github.com/kasir/pos/cloud"

	"github.com/jackc/pgx/v5"

	"github.com/kasir/pos/app"
)

// pgShipmentSchema is the shipment index (see ShipmentIndex), filled from
// the orders stored before it once, when the table is made.
const pgShipmentSchema = `
DO $$ BEGIN
IF to_regclass('shipment_ids') IS NULL THEN
  CREATE TABLE shipment_ids (shop text NOT NULL, provider text NOT NULL, kind text NOT NULL, id text NOT NULL,
    order_id text NOT NULL, PRIMARY KEY (shop, provider, kind, id));
  INSERT INTO shipment_ids (shop, provider, kind, id, order_id)
    SELECT o.shop, o.data::json->'shipment'->>'provider', k.kind, k.id, o.id
    FROM orders o, LATERAL (VALUES ('o', o.data::json->'shipment'->>'provider_order_id'), ('r', o.data::json->'shipment'->>'reference'),
      ('t', o.data::json->'shipment'->>'awb'), ('t', o.data::json->'shipment'->>'tracking_id')) AS k(kind, id)
    WHERE o.data::json->'shipment'->>'provider' IN ('shipper', 'biteship') AND coalesce(k.id, '') <> ''
    ON CONFLICT DO NOTHING;
END IF;
END $$;
`

// putShipmentIDs keeps o's shipment ids in the index, in the order's transaction.
func (t *pgShopTx) putShipmentIDs(o *app.Order) error {
	for _, id := range cloud.ShipmentIDs(o) {
		if _, err := t.tx.Exec(t.ctx, `INSERT INTO shipment_ids (shop, provider, kind, id, order_id) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (shop, provider, kind, id) DO UPDATE SET order_id = EXCLUDED.order_id WHERE shipment_ids.order_id <> EXCLUDED.order_id`,
			t.shop, string(id.Provider), string(id.Kind), id.ID, o.ID); err != nil {
			return err
		}
	}
	return nil
}

// ShipmentOrder reads the shipment index (see ShipmentIndex).
func (s *Store) ShipmentOrder(shop string, p app.CourierProvider, kind cloud.ShipmentKey, id string) (string, error) {
	ctx, cancel := pgCtx()
	defer cancel()
	var out string
	err := s.pool.QueryRow(ctx, `SELECT order_id FROM shipment_ids WHERE shop = $1 AND provider = $2 AND kind = $3 AND id = $4`,
		shop, string(p), string(kind), id).Scan(&out)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return out, err
}
