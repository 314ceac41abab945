package bolt

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/kasir/pos/sync/wire"
)

// subQuarantine is created on first use, so shops made before it read as empty.
var subQuarantine = []byte("quarantine") // terminal id → JSON []wire.Quarantined

func (t *shopTx) Quarantined(terminal string) ([]wire.Quarantined, error) {
	b := t.sub(subQuarantine)
	if b == nil {
		return nil, nil
	}
	v := b.Get([]byte(terminal))
	if v == nil {
		return nil, nil
	}
	var out []wire.Quarantined
	if err := json.Unmarshal(v, &out); err != nil {
		return nil, fmt.Errorf("quarantine of terminal %s: %w", terminal, err)
	}
	return out, nil
}

func (t *shopTx) PutQuarantined(terminal string, items []wire.Quarantined) error {
	if t.ro {
		return errors.New("quarantine: read-only transaction")
	}
	b, err := t.b.CreateBucketIfNotExists(subQuarantine)
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return b.Delete([]byte(terminal))
	}
	return putJSON(b, []byte(terminal), items)
}
