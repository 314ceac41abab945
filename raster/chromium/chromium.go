// Package chromium draws HTML documents (Tokopedia's shipping label,
// Shipper's sticker) with Debian's headless Chromium through chromedp, for
// raster. It never downloads a browser: Chromium comes from `make deps`.
//
// A label from outside is hostile until drawn. Each document gets a browser
// of its own, in a fresh profile, ended when the document is drawn or its
// time is up. The document is served to that browser at an https address
// of its own (so it cannot open the cloud's files), with its scripts off
// unless its issuer needs them. Every request it makes is paused and
// refused unless its URL starts with one of the page's allowed prefixes,
// and the browser's resolver knows no other host.
package chromium

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"math"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/raster"
)

// nowhere is where a document with no address of its own is shown: .invalid
// never resolves, and the browser answers it from the document itself.
const nowhere = "https://bill.invalid/label.html"

// layoutWidth is the CSS width a label is laid out in; narrower labels keep
// their own width, and raster cuts the margins.
const layoutWidth = 800

// maxLayoutWidth is the widest document drawn, in CSS pixels.
const maxLayoutWidth = 2400

// Browser draws HTML with Chromium. The zero value finds Debian's chromium.
type Browser struct {
	// Path is the browser; empty looks for chromium, then chromium-browser.
	Path string
}

var _ raster.HTML = (*Browser)(nil)

func (b *Browser) exe() (string, error) {
	if b.Path != "" {
		return b.Path, nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", app.Errorf(app.EInternal, "this cloud cannot draw HTML documents: chromium is not installed")
}

// Draw lays doc out at the label's width and draws it width pixels wide or
// wider (as wide as the document is), at most maxHeight pixels long.
func (b *Browser) Draw(ctx context.Context, doc []byte, mediaType string, p raster.HTMLPage, width, maxHeight int) (image.Image, error) {
	exe, err := b.exe()
	if err != nil {
		return nil, err
	}
	at := p.URL
	if at == "" {
		at = nowhere
	}
	home, err := url.Parse(at)
	if err != nil || home.Scheme != "https" && home.Scheme != "http" {
		return nil, app.Errorf(app.EInvalid, "the label's address %q is not a web address", at)
	}
	profile, err := os.MkdirTemp("", "bill-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profile),
		chromedp.DisableGPU,
		chromedp.Flag("disable-popup-blocking", false),
		chromedp.Flag("block-new-web-contents", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("host-resolver-rules", resolverRules(p.Allow)),
	)
	if os.Geteuid() == 0 {
		// Chromium will not start as root with its sandbox; the cloud's
		// container is the boundary then, and scripts stay off by default.
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, stop := chromedp.NewExecAllocator(ctx, opts...)
	defer stop()
	bctx, closeTab := chromedp.NewContext(actx)
	defer closeTab()

	paused := chromedp.Events(bctx, fetch.RequestPaused)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ev, err := range paused {
			if err != nil {
				return
			}
			answer(bctx, ev, at, doc, mediaType, p.Allow)
		}
	}()
	defer wg.Wait()
	defer closeTab()

	scale := math.Max(float64(width)/layoutWidth, 1)
	err = chromedp.Do(bctx,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}}); err != nil {
				return err
			}
			if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !p.Script}); err != nil {
				return err
			}
			// A label page is made to be printed: its print style hides
			// the page's own "Print" buttons and shows what goes on paper.
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
				return err
			}
			_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride,
				emulation.SetDeviceMetricsOverrideParams{Width: layoutWidth, Height: 600, DeviceScaleFactor: scale})
			return err
		}),
		chromedp.Navigate(at),
	)
	if err != nil {
		return nil, drawError(ctx, err)
	}
	m, err := chromedp.Call(bctx, page.GetLayoutMetrics, struct{}{})
	if err != nil || m.CSSContentSize == nil {
		return nil, drawError(ctx, err)
	}
	w := math.Max(math.Ceil(m.CSSContentSize.Width), layoutWidth)
	if w > maxLayoutWidth {
		return nil, app.Errorf(app.EInvalid, "the HTML label is wider than %d pixels", maxLayoutWidth)
	}
	h := math.Min(math.Ceil(m.CSSContentSize.Height), math.Floor(float64(maxHeight)/scale))
	if h < 1 {
		return nil, app.Errorf(app.EInvalid, "the document has nothing to print: every page is blank")
	}
	shot, err := chromedp.Call(bctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format: page.CaptureScreenshotFormatPng, FromSurface: ptr(true), CaptureBeyondViewport: ptr(true),
		Clip: &page.Viewport{Width: w, Height: h, Scale: 1},
	})
	if err != nil {
		return nil, drawError(ctx, err)
	}
	img, err := png.Decode(bytes.NewReader(shot.Data))
	if err != nil {
		return nil, app.Errorf(app.EInternal, "the browser's drawing of the label cannot be read: %s", err.Error())
	}
	return img, nil
}

