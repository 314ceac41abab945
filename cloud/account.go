package cloud

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kasir/pos/app"
)

// AccountVault is where sealed accounts live; both backends implement it.
// The store only ever sees sealed bytes: it cannot read an account, and
// nothing in it travels to terminals.
type AccountVault interface {
	// PutAccount stores the sealed account of a shop and kind, replacing the
	// previous one. route is the platform's shop id (app.AccountRouteField),
	// indexed in the same transaction so pushes find the shop; empty for
	// kinds routed per shop. Errors: ENotFound (shop), EConflict when
	// another shop's account of the kind holds route.
	PutAccount(shop string, kind app.AccountKind, sealed []byte, at time.Time, route string) error
	// ShopByRoute finds the shop whose account of kind holds the platform's
	// shop id route; "" when none does.
	ShopByRoute(kind app.AccountKind, route string) (string, error)
	// SealedAccounts returns every sealed account of a shop by kind.
	SealedAccounts(shop string) (map[app.AccountKind][]byte, error)
	// PutGrant stores an OAuth state (by its hash) until it is taken.
	PutGrant(hash string, grant []byte) error
	// TakeGrant removes and returns a stored OAuth state, nil when there is
	// none: a state is used once.
	TakeGrant(hash string) ([]byte, error)
	// AccountsKeyCheck returns the sealed key check, or nil before the first key was used.
	AccountsKeyCheck() ([]byte, error)
	// PutAccountsKeyCheck stores the key check unless one is stored already;
	// it returns the one that is stored.
	PutAccountsKeyCheck(sealed []byte) ([]byte, error)
}

// Accounts seals and opens shops' accounts with the operator's key.
type Accounts struct {
	store Backend
	seal  *sealer
	mu    sync.Mutex // held while an account is read, changed and stored
	// expiry indexes the OAuth accounts' token expiries for the refresher.
	expiry expiryIndex
}

// OpenAccounts checks key against the accounts already stored and returns
// the accounts. A key that cannot open what is stored is refused: the cloud
// must not start, and must never write with it over what it cannot read.
func OpenAccounts(store Backend, key []byte) (*Accounts, error) {
	s, err := newSealer(key)
	if err != nil {
		return nil, fmt.Errorf("secrets key: %w", err)
	}
	check, err := store.AccountsKeyCheck()
	if err != nil {
		return nil, fmt.Errorf("reading the accounts key check: %w", err)
	}
	if check == nil {
		if check, err = store.PutAccountsKeyCheck(s.seal("key-check", []byte(keyCheckText))); err != nil {
			return nil, fmt.Errorf("storing the accounts key check: %w", err)
		}
	}
	if plain, err := s.open("key-check", check); err != nil || string(plain) != keyCheckText {
		return nil, fmt.Errorf("the secrets key is not the one the stored accounts were sealed with; start the cloud with the right --secrets-key-file (nothing was changed)")
	}
	a := &Accounts{store: store, seal: s}
	if err := a.indexRoutes(); err != nil {
		return nil, fmt.Errorf("indexing the accounts' shop ids: %w", err)
	}
	return a, nil
}

// indexRoutes indexes the platform shop ids of accounts stored before the
// index existed, so their pushes route without setting them again.
func (a *Accounts) indexRoutes() error {
	shops, err := a.store.Shops()
	if err != nil {
		return err
	}
	for _, sh := range shops {
		sealed, err := a.store.SealedAccounts(sh.ID)
		if err != nil {
			return err
		}
		for kind, b := range sealed {
			field := app.AccountRouteField(kind)
			if field == "" {
				continue
			}
			plain, err := a.seal.open(accountLabel(sh.ID, kind), b)
			if err != nil {
				return fmt.Errorf("%s account of shop %s %w", kind, sh.ID, err)
			}
			var acc Account
			if err := json.Unmarshal(plain, &acc); err != nil {
				return err
			}
			route := acc.Fields[field]
			if owner, err := a.store.ShopByRoute(kind, route); err != nil || owner == sh.ID || route == "" {
				if err != nil {
					return err
				}
				continue
			}
			if err := a.store.PutAccount(sh.ID, kind, b, acc.UpdatedAt, route); err != nil && app.ErrorCode(err) != app.EConflict {
				return err
			}
		}
	}
	return nil
}

