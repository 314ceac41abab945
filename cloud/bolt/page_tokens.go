package bolt

import (
	"bytes"

	"go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
)

// bucketPageTokens is the index of counter sales' page tokens, across shops:
//
//	page_tokens  token → shop id 0x00 order id
//
// A replaced token's entry stays; the page checks it against the order's own.
var bucketPageTokens = []byte("page_tokens")

// indexPageToken keeps a sale's token in the index, in the order's transaction.
func (t *shopTx) indexPageToken(o *app.Order) error {
	if !app.IsSaleToken(o.PageToken) || t.shop == "" {
		return nil
	}
	b, err := t.b.Tx().CreateBucketIfNotExists(bucketPageTokens)
	if err != nil {
		return err
	}
	v := []byte(t.shop + "\x00" + o.ID)
	if bytes.Equal(b.Get([]byte(o.PageToken)), v) {
		return nil
	}
	return b.Put([]byte(o.PageToken), v)
}

// SaleByPageToken reads the index (see PageTokenIndex).
func (s *Store) SaleByPageToken(token string) (shop, order string, err error) {
	err = s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketPageTokens)
		if b == nil {
			return nil
		}
		if v := b.Get([]byte(token)); v != nil {
			if i := bytes.IndexByte(v, 0); i > 0 {
				shop, order = string(v[:i]), string(v[i+1:])
			}
		}
		return nil
	})
	return shop, order, err
}
