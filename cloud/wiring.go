package cloud

import (
	"context"
	"errors"
)

// Wiring is what the binaries link into the cloud beyond its core: the
// backends and the HTTP face, which the core never imports. bin/pos-cloud
// wires both backends; bin/pos, which embeds the cloud, wires bbolt alone
// and so never links pgx.
type Wiring struct {
	// Bolt opens the bbolt backend in a data directory (cloud/bolt.OpenBackend).
	Bolt BoltOpener
	// Postgres opens the PostgreSQL backend (cloud/postgres.OpenBackend); nil in a
	// build that keeps its shops in bbolt only.
	Postgres PostgresOpener
	// Serve serves a server's routes and its admin socket for `pos-cloud
	// serve` (cloud/web.ServeWithAdmin).
	Serve ServeFunc
}

// ServeFunc serves s on addr (TLS when certFile and keyFile are set) and its
// admin socket in the data directory dir until ctx ends; ready is told the address.
type ServeFunc func(ctx context.Context, s *Server, dir, addr, certFile, keyFile string, ready func(addr string)) error

// BoltOpener opens the bbolt backend in the data directory dir.
type BoltOpener func(dir string) (Backend, error)

// PostgresOpener opens the PostgreSQL backend at dsn.
type PostgresOpener func(ctx context.Context, dsn string) (Backend, error)

// Open opens the PostgreSQL backend when dsn is set, else the bbolt one in dir.
func (w Wiring) Open(ctx context.Context, dir, dsn string) (Backend, error) {
	if dsn != "" {
		if w.Postgres == nil {
			return nil, errors.New("this build keeps shops in bbolt only: --postgres needs bin/pos-cloud")
		}
		return w.Postgres(ctx, dsn)
	}
	if w.Bolt == nil {
		return nil, errors.New("this build is wired without the bbolt backend: --postgres is required")
	}
	return w.Bolt(dir)
}