func accountLabel(shop string, kind app.AccountKind) string { return shop + "\x00" + string(kind) }

// Account is one shop's credentials for one outside service.
type Account struct {
	Kind      app.AccountKind   `json:"kind"`
	Fields    map[string]string `json:"fields"`
	UpdatedAt time.Time         `json:"updated_at"`
	// LastError is the platform's answer to the last authorization,
	// refresh or check that failed; cleared by the next that succeeds.
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at,omitempty"`
	// SyncedTo is where the last reconciliation of the channel ended.
	SyncedTo time.Time `json:"synced_to,omitempty"`
	// Stores are a WooCommerce account's second and later stores, each its
	// own store_url, keys and webhook_secret; Fields is the first store.
	// They live in the one sealed account so a shop's stores change
	// together, under one lock, and the vaults keep one record per kind.
	Stores []map[string]string `json:"stores,omitempty"`
	// BareStore is the key of the WooCommerce store whose orders keep their
	// bare ids, once a store was removed; empty while it is the store in
	// Fields. It outlives that store, so a later store never takes over the
	// bare ids of a removed store's orders (which are kept), and the same
	// store set again gets them back.
	BareStore string `json:"bare_store,omitempty"`
}

// WooStore is one of a shop's WooCommerce stores.
type WooStore struct {
	// Key is the store's key (app.WooStoreKey of its store_url).
	Key string
	// First is the shop's first store, whose orders keep their bare ids.
	First  bool
	Fields map[string]string
}

// wooStores lists an account's WooCommerce stores, the first first.
func (acc *Account) wooStores() []WooStore {
	all := acc.wooFields()
	bare := ""
	if acc != nil {
		bare = acc.BareStore
	}
	out := make([]WooStore, 0, len(all))
	for i, f := range all {
		key, _ := app.WooStoreKey("store_url", f["store_url"])
		first := key == bare || (bare == "" && i == 0)
		out = append(out, WooStore{Key: key, First: first, Fields: f})
	}
	return out
}

// wooFields are the fields of an account's WooCommerce stores, in order;
// none once every store was removed.
func (acc *Account) wooFields() []map[string]string {
	if acc == nil || acc.Fields["store_url"] == "" {
		return nil
	}
	return append([]map[string]string{acc.Fields}, acc.Stores...)
}

// emptied reports a WooCommerce account whose every store was removed: it
// is kept only for BareStore, and is no account to list or call with.
func (acc *Account) emptied() bool {
	return acc.Kind == app.AccountWooCommerce && acc.Fields["store_url"] == ""
}

// withWooStores sets the account's stores to all, the first in Fields,
// keeping which store's orders have bare ids.
func (acc *Account) withWooStores(all []map[string]string, now time.Time) *Account {
	next := *acc
	next.UpdatedAt = now.UTC()
	if next.BareStore == "" && acc.Fields["store_url"] != "" {
		next.BareStore, _ = app.WooStoreKey("store_url", acc.Fields["store_url"])
	}
	next.Fields, next.Stores = map[string]string{}, nil
	if len(all) > 0 {
		next.Fields = all[0]
		next.Stores = append([]map[string]string(nil), all[1:]...)
	}
	return &next
}

// WooStores lists a shop's WooCommerce stores, the first first; none when
// the shop keeps no WooCommerce account, or removed every store.
func (a *Accounts) WooStores(shop string) ([]WooStore, error) {
	stores, _, err := a.wooStoresKept(shop)
	return stores, err
}

// wooStoresKept is WooStores, and whether the shop ever set a WooCommerce
// account: once it did, the secret the cloud generated no longer verifies.
func (a *Accounts) wooStoresKept(shop string) ([]WooStore, bool, error) {
	acc, err := a.account(shop, app.AccountWooCommerce, true)
	if err != nil {
		return nil, false, err
	}
	return acc.wooStores(), acc != nil, nil
}

