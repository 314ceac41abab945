package cloud

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
)

// subByShipment is a shop's shipment index:
//
//	by_shipment  provider 0x00 kind 0x00 id → order id
//
// written by PutOrder in the order's transaction. Ids an order no longer
// carries stay (a key is overwritten when another order takes it), so a
// lookup checks the order it finds.
var subByShipment = []byte("by_shipment")

// indexShipment keeps o's shipment ids in the shop's index.
func indexShipment(shop *bolt.Bucket, o *app.Order) error {
	ids := ShipmentIDs(o)
	if len(ids) == 0 {
		return nil
	}
	b, err := shop.CreateBucketIfNotExists(subByShipment)
	if err != nil {
		return err
	}
	for _, id := range ids {
		k := id.key()
		if string(b.Get(k)) == o.ID {
			continue
		}
		if err := b.Put(k, []byte(o.ID)); err != nil {
			return err
		}
	}
	return nil
}

// ensureShipmentIndex creates the index when the file predates it and fills
// it from the stored orders.
func ensureShipmentIndex(shop *bolt.Bucket) error {
	if shop.Bucket(subByShipment) != nil {
		return nil
	}
	if _, err := shop.CreateBucket(subByShipment); err != nil {
		return err
	}
	return shop.Bucket(subOrders).ForEach(func(k, v []byte) error {
		var o app.Order
		if err := json.Unmarshal(v, &o); err != nil {
			return fmt.Errorf("indexing the shipment of order %s: %w", k, err)
		}
		return indexShipment(shop, &o)
	})
}

// ShipmentOrder reads the shipment index (see ShipmentIndex).
func (s *BoltStore) ShipmentOrder(shop string, p app.CourierProvider, kind ShipmentKey, id string) (string, error) {
	var out string
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(shopBucketName(shop))
		if b == nil {
			return app.Errorf(app.ENotFound, "shop %s not found", shop)
		}
		if idx := b.Bucket(subByShipment); idx != nil {
			out = string(idx.Get(ShipmentID{p, kind, id}.key()))
		}
		return nil
	})
	return out, err
}
