package bolt

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/kasir/pos/cloud"
)

// Followers' places in bbolt: top-level bucket "followers" holds one bucket
// per follower; inside, "c\x00"+shop → be(cursor) and
// "p\x00"+shop+"\x00"+be(seq) → PendingChange JSON, so a shop's pending
// changes read in sequence order.
var bucketFollowers = []byte("followers")

func followerCursorKey(shop string) []byte { return []byte("c\x00" + shop) }

func followerPendingPrefix(shop string) []byte { return []byte("p\x00" + shop + "\x00") }

func followerPendingKey(shop string, seq uint64) []byte {
	return append(followerPendingPrefix(shop), u64(seq)...)
}

// FollowerCursor reads the follower's cursor in the shop.
func (s *Store) FollowerCursor(follower, shop string) (uint64, error) {
	var cur uint64
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := followerBucket(tx, follower)
		if b == nil {
			return nil
		}
		if v := b.Get(followerCursorKey(shop)); len(v) == 8 {
			cur = binary.BigEndian.Uint64(v)
		}
		return nil
	})
	return cur, err
}

func followerBucket(tx *bbolt.Tx, follower string) *bbolt.Bucket {
	root := tx.Bucket(bucketFollowers)
	if root == nil {
		return nil
	}
	return root.Bucket([]byte(follower))
}

// SaveFollowing stores the cursor and pending changes in one commit, shared
// with concurrent writers through Batch (fn only sets values, so a rerun is harmless).
func (s *Store) SaveFollowing(follower, shop string, cursor uint64, put []*cloud.PendingChange, done []uint64) error {
	return s.db.Batch(func(tx *bbolt.Tx) error {
		root, err := tx.CreateBucketIfNotExists(bucketFollowers)
		if err != nil {
			return err
		}
		b, err := root.CreateBucketIfNotExists([]byte(follower))
		if err != nil {
			return err
		}
		ck := followerCursorKey(shop)
		if v := b.Get(ck); len(v) != 8 || binary.BigEndian.Uint64(v) < cursor {
			if err := b.Put(ck, u64(cursor)); err != nil {
				return err
			}
		}
		for _, p := range put {
			if err := putJSON(b, followerPendingKey(shop, p.Seq), p); err != nil {
				return err
			}
		}
		for _, seq := range done {
			if err := b.Delete(followerPendingKey(shop, seq)); err != nil {
				return err
			}
		}
		return nil
	})
}

// PendingChanges lists pending changes by follower, shop and sequence.
func (s *Store) PendingChanges(follower, shop string) ([]*cloud.PendingChange, error) {
	var out []*cloud.PendingChange
	err := s.db.View(func(tx *bbolt.Tx) error {
		root := tx.Bucket(bucketFollowers)
		if root == nil {
			return nil
		}
		return root.ForEachBucket(func(name []byte) error {
			if follower != "" && string(name) != follower {
				return nil
			}
			prefix := []byte("p\x00")
			if shop != "" {
				prefix = followerPendingPrefix(shop)
			}
			c := root.Bucket(name).Cursor()
			for k, v := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, v = c.Next() {
				var p cloud.PendingChange
				if err := json.Unmarshal(v, &p); err != nil {
					return fmt.Errorf("follower %s: pending change %q: %w", name, k, err)
				}
				out = append(out, &p)
			}
			return nil
		})
	})
	return out, err
}

func hasPrefix(k, prefix []byte) bool {
	return len(k) >= len(prefix) && string(k[:len(prefix)]) == string(prefix)
}
