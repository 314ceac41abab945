package command_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/command"
)

// TestUsageAndExitCodes: no command, an unknown one and -h print the usage
// with exit code 2; a command that fails says why after "pos-cloud:" with
// exit code 1, before it opens anything.
func TestUsageAndExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "usage:\n  pos-cloud serve"},
		{[]string{"frobnicate"}, 2, "pos-cloud notices revoke"},
		{[]string{"shop", "add", "-h"}, 2, "-name string"},
		{[]string{"serve", "--tls-cert", "c.pem", "--data", t.TempDir()}, 1, "pos-cloud: "},
		{[]string{"serve", "--log-level", "loud", "--data", t.TempDir()}, 1, "loud"},
		{[]string{"terminal", "revoke", "--data", t.TempDir()}, 1, "pos-cloud: "},
	} {
		var out, errb strings.Builder
		code := command.Main(context.Background(), cloud.Wiring{}, tc.args, &out, &errb)
		if code != tc.code || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, errb.String(), tc.code, tc.want)
		}
		if out.Len() != 0 {
			t.Errorf("%v: printed %q on stdout", tc.args, out.String())
		}
	}
}

// TestServeNeedsItsWiring: a build wired without a backend or without the
// HTTP face refuses to serve and says which part is missing.
func TestServeNeedsItsWiring(t *testing.T) {
	var errb strings.Builder
	code := command.Main(context.Background(), cloud.Wiring{}, []string{"serve", "--data", t.TempDir(), "--listen", "127.0.0.1:0"}, &strings.Builder{}, &errb)
	if code != 1 || !strings.Contains(errb.String(), "without the bbolt backend") {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
}
