package web

import (
	"net"
	"strings"
)

// listen accepts "host:port", or "unix:/path" for a socket file.
func listen(addr string) (net.Listener, error) {
	if p, ok := strings.CutPrefix(addr, "unix:"); ok {
		return net.Listen("unix", p)
	}
	return net.Listen("tcp", addr)
}
