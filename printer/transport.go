package printer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
)

// Transport carries bytes to one printer and asks it for its status.
// Implementations reconnect on the next call after a failure.
type Transport interface {
	// URL is the address the transport was opened with.
	URL() string
	// Write sends all of b, or returns an error saying how far it got.
	Write(ctx context.Context, b []byte) error
	// Status asks DLE EOT 1, 2 and 4; a printer that does not answer, or
	// answers with a byte that is not a status, is an error.
	Status(ctx context.Context) (Status, error)
	// Close releases the connection or device.
	Close() error
}

// ErrNothingSent is wrapped by a Write error when not one byte of the
// document reached the printer, so the job can be sent again as it is.
// Any other Write error may have left part of the document on the way.
var ErrNothingSent = errors.New("nothing was sent")

// nothingSent marks err as ErrNothingSent without changing its words.
type nothingSent struct{ error }

func (e nothingSent) Unwrap() []error { return []error{e.error, ErrNothingSent} }

// Timeouts used by transports opened with Open.
var (
	DialTimeout   = 3 * time.Second
	WriteTimeout  = 15 * time.Second
	StatusTimeout = 2 * time.Second
)

// Open returns the transport for a printer URL:
//
//	tcp://host:9100        network printer (port 9100 when omitted)
//	usb:///dev/usb/lp0     USB printer through the kernel's usblp device
//	file:///tmp/out.bin    append to a file, for debugging; status is always ready
//
// Nothing is connected until the first Write or Status.
func Open(rawURL string) (Transport, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, fmt.Errorf("printer URL %q: %v", rawURL, err)
	}
	switch u.Scheme {
	case "tcp":
		host := u.Host
		if host == "" {
			return nil, fmt.Errorf("printer URL %q: host: missing (write tcp://192.0.2.10:9100)", rawURL)
		}
		if _, _, err := net.SplitHostPort(host); err != nil {
			host = net.JoinHostPort(host, "9100")
		}
		return &streamTransport{url: rawURL, dial: func(ctx context.Context) (conn, error) {
			d := net.Dialer{Timeout: DialTimeout}
			c, err := d.DialContext(ctx, "tcp", host)
			if err != nil {
				return nil, fmt.Errorf("printer at %s: cannot connect: %w", rawURL, err)
			}
			return c.(*net.TCPConn), nil
		}}, nil
	case "usb":
		path := u.Host + u.Path
		if path == "" {
			return nil, fmt.Errorf("printer URL %q: path: missing (write usb:///dev/usb/lp0)", rawURL)
		}
		return &streamTransport{url: rawURL, dial: func(context.Context) (conn, error) {
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if errors.Is(err, fs.ErrPermission) {
				return nil, fmt.Errorf("printer at %s: %s: permission denied; add the user running the POS to the lp group (usermod -aG lp USER, then log in again) or add a udev rule that gives it the device", rawURL, path)
			}
			if err != nil {
				return nil, fmt.Errorf("printer at %s: %w", rawURL, err)
			}
			return f, nil
		}}, nil
	case "file":
		path := u.Host + u.Path
		if path == "" {
			return nil, fmt.Errorf("printer URL %q: path: missing (write file:///tmp/printer.bin)", rawURL)
		}
		return &fileTransport{url: rawURL, path: path}, nil
	case "":
		return nil, fmt.Errorf("printer URL %q: scheme: missing (use tcp://, usb:// or file://)", rawURL)
	default:
		return nil, fmt.Errorf("printer URL %q: scheme: %q is not supported (use tcp://, usb:// or file://)", rawURL, u.Scheme)
	}
}

// conn is what both a TCP connection and a usblp device file offer.
type conn interface {
	io.ReadWriteCloser
	SetReadDeadline(time.Time) error
	SetWriteDeadline(time.Time) error
}

// streamTransport talks to a printer over a bidirectional byte stream.
type streamTransport struct {
	url  string
	dial func(context.Context) (conn, error)

	mu sync.Mutex
	c  conn
}

func (t *streamTransport) URL() string { return t.url }

