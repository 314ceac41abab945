// Package feed is the demo's sample-order feed: signed webhooks of every
// channel, as each platform would send them, posted to a cloud at a steady
// rate. The terminal's demo runs it against its embedded cloud, and
// bin/pos-cloud offers it as `pos-cloud simulate`; it stands on the cloud's
// exported names only, so bin/pos-cloud links it without the demo shop's
// terminal (package demo).
package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel/webstore"
	"github.com/kasir/pos/cloud"
)

// ParseRate reads "2/min", "30/h", "1/s" (or a bare number per minute) as orders per minute.
func ParseRate(s string) (float64, error) {
	num, unit, _ := strings.Cut(strings.TrimSpace(s), "/")
	n, err := strconv.ParseFloat(num, 64)
	if err != nil || n <= 0 {
		return 0, app.FieldError("rate", "must look like 2/min, got %q", s)
	}
	switch unit {
	case "", "m", "min", "minute":
		return n, nil
	case "s", "sec", "second":
		return n * 60, nil
	case "h", "hour":
		return n / 60, nil
	}
	return 0, app.FieldError("rate", "unit must be s, min or h, got %q", unit)
}

// SimulatedChannels are the channels Simulate posts for when given none.
var SimulatedChannels = []app.Channel{app.ChannelWooCommerce, app.ChannelStore, app.ChannelTokopedia,
	app.ChannelShopee, app.ChannelLazada, app.ChannelTikTok}

var (
	simFirst  = []string{"Budi", "Siti", "Agus", "Dewi", "Rudi", "Ayu", "Joko", "Putri", "Hendra", "Rina", "Wahyu", "Lestari"}
	simLast   = []string{"Santoso", "Rahmawati", "Wijaya", "Lestari", "Hidayat", "Saputra", "Kusuma", "Nugroho", "Pratama", "Sari"}
	simPlaces = []app.Address{
		{Street: "Jl. Sudirman No. 12", District: "Tanah Abang", City: "Jakarta Pusat", Province: "DKI Jakarta", PostalCode: "10220", Country: "ID"},
		{Street: "Jl. Braga No. 45", District: "Sumur Bandung", City: "Bandung", Province: "Jawa Barat", PostalCode: "40111", Country: "ID"},
		{Street: "Jl. Malioboro No. 8", District: "Gedong Tengen", City: "Yogyakarta", Province: "DI Yogyakarta", PostalCode: "55271", Country: "ID"},
		{Street: "Jl. Tunjungan No. 30", District: "Genteng", City: "Surabaya", Province: "Jawa Timur", PostalCode: "60275", Country: "ID"},
		{Street: "Jl. Gatot Subroto No. 101", District: "Denpasar Barat", City: "Denpasar", Province: "Bali", PostalCode: "80113", Country: "ID"},
		{Street: "Jl. Gajah Mada No. 5", District: "Medan Petisah", City: "Medan", Province: "Sumatera Utara", PostalCode: "20112", Country: "ID"},
	}
)

// simulator posts signed webhooks the way each channel would.
type simulator struct {
	base, shop string
	sec        cloud.Secrets
	http       *http.Client
	rnd        *rand.Rand
	seq        int
}

