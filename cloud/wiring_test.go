package cloud_test

import (
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/command"
	"github.com/kasir/pos/cloud/web"
)

// The tests of package cloud run on the real bbolt backend and serve what
// the binaries serve: cloud/web mounts the terminals' sync sockets, health
// and metrics on every server, and listens; the tests that run pos-cloud
// commands run cloud/command. See testwiring_test.go.
func init() {
	cloud.SetTestBackend(bolt.OpenBackend)
	cloud.SetTestHTTP(cloud.TestHTTP{Serve: web.Serve, ServeAdmin: web.ServeAdmin, ServeWithAdmin: web.ServeWithAdmin})
	cloud.SetTestCommand(command.Main)
}