// grantFields are what an OAuth grant adds to an account; setting the
// account's keys again for the same platform shop keeps them.
var grantFields = []string{"access_token", "refresh_token", "expires_at", "refresh_expires_at"}

// Set validates the credentials in raw (the platform's field names) and
// stores them sealed. Errors: EInvalid naming the field, ENotFound (shop).
func (a *Accounts) Set(shop string, kind app.AccountKind, raw []byte, now time.Time) (*Account, error) {
	return a.SetChecked(shop, kind, raw, now, nil)
}

// SetChecked is Set, with check trying the fields at the platform before
// anything is stored (nil checks nothing). Errors: EInvalid naming the field.
func (a *Accounts) SetChecked(shop string, kind app.AccountKind, raw []byte, now time.Time, check func(map[string]string) error) (*Account, error) {
	if _, err := a.store.Shop(shop); err != nil {
		return nil, err
	}
	fields, err := app.ParseAccount(kind, raw)
	if err != nil {
		return nil, err
	}
	if check != nil {
		if err := check(fields); err != nil {
			return nil, err
		}
	}
	acc := &Account{Kind: kind, Fields: fields, UpdatedAt: now.UTC()}
	err = a.update(shop, kind, func(prev *Account) (*Account, error) {
		if kind == app.AccountWooCommerce && prev != nil {
			// The answer is the store just set; the others are kept beside it.
			return addWooStore(prev, fields, now), nil
		}
		if prev != nil && prev.Fields[app.AccountRouteField(kind)] == fields[app.AccountRouteField(kind)] {
			// New keys for the same platform shop: the grant and the
			// reconciliation's place still hold.
			for _, name := range grantFields {
				if _, given := fields[name]; !given && prev.Fields[name] != "" {
					fields[name] = prev.Fields[name]
				}
			}
			acc.SyncedTo = prev.SyncedTo
		}
		return acc, nil
	})
	if err != nil {
		return nil, err
	}
	return acc, nil
}

// addWooStore sets one WooCommerce store in a shop's account: the store
// whose store_url has the same key is replaced, another is added after the
// ones the shop has.
func addWooStore(prev *Account, fields map[string]string, now time.Time) *Account {
	key, _ := app.WooStoreKey("store_url", fields["store_url"])
	all := prev.wooFields()
	for i, st := range prev.wooStores() {
		if st.Key == key {
			all[i] = fields
			return prev.withWooStores(all, now)
		}
	}
	return prev.withWooStores(append(all, fields), now)
}

// RemoveWooStore removes one of a shop's WooCommerce stores, named by its
// store_url (or store key): its webhooks stop verifying and it hears no
// more stock figures; its orders stay, and no later store takes their ids.
// Errors: EInvalid naming store_url when the shop keeps no such store.
func (a *Accounts) RemoveWooStore(shop, storeURL string, now time.Time) error {
	if _, err := a.store.Shop(shop); err != nil {
		return err
	}
	key, err := app.WooStoreKey("store_url", storeURL)
	if err != nil {
		// A store key as `account show` prints it, without the scheme.
		if key, err = app.WooStoreKey("store_url", "https://"+strings.TrimSpace(storeURL)); err != nil {
			return err
		}
	}
	return a.update(shop, app.AccountWooCommerce, func(prev *Account) (*Account, error) {
		all := prev.wooFields()
		for i, st := range prev.wooStores() {
			if st.Key == key {
				return prev.withWooStores(append(all[:i:i], all[i+1:]...), now), nil
			}
		}
		return nil, app.FieldError("store_url", "names no WooCommerce store of the shop: %s", key)
	})
}

// update reads a shop's account of a kind (nil when there is none), lets
// fn change it, and stores what fn returns (nothing when nil), under one
// lock, so the token refresher, reconciliation and the owner's changes do
// not write over each other.
func (a *Accounts) update(shop string, kind app.AccountKind, fn func(*Account) (*Account, error)) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	prev, err := a.account(shop, kind, true)
	if err != nil {
		return err
	}
	next, err := fn(prev)
	if err != nil || next == nil {
		return err
	}
	return a.put(shop, next, next.UpdatedAt)
}

