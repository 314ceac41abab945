package web

import (
	"bytes"
	"crypto/subtle"
	_ "embed"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// The order page (/o/{token}) is what a buyer opens from a notice or the
// receipt's QR code: the shop, the items, the total and payment, the
// status timeline, and the courier's tracking. It shows only what the buyer
// gave the shop or the shop did for them (no staff, notes, costs or
// history notes), and only the one order whose token it was given. Every
// asset is inside the page, so it loads on a weak connection and reveals
// nothing to a third party.

//go:embed orderpage/page.html
var orderPageHTML string

var orderPageTmpl = template.Must(template.New("page").Parse(orderPageHTML))

// pageWords are the page's own words, for the buyer rather than staff.
type pageWords struct {
	Order, Items, Shipping, Discount, Total, Payment, Shipment, Track, Timeline, Placed string
	Status                                                                              map[app.Status]string
	Paid                                                                                map[app.PaymentStatus]string
}

var orderPageWords = map[app.Lang]pageWords{
	app.Indonesian: {Order: "Pesanan", Items: "Barang", Shipping: "Ongkos kirim", Discount: "Diskon", Total: "Total",
		Payment: "Pembayaran", Shipment: "Pengiriman", Track: "Lacak paket", Timeline: "Riwayat", Placed: "Pesanan dibuat",
		Status: map[app.Status]string{app.StatusPaymentReview: "Pembayaran sedang dicek", app.StatusNew: "Menunggu konfirmasi toko",
			app.StatusReadyToShip: "Sedang dikemas", app.StatusInDelivery: "Dalam pengiriman", app.StatusDelivered: "Sudah sampai",
			app.StatusCompleted: "Selesai", app.StatusCancelled: "Dibatalkan", app.StatusComplained: "Komplain diproses",
			app.StatusReturned: "Barang diretur, dana dikembalikan", app.StatusRefunded: "Dana dikembalikan"},
		Paid: map[app.PaymentStatus]string{app.PaymentUnpaid: "belum dibayar", app.PaymentPaid: "lunas", app.PaymentRefunded: "dana dikembalikan"}},
	app.English: {Order: "Order", Items: "Items", Shipping: "Shipping", Discount: "Discount", Total: "Total",
		Payment: "Payment", Shipment: "Shipment", Track: "Track the parcel", Timeline: "Timeline", Placed: "Order placed",
		Status: map[app.Status]string{app.StatusPaymentReview: "Payment being checked", app.StatusNew: "Waiting for the shop",
			app.StatusReadyToShip: "Being packed", app.StatusInDelivery: "On its way", app.StatusDelivered: "Delivered",
			app.StatusCompleted: "Completed", app.StatusCancelled: "Cancelled", app.StatusComplained: "Complaint in progress",
			app.StatusReturned: "Returned, money refunded", app.StatusRefunded: "Money refunded"},
		Paid: map[app.PaymentStatus]string{app.PaymentUnpaid: "not paid", app.PaymentPaid: "paid", app.PaymentRefunded: "refunded"}},
}

// orderPage is what the template shows.
type orderPage struct {
	Lang                              app.Lang
	T                                 pageWords
	Shop, Contact                     string
	Number, Placed, Status, Payment   string
	Lines                             []pageLine
	Shipping, Discount, Total         string
	Courier, TrackingID, TrackingLink string
	Timeline                          []pageStep
}

type pageLine struct {
	Qty          int
	Name, Amount string
}

type pageStep struct {
	What, When string
	Now        bool
}

var pageBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// orderPages serves one cloud server's order pages.
type orderPages struct {
	core *cloud.Server
	log  *slog.Logger
}

// serve answers /o/{token}: the order the token names when the
// token is still the order's, else 404, the same for every wrong token.
func (s *orderPages) serve(w http.ResponseWriter, r *http.Request) {
	store := s.core.Store()
	tok := r.PathValue("token")
	shopID, orderID, ok := cloud.PageTokenParts(tok)
	if !ok && app.IsSaleToken(tok) && len(tok) <= app.MaxPageTokenLen {
		// A counter sale's token was made on the tablet: the index names its sale.
		var err error
		if shopID, orderID, err = store.SaleByPageToken(tok); err != nil {
			s.log.Error("order page", "err", err)
		}
		ok = shopID != "" && orderID != ""
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	shop, err := store.Shop(shopID)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	// One read finds the order with its history; the token must be the
	// order's own, so an id that reads as another order's number shows nothing.
	o, err := store.OrderByRef(shopID, orderID)
	if err != nil || o.ID != orderID || o.PageToken == "" || subtle.ConstantTimeCompare([]byte(o.PageToken), []byte(tok)) != 1 {
		if err != nil && app.ErrorCode(err) != app.ENotFound {
			s.log.Error("order page", "shop", shopID, "err", err)
		}
		http.NotFound(w, r)
		return
	}
	var pol app.Policy
	if err := store.View(shopID, func(tx cloud.ShopTx) error {
		var err error
		pol, err = cloud.ShopPolicy(tx, shop)
		return err
	}); err != nil {
		s.log.Error("order page", "shop", shopID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	lang := app.BuyerLang(o)
	switch r.URL.Query().Get("lang") {
	case "en":
		lang = app.English
	case "id":
		lang = app.Indonesian
	}
	page := buildOrderPage(o, shop.Name, pol, lang)
	buf := pageBufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer pageBufs.Put(buf)
	if err := orderPageTmpl.Execute(buf, page); err != nil {
		s.log.Error("order page", "shop", shopID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Robots-Tag", "noindex")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	_, _ = w.Write(buf.Bytes())
}

// buildOrderPage picks what the buyer may see of o.
func buildOrderPage(o *app.Order, shop string, pol app.Policy, lang app.Lang) orderPage {
	t := orderPageWords[lang]
	cur := o.Currency
	if cur == "" {
		cur = app.IDR
	}
	zone := pol.Zone()
	when := func(at time.Time) string { return at.In(zone).Format("02-01-2006 15:04") }
	p := orderPage{Lang: lang, T: t, Shop: shop, Contact: pol.Notices.Contact, Number: o.Number, Placed: when(o.CreatedAt),
		Status: t.Status[o.Status], Payment: t.Paid[o.PaymentStatus], Total: cur.Format(o.Total)}
	for _, l := range o.Lines {
		p.Lines = append(p.Lines, pageLine{Qty: l.Qty, Name: l.Name, Amount: cur.Format(l.Amount())})
	}
	// A counter sale shows how it was paid: each tender and its amount.
	var paid []string
	for _, pay := range o.Payments {
		paid = append(paid, app.Translate(lang, pay.Method.Label())+" "+cur.Format(pay.Amount))
	}
	if len(paid) > 0 {
		p.Payment += " · " + strings.Join(paid, ", ")
	}
	if o.ShippingFee != 0 {
		p.Shipping = cur.Format(o.ShippingFee)
	}
	if o.Discount != 0 {
		p.Discount = cur.Format(o.Discount)
	}
	if o.Shipment.TrackingID != "" {
		p.Courier, p.TrackingID = o.Shipment.Courier, o.Shipment.TrackingID
		p.TrackingLink = pol.Notices.TrackingLink(o.Shipment.Courier, o.Shipment.TrackingID)
	}
	for _, e := range o.History {
		switch {
		case e.Action == app.ActionPlace:
			p.Timeline = append(p.Timeline, pageStep{What: t.Placed, When: when(e.At)})
			if e.To != app.StatusNew {
				p.Timeline = append(p.Timeline, pageStep{What: t.Status[e.To], When: when(e.At)})
			}
		case e.From != e.To && e.To != "":
			p.Timeline = append(p.Timeline, pageStep{What: t.Status[e.To], When: when(e.At)})
		}
	}
	if len(p.Timeline) == 0 {
		p.Timeline = append(p.Timeline, pageStep{What: p.Status, When: when(o.UpdatedAt)})
	}
	p.Timeline[len(p.Timeline)-1].Now = true
	return p
}
