package bolt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
)

// subListings holds listings: channel 0x00 listing id → Listing JSON.
var subListings = []byte("listings")

func listingKey(ch app.Channel, id string) []byte { return append(append([]byte(ch), 0), id...) }

func (t *shopTx) Listings() ([]app.Listing, error) {
	b := t.sub(subListings)
	if b == nil {
		return nil, nil
	}
	var out []app.Listing
	err := b.ForEach(func(_, v []byte) error {
		var l app.Listing
		if err := json.Unmarshal(v, &l); err != nil {
			return fmt.Errorf("stored listing: %w", err)
		}
		out = append(out, l)
		return nil
	})
	return out, err
}

func (t *shopTx) listingsBucket() (*bbolt.Bucket, error) {
	if t.ro {
		return nil, errors.New("listings: read-only transaction")
	}
	return t.b.CreateBucketIfNotExists(subListings)
}

func (t *shopTx) PutListings(ch app.Channel, ls []app.Listing) error {
	b, err := t.listingsBucket()
	if err != nil {
		return err
	}
	prefix := append([]byte(ch), 0)
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	for _, l := range ls {
		if err := putJSON(b, listingKey(ch, l.ID), l); err != nil {
			return err
		}
	}
	return nil
}

func (t *shopTx) PutListing(l app.Listing) error {
	b, err := t.listingsBucket()
	if err != nil {
		return err
	}
	return putJSON(b, listingKey(l.Channel, l.ID), l)
}
