// Package demo is the demo shop: its catalogue, staff and a history of
// orders in every status and channel, seeded into a terminal's store or its
// embedded cloud. The sample-order feed that keeps orders arriving is
// demo/feed, which uses the same SKUs; it is a package of its own because
// bin/pos-cloud runs it too (`pos-cloud simulate`) and must not link the
// terminal this package seeds.
package demo

import (
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud/web"
	"github.com/kasir/pos/terminal"
)

// Sink is where demo data goes: the terminal's own store, or the cloud
// that is the authority over it (then the terminal receives it by sync).
type Sink interface {
	PutProducts(ps []*app.Product) error
	// AddStaff adds the shop's staff where they are kept.
	AddStaff(changes []app.StaffChange) error
	// Execute applies one command at a given time, as its actor.
	Execute(cmd app.Command, actor app.Actor, at time.Time) (*app.Result, error)
}

// Local seeds the terminal's store directly, with no cloud.
type Local struct{ T *terminal.Terminal }

// PutProducts stores the catalogue.
func (l Local) PutProducts(ps []*app.Product) error { return l.T.DB.PutProducts(ps) }

// AddStaff does nothing more: with no cloud, the terminal's own list is the shop's.
func (l Local) AddStaff([]app.StaffChange) error { return nil }

// Execute applies a command through the terminal's service, as of at.
func (l Local) Execute(cmd app.Command, actor app.Actor, at time.Time) (*app.Result, error) {
	return l.T.Service.DoAt(cmd, actor, at)
}

// Catalogue is the demo shop's products; the sample-order feed uses the same SKUs.
var Catalogue = []struct {
	Name  string
	Price app.Money
}{
	{"Kopi Gayo Arabika 250g", 85000}, {"Kopi Toraja 250g", 92000}, {"Kopi Kintamani 200g", 78000},
	{"Teh Tarik Sachet isi 10", 32000}, {"Teh Melati Tubruk 100g", 18000}, {"Gula Aren Cair 500ml", 45000},
	{"Sambal Bawang Bu Rudy", 38000}, {"Sambal Roa Manado", 55000}, {"Keripik Singkong Balado", 22000},
	{"Keripik Tempe Malang", 25000}, {"Rendang Kering 250g", 120000}, {"Abon Sapi 100g", 48000},
	{"Batik Tulis Kemeja M", 350000}, {"Batik Tulis Kemeja L", 350000}, {"Batik Cap Selendang", 175000},
	{"Kain Tenun Ikat Sumba", 650000}, {"Tas Anyaman Rotan", 210000}, {"Topi Bambu Anyam", 65000},
	{"Sabun Sereh Wangi", 28000}, {"Minyak Kayu Putih 60ml", 24000}, {"Lulur Bali Bengkoang", 42000},
	{"Dodol Garut isi 20", 30000}, {"Bakpia Pathok Kacang Hijau", 35000}, {"Pia Legong Bali", 95000},
	{"Madu Hutan Sumbawa 500g", 135000}, {"Kerupuk Udang Sidoarjo", 40000}, {"Emping Melinjo 250g", 46000},
	{"Bumbu Rendang Instan", 15000}, {"Bumbu Soto Lamongan", 14000}, {"Kecap Manis Botol Kaca", 21000},
	{"Mug Keramik Kasongan", 58000}, {"Piring Rotan Set 4", 125000}, {"Lilin Aromaterapi Jasmine", 69000},
	{"Dupa Cendana isi 50", 27000}, {"Kaos Bali Sablon L", 89000}, {"Kaos Bali Sablon XL", 89000},
	{"Sarung Tenun Samarinda", 275000}, {"Songket Palembang", 1250000}, {"Wayang Kulit Mini", 185000},
	{"Gantungan Kunci Batik", 12000}, {"Tumbler Bambu 350ml", 99000}, {"Sedotan Bambu Set 6", 25000},
	{"Cokelat Monggo Dark 80g", 39000}, {"Cokelat Pipiltin Sea Salt", 72000}, {"Kacang Mete Bakar 250g", 88000},
	{"Jahe Merah Instan", 33000}, {"Wedang Uwuh Jogja", 26000}, {"Stroberi Kering Bandung", 47000},
}