func ptr[T any](v T) *T { return &v }

// answer serves the document at its own address, lets through what the
// page may load, and refuses everything else before it leaves the browser.
func answer(ctx context.Context, ev fetch.EventRequestPaused, at string, doc []byte, mediaType string, allow []string) {
	u := ev.Request.URL
	switch {
	case u == at:
		ct := mediaType
		if !strings.HasPrefix(ct, "text/html") && !strings.HasPrefix(ct, "application/xhtml") {
			ct = "text/html; charset=utf-8"
		}
		_, _ = chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: ev.RequestID, ResponseCode: 200,
			ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: ct}, {Name: "Cache-Control", Value: "no-store"}}, Body: doc})
	case allowed(u, allow):
		_, _ = chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
	default:
		_, _ = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
	}
}

// allowed reports whether u starts with one of the prefixes, compared as
// parsed URLs so "https://shipper.id.evil.example/" is not "https://shipper.id/".
func allowed(u string, allow []string) bool {
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.User != nil {
		return false
	}
	for _, a := range allow {
		pa, err := url.Parse(a)
		if err != nil || pa.Host == "" {
			continue
		}
		if pu.Scheme == pa.Scheme && sameHost(pu.Host, pa.Host) && strings.HasPrefix(pu.Path, pa.Path) {
			return true
		}
	}
	return false
}

// sameHost compares a request's host with an allowed one; "*.example.id"
// allows every host under example.id (an issuer's own image hosts).
func sameHost(host, allowed string) bool {
	host, allowed = strings.ToLower(host), strings.ToLower(allowed)
	if rest, ok := strings.CutPrefix(allowed, "*."); ok {
		return host == rest || strings.HasSuffix(host, "."+rest)
	}
	return host == allowed
}

// resolverRules makes every host but the allowed ones unknown to the
// browser, so nothing the fetch interception does not see (a WebSocket, a
// prefetch) reaches the network.
func resolverRules(allow []string) string {
	rules := []string{"MAP * ~NOTFOUND"}
	for _, a := range allow {
		if pa, err := url.Parse(a); err == nil && pa.Hostname() != "" {
			rules = append(rules, "EXCLUDE "+pa.Hostname())
			if rest, ok := strings.CutPrefix(pa.Hostname(), "*."); ok {
				rules = append(rules, "EXCLUDE "+rest)
			}
		}
	}
	return strings.Join(rules, ", ")
}

// drawError is a failure to draw, in words; running out of time says so.
func drawError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var le *chromedp.LoadError
	if errors.As(err, &le) {
		return app.Errorf(app.EInvalid, "the HTML label cannot be opened: %s", le.ErrorText)
	}
	msg := "no layout"
	if err != nil {
		msg = err.Error()
	}
	return app.Errorf(app.EInternal, "the browser could not draw the label: %s", msg)
}
