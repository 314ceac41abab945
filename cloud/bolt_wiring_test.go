package cloud_test

import (
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
)

// The tests of package cloud run on the real bbolt backend; see openbolt_test.go.
func init() { cloud.SetTestBackend(bolt.OpenBackend) }
