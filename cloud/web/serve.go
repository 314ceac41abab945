package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/kasir/pos/cloud"
)

// Serve runs core's routes on addr, and its background work, until ctx
// ends, then drains within 10 s. TLS is used when both certFile and keyFile
// are set. ready, when given, is told the address listened on.
func Serve(ctx context.Context, core *cloud.Server, addr, certFile, keyFile string, ready func(addr string)) error {
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	core.ListeningAt(ln.Addr().Network(), ln.Addr().String())
	hs := httpServer(core.Options(), core.Handler())
	// The sweep and the followers stop before Serve returns, so the caller may close the store.
	stop := core.Run(ctx)
	defer stop()
	errc := make(chan error, 1)
	go func() {
		if certFile != "" && keyFile != "" {
			errc <- hs.ServeTLS(ln, certFile, keyFile)
			return
		}
		errc <- hs.Serve(ln)
	}()
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	core.Close()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// ServeAdmin serves core's admin routes on dir/admin.sock (mode 0600: only
// the server's own user reaches it) until ctx ends.
func ServeAdmin(ctx context.Context, core *cloud.Server, dir string) error {
	path := filepath.Join(dir, cloud.AdminSocket)
	_ = os.Remove(path) // a stale socket from a killed server
	ln, err := net.Listen("unix", path)
	if err != nil {
		return fmt.Errorf("admin socket %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return err
	}
	// The socket is local, but a stalled client still must not hold it: a
	// whole catalogue arrives well within a minute. Replies have no deadline,
	// because an import may take long to apply.
	hs := &http.Server{Handler: core.AdminHandler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: time.Minute, IdleTimeout: time.Minute}
	go func() {
		<-ctx.Done()
		_ = hs.Close()
		_ = os.Remove(path)
	}()
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// ServeWithAdmin is Serve and ServeAdmin in dir together, as `pos-cloud
// serve` and the embedded cloud run them; it returns once both stopped, so
// the admin socket is gone and the store may be closed.
func ServeWithAdmin(ctx context.Context, core *cloud.Server, dir, addr, certFile, keyFile string, ready func(addr string)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	adminErr := make(chan error, 1)
	go func() { adminErr <- ServeAdmin(ctx, core, dir) }()
	err := Serve(ctx, core, addr, certFile, keyFile, ready)
	cancel()
	if aerr := <-adminErr; aerr != nil && err == nil {
		err = aerr
	}
	return err
}

// httpServer is the http.Server every listener of the cloud uses: headers,
// bodies, replies and idle keep-alives all have a deadline. A websocket
// clears them on upgrade and keeps its own liveness.
func httpServer(opt cloud.Options, h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: opt.HeaderTimeout,
		ReadTimeout:       opt.HeaderTimeout + opt.BodyTimeout,
		WriteTimeout:      opt.HeaderTimeout + opt.BodyTimeout + 30*time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}