// put seals and stores an account, indexing its platform shop id.
func (a *Accounts) put(shop string, acc *Account, now time.Time) error {
	plain, err := json.Marshal(acc)
	if err != nil {
		return err
	}
	if err := a.store.PutAccount(shop, acc.Kind, a.seal.seal(accountLabel(shop, acc.Kind), plain), now, acc.Fields[app.AccountRouteField(acc.Kind)]); err != nil {
		return err
	}
	a.expiry.note(shop, acc)
	return nil
}

// Account opens a shop's account of one kind; nil when the shop has none.
func (a *Accounts) Account(shop string, kind app.AccountKind) (*Account, error) {
	return a.account(shop, kind, false)
}

// account is Account; emptied includes a WooCommerce account whose every
// store was removed.
func (a *Accounts) account(shop string, kind app.AccountKind, emptied bool) (*Account, error) {
	list, err := a.list(shop, emptied)
	if err != nil {
		return nil, err
	}
	for _, acc := range list {
		if acc.Kind == kind {
			return acc, nil
		}
	}
	return nil, nil
}

// List opens every account of a shop, by kind order.
func (a *Accounts) List(shop string) ([]*Account, error) { return a.list(shop, false) }

func (a *Accounts) list(shop string, emptied bool) ([]*Account, error) {
	sealed, err := a.store.SealedAccounts(shop)
	if err != nil {
		return nil, err
	}
	var out []*Account
	for kind, b := range sealed {
		plain, err := a.seal.open(accountLabel(shop, kind), b)
		if err != nil {
			return nil, fmt.Errorf("%s account of shop %s %w", kind, shop, err)
		}
		var acc Account
		if err := json.Unmarshal(plain, &acc); err != nil {
			return nil, fmt.Errorf("%s account of shop %s: %w", kind, shop, err)
		}
		if acc.emptied() && !emptied {
			continue
		}
		out = append(out, &acc)
	}
	order := map[app.AccountKind]int{}
	for i, k := range app.AccountKinds {
		order[k] = i
	}
	sort.Slice(out, func(i, j int) bool { return order[out[i].Kind] < order[out[j].Kind] })
	return out, nil
}

// Fields opens a shop's account of one kind; nil when the shop has none.
func (a *Accounts) Fields(shop string, kind app.AccountKind) (map[string]string, error) {
	acc, err := a.Account(shop, kind)
	if acc == nil || err != nil {
		return nil, err
	}
	return acc.Fields, nil
}

// MaskedAccount is an account as `account show` and Settings see it: secrets masked.
type MaskedAccount = app.AccountView

// Masked lists a shop's accounts with every secret masked.
func (a *Accounts) Masked(shop string) ([]MaskedAccount, error) {
	if _, err := a.store.Shop(shop); err != nil {
		return nil, err
	}
	list, err := a.List(shop)
	if err != nil {
		return nil, err
	}
	refused := channelRefusals(a.store, shop)
	out := []MaskedAccount{}
	for _, acc := range list {
		out = append(out, masked(shop, acc, refused[acc.Kind], time.Now()))
		// Each further WooCommerce store is listed as an account of its own.
		for _, f := range acc.Stores {
			more := *acc
			more.Fields = f
			out = append(out, masked(shop, &more, refused[acc.Kind], time.Now()))
		}
	}
	return out, nil
}

// masked is an account as it may leave the cloud; refused is a parked
// refusal of the channels follower, newer news than the account's own error.
func masked(shop string, acc *Account, refused string, now time.Time) MaskedAccount {
	lastErr, at := acc.LastError, acc.LastErrorAt
	if refused != "" {
		lastErr, at = refused, now
	}
	m := MaskedAccount{Shop: shop, Kind: acc.Kind, Fields: app.MaskAccount(acc.Kind, acc.Fields), UpdatedAt: acc.UpdatedAt,
		LastError: lastErr, Status: app.StatusOf(acc.Kind, acc.Fields, lastErr, at, now)}
	if acc.Kind == app.AccountWooCommerce {
		m.Store, _ = app.WooStoreKey("store_url", acc.Fields["store_url"])
	}
	return m
}
