package cloud

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/courier"
	"github.com/kasir/pos/raster"
	chrome "github.com/kasir/pos/raster/chromium"
	"github.com/kasir/pos/sync/wire"
)

// billDrawer draws every bill: poppler for PDF, Debian's Chromium for HTML.
var billDrawer = &raster.Rasterizer{HTML: &chrome.Browser{}}

// billTimeout bounds one bill request: the platform may make the document
// first (Shopee polls until it is ready), then it is drawn.
const billTimeout = 75 * time.Second

// billDrawing bounds how many bills are drawn at once: a browser or poppler
// each takes a core, and the cloud has webhooks to answer.
var billDrawing = make(chan struct{}, 2)

// Cache bounds: the bills of a busy day's parcels, kept until they are
// printed, reprinted and previewed; the documents as the platforms served
// them, so a printer of another width does not ask the platform again.
const (
	billCacheEntries = 512
	billCacheBytes   = 64 << 20
)

// billCache keeps the platforms' documents by order and tracking number,
// and the bills drawn from them by width too, so a reprint, a preview or
// another printer does not ask the platform again; a new tracking number
// is a new key. Concurrent asks for one key wait for one fetch.
type billCache struct {
	docs  kept[*billDoc]
	drawn kept[*drawnBill]
}

// billDoc is a bill's document as its issuer served it.
type billDoc struct {
	doc   []byte
	media string
	page  raster.HTMLPage
}

func (d *billDoc) size() int { return len(d.doc) }

// drawnBill is a bill drawn at one width.
type drawnBill struct{ *wire.Bill }

func (d *drawnBill) size() int {
	n := 0
	for _, p := range d.Pages {
		n += len(p)
	}
	return n
}

// kept is a bounded cache whose concurrent misses for one key make one
// fetch; only what was made is kept, oldest out first.
type kept[V interface{ size() int }] struct {
	mu      sync.Mutex
	entries map[string]V
	order   []string // oldest first
	bytes   int
	flying  map[string]*flight[V]
}

type flight[V any] struct {
	done chan struct{}
	v    V
	err  error
}

// get returns the value kept for key, or makes it with fetch once however
// many ask at the same time.
func (c *kept[V]) get(key string, fetch func() (V, error)) (V, error) {
	c.mu.Lock()
	if v, ok := c.entries[key]; ok {
		c.mu.Unlock()
		return v, nil
	}
	if f, ok := c.flying[key]; ok {
		c.mu.Unlock()
		<-f.done
		return f.v, f.err
	}
	if c.flying == nil {
		c.flying, c.entries = map[string]*flight[V]{}, map[string]V{}
	}
	f := &flight[V]{done: make(chan struct{})}
	c.flying[key] = f
	c.mu.Unlock()

	f.v, f.err = fetch()

	c.mu.Lock()
	delete(c.flying, key)
	if f.err == nil {
		c.entries[key] = f.v
		c.order = append(c.order, key)
		c.bytes += f.v.size()
		for len(c.order) > 1 && (len(c.order) > billCacheEntries || c.bytes > billCacheBytes) {
			c.dropLocked(c.order[0])
		}
	}
	c.mu.Unlock()
	close(f.done)
	return f.v, f.err
}

// forget drops key, so the next ask fetches it again.
func (c *kept[V]) forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked(key)
}

func (c *kept[V]) dropLocked(key string) {
	v, ok := c.entries[key]
	if !ok {
		return
	}
	c.bytes -= v.size()
	delete(c.entries, key)
	for i, k := range c.order {
		if k == key {
			c.order = append(c.order[:i:i], c.order[i+1:]...)
			break
		}
	}
}

// Bill is the mandatory airway bill of an order of the terminal's shop (ref
// is its id or number), drawn for a label printer dots wide. A bill is
// fetched once per order, tracking number and width, then served from the
// cache. Errors: app's codes (not found when the register's own label is
// the parcel's label, a conflict while it is not ready), or a *BillFailure
// in the issuer's words when it refused, did not answer, or its document
// cannot be drawn.
func (s *Server) Bill(ctx context.Context, term *Terminal, ref string, dots int) (*wire.Bill, error) {
	if err := app.ValidateBillDots(dots); err != nil {
		return nil, err
	}
	o, err := s.store.OrderByRef(term.Shop, ref)
	if err != nil {
		return nil, err
	}
	if err := app.BillReady(o); err != nil {
		return nil, err
	}
	src := app.BillSource(o)
	docKey := strings.Join([]string{term.Shop, o.ID, src, o.Shipment.TrackingID, o.Shipment.AWB}, "\x00")
	// Others may wait on this fetch (a preview and an auto-print of one
	// bill), so one terminal hanging up does not abandon it.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), billTimeout)
	defer cancel()
	bill, err := s.bills.drawn.get(docKey+"\x00"+strconv.Itoa(dots), func() (*drawnBill, error) {
		d, err := s.bills.docs.get(docKey, func() (*billDoc, error) { return s.fetchBill(ctx, term.Shop, o, src) })
		if err != nil {
			return nil, err
		}
		b, err := s.drawBill(ctx, o, src, d, dots)
		if err != nil {
			// A document that cannot be drawn is asked for again next time.
			s.bills.docs.forget(docKey)
		}
		return b, err
	})
	if err != nil {
		var f *BillFailure
		if errors.As(err, &f) && f.Status >= 500 {
			s.log.Warn("airway bill", "source", src, "err", f.Err.Message)
		}
		return nil, err
	}
	return bill.Bill, nil
}

