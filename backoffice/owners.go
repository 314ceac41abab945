package backoffice

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/alexedwards/argon2id"
	bolt "go.etcd.io/bbolt"

	"github.com/kasir/pos/app"
)

// Role is what a back office account may do.
type Role string

const (
	// RoleOwner may do everything for their shops.
	RoleOwner Role = "owner"
	// RoleManager may do everything except accounts, staff and settings.
	RoleManager Role = "manager"
)

// Owner is one back office account: an e-mail, its password hash and the shops it sees.
type Owner struct {
	Email     string    `json:"email"`
	Hash      string    `json:"hash"`
	Role      Role      `json:"role"`
	Shops     []string  `json:"shops"`
	CreatedAt time.Time `json:"created_at"`
}

// Sees reports whether the account may open the shop.
func (o *Owner) Sees(shop string) bool { return slices.Contains(o.Shops, shop) }

// Session is one signed-in browser; only the SHA-256 of its cookie is kept.
type Session struct {
	Email     string    `json:"email"`
	CSRF      string    `json:"csrf"`
	CreatedAt time.Time `json:"created_at"`
	Expires   time.Time `json:"expires"`
	Agent     string    `json:"agent,omitempty"`
	// Key is the stored hash, so a session can be listed and ended.
	Key string `json:"-"`
}

// Store keeps accounts, sessions and reset links.
type Store interface {
	PutOwner(o *Owner) error
	Owner(email string) (*Owner, error)
	PutSession(key string, s *Session) error
	Session(key string) (*Session, error)
	DeleteSession(key string) error
	Sessions(email string) ([]*Session, error)
	PutReset(key, email string, expires time.Time) error
	// TakeReset returns the e-mail a reset link is for and deletes it (one use).
	TakeReset(key string, now time.Time) (string, error)
}

var (
	bucketOwners   = []byte("backoffice_owners")
	bucketSessions = []byte("backoffice_sessions")
	bucketResets   = []byte("backoffice_resets")
)

// BoltStore keeps the back office's records in buckets of the cloud's bbolt file.
type BoltStore struct{ db *bolt.DB }

// NewBoltStore creates the buckets when missing.
func NewBoltStore(db *bolt.DB) (*BoltStore, error) {
	err := db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketOwners, bucketSessions, bucketResets} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	return &BoltStore{db: db}, err
}

func (s *BoltStore) put(bucket []byte, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put([]byte(key), data) })
}

func (s *BoltStore) get(bucket []byte, key string, v any) (bool, error) {
	var found bool
	err := s.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(bucket).Get([]byte(key))
		if data == nil {
			return nil
		}
		found = true
		return json.Unmarshal(data, v)
	})
	return found, err
}

// PutOwner adds or replaces an account.
func (s *BoltStore) PutOwner(o *Owner) error { return s.put(bucketOwners, o.Email, o) }

// Owner returns an account, or ENotFound.
func (s *BoltStore) Owner(email string) (*Owner, error) {
	var o Owner
	ok, err := s.get(bucketOwners, email, &o)
	if err == nil && !ok {
		err = app.Errorf(app.ENotFound, "no account for %s", email)
	}
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// PutSession keeps a session under its cookie's hash.
func (s *BoltStore) PutSession(key string, ss *Session) error { return s.put(bucketSessions, key, ss) }

// Session returns a session, or ENotFound.
func (s *BoltStore) Session(key string) (*Session, error) {
	var ss Session
	ok, err := s.get(bucketSessions, key, &ss)
	if err == nil && !ok {
		err = app.Errorf(app.ENotFound, "session not found")
	}
	if err != nil {
		return nil, err
	}
	ss.Key = key
	return &ss, nil
}

// DeleteSession ends a session.
func (s *BoltStore) DeleteSession(key string) error {
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSessions).Delete([]byte(key)) })
}

// Sessions lists an account's sessions.
func (s *BoltStore) Sessions(email string) ([]*Session, error) {
	var out []*Session
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSessions).ForEach(func(k, v []byte) error {
			var ss Session
			if err := json.Unmarshal(v, &ss); err != nil {
				return err
			}
			if ss.Email == email {
				ss.Key = string(k)
				out = append(out, &ss)
			}
			return nil
		})
	})
	return out, err
}

