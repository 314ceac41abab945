package postgres

import (
	"encoding/json"
	"fmt"

	"github.com/kasir/pos/sync/wire"
)

func (t *pgShopTx) Quarantined(terminal string) ([]wire.Quarantined, error) {
	var out []wire.Quarantined
	if _, err := t.one(`SELECT data FROM quarantine WHERE shop = $1 AND terminal = $2`, &out, t.shop, terminal); err != nil {
		return nil, fmt.Errorf("quarantine of terminal %s: %w", terminal, err)
	}
	return out, nil
}

func (t *pgShopTx) PutQuarantined(terminal string, items []wire.Quarantined) error {
	if len(items) == 0 {
		_, err := t.tx.Exec(t.ctx, `DELETE FROM quarantine WHERE shop = $1 AND terminal = $2`, t.shop, terminal)
		return err
	}
	data, err := json.Marshal(items)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(t.ctx, `INSERT INTO quarantine (shop, terminal, data) VALUES ($1, $2, $3)
		ON CONFLICT (shop, terminal) DO UPDATE SET data = EXCLUDED.data`, t.shop, terminal, string(data))
	return err
}