// demoCategory files a demo product under the chips the register shows.
func demoCategory(name string) string {
	first := strings.Fields(name)[0]
	for cat, words := range map[string][]string{
		"Minuman":     {"Kopi", "Teh", "Gula", "Madu", "Jahe", "Wedang"},
		"Bumbu":       {"Sambal", "Bumbu", "Kecap"},
		"Makanan":     {"Keripik", "Rendang", "Abon", "Dodol", "Bakpia", "Pia", "Kerupuk", "Emping", "Cokelat", "Kacang", "Stroberi"},
		"Kain & Baju": {"Batik", "Kain", "Kaos", "Sarung", "Songket"},
		"Perawatan":   {"Sabun", "Minyak", "Lulur", "Lilin", "Dupa"},
	} {
		if slices.Contains(words, first) {
			return cat
		}
	}
	return "Kerajinan"
}

const demoShopAddress = "Toko Kasir Nusantara, Jl. Braga No. 21, Sumur Bandung, Bandung 40111"

// SKU is the SKU of catalogue entry i (0-based): SKU-001…
func SKU(i int) string { return fmt.Sprintf("SKU-%03d", i+1) }

var (
	demoFirst = []string{"Budi", "Siti", "Agus", "Dewi", "Rizky", "Putri", "Andi", "Ayu", "Fajar", "Intan", "Hendra", "Maya", "Yusuf", "Rina", "Bayu", "Nurul", "Wahyu", "Fitri", "Dimas", "Lestari"}
	demoLast  = []string{"Santoso", "Rahmawati", "Pratama", "Wijaya", "Hidayat", "Saputra", "Kusuma", "Nugroho", "Halim", "Siregar", "Simanjuntak", "Lubis", "Setiawan", "Utami"}
	demoCity  = []struct{ District, City, Province, Postal string }{
		{"Coblong", "Bandung", "Jawa Barat", "40132"}, {"Tebet", "Jakarta Selatan", "DKI Jakarta", "12810"},
		{"Gubeng", "Surabaya", "Jawa Timur", "60281"}, {"Depok", "Sleman", "DI Yogyakarta", "55281"},
		{"Medan Baru", "Medan", "Sumatera Utara", "20153"}, {"Denpasar Barat", "Denpasar", "Bali", "80119"},
		{"Panakkukang", "Makassar", "Sulawesi Selatan", "90231"}, {"Tembalang", "Semarang", "Jawa Tengah", "50275"},
	}
	demoStreets  = []string{"Jl. Dago No. 12", "Jl. Tebet Raya 45", "Jl. Kertajaya 8A", "Jl. Kaliurang Km 5", "Jl. Gatot Subroto 101", "Jl. Teuku Umar 77", "Jl. Pettarani 19", "Jl. Pandanaran 3"}
	demoCouriers = []struct{ Name, Service, Prefix string }{{"JNE", "REG", "JNE"}, {"J&T Express", "EZ", "JP"}, {"SiCepat", "BEST", "0049"}, {"AnterAja", "Reguler", "AA"}, {"GoSend", "Instant", "GK-"}}
)

// demoStaff is who the demo shop signs in as; the README lists the PINs.
var demoStaff = []struct {
	Name, PIN string
	Role      app.Role
}{{"Owner", "1234", app.RoleOwner}, {"Kasir", "0000", app.RoleCashier}, {"Packer", "5678", app.RolePacker}}

