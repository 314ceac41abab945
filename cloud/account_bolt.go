package cloud

import (
	"bytes"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
)

// Accounts in bbolt: top-level "accounts", shop 0x00 kind → sealed account,
// and "meta" holding the sealed key check.
var (
	bucketAccounts = []byte("accounts")
	bucketMeta     = []byte("meta")
	keyKeyCheck    = []byte("accounts_key_check")
)

// PutAccount stores a sealed account.
func (s *BoltStore) PutAccount(shop string, kind app.AccountKind, sealed []byte, _ time.Time) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketShops).Get([]byte(shop)) == nil {
			return noShop(shop)
		}
		b, err := tx.CreateBucketIfNotExists(bucketAccounts)
		if err != nil {
			return err
		}
		return b.Put([]byte(shop+"\x00"+string(kind)), sealed)
	})
}

// SealedAccounts returns a shop's sealed accounts by kind.
func (s *BoltStore) SealedAccounts(shop string) (map[app.AccountKind][]byte, error) {
	out := map[app.AccountKind][]byte{}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAccounts)
		if b == nil {
			return nil
		}
		prefix := []byte(shop + "\x00")
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			out[app.AccountKind(k[len(prefix):])] = append([]byte(nil), v...)
		}
		return nil
	})
	return out, err
}

// AccountsKeyCheck returns the stored key check, or nil.
func (s *BoltStore) AccountsKeyCheck() ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta); b != nil {
			if v := b.Get(keyKeyCheck); v != nil {
				out = append([]byte(nil), v...)
			}
		}
		return nil
	})
	return out, err
}

// PutAccountsKeyCheck stores the key check unless one is there, and returns the stored one.
func (s *BoltStore) PutAccountsKeyCheck(sealed []byte) ([]byte, error) {
	out := sealed
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if v := b.Get(keyKeyCheck); v != nil {
			out = append([]byte(nil), v...)
			return nil
		}
		return b.Put(keyKeyCheck, sealed)
	})
	return out, err
}
