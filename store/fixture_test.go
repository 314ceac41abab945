package store

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"time"

	"github.com/kasir/pos/app"
)

// Realistic test data: Indonesian buyers, a small shop's catalogue, and the
// mix of channels and statuses a busy shop sees.

var firstNames = []string{"Siti", "Budi", "Dewi", "Agus", "Rina", "Andi", "Putri", "Joko", "Sri", "Wahyu",
	"Ayu", "Eko", "Fitri", "Hendra", "Indah", "Rizky", "Nur", "Yusuf", "Lestari", "Bambang",
	"Citra", "Dimas", "Intan", "Fajar", "Maya", "Taufik", "Wulan", "Gilang", "Ratna", "Arif"}

var lastNames = []string{"Rahayu", "Santoso", "Wijaya", "Saputra", "Hidayat", "Lestari", "Kurniawan", "Pratama",
	"Susanti", "Setiawan", "Nugroho", "Permata", "Siregar", "Nasution", "Simanjuntak", "Halim",
	"Gunawan", "Hasibuan", "Wibowo", "Purnomo", "Maharani", "Syahputra", "Utami", "Firmansyah"}

var cities = []string{"Jakarta Selatan", "Bandung", "Surabaya", "Medan", "Yogyakarta", "Semarang", "Makassar", "Denpasar", "Malang", "Bekasi"}

var couriers = []string{"JNE", "J&T Express", "SiCepat", "AnterAja", "GoSend", "GrabExpress", "Ninja Xpress", "Pos Indonesia"}

type catalogItem struct {
	sku, name string
	price     app.Money
}

// catalog is the shop's products: clothing, coffee, snacks, kitchen goods.
var catalog = func() []catalogItem {
	var out []catalogItem
	colours := []struct{ code, name string }{{"HTM", "Hitam"}, {"PTH", "Putih"}, {"NVY", "Navy"}, {"MRN", "Maroon"}}
	for _, c := range colours {
		for _, size := range []string{"S", "M", "L", "XL"} {
			out = append(out, catalogItem{"KAOS-" + c.code + "-" + size, "Kaos Polos " + c.name + " " + size, 59000})
			out = append(out, catalogItem{"HOOD-" + c.code + "-" + size, "Hoodie Katun " + c.name + " " + size, 189000})
		}
	}
	for _, k := range []struct{ sku, name string }{{"KOPI-GAYO-250", "Kopi Arabika Gayo 250g"}, {"KOPI-TORAJA-250", "Kopi Toraja 250g"},
		{"KOPI-KINTAMANI-250", "Kopi Kintamani 250g"}, {"SAMBAL-BWG", "Sambal Bawang Pedas"}, {"KERIPIK-PSG", "Keripik Pisang Coklat"},
		{"RENDANG-KLG", "Rendang Kaleng 200g"}, {"TEH-TARIK", "Teh Tarik Sachet isi 10"}, {"MADU-HUTAN", "Madu Hutan Sumbawa 500ml"},
		{"BATIK-TULIS", "Kemeja Batik Tulis Pekalongan"}, {"TAS-ANYAM", "Tas Anyaman Rotan"}, {"SABUN-SEREH", "Sabun Sereh Wangi"},
		{"GULA-AREN", "Gula Aren Cair 1L"}, {"MIE-ACEH", "Mie Aceh Instan"}, {"KACANG-MDN", "Kacang Mede Panggang"}} {
		out = append(out, catalogItem{k.sku, k.name, app.Money(25000 + 5000*len(k.name))})
	}
	return out
}()

var channelPrefix = map[app.Channel]string{app.ChannelTokopedia: "TKP", app.ChannelShopee: "SHP", app.ChannelLazada: "LZD",
	app.ChannelTikTok: "TTS", app.ChannelWooCommerce: "WC", app.ChannelStore: "WEB", app.ChannelManual: "WA", app.ChannelInStore: "POS"}

var channelMix = []app.Channel{app.ChannelTokopedia, app.ChannelTokopedia, app.ChannelTokopedia, app.ChannelShopee, app.ChannelShopee,
	app.ChannelShopee, app.ChannelLazada, app.ChannelTikTok, app.ChannelTikTok, app.ChannelWooCommerce, app.ChannelStore,
	app.ChannelManual, app.ChannelInStore, app.ChannelInStore}

var statusMix = []app.Status{app.StatusPaymentReview, app.StatusNew, app.StatusNew, app.StatusReadyToShip, app.StatusReadyToShip,
	app.StatusReadyToShip, app.StatusInDelivery, app.StatusInDelivery, app.StatusDelivered, app.StatusCompleted, app.StatusCompleted,
	app.StatusCompleted, app.StatusCompleted, app.StatusCancelled, app.StatusCancelled, app.StatusComplained}

