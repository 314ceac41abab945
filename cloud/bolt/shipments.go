package bolt

import (
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/jsonread"
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
func indexShipment(shop *bbolt.Bucket, o *app.Order) error {
	ids := cloud.ShipmentIDs(o)
	if len(ids) == 0 {
		return nil
	}
	b, err := shop.CreateBucketIfNotExists(subByShipment)
	if err != nil {
		return err
	}
	for _, id := range ids {
		k := shipmentKey(id)
		if string(b.Get(k)) == o.ID {
			continue
		}
		if err := b.Put(k, []byte(o.ID)); err != nil {
			return err
		}
	}
	return nil
}

func shipmentKey(k cloud.ShipmentID) []byte {
	return []byte(string(k.Provider) + "\x00" + string(k.Kind) + "\x00" + k.ID)
}

// ensureShipmentIndex creates the index when the file predates it and fills
// it from the stored orders.
func ensureShipmentIndex(shop *bbolt.Bucket) error {
	if shop.Bucket(subByShipment) != nil {
		return nil
	}
	if _, err := shop.CreateBucket(subByShipment); err != nil {
		return err
	}
	return shop.Bucket(subOrders).ForEach(func(k, v []byte) error {
		var o app.Order
		if err := jsonread.Unmarshal(v, &o); err != nil {
			return fmt.Errorf("indexing the shipment of order %s: %w", k, err)
		}
		return indexShipment(shop, &o)
	})
}

// ShipmentOrder reads the shipment index (see ShipmentIndex).
func (s *Store) ShipmentOrder(shop string, p app.CourierProvider, kind cloud.ShipmentKey, id string) (string, error) {
	var out string
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(shopBucketName(shop))
		if b == nil {
			return app.Errorf(app.ENotFound, "shop %s not found", shop)
		}
		if idx := b.Bucket(subByShipment); idx != nil {
			out = string(idx.Get(shipmentKey(cloud.ShipmentID{Provider: p, Kind: kind, ID: id})))
		}
		return nil
	})
	return out, err
}