type reset struct {
	Email   string    `json:"email"`
	Expires time.Time `json:"expires"`
}

// PutReset keeps a one-time reset link.
func (s *BoltStore) PutReset(key, email string, expires time.Time) error {
	return s.put(bucketResets, key, reset{Email: email, Expires: expires})
}

// TakeReset uses up a reset link.
func (s *BoltStore) TakeReset(key string, now time.Time) (string, error) {
	var email string
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketResets)
		data := b.Get([]byte(key))
		if data == nil {
			return app.Errorf(app.ENotFound, "this reset link was used or does not exist")
		}
		var r reset
		if err := json.Unmarshal(data, &r); err != nil {
			return err
		}
		if err := b.Delete([]byte(key)); err != nil {
			return err
		}
		if now.After(r.Expires) {
			return app.Errorf(app.ENotFound, "this reset link has expired")
		}
		email = r.Email
		return nil
	})
	return email, err
}

// hashKey is how a secret (cookie, reset link) is stored.
func hashKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// newSecret is 32 random bytes, URL-safe.
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// params are argon2id's cost: RFC 9106's second recommendation, smaller memory for a 2-core server.
var params = &argon2id.Params{Memory: 64 * 1024, Iterations: 1, Parallelism: 2, SaltLength: 16, KeyLength: 32}

// normalEmail checks and lowercases an e-mail address.
func normalEmail(e string) (string, error) {
	e = strings.ToLower(strings.TrimSpace(e))
	if e == "" {
		return "", app.FieldError("email", "is required")
	}
	if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
		return "", app.FieldError("email", "is not an e-mail address")
	}
	return e, nil
}

// checkPassword is the rule for a new password.
func checkPassword(p string) error {
	if len([]rune(p)) < 10 {
		return app.FieldError("password", "must have at least 10 characters")
	}
	if len(p) > 200 {
		return app.FieldError("password", "must have at most 200 characters")
	}
	return nil
}

// AddOwner creates an account, or gives an existing one another shop. The
// password is ignored for an existing account.
func AddOwner(st Store, email, password, shop string, role Role, now time.Time) (*Owner, error) {
	email, err := normalEmail(email)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(shop) == "" {
		return nil, app.FieldError("shop", "is required")
	}
	if role == "" {
		role = RoleOwner
	}
	if role != RoleOwner && role != RoleManager {
		return nil, app.FieldError("role", "must be owner or manager")
	}
	o, err := st.Owner(email)
	if app.ErrorCode(err) == app.ENotFound {
		if err := checkPassword(password); err != nil {
			return nil, err
		}
		hash, err := argon2id.CreateHash(password, params)
		if err != nil {
			return nil, err
		}
		o, err = &Owner{Email: email, Hash: hash, Role: role, CreatedAt: now.UTC()}, nil
		_ = err
	} else if err != nil {
		return nil, err
	}
	if !o.Sees(shop) {
		o.Shops = append(o.Shops, shop)
	}
	return o, st.PutOwner(o)
}

// SetPassword replaces an account's password.
func SetPassword(st Store, email, password string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	o, err := st.Owner(email)
	if err != nil {
		return err
	}
	if o.Hash, err = argon2id.CreateHash(password, params); err != nil {
		return err
	}
	return st.PutOwner(o)
}

// ResetLink stores a one-time link valid for a day and returns its secret.
func ResetLink(st Store, email string, now time.Time) (string, error) {
	email, err := normalEmail(email)
	if err != nil {
		return "", err
	}
	if _, err := st.Owner(email); err != nil {
		return "", err
	}
	secret := newSecret()
	return secret, st.PutReset(hashKey(secret), email, now.Add(24*time.Hour))
}

// dummyHash makes a sign-in for an unknown e-mail cost as much as a wrong password.
var dummyHash, _ = argon2id.CreateHash("not a password of anyone", params)

// Authenticate returns the account when the password matches.
func Authenticate(st Store, email, password string) (*Owner, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	o, err := st.Owner(email)
	if err != nil && app.ErrorCode(err) != app.ENotFound {
		return nil, err
	}
	hash := dummyHash
	if o != nil {
		hash = o.Hash
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	if err != nil {
		return nil, err
	}
	if !ok || o == nil {
		return nil, app.Errorf(app.EForbidden, "e-mail or password is wrong")
	}
	return o, nil
}
