package cloud

import (
	"testing"

	"github.com/kasir/pos/cloud/pgtest"
)

// StartTestPostgres runs a throwaway PostgreSQL 15 and returns its DSN; see pgtest.Start.
func StartTestPostgres(t testing.TB) string { return pgtest.Start(t) }