func (t *streamTransport) connect(ctx context.Context) (conn, error) {
	if t.c != nil {
		return t.c, nil
	}
	c, err := t.dial(ctx)
	if err != nil {
		return nil, err
	}
	t.c = c
	return c, nil
}

// drop closes a connection after any error: a half-written command or a
// late status reply would otherwise be misread on the next use.
func (t *streamTransport) drop() {
	if t.c != nil {
		t.c.Close()
		t.c = nil
	}
}

func deadline(ctx context.Context, d time.Duration) time.Time {
	dl := time.Now().Add(d)
	if cd, ok := ctx.Deadline(); ok && cd.Before(dl) {
		return cd
	}
	return dl
}

func (t *streamTransport) Write(ctx context.Context, b []byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, err := t.connect(ctx)
	if err != nil {
		return nothingSent{err}
	}
	// A device file may not support deadlines; then the write simply blocks
	// until the kernel accepts it, as a print spooler's would.
	_ = c.SetWriteDeadline(deadline(ctx, WriteTimeout))
	n, err := c.Write(b)
	if err != nil {
		t.drop()
		if n == 0 {
			return nothingSent{fmt.Errorf("printer at %s: wrote 0 of %d bytes: %w", t.url, len(b), err)}
		}
		return fmt.Errorf("printer at %s: wrote %d of %d bytes: %w", t.url, n, len(b), err)
	}
	return nil
}

func (t *streamTransport) Status(ctx context.Context) (Status, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, err := t.connect(ctx)
	if err != nil {
		return Status{}, err
	}
	// The three requests go out in one write and the printer answers them
	// in order: one round trip instead of three, twice per job.
	var req []byte
	for _, n := range statusRequests {
		req = append(req, dle, eot, n)
	}
	_ = c.SetWriteDeadline(deadline(ctx, StatusTimeout))
	if _, err := c.Write(req); err != nil {
		t.drop()
		return Status{}, fmt.Errorf("printer at %s: sending status request: %w", t.url, err)
	}
	var s Status
	for _, n := range statusRequests {
		b, err := readByte(c, deadline(ctx, StatusTimeout))
		if err != nil {
			t.drop()
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded) {
				return Status{}, fmt.Errorf("printer at %s did not answer the status request within %s", t.url, StatusTimeout)
			}
			return Status{}, fmt.Errorf("printer at %s: reading status: %w", t.url, err)
		}
		if err := ParseStatusByte(n, b, &s); err != nil {
			t.drop()
			return Status{}, fmt.Errorf("printer at %s: %w", t.url, err)
		}
	}
	return s, nil
}

// readByte reads one byte by the deadline. A device without deadline
// support is read in a goroutine so the caller still gets its answer in time.
func readByte(c conn, dl time.Time) (byte, error) {
	var buf [1]byte
	if err := c.SetReadDeadline(dl); err == nil {
		_, err := io.ReadFull(c, buf[:])
		return buf[0], err
	}
	done := make(chan error, 1)
	go func() {
		_, err := io.ReadFull(c, buf[:])
		done <- err
	}()
	select {
	case err := <-done:
		return buf[0], err
	case <-time.After(time.Until(dl)):
		return 0, os.ErrDeadlineExceeded
	}
}

func (t *streamTransport) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.drop()
	return nil
}

// fileTransport appends documents to a file so they can be inspected or
// replayed (cat out.bin > /dev/usb/lp0).
type fileTransport struct {
	url, path string
	mu        sync.Mutex
}

func (t *fileTransport) URL() string { return t.url }

func (t *fileTransport) Write(_ context.Context, b []byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, err := os.OpenFile(t.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nothingSent{fmt.Errorf("printer at %s: %w", t.url, err)}
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("printer at %s: %w", t.url, err)
	}
	return f.Close()
}

// Status of a file is always ready: there is no printer to ask.
func (t *fileTransport) Status(context.Context) (Status, error) { return Status{Online: true}, nil }

func (t *fileTransport) Close() error { return nil }