// Seed fills an empty store with a realistic shop: products with stock,
// staff, and orders from every channel driven through the real rules into
// every status, so every history entry is a real one.
// Products go to the terminal and to the sink; orders only to the sink.
func Seed(t *terminal.Terminal, sink Sink, w io.Writer) error {
	empty, err := t.IsEmpty()
	if err != nil {
		return err
	}
	if !empty {
		return app.Errorf(app.EConflict, "the store in %s is not empty; seed a new --data directory", t.DataDir)
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	// Staff live in the cloud; the terminal keeps the same list at once, so
	// the first screen can sign in before the first sync.
	var staff []app.Staff
	changes := make([]app.StaffChange, len(demoStaff))
	for i, s := range demoStaff {
		salt, err := app.NewStaffSalt()
		if err != nil {
			return err
		}
		changes[i] = app.StaffChange{Name: s.Name, Role: s.Role, PIN: s.PIN, Salt: salt}
		if staff, err = app.ChangeStaff(staff, app.ActionAddStaff, changes[i]); err != nil {
			return err
		}
	}
	if err := sink.AddStaff(changes); err != nil {
		return err
	}
	if err := app.SaveSetting(t.DB, app.StaffList(app.PublicStaff(staff))); err != nil {
		return err
	}
	// The shop's rules are the owner's change: signed as the owner, as if
	// they had typed their PIN.
	t.Service.Keys.Remember(staff[0])
	defer t.Service.Keys.Forget(staff[0].Name)
	pol := t.Service.CurrentPolicy()
	pol.ShopAddress = demoShopAddress
	if err := t.SavePolicy(pol, app.Actor{Staff: "Owner", Role: app.RoleOwner, Terminal: t.Name}); err != nil {
		return err
	}
	shop := app.Printing{Shop: app.PrintShop{Name: "Toko Kasir Nusantara", Address: "Jl. Braga No. 21, Sumur Bandung, Bandung 40111",
		Phone: "022-420-1234", Footer: "Terima kasih! Follow @tokokasir", ReceiptURLPrefix: "https://tokokasir.id/r/"}}
	if err := app.SaveSetting(t.DB, shop); err != nil {
		return err
	}
	products := make([]*app.Product, len(Catalogue))
	for i, c := range Catalogue {
		onHand := 20 + rng.IntN(100)
		if i%16 == 5 {
			onHand = 2 // a few nearly sold-out products show the stock check at work
		}
		products[i] = &app.Product{SKU: SKU(i), Name: c.Name, Barcode: fmt.Sprintf("899%010d", 1000+i), Currency: pol.Currency,
			Category: demoCategory(c.Name), Price: c.Price, Cost: c.Price * 6 / 10, OnHand: onHand, ReorderLevel: 5,
			WeightGrams: 150 + rng.IntN(800)}
	}
	if err := t.DB.PutProducts(products); err != nil {
		return err
	}
	if _, ok := sink.(Local); !ok {
		if err := sink.PutProducts(products); err != nil {
			return err
		}
	}
	s := &seeder{t: t, sink: sink, rng: rng, now: time.Now().UTC(), owner: app.Actor{Staff: "Owner", Role: app.RoleOwner, Terminal: t.Name}}
	plans := []struct {
		ch     app.Channel
		target app.Status
		n      int
	}{
		{app.ChannelManual, app.StatusPaymentReview, 3}, {app.ChannelStore, app.StatusPaymentReview, 2},
		{app.ChannelTokopedia, app.StatusNew, 6}, {app.ChannelLazada, app.StatusNew, 3}, {app.ChannelWooCommerce, app.StatusNew, 3},
		{app.ChannelShopee, app.StatusReadyToShip, 6}, {app.ChannelTikTok, app.StatusReadyToShip, 4}, {app.ChannelTokopedia, app.StatusReadyToShip, 4},
		{app.ChannelStore, app.StatusReadyToShip, 2}, {app.ChannelManual, app.StatusReadyToShip, 2},
		{app.ChannelShopee, app.StatusInDelivery, 5}, {app.ChannelTokopedia, app.StatusInDelivery, 4}, {app.ChannelManual, app.StatusInDelivery, 2},
		{app.ChannelLazada, app.StatusDelivered, 3}, {app.ChannelTikTok, app.StatusDelivered, 3},
		{app.ChannelTokopedia, app.StatusCompleted, 8}, {app.ChannelShopee, app.StatusCompleted, 8}, {app.ChannelWooCommerce, app.StatusCompleted, 4},
		{app.ChannelTokopedia, app.StatusCancelled, 4}, {app.ChannelShopee, app.StatusCancelled, 3}, {app.ChannelLazada, app.StatusCancelled, 2},
		{app.ChannelShopee, app.StatusComplained, 2}, {app.ChannelTokopedia, app.StatusComplained, 2},
		{app.ChannelInStore, app.StatusCompleted, 20},
		// Last, so the orders before them keep their numbers and clock.
		{app.ChannelShopee, app.StatusReturned, 1}, {app.ChannelTokopedia, app.StatusRefunded, 1},
	}
	n := 0
	for _, p := range plans {
		for i := 0; i < p.n; i++ {
			if err := s.order(p.ch, p.target, i); err != nil {
				return fmt.Errorf("seeding a %s order into %s: %w", p.ch, p.target, err)
			}
			n++
		}
	}
	fmt.Fprintf(w, "seeded %d products, %d orders and %d staff (Owner PIN 1234, Kasir PIN 0000, Packer PIN 5678) in %s\n", len(products), n, len(staff), t.DataDir)
	return nil
}

type seeder struct {
	t     *terminal.Terminal
	sink  Sink
	rng   *rand.Rand
	now   time.Time
	owner app.Actor
	seq   int
}

func (s *seeder) do(id string, a app.Action, args app.Args, tm time.Time, actor app.Actor) error {
	_, err := s.sink.Execute(app.Command{Action: a, OrderID: id, Args: args}, actor, tm)
	return err
}

// order places one order and walks it to the target status along the life cycle.
func (s *seeder) order(ch app.Channel, target app.Status, i int) error {
	r := s.rng
	s.seq++
	var created time.Time
	switch target {
	case app.StatusNew:
		// Spread over the last day; the first of each channel is close to auto-reject.
		created = s.now.Add(-time.Duration(r.IntN(20*60)) * time.Minute)
		if i == 0 {
			created = s.now.Add(-22*time.Hour - time.Duration(r.IntN(80))*time.Minute)
		}
	case app.StatusPaymentReview, app.StatusReadyToShip:
		created = s.now.Add(-time.Duration(60+r.IntN(30*60)) * time.Minute)
	default:
		created = s.now.Add(-time.Duration(3*24*60+r.IntN(40*24*60)) * time.Minute)
	}
	city := demoCity[r.IntN(len(demoCity))]
	o := &app.Order{Channel: ch, Currency: s.t.Service.CurrentPolicy().Currency, CreatedAt: created,
		Buyer: app.Buyer{Name: demoFirst[r.IntN(len(demoFirst))] + " " + demoLast[r.IntN(len(demoLast))],
			Phone: fmt.Sprintf("08%d%08d", 11+r.IntN(9), r.IntN(100000000)),
			Address: app.Address{Street: demoStreets[r.IntN(len(demoStreets))], District: city.District, City: city.City,
				Province: city.Province, PostalCode: city.Postal, Country: "ID"}},
		PaymentMethod: app.PayMarketplace}
	nLines := 1 + r.IntN(3)
	used := map[int]bool{}
	for len(o.Lines) < nLines {
		k := r.IntN(len(Catalogue))
		if used[k] || k%16 == 5 {
			continue
		}
		used[k] = true
		o.Lines = append(o.Lines, app.Line{SKU: SKU(k), Name: Catalogue[k].Name, Qty: 1 + r.IntN(2), UnitPrice: Catalogue[k].Price})
	}
	if ch == app.ChannelWooCommerce && target == app.StatusNew && i == 1 {
		// The newest order asks for more of a nearly sold-out product than is
		// on the shelf, so accepting it shows the stock check naming the SKU.
		o.CreatedAt = s.now.Add(-12 * time.Minute)
		created = o.CreatedAt
		o.Lines = append(o.Lines, app.Line{SKU: SKU(5), Name: Catalogue[5].Name, Qty: 3, UnitPrice: Catalogue[5].Price})
	}
	if s.seq%9 == 0 && ch != app.ChannelInStore {
		o.Lines = append(o.Lines, app.Line{SKU: "BUNDLE-HAMPERS", Name: "Hampers Lebaran (bundle)", Qty: 1, UnitPrice: 250000})
	}
	switch ch {
	case app.ChannelTokopedia:
		o.ExternalID = fmt.Sprintf("%d", 1200000000+r.IntN(99999999))
		o.Number = fmt.Sprintf("INV/%s/MPL/%s", created.Format("20060102"), o.ExternalID)
	case app.ChannelShopee:
		o.ExternalID = created.Format("060102") + fmt.Sprintf("%08X", r.Uint32())
		o.Number = o.ExternalID
	case app.ChannelLazada:
		o.ExternalID = fmt.Sprintf("%d", 500000000000000+r.Int64N(99999999999))
		o.Number = o.ExternalID
	case app.ChannelTikTok:
		o.ExternalID = fmt.Sprintf("57%016d", r.Int64N(1e16))
		o.Number = o.ExternalID
	case app.ChannelWooCommerce:
		o.ExternalID = fmt.Sprintf("%d", 1000+s.seq)
		o.Number = "#" + o.ExternalID
		o.PaymentMethod = app.PayEWallet
	case app.ChannelStore:
		o.ExternalID = fmt.Sprintf("WEB-%d", 5000+s.seq)
		o.Number = o.ExternalID
		o.PaymentMethod = app.PayEWallet
	case app.ChannelManual:
		o.PaymentMethod = app.PayCOD
	case app.ChannelInStore:
		o.PaymentMethod = []app.PaymentMethod{app.PayCash, app.PayCard, app.PayEWallet}[r.IntN(3)]
		o.Buyer = app.Buyer{Name: "Walk-in"}
		o.Number = fmt.Sprintf("POS-%s-%03d", created.Local().Format("060102"), s.seq)
	}
	if ch != app.ChannelInStore {
		o.ShippingFee = app.Money(9000 + 1000*r.IntN(15))
	}
	if target == app.StatusPaymentReview {
		o.PaymentMethod = app.PayTransfer
		o.PaymentReceipt = &app.PaymentReceipt{ImageURL: "receipts/transfer-" + fmt.Sprint(s.seq) + ".jpg", UploadedAt: created.Add(10 * time.Minute)}
	}
	actor := s.owner
	if ch.Rule().Marketplace || ch == app.ChannelWooCommerce || ch == app.ChannelStore {
		actor = app.ChannelActor(string(ch))
	}
	if ch == app.ChannelInStore {
		actor = app.Actor{Staff: "Kasir", Role: app.RoleCashier, Terminal: s.t.Name}
		o.Paid = o.ComputedTotal()
	}
	res, err := s.sink.Execute(app.Command{Action: app.ActionPlace, Args: app.Args{Order: o}}, actor, created)
	if err != nil {
		return err
	}
	id := res.Order.ID
	tm := created.Add(time.Duration(20+r.IntN(90)) * time.Minute)
	step := func() time.Time { tm = tm.Add(time.Duration(30+r.IntN(300)) * time.Minute); return tm }
	cashier := app.Actor{Staff: "Kasir", Role: app.RoleCashier, Terminal: s.t.Name}
	packer := app.Actor{Staff: "Packer", Role: app.RolePacker, Terminal: s.t.Name}
	courier := demoCouriers[r.IntN(len(demoCouriers))]
	cur := res.Order.Status
	if cur == target {
		return nil
	}
	if target == app.StatusCancelled {
		switch i % 3 {
		case 0:
			if cur == app.StatusNew {
				_, err := s.sink.Execute(app.Command{Action: app.ActionAutoReject, OrderID: id}, app.SystemActor, res.Order.AcceptBy.Add(time.Minute))
				return err
			}
			return s.do(id, app.ActionCancel, app.Args{Reason: "buyer unreachable"}, step(), s.owner)
		case 1:
			if cur == app.StatusNew {
				return s.do(id, app.ActionReject, app.Args{Reason: "out of stock"}, step(), s.owner)
			}
			return s.do(id, app.ActionCancel, app.Args{Reason: "out of stock"}, step(), s.owner)
		default:
			if cur == app.StatusReadyToShip {
				if err := s.do(id, app.ActionRequestCancel, app.Args{Reason: "ordered the wrong size"}, step(), app.ChannelActor(string(ch))); err != nil {
					return err
				}
				return s.do(id, app.ActionApproveCancel, app.Args{}, step(), s.owner)
			}
			return s.do(id, app.ActionBuyerCancel, app.Args{Reason: "changed mind"}, step(), app.ChannelActor(string(ch)))
		}
	}
	if cur == app.StatusNew {
		if err := s.do(id, app.ActionAccept, app.Args{}, step(), cashier); err != nil {
			return err
		}
	}
	if target == app.StatusReadyToShip {
		switch i % 4 {
		case 1: // courier assigned, label not printed yet: the badge's second count
			return s.arrange(id, courier.Name, courier.Service, courier.Prefix, step, false)
		case 2:
			return s.arrange(id, courier.Name, courier.Service, courier.Prefix, step, true)
		case 3:
			return s.do(id, app.ActionVerifyPacked, app.Args{WeightGrams: 400 + r.IntN(1500)}, step(), packer)
		}
		return nil
	}
	if ch == app.ChannelManual {
		if err := s.do(id, app.ActionShip, app.Args{Courier: courier.Name, TrackingID: fmt.Sprintf("%s%010d", courier.Prefix, r.Int64N(1e10))}, step(), cashier); err != nil {
			return err
		}
	} else {
		if err := s.do(id, app.ActionVerifyPacked, app.Args{WeightGrams: 400 + r.IntN(1500)}, step(), packer); err != nil {
			return err
		}
		if err := s.arrange(id, courier.Name, courier.Service, courier.Prefix, step, true); err != nil {
			return err
		}
		if err := s.do(id, app.ActionPickedUp, app.Args{}, step(), app.ChannelActor("logistics")); err != nil {
			return err
		}
	}
	if target == app.StatusInDelivery {
		return nil
	}
	if err := s.do(id, app.ActionDeliver, app.Args{}, step(), app.ChannelActor("logistics")); err != nil {
		return err
	}
	if target == app.StatusDelivered {
		return nil
	}
	if err := s.do(id, app.ActionComplete, app.Args{}, step(), app.ChannelActor(string(ch))); err != nil {
		return err
	}
	if target == app.StatusCompleted {
		return nil
	}
	if err := s.do(id, app.ActionComplain, app.Args{Reason: "one jar arrived broken"}, step(), app.ChannelActor(string(ch))); err != nil {
		return err
	}
	switch target {
	case app.StatusReturned:
		return s.do(id, app.ActionResolve, app.Args{Resolution: app.ResolveReturn, Reason: "jar sent back"}, step(), s.owner)
	case app.StatusRefunded:
		return s.do(id, app.ActionResolve, app.Args{Resolution: app.ResolveRefund, Reason: "broken in transit"}, step(), s.owner)
	}
	return nil
}

// arrange books a courier pickup, has the courier assigned, and optionally prints the label.
func (s *seeder) arrange(id, courier, service, prefix string, step func() time.Time, printed bool) error {
	at := step()
	from := at.Add(2 * time.Hour).Truncate(time.Hour)
	if err := s.do(id, app.ActionArrangePickup, app.Args{PickupFrom: from, PickupTo: from.Add(2 * time.Hour), Courier: courier, Service: service, PickupAddress: demoShopAddress}, at, s.owner); err != nil {
		return err
	}
	tracking := fmt.Sprintf("%s%010d", prefix, s.rng.Int64N(1e10))
	if err := s.do(id, app.ActionAssignCourier, app.Args{Courier: courier, Service: service, TrackingID: tracking}, step(), app.ChannelActor("logistics")); err != nil {
		return err
	}
	if !printed {
		return nil
	}
	return s.do(id, app.ActionRecordPrint, app.Args{Document: app.DocLabel, Note: "Counter printer"}, step(), app.Actor{Staff: "Packer", Role: app.RolePacker, Terminal: s.t.Name})
}

// Cloud seeds the embedded cloud, which terminals then catch up from.
type Cloud struct{ E *web.Embedded }

// SeedEmbedded seeds an empty shop through its embedded cloud, for
// terminal.StartOptions.Seed.
func SeedEmbedded(t *terminal.Terminal, e *web.Embedded, log io.Writer) error {
	return Seed(t, Cloud{e}, log)
}

// PutProducts imports the catalogue at the cloud.
func (c Cloud) PutProducts(ps []*app.Product) error { return c.E.ImportProducts(ps) }

// AddStaff adds the staff at the cloud.
func (c Cloud) AddStaff(changes []app.StaffChange) error {
	for _, ch := range changes {
		if err := c.E.AddStaff(ch); err != nil {
			return err
		}
	}
	return nil
}

// Execute applies a command as the cloud itself.
func (c Cloud) Execute(cmd app.Command, actor app.Actor, at time.Time) (*app.Result, error) {
	return c.E.Execute(cmd, actor, at)
}