// fakeOrder makes order number i of n, created in order over the 90 days
// before base, as a shop's orders arrive.
func fakeOrder(r *rand.Rand, i, n int, base time.Time) *app.Order {
	ch := channelMix[r.Intn(len(channelMix))]
	step := int64(90*24*time.Hour) / int64(n)
	created := base.Add(-90 * 24 * time.Hour).Add(time.Duration(int64(i)*step + r.Int63n(step))).Truncate(time.Second).UTC()
	ext := strconv.Itoa(100000000 + i*7 + r.Intn(7))
	o := &app.Order{Channel: ch, Currency: app.IDR, CreatedAt: created, UpdatedAt: created, Version: int64(1 + r.Intn(5))}
	if ch == app.ChannelInStore || ch == app.ChannelManual {
		o.ID = fmt.Sprintf("%011x%010x", created.UnixMilli(), i)
		o.Number = fmt.Sprintf("%s-%s-%05d", channelPrefix[ch], created.Format("060102"), i)
	} else {
		o.ExternalID = ext
		o.ID = app.ChannelOrderID(ch, ext)
		o.Number = channelPrefix[ch] + "-" + ext
	}
	first, last := firstNames[r.Intn(len(firstNames))], lastNames[r.Intn(len(lastNames))]
	o.Buyer = app.Buyer{Name: first + " " + last, Phone: fmt.Sprintf("08%d%08d", 11+r.Intn(88), r.Intn(100000000)),
		Address: app.Address{Street: fmt.Sprintf("Jl. Merdeka No. %d", 1+r.Intn(200)), City: cities[r.Intn(len(cities))], Province: "Indonesia", PostalCode: strconv.Itoa(10000 + r.Intn(89999)), Country: "ID"}}
	if r.Intn(4) == 0 {
		o.Buyer.Phone = "+62 " + o.Buyer.Phone[1:4] + "-" + o.Buyer.Phone[4:8] + "-" + o.Buyer.Phone[8:]
	}
	lines := 1 + r.Intn(4)
	for j := 0; j < lines; j++ {
		it := catalog[r.Intn(len(catalog))]
		o.Lines = append(o.Lines, app.Line{SKU: it.sku, Name: it.name, Qty: 1 + r.Intn(3), UnitPrice: it.price, Linked: true})
	}
	o.Parcels = []app.Parcel{{WeightGrams: 250 * lines}}
	for j, l := range o.Lines {
		o.Parcels[0].Items = append(o.Parcels[0].Items, app.ParcelItem{Line: j, SKU: l.SKU, Qty: l.Qty})
	}
	o.ShippingFee = app.Money(9000 + 1000*r.Intn(20))
	o.Total = o.ComputedTotal()
	o.PaymentStatus, o.DeliveryStatus = app.PaymentUnpaid, app.DeliveryUnsent
	o.Status = statusMix[r.Intn(len(statusMix))]
	if ch == app.ChannelInStore {
		o.Status, o.ShippingFee = app.StatusCompleted, 0
		o.Total = o.ComputedTotal()
		o.PaymentMethod, o.PaymentStatus, o.Paid = app.PayCash, app.PaymentPaid, o.Total
		o.Prints.ReceiptCount, o.Prints.ReceiptAt = 1, created
		return o
	}
	o.PaymentMethod = app.PayMarketplace
	switch o.Status {
	case app.StatusPaymentReview:
		o.PaymentMethod = app.PayTransfer
		o.PaymentReceipt = &app.PaymentReceipt{ImageURL: "https://img.example/receipt/" + ext + ".jpg", UploadedAt: created}
	case app.StatusNew:
		o.AcceptBy = created.Add(24 * time.Hour)
	}
	if o.Status != app.StatusPaymentReview && o.Status != app.StatusNew && o.Status != app.StatusCancelled {
		o.Invoice = app.Invoice{Number: "INV-" + o.Number, Status: app.InvoiceUnpaid, CreatedAt: created.Add(time.Hour)}
		if o.Status == app.StatusReadyToShip && r.Intn(2) == 0 {
			o.Shipment = app.Shipment{Method: app.ShipPickup, State: app.ShipmentSearching, ArrangedAt: created.Add(2 * time.Hour)}
		}
		if o.Status != app.StatusReadyToShip || r.Intn(3) == 0 {
			c := couriers[r.Intn(len(couriers))]
			o.Shipment = app.Shipment{Method: app.ShipPickup, State: app.ShipmentAssigned, Courier: c, Service: "REG",
				TrackingID: strings.ToUpper(strings.ReplaceAll(c[:3], " ", "")) + strconv.Itoa(1000000000+r.Intn(999999999)), ArrangedAt: created.Add(2 * time.Hour)}
			if o.Status != app.StatusReadyToShip || r.Intn(2) == 0 {
				o.Prints.LabelCount, o.Prints.LabelAt = 1, created.Add(3*time.Hour)
			}
		}
	}
	switch o.Status {
	case app.StatusCompleted, app.StatusComplained:
		o.PaymentStatus, o.Paid, o.DeliveryStatus = app.PaymentPaid, o.Total, app.DeliveryDelivered
	case app.StatusCancelled:
		o.CancelReason, o.CancelNote = app.CancelByBuyer, "berubah pikiran"
	}
	return o
}

// fakeOrders makes n orders from seed, all created before base.
func fakeOrders(seed int64, n int, base time.Time) []*app.Order {
	r := rand.New(rand.NewSource(seed))
	out := make([]*app.Order, n)
	for i := range out {
		out[i] = fakeOrder(r, i, n, base)
	}
	return out
}

// fakeProducts is the catalogue as products with stock.
func fakeProducts() []*app.Product {
	var out []*app.Product
	for i, it := range catalog {
		out = append(out, &app.Product{SKU: it.sku, Name: it.name, Currency: app.IDR, Price: it.price, Cost: it.price * 6 / 10, OnHand: 20 + i%30, WeightGrams: 250})
	}
	return out
}
