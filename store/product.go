package store

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// The products bucket maps productKey(SKU) to its JSON record; bbolt keeps
// it in SKU order, which is the order Products returns.

// Product returns the product or an ENotFound error.
func (t *Tx) Product(sku string) (*app.Product, error) {
	b, err := bucket(t.tx, bucketProducts)
	if err != nil {
		return nil, err
	}
	k := []byte(productKey(sku))
	v := b.Get(k)
	if v == nil {
		return nil, app.Errorf(app.ENotFound, "product %s not found", sku)
	}
	return decodeProduct(k, v)
}

// PutProduct writes the product as given.
func (t *Tx) PutProduct(p *app.Product) error { return putProduct(t.tx, p) }

// Products lists every product by SKU.
func (db *DB) Products() ([]*app.Product, error) {
	var out []*app.Product
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketProducts)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			p, err := decodeProduct(k, v)
			if err != nil {
				return err
			}
			out = append(out, p)
			return nil
		})
	})
	return out, err
}

// PutProducts writes products in one transaction, as given.
func (db *DB) PutProducts(ps []*app.Product) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		for _, p := range ps {
			if err := putProduct(tx, p); err != nil {
				return err
			}
		}
		return nil
	})
}

func putProduct(tx *bolt.Tx, p *app.Product) error {
	if p == nil || strings.TrimSpace(p.SKU) == "" {
		return app.FieldError("sku", "is required to store a product")
	}
	b, err := bucket(tx, bucketProducts)
	if err != nil {
		return err
	}
	data, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("store: encoding product %s: %w", p.SKU, err)
	}
	if err := b.Put([]byte(productKey(p.SKU)), data); err != nil {
		return fmt.Errorf("store: writing product %s: %w", p.SKU, err)
	}
	return nil
}

func decodeProduct(k, v []byte) (*app.Product, error) {
	var p app.Product
	if err := json.Unmarshal(v, &p); err != nil {
		return nil, fmt.Errorf("store: product %q in bucket %s cannot be decoded: %w", k, bucketProducts, err)
	}
	return &p, nil
}
