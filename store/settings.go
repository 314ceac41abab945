package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
)

// Settings are small JSON values by key (shop policy, printer profiles,
// terminal name); the bucket survives ReplaceAll.

// GetSetting decodes the setting into v and reports whether it exists.
func (db *DB) GetSetting(key string, v any) (bool, error) {
	found := false
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketSettings)
		if err != nil {
			return err
		}
		raw := b.Get([]byte(key))
		if raw == nil {
			return nil
		}
		found = true
		if err := json.Unmarshal(raw, v); err != nil {
			return fmt.Errorf("store: setting %q cannot be decoded: %w", key, err)
		}
		return nil
	})
	return found, err
}

// SettingPolicy is the settings key of the shop's rules (app.Policy, whose
// key app owns); the cloud's set_policy changes arrive into it.
const SettingPolicy = app.SettingPolicy

// PutSetting stores v as JSON under key.
func (db *DB) PutSetting(key string, v any) error {
	return db.bolt.Update(func(tx *bolt.Tx) error { return putSetting(tx, key, v) })
}

func putSetting(tx *bolt.Tx, key string, v any) error {
	if key == "" {
		return fmt.Errorf("store: a setting needs a key")
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encoding setting %q: %w", key, err)
	}
	b, err := bucket(tx, bucketSettings)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), data)
}

// DeleteSetting removes a setting; removing a missing one is not an error.
func (db *DB) DeleteSetting(key string) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketSettings)
		if err != nil {
			return err
		}
		return b.Delete([]byte(key))
	})
}
