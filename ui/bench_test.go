package ui

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/store"
)

const benchOrders = 100_000

var (
	bigOnce sync.Once
	bigDir  string
	bigErr  error
)

// bigStore builds a store with 100,000 online orders once per test binary.
func bigStore(b *testing.B) string {
	bigOnce.Do(func() {
		bigDir, bigErr = os.MkdirTemp("", "ui-bench-*")
		if bigErr != nil {
			return
		}
		db, err := store.Open(bigDir)
		if err != nil {
			bigErr = err
			return
		}
		defer db.Close()
		chans := []app.Channel{app.ChannelTokopedia, app.ChannelShopee, app.ChannelLazada, app.ChannelTikTok, app.ChannelWooCommerce}
		statuses := []app.Status{app.StatusNew, app.StatusReadyToShip, app.StatusInDelivery, app.StatusDelivered, app.StatusCompleted, app.StatusCompleted, app.StatusCompleted, app.StatusCancelled}
		batch := make([]*app.Order, 0, 5000)
		for i := range benchOrders {
			ch := chans[i%len(chans)]
			st := statuses[i%len(statuses)]
			created := clock.Add(-time.Duration(benchOrders-i) * time.Minute)
			o := &app.Order{
				ID: app.ChannelOrderID(ch, "B"+strconv.Itoa(i)), Channel: ch, ExternalID: "B" + strconv.Itoa(i),
				Number: strings.ToUpper(string(ch[:3])) + "-B" + strconv.Itoa(i), Status: st, Currency: app.IDR,
				Buyer: app.Buyer{Name: benchBuyer(i), Phone: "0812" + strconv.Itoa(i)},
				Lines: []app.Line{{SKU: "SKU-" + strconv.Itoa(i%300), Name: benchProduct(i % 300), Qty: 1 + i%3, UnitPrice: 15000, Linked: true}},
				Total: app.Money(15000 * (1 + i%3)), PaymentStatus: app.PaymentUnpaid, CreatedAt: created, UpdatedAt: created, Version: 1,
			}
			if st == app.StatusNew {
				o.AcceptBy = created.Add(24 * time.Hour)
			}
			if st == app.StatusInDelivery || st == app.StatusReadyToShip && i%3 == 0 {
				o.Shipment = app.Shipment{Method: app.ShipPickup, State: app.ShipmentAssigned, Courier: couriers[i%len(couriers)], TrackingID: "TRK" + strconv.Itoa(i)}
			}
			batch = append(batch, o)
			if len(batch) == cap(batch) {
				if bigErr = db.InsertOrders(batch); bigErr != nil {
					return
				}
				batch = batch[:0]
			}
		}
		bigErr = db.InsertOrders(batch)
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	debug.FreeOSMemory()
	return bigDir
}

// Names in the big store are drawn as a shop's are: a few dozen common
// first and family names, and products named by kind, style and colour.
var (
	benchFirst  = strings.Fields("Siti Budi Dewi Agus Rina Andi Made Putu Wayan Nur Sri Eko Joko Ayu Fajar Rizky Indah Yusuf Dian Tri Wulan Bayu Citra Hendra Lestari Ahmad Fitri Rudi Sari Yoga Intan Dimas Ratna Bagus Nia Hadi Maya Arif Tika Reza")
	benchFamily = strings.Fields("Santoso Rahma Wijaya Putra Saputra Lestari Hidayat Kurniawan Pratama Setiawan Nugroho Wibowo Susanto Permata Utami Siregar Nasution Halim Gunawan Hasan Sitompul Purba Simanjuntak Harahap Tanjung Lubis Sembiring Ginting Manurung Pohan")
	benchKind   = strings.Fields("Kaos Kemeja Celana Jaket Tas Sepatu Topi Kopi Teh Madu")
	benchStyle  = strings.Fields("Polos Motif Premium Klasik Slim Oversize")
	benchColour = strings.Fields("Hitam Putih Merah Biru Hijau")
)

func benchBuyer(i int) string {
	return benchFirst[(i*7)%len(benchFirst)] + " " + benchFamily[(i*13)%len(benchFamily)]
}

func benchProduct(k int) string {
	return benchKind[k%len(benchKind)] + " " + benchStyle[(k/len(benchKind))%len(benchStyle)] + " " +
		benchColour[(k/(len(benchKind)*len(benchStyle)))%len(benchColour)]
}

type bigUI struct {
	db *store.DB
	m  *Main
}

// openBigUI opens the 100k store, builds the UI signed in as the owner and
// draws the first frame of the Online tab.
func openBigUI(b testing.TB, dir string) *bigUI {
	a := test.NewTempApp(b)
	db, err := store.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	svc := app.NewService(db, app.DefaultPolicy(), app.WithClock(func() time.Time { return clock }))
	m := New(a, Deps{Service: svc, Settings: db, Terminal: "Bench"})
	m.Window().Resize(fyne.NewSize(1280, 800))
	m.signedIn(app.Staff{Name: "Owner", Role: app.RoleOwner})
	_ = m.Window().Canvas().Capture() // the first frame
	if m.online.list.total == 0 {
		b.Fatal("the Online tab shows no orders")
	}
	return &bigUI{db: db, m: m}
}

// BenchmarkColdStartOnline times store open → UI built → first frame of the
// Online tab with 100,000 orders stored. Budget: 1 s.
func BenchmarkColdStartOnline(b *testing.B) {
	dir := bigStore(b)
	var total time.Duration
	for b.Loop() {
		start := time.Now()
		ui := openBigUI(b, dir)
		total += time.Since(start)
		b.StopTimer()
		ui.db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/first-frame")
}

// BenchmarkFilterChange times a filter change until the new list's first
// page is loaded and drawn, over 100,000 orders. Budget: 50 ms.
func BenchmarkFilterChange(b *testing.B) {
	ui := openBigUI(b, bigStore(b))
	defer ui.db.Close()
	s := ui.m.online
	filters := []struct {
		name string
		set  func()
	}{
		{"channel", func() { s.filter = orderFilter{channel: app.ChannelShopee} }},
		{"courier", func() { s.filter = orderFilter{courier: "JNE"} }},
		{"label", func() { no := false; s.filter = orderFilter{label: &no} }},
		{"date", func() { s.filter = orderFilter{days: 7} }},
		{"text", func() { s.filter = orderFilter{text: benchBuyer(42)} }},
		{"tab", func() { s.filter = orderFilter{} }},
	}
	tabs := []int{1, 2, 3, 4}
	for _, f := range filters {
		b.Run(f.name, func(b *testing.B) {
			i := 0
			var total time.Duration
			for b.Loop() {
				start := time.Now()
				s.tab = tabs[i%len(tabs)]
				f.set()
				s.applyFilter()
				s.list.list.Refresh()
				total += time.Since(start)
				i++
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/filter")
		})
	}
}

// BenchmarkMemory100k reports the resident memory after building the UI over
// 100,000 orders. Budget: 200 MB.
func BenchmarkMemory100k(b *testing.B) {
	dir := bigStore(b)
	var rss float64
	for b.Loop() {
		// A process of its own: the benchmarks before this one in the
		// binary leave their memory behind (five rate dialogs' test windows
		// took it from about 100 to 240 MB), which a terminal never carries.
		cmd := exec.Command(os.Args[0], "-test.run=^TestMemory100kChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), memChildEnv+"="+dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("measuring in a process of its own: %v\n%s", err, out)
		}
		_, after, ok := strings.Cut(string(out), "rss-MB=")
		if !ok {
			b.Fatalf("the measuring process said no figure:\n%s", out)
		}
		if rss, err = strconv.ParseFloat(strings.Fields(after)[0], 64); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(rss, "MB-RSS")
}

// memChildEnv names the store TestMemory100kChild opens.
const memChildEnv = "POS_UI_MEMORY_STORE"

// TestMemory100kChild is BenchmarkMemory100k's measuring process: it opens
// the terminal on the benchmark's store and says its resident memory.
func TestMemory100kChild(t *testing.T) {
	dir := os.Getenv(memChildEnv)
	if dir == "" {
		t.Skip("run by BenchmarkMemory100k in a process of its own")
	}
	runtime.GC()
	debug.FreeOSMemory()
	ui := openBigUI(t, dir)
	runtime.GC()
	fmt.Printf("rss-MB=%.1f\n", vmRSSMB(t))
	ui.db.Close()
}

func vmRSSMB(b testing.TB) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skip("no /proc/self/status on this system")
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			kb, _ := strconv.Atoi(strings.Fields(line)[1])
			return float64(kb) / 1024
		}
	}
	b.Skip("no VmRSS")
	return 0
}

func removeBigStore() {
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
}

// BenchmarkListRowsOnScreen reports how many order rows a landscape tablet
// (1280×800) shows at once on the New tab of a 100,000-order store, and in
// Select mode. Target: 10 or more.
func BenchmarkListRowsOnScreen(b *testing.B) {
	ui := openBigUI(b, bigStore(b))
	defer ui.db.Close()
	s := ui.m.online
	var rows, selecting int
	for b.Loop() {
		s.onTabSelected(1)
		rows = rowsOnScreen(s)
		s.onSelectMode()
		selecting = rowsOnScreen(s)
		s.onSelectMode()
	}
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(selecting), "rows-select-mode")
}

// BenchmarkSearchAllStatuses times a search of every status, as the search
// field runs it, over 100,000 orders: numbers, buyers, phones, SKUs and
// tracking IDs, whole and in part. Budget: p99 20 ms.
func BenchmarkSearchAllStatuses(b *testing.B) {
	ui := openBigUI(b, bigStore(b))
	defer ui.db.Close()
	s := ui.m.online
	var queries []string
	for i := 0; i < 240; i++ {
		k := (i * 7919) % benchOrders
		ch := []app.Channel{app.ChannelTokopedia, app.ChannelShopee, app.ChannelLazada, app.ChannelTikTok, app.ChannelWooCommerce}[k%5]
		number := strings.ToUpper(string(ch[:3])) + "-B" + strconv.Itoa(k)
		queries = append(queries, []string{
			number,                 // a scanned order number
			number[:len(number)-2], // typed in part
			benchBuyer(k),          // a buyer's name
			"0812" + strconv.Itoa(k),
			"SKU-" + strconv.Itoa(k%300),
			benchProduct(k % 300),
			"TRK" + strconv.Itoa(k-k%8+2), // a tracking ID (In Delivery orders have one)
			benchFirst[k%len(benchFirst)], // a first name alone
		}[i%8])
	}
	kinds := []string{"number", "number-part", "buyer", "phone", "sku", "product", "tracking", "first-name"}
	// One untimed pass first: a terminal searches a file it has had open
	// for hours, not one whose pages were never read.
	for _, q := range queries {
		if _, err := ui.m.svc.Find(app.Filter{Text: q, Online: true, Limit: pageSize}); err != nil {
			b.Fatal(err)
		}
	}
	var times, cpu []time.Duration
	byKind := make([][]time.Duration, len(kinds))
	// The search runs on this goroutine; pinned to its thread, the
	// thread's CPU time is the search's, whatever else the machine runs.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for b.Loop() {
		for i, q := range queries {
			start, cpu0 := time.Now(), threadCPU()
			s.filter.text = q
			f := s.appFilter()
			f.Limit = pageSize
			if _, err := ui.m.svc.Find(f); err != nil {
				b.Fatal(err)
			}
			d := time.Since(start)
			cpu = append(cpu, threadCPU()-cpu0)
			times = append(times, d)
			byKind[i%len(kinds)] = append(byKind[i%len(kinds)], d)
		}
	}
	if f := s.appFilter(); f.Statuses != nil {
		b.Fatalf("the search is limited to %v", f.Statuses)
	}
	pct := func(ds []time.Duration, q float64) float64 {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return float64(ds[int(q*float64(len(ds)-1))].Microseconds()) / 1000
	}
	for i, k := range kinds {
		b.ReportMetric(pct(byKind[i], 0.99), k+"-ms/p99")
	}
	b.ReportMetric(pct(times, 0.5), "ms/p50")
	b.ReportMetric(pct(times, 0.99), "ms/p99")
	b.ReportMetric(pct(cpu, 0.99), "cpu-ms/p99")
}

// threadCPU is the CPU time the calling thread has used.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rusageThread is Linux's RUSAGE_THREAD, which package syscall does not name.
const rusageThread = 1
