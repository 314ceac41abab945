package ui

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
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
				Buyer: app.Buyer{Name: fmt.Sprintf("Buyer %d", i%5000), Phone: "0812" + strconv.Itoa(i)},
				Lines: []app.Line{{SKU: "SKU-" + strconv.Itoa(i%300), Name: "Product " + strconv.Itoa(i%300), Qty: 1 + i%3, UnitPrice: 15000, Linked: true}},
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

type bigUI struct {
	db *store.DB
	m  *Main
}

// openBigUI opens the 100k store, builds the UI signed in as the owner and
// draws the first frame of the Online tab.
func openBigUI(b *testing.B, dir string) *bigUI {
	a := test.NewTempApp(b)
	db, err := store.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	svc := app.NewService(db, app.DefaultPolicy())
	svc.Now = func() time.Time { return clock }
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
		{"text", func() { s.filter = orderFilter{text: "Buyer 42"} }},
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
		runtime.GC()
		debug.FreeOSMemory()
		ui := openBigUI(b, dir)
		runtime.GC()
		rss = vmRSSMB(b)
		b.StopTimer()
		ui.db.Close()
		b.StartTimer()
	}
	b.ReportMetric(rss, "MB-RSS")
}

func vmRSSMB(b *testing.B) float64 {
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
