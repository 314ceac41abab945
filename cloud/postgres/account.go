package postgres

import (
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kasir/pos/app"
)

// pgAccountSchema holds sealed accounts and the key check.
const pgAccountSchema = `
CREATE TABLE IF NOT EXISTS accounts (shop text NOT NULL REFERENCES shops(id), kind text NOT NULL, sealed bytea NOT NULL,
  updated_at timestamptz NOT NULL, PRIMARY KEY (shop, kind));
CREATE TABLE IF NOT EXISTS cloud_meta (key text PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE IF NOT EXISTS account_routes (kind text NOT NULL, route text NOT NULL, shop text NOT NULL REFERENCES shops(id),
  PRIMARY KEY (kind, route), UNIQUE (shop, kind));
CREATE TABLE IF NOT EXISTS oauth_grants (hash text PRIMARY KEY, grant_state bytea NOT NULL);
`

// PutAccount stores a sealed account and its route in one transaction.
func (s *Store) PutAccount(shop string, kind app.AccountKind, sealed []byte, at time.Time, route string) error {
	if _, err := s.Shop(shop); err != nil {
		return err
	}
	ctx, cancel := pgCtx()
	defer cancel()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if route != "" {
		var owner string
		err := tx.QueryRow(ctx, `SELECT shop FROM account_routes WHERE kind = $1 AND route = $2`, string(kind), route).Scan(&owner)
		if err == nil && owner != shop {
			return app.Errorf(app.EConflict, "%s %s is already connected to another shop", string(kind), route)
		}
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM account_routes WHERE shop = $1 AND kind = $2`, shop, string(kind)); err != nil {
		return err
	}
	if route != "" {
		if _, err := tx.Exec(ctx, `INSERT INTO account_routes (kind, route, shop) VALUES ($1, $2, $3)`, string(kind), route, shop); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO accounts (shop, kind, sealed, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (shop, kind) DO UPDATE SET sealed = EXCLUDED.sealed, updated_at = EXCLUDED.updated_at`, shop, string(kind), sealed, at.UTC()); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// ShopByRoute finds the shop whose account of kind holds route.
func (s *Store) ShopByRoute(kind app.AccountKind, route string) (string, error) {
	ctx, cancel := pgCtx()
	defer cancel()
	var shop string
	err := s.pool.QueryRow(ctx, `SELECT shop FROM account_routes WHERE kind = $1 AND route = $2`, string(kind), route).Scan(&shop)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return shop, err
}

// SealedAccounts returns a shop's sealed accounts by kind.
func (s *Store) SealedAccounts(shop string) (map[app.AccountKind][]byte, error) {
	ctx, cancel := pgCtx()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT kind, sealed FROM accounts WHERE shop = $1`, shop)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[app.AccountKind][]byte{}
	for rows.Next() {
		var kind string
		var sealed []byte
		if err := rows.Scan(&kind, &sealed); err != nil {
			return nil, err
		}
		out[app.AccountKind(kind)] = sealed
	}
	return out, rows.Err()
}

// AccountsKeyCheck returns the stored key check, or nil.
func (s *Store) AccountsKeyCheck() ([]byte, error) {
	ctx, cancel := pgCtx()
	defer cancel()
	var v []byte
	err := s.pool.QueryRow(ctx, `SELECT value FROM cloud_meta WHERE key = 'accounts_key_check'`).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return v, err
}

// PutAccountsKeyCheck stores the key check unless one is there, and returns the stored one.
func (s *Store) PutAccountsKeyCheck(sealed []byte) ([]byte, error) {
	ctx, cancel := pgCtx()
	defer cancel()
	if _, err := s.pool.Exec(ctx, `INSERT INTO cloud_meta (key, value) VALUES ('accounts_key_check', $1) ON CONFLICT (key) DO NOTHING`, sealed); err != nil {
		return nil, err
	}
	return s.AccountsKeyCheck()
}

// PutGrant stores an OAuth state until it is taken.
func (s *Store) PutGrant(hash string, grant []byte) error {
	ctx, cancel := pgCtx()
	defer cancel()
	_, err := s.pool.Exec(ctx, `INSERT INTO oauth_grants (hash, grant_state) VALUES ($1, $2)`, hash, grant)
	return err
}

// TakeGrant removes and returns an OAuth state in one statement, so two
// instances cannot both take it.
func (s *Store) TakeGrant(hash string) ([]byte, error) {
	ctx, cancel := pgCtx()
	defer cancel()
	var v []byte
	err := s.pool.QueryRow(ctx, `DELETE FROM oauth_grants WHERE hash = $1 RETURNING grant_state`, hash).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return v, err
}
