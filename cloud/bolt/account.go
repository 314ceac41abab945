package bolt

import (
	"bytes"
	"time"

	"go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// Accounts in bbolt: top-level "accounts", shop 0x00 kind → sealed account,
// and "meta" holding the sealed key check. "account_routes" maps kind 0x00
// platform shop id → shop, and "account_route_of" shop 0x00 kind → the
// platform shop id it holds, so a replaced account drops its old route.
var (
	bucketAccounts = []byte("accounts")
	bucketRoutes   = []byte("account_routes")
	bucketRouteOf  = []byte("account_route_of")
	// bucketGrants holds OAuth states by hash until the callback takes them.
	bucketGrants = []byte("oauth_grants")
	bucketMeta   = []byte("meta")
	keyKeyCheck  = []byte("accounts_key_check")
)

// PutAccount stores a sealed account and its route in one transaction.
func (s *Store) PutAccount(shop string, kind app.AccountKind, sealed []byte, _ time.Time, route string) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketShops).Get([]byte(shop)) == nil {
			return cloud.NoShop(shop)
		}
		b, err := tx.CreateBucketIfNotExists(bucketAccounts)
		if err != nil {
			return err
		}
		if err := putRoute(tx, shop, kind, route); err != nil {
			return err
		}
		return b.Put([]byte(shop+"\x00"+string(kind)), sealed)
	})
}

// putRoute points kind+route at shop, dropping the shop's previous route of that kind.
func putRoute(tx *bbolt.Tx, shop string, kind app.AccountKind, route string) error {
	routes, err := tx.CreateBucketIfNotExists(bucketRoutes)
	if err != nil {
		return err
	}
	of, err := tx.CreateBucketIfNotExists(bucketRouteOf)
	if err != nil {
		return err
	}
	mine := []byte(shop + "\x00" + string(kind))
	if route != "" {
		if owner := routes.Get(routeKey(kind, route)); owner != nil && string(owner) != shop {
			return app.Errorf(app.EConflict, "%s %s is already connected to another shop", string(kind), route)
		}
	}
	if old := of.Get(mine); old != nil {
		if err := routes.Delete(routeKey(kind, string(old))); err != nil {
			return err
		}
		if err := of.Delete(mine); err != nil {
			return err
		}
	}
	if route == "" {
		return nil
	}
	if err := routes.Put(routeKey(kind, route), []byte(shop)); err != nil {
		return err
	}
	return of.Put(mine, []byte(route))
}

func routeKey(kind app.AccountKind, route string) []byte {
	return []byte(string(kind) + "\x00" + route)
}

// ShopByRoute finds the shop whose account of kind holds route.
func (s *Store) ShopByRoute(kind app.AccountKind, route string) (string, error) {
	var shop string
	err := s.db.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bucketRoutes); b != nil {
			shop = string(b.Get(routeKey(kind, route)))
		}
		return nil
	})
	return shop, err
}

// SealedAccounts returns a shop's sealed accounts by kind.
func (s *Store) SealedAccounts(shop string) (map[app.AccountKind][]byte, error) {
	out := map[app.AccountKind][]byte{}
	err := s.db.View(func(tx *bbolt.Tx) error {
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
func (s *Store) AccountsKeyCheck() ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *bbolt.Tx) error {
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
func (s *Store) PutAccountsKeyCheck(sealed []byte) ([]byte, error) {
	out := sealed
	err := s.db.Update(func(tx *bbolt.Tx) error {
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

// PutGrant stores an OAuth state until it is taken.
func (s *Store) PutGrant(hash string, grant []byte) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketGrants)
		if err != nil {
			return err
		}
		return b.Put([]byte(hash), grant)
	})
}

// TakeGrant removes and returns an OAuth state, in one transaction.
func (s *Store) TakeGrant(hash string) ([]byte, error) {
	var out []byte
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketGrants)
		if b == nil {
			return nil
		}
		if v := b.Get([]byte(hash)); v != nil {
			out = append([]byte(nil), v...)
			return b.Delete([]byte(hash))
		}
		return nil
	})
	return out, err
}
