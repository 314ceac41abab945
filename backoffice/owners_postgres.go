package backoffice

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kasir/pos/app"
)

// pgSchema holds the back office's accounts, sessions and reset links in
// the cloud's PostgreSQL database, beside the shops; every cloud instance
// behind a load balancer then knows every session.
const pgSchema = `
CREATE TABLE IF NOT EXISTS backoffice_owners (email text PRIMARY KEY, data text NOT NULL);
CREATE TABLE IF NOT EXISTS backoffice_sessions (key text PRIMARY KEY, email text NOT NULL, data text NOT NULL);
CREATE INDEX IF NOT EXISTS backoffice_sessions_email ON backoffice_sessions (email);
CREATE TABLE IF NOT EXISTS backoffice_resets (key text PRIMARY KEY, email text NOT NULL, expires timestamptz NOT NULL);
`

// PgStore keeps the back office's records in tables of the cloud's PostgreSQL database.
type PgStore struct{ pool *pgxpool.Pool }

// NewPgStore creates the tables when missing.
func NewPgStore(pool *pgxpool.Pool) (*PgStore, error) {
	ctx, cancel := pgCtx()
	defer cancel()
	if _, err := pool.Exec(ctx, pgSchema); err != nil {
		return nil, err
	}
	return &PgStore{pool: pool}, nil
}

func pgCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 30*time.Second)
}

// PutOwner adds or replaces an account.
func (s *PgStore) PutOwner(o *Owner) error {
	data, err := json.Marshal(o)
	if err != nil {
		return err
	}
	ctx, cancel := pgCtx()
	defer cancel()
	_, err = s.pool.Exec(ctx, `INSERT INTO backoffice_owners (email, data) VALUES ($1, $2)
		ON CONFLICT (email) DO UPDATE SET data = EXCLUDED.data`, o.Email, string(data))
	return err
}

// Owner returns an account, or ENotFound.
func (s *PgStore) Owner(email string) (*Owner, error) {
	ctx, cancel := pgCtx()
	defer cancel()
	var data string
	err := s.pool.QueryRow(ctx, `SELECT data FROM backoffice_owners WHERE email = $1`, email).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, app.Errorf(app.ENotFound, "no account for %s", email)
	}
	if err != nil {
		return nil, err
	}
	var o Owner
	return &o, json.Unmarshal([]byte(data), &o)
}

// PutSession keeps a session under its cookie's hash.
func (s *PgStore) PutSession(key string, ss *Session) error {
	data, err := json.Marshal(ss)
	if err != nil {
		return err
	}
	ctx, cancel := pgCtx()
	defer cancel()
	_, err = s.pool.Exec(ctx, `INSERT INTO backoffice_sessions (key, email, data) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET email = EXCLUDED.email, data = EXCLUDED.data`, key, ss.Email, string(data))
	return err
}

// Session returns a session, or ENotFound.
func (s *PgStore) Session(key string) (*Session, error) {
	ctx, cancel := pgCtx()
	defer cancel()
	var data string
	err := s.pool.QueryRow(ctx, `SELECT data FROM backoffice_sessions WHERE key = $1`, key).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, app.Errorf(app.ENotFound, "session not found")
	}
	if err != nil {
		return nil, err
	}
	var ss Session
	if err := json.Unmarshal([]byte(data), &ss); err != nil {
		return nil, err
	}
	ss.Key = key
	return &ss, nil
}

// DeleteSession ends a session.
func (s *PgStore) DeleteSession(key string) error {
	ctx, cancel := pgCtx()
	defer cancel()
	_, err := s.pool.Exec(ctx, `DELETE FROM backoffice_sessions WHERE key = $1`, key)
	return err
}

// Sessions lists an account's sessions.
func (s *PgStore) Sessions(email string) ([]*Session, error) {
	ctx, cancel := pgCtx()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT key, data FROM backoffice_sessions WHERE email = $1 ORDER BY key`, email)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Session
	for rows.Next() {
		var key, data string
		if err := rows.Scan(&key, &data); err != nil {
			return nil, err
		}
		var ss Session
		if err := json.Unmarshal([]byte(data), &ss); err != nil {
			return nil, err
		}
		ss.Key = key
		out = append(out, &ss)
	}
	return out, rows.Err()
}

// PutReset keeps a one-time reset link.
func (s *PgStore) PutReset(key, email string, expires time.Time) error {
	ctx, cancel := pgCtx()
	defer cancel()
	_, err := s.pool.Exec(ctx, `INSERT INTO backoffice_resets (key, email, expires) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET email = EXCLUDED.email, expires = EXCLUDED.expires`, key, email, expires.UTC())
	return err
}

// TakeReset uses up a reset link: the DELETE that returns it is the one use,
// so two instances given the same link at once cannot both take it.
func (s *PgStore) TakeReset(key string, now time.Time) (string, error) {
	ctx, cancel := pgCtx()
	defer cancel()
	var email string
	var expires time.Time
	err := s.pool.QueryRow(ctx, `DELETE FROM backoffice_resets WHERE key = $1 RETURNING email, expires`, key).Scan(&email, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", app.Errorf(app.ENotFound, "this reset link was used or does not exist")
	}
	if err != nil {
		return "", err
	}
	if now.After(expires) {
		return "", app.Errorf(app.ENotFound, "this reset link has expired")
	}
	return email, nil
}