// BillFailure is why a bill could not be made, with the HTTP status it is
// answered with: 422 refused or cannot be drawn, 502 the issuer did not
// answer, 503 no drawing slot came free in time.
type BillFailure struct {
	Status int
	Err    *app.Error
}

func (f *BillFailure) Error() string { return f.Err.Error() }

// drawBill draws the document for a printer dots wide.
func (s *Server) drawBill(ctx context.Context, o *app.Order, src string, d *billDoc, dots int) (*drawnBill, error) {
	who := app.BillIssuer(src)
	select {
	case billDrawing <- struct{}{}:
		defer func() { <-billDrawing }()
	case <-ctx.Done():
		return nil, &BillFailure{http.StatusServiceUnavailable, app.Errorf(app.EUnreachable, "%s did not answer: the airway bill cannot be fetched now; try again", who)}
	}
	pages, err := billDrawer.Pages(ctx, d.doc, d.media, d.page, dots)
	if err != nil {
		status := http.StatusUnprocessableEntity
		if app.ErrorCode(err) == app.EInternal {
			status = http.StatusInternalServerError
		}
		return nil, &BillFailure{status, app.Errorf(app.ErrorCode(err), "%s's airway bill could not be printed: %s", who, err)}
	}
	media := d.media
	if media == "" {
		media = http.DetectContentType(d.doc)
	}
	return &drawnBill{&wire.Bill{Order: o.ID, Source: src, Media: media, Dots: dots, Pages: pages}}, nil
}

// fetchBill asks the issuer for the order's bill, with the shop's account.
func (s *Server) fetchBill(ctx context.Context, shop string, o *app.Order, src string) (*billDoc, error) {
	who := app.BillIssuer(src)
	unreachable := func() error {
		return &BillFailure{http.StatusBadGateway, app.Errorf(app.EUnreachable, "%s did not answer: the airway bill cannot be fetched now; try again", who)}
	}
	refused := func(words string) error {
		return &BillFailure{http.StatusUnprocessableEntity, app.Errorf(app.ERefused, "%s refused the airway bill: %s", who, words)}
	}
	if src == app.BillShipper {
		p, err := s.CourierClient(shop, app.ProviderShipper)
		if err != nil {
			return nil, err
		}
		lab, ok := p.(courier.Labeler)
		if !ok {
			return nil, app.Errorf(app.ENotFound, "This order has no airway bill from a platform: the register's own label is its label")
		}
		l, err := lab.Label(ctx, o.Shipment.ProviderOrderID)
		var cerr *courier.Error
		switch {
		case errors.Is(err, courier.ErrNotFound):
			return nil, refused(o.Shipment.ProviderOrderID + ": not found")
		case errors.As(err, &cerr) && cerr.Unreachable:
			return nil, unreachable()
		case errors.As(err, &cerr):
			return nil, refused(cerr.Message + " (code " + cerr.Code + ")")
		case err != nil:
			return nil, unreachable()
		}
		// Shipper's sticker may load its images and draw its barcodes with
		// its own scripts, from its own label host and nowhere else.
		page := raster.HTMLPage{URL: l.URL, Script: true}
		if u, err := url.Parse(l.URL); err == nil {
			page.Allow = []string{u.Scheme + "://" + u.Host + "/"}
		}
		return &billDoc{doc: l.Doc, media: l.MediaType, page: page}, nil
	}
	ch := app.Channel(src)
	var wb channel.Waybill
	if s.channels != nil {
		wb, _ = s.channels.adapters[ch].(channel.Waybill)
	}
	if wb == nil {
		wb, _ = s.opt.Hooks[src].(channel.Waybill)
	}
	if wb == nil {
		return nil, app.Errorf(app.EInternal, "this cloud cannot fetch %s's airway bills", who)
	}
	if s.accounts == nil {
		return nil, errNoAccounts()
	}
	fields, err := s.accounts.Fields(shop, app.AccountKind(ch))
	if err != nil {
		return nil, err
	}
	if fields == nil {
		return nil, app.FieldError("channel", "set the %s account first, then print its airway bills", who)
	}
	doc, media, err := wb.AirwayBill(ctx, fields, o)
	if ref, ok := channel.IsRefusal(err); ok {
		return nil, refused(ref.Message)
	}
	var un *channel.Unavailable
	if errors.As(err, &un) {
		return nil, unreachable()
	}
	if err != nil {
		if app.ErrorCode(err) != app.EInternal {
			return nil, err
		}
		return nil, unreachable()
	}
	// A marketplace's HTML label runs no script, and loads images only
	// from the platform's own hosts (its barcodes may be images there).
	return &billDoc{doc: doc, media: media, page: raster.HTMLPage{Allow: billImageHosts[ch]}}, nil
}

// billImageHosts are where a platform's HTML label may load its images
// from. Tokopedia's label page is not documented; its own domains are the
// only ones a label of Tokopedia's could need.
var billImageHosts = map[app.Channel][]string{
	app.ChannelTokopedia: {"https://*.tokopedia.net/", "https://*.tokopedia.com/"},
}
