package cloud_test

import (
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	// The tests of package cloud serve terminals' sync sockets, health and
	// metrics as the binaries do: cloud/web mounts them on every server.
	_ "github.com/kasir/pos/cloud/web"
)

// The tests of package cloud run on the real bbolt backend; see openbolt_test.go.
func init() { cloud.SetTestBackend(bolt.OpenBackend) }