// Simulate posts realistic signed webhooks for the given channels (all when
// empty) at rate orders per minute until ctx ends: Indonesian buyers, SKUs of
// the demo catalogue (SKU-001..SKU-048) and now and then an unknown SKU.
func Simulate(ctx context.Context, baseURL, shopID string, secrets cloud.Secrets, rate float64, channels []app.Channel, logf func(string, ...any)) error {
	if rate <= 0 {
		return app.FieldError("rate", "must be positive")
	}
	if len(channels) == 0 {
		channels = SimulatedChannels
	}
	if logf == nil {
		logf = func(string, ...any) {}
	}
	s := &simulator{base: strings.TrimRight(baseURL, "/"), shop: shopID, sec: secrets,
		http: &http.Client{Timeout: 10 * time.Second}, rnd: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))}
	every := time.Duration(float64(time.Minute) / rate)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		ch := channels[s.rnd.IntN(len(channels))]
		id, err := s.post(ctx, ch)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			logf("simulate %s: %v", ch, err)
		} else {
			logf("simulate %s order %s", ch, id)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

type simLine struct {
	sku, name string
	qty       int
	price     int64
}

func (s *simulator) lines() []simLine {
	n := 1 + s.rnd.IntN(3)
	out := make([]simLine, 0, n)
	for i := 0; i < n; i++ {
		k := 1 + s.rnd.IntN(48)
		l := simLine{sku: fmt.Sprintf("SKU-%03d", k), name: fmt.Sprintf("Produk %03d", k), qty: 1 + s.rnd.IntN(3), price: int64(10+s.rnd.IntN(190)) * 1000}
		if s.rnd.IntN(10) == 0 {
			l.sku, l.name = fmt.Sprintf("UNK-%04d", s.rnd.IntN(10000)), "Barang tidak terdaftar"
		}
		out = append(out, l)
	}
	return out
}

func (s *simulator) buyer() (string, string, app.Address) {
	name := simFirst[s.rnd.IntN(len(simFirst))] + " " + simLast[s.rnd.IntN(len(simLast))]
	phone := fmt.Sprintf("+62812%08d", s.rnd.IntN(100000000))
	return name, phone, simPlaces[s.rnd.IntN(len(simPlaces))]
}

func (s *simulator) url(ch string) string { return s.base + "/v1/shops/" + s.shop + "/webhooks/" + ch }

// post sends one order of the channel and returns its external id.
func (s *simulator) post(ctx context.Context, ch app.Channel) (string, error) {
	s.seq++
	ext := fmt.Sprintf("%d%04d", time.Now().Unix(), s.seq%10000)
	name, phone, addr := s.buyer()
	lines := s.lines()
	var total int64
	for _, l := range lines {
		total += l.price * int64(l.qty)
	}
	ship := int64(9000 + 1000*s.rnd.IntN(10))
	switch ch {
	case app.ChannelWooCommerce:
		first, last, _ := strings.Cut(name, " ")
		var items []map[string]any
		for i, l := range lines {
			items = append(items, map[string]any{"id": i + 1, "name": l.name, "product_id": 100 + i, "quantity": l.qty, "sku": l.sku,
				"price": l.price, "subtotal": fmt.Sprintf("%d.00", l.price*int64(l.qty)), "total": fmt.Sprintf("%d.00", l.price*int64(l.qty))})
		}
		addrMap := map[string]any{"first_name": first, "last_name": last, "address_1": addr.Street, "city": addr.City,
			"state": addr.Province, "postcode": addr.PostalCode, "country": "ID", "phone": phone, "email": strings.ToLower(first) + "@example.id"}
		body := map[string]any{"id": s.rnd.IntN(1000000), "number": ext, "status": "processing", "currency": "IDR",
			"date_created_gmt": time.Now().UTC().Format("2006-01-02T15:04:05"), "total": fmt.Sprintf("%d.00", total+ship),
			"shipping_total": fmt.Sprintf("%d.00", ship), "discount_total": "0.00", "total_tax": "0.00", "payment_method": "bacs",
			"billing": addrMap, "shipping": addrMap, "line_items": items}
		ext = fmt.Sprint(body["id"])
		return ext, s.send(ctx, "woocommerce", body, func(r *http.Request, raw []byte) {
			r.Header.Set("X-WC-Webhook-Topic", "order.created")
			r.Header.Set("X-WC-Webhook-Delivery-ID", strconv.Itoa(s.rnd.IntN(1<<30)))
			r.Header.Set("X-WC-Webhook-Signature", cloud.SignBase64(s.sec[cloud.SecretWooCommerce], raw))
		})
	case app.ChannelStore:
		var sl []webstore.Line
		for _, l := range lines {
			sl = append(sl, webstore.Line{SKU: l.sku, Name: l.name, Qty: l.qty, UnitPrice: app.Money(l.price)})
		}
		body := webstore.Event{Event: "order.created", Order: webstore.Order{ID: ext, Number: "WEB-" + ext, Currency: app.IDR, CreatedAt: time.Now().UTC(),
			Buyer: app.Buyer{Name: name, Phone: phone, Address: addr}, Lines: sl, ShippingFee: app.Money(ship),
			Total: app.Money(total + ship), PaymentMethod: "ewallet", Paid: true}}
		return ext, s.send(ctx, "store", body, func(r *http.Request, raw []byte) {
			r.Header.Set("X-Store-Delivery-ID", ext)
			r.Header.Set("X-Store-Signature", cloud.SignBase64(s.sec[cloud.SecretStore], raw))
		})
	case app.ChannelTokopedia:
		var ps []map[string]any
		for i, l := range lines {
			ps = append(ps, map[string]any{"id": 1000 + i, "name": l.name, "quantity": l.qty, "price": l.price, "total_price": l.price * int64(l.qty), "sku": l.sku})
		}
		oid, _ := strconv.ParseInt(ext, 10, 64)
		body := map[string]any{"fs_id": 13000, "shop_id": 479573, "order_id": oid, "invoice_ref_num": "INV/" + time.Now().Format("20060102") + "/" + ext,
			"order_status": 220, "create_time": time.Now().Unix(), "products": ps,
			"customer": map[string]any{"name": name, "phone": phone},
			"recipient": map[string]any{"name": name, "phone": phone, "address": map[string]any{"address_full": addr.Street, "district": addr.District,
				"city": addr.City, "province": addr.Province, "country": "Indonesia", "postal_code": addr.PostalCode}},
			"logistics": map[string]any{"shipping_agency": "JNE", "service_type": "REG"},
			"amt":       map[string]any{"ttl_product_price": total, "shipping_cost": ship, "ttl_amount": total + ship}}
		return ext, s.send(ctx, "tokopedia", body, func(r *http.Request, raw []byte) {
			r.Header.Set("Authorization-Hmac", cloud.SignHex(s.sec[cloud.SecretTokopedia], raw))
		})
	case app.ChannelShopee:
		sn := time.Now().Format("060102") + strings.ToUpper(strconv.FormatInt(s.rnd.Int64N(1<<40), 36))
		body := map[string]any{"shop_id": 220000, "code": 3, "timestamp": time.Now().Unix(),
			"data": map[string]any{"ordersn": sn, "status": "READY_TO_SHIP", "update_time": time.Now().Unix()}}
		return sn, s.send(ctx, "shopee", body, func(r *http.Request, raw []byte) {
			r.Header.Set("Authorization", cloud.SignHex(s.sec[cloud.SecretShopee], []byte(s.url("shopee")), []byte("|"), raw))
		})
	case app.ChannelLazada:
		for i := range lines {
			body := map[string]any{"seller_id": "100200300", "message_type": 0, "timestamp": time.Now().UnixMilli(), "site": "lazada_id",
				"data": map[string]any{"order_status": "pending", "trade_order_id": ext, "trade_order_line_id": fmt.Sprintf("%s%02d", ext, i), "status_update_time": time.Now().Unix()}}
			if err := s.send(ctx, "lazada", body, func(r *http.Request, raw []byte) {
				r.Header.Set("Authorization", cloud.SignHex(s.sec[cloud.SecretLazada], []byte(s.sec[cloud.SecretLazadaKey]), raw))
			}); err != nil {
				return ext, err
			}
		}
		return ext, nil
	case app.ChannelTikTok:
		body := map[string]any{"type": 1, "tts_notification_id": strconv.FormatInt(s.rnd.Int64N(1<<62), 10), "shop_id": "7494049642642441621",
			"timestamp": time.Now().Unix(), "data": map[string]any{"order_id": "5764" + ext, "order_status": "AWAITING_SHIPMENT", "update_time": time.Now().Unix()}}
		return "5764" + ext, s.send(ctx, "tiktok", body, func(r *http.Request, raw []byte) {
			r.Header.Set("Authorization", cloud.SignHex(s.sec[cloud.SecretTikTok], []byte(s.sec[cloud.SecretTikTokKey]), raw))
		})
	}
	return "", app.FieldError("channel", "%q has no simulated webhook", string(ch))
}

func (s *simulator) send(ctx context.Context, ch string, body any, sign func(*http.Request, []byte)) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url(ch), bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	sign(req, raw)
	resp, err := s.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(msg)))
	}
	return nil
}
