package backoffice_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/backoffice"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/store"
	"github.com/kasir/pos/sync/client"
)

// chromium is Debian's browser (make deps installs it). Without it the
// browser tests skip on a developer's machine and fail under CI.
func chromium(t testing.TB) string {
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; CI needs it for the back office's browser tests (make deps)")
	}
	t.Skip("chromium is not installed (make deps installs it): the back office's browser tests are skipped")
	return ""
}

// newChrome starts headless Chromium with no network of its own beyond loopback pages.
func newChrome(t testing.TB) context.Context {
	exe := chromium(t)
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir())}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// terminal is a headless register: its own store and a real sync client.
type terminal struct {
	db *store.DB
}

func startTerminal(t testing.TB, tc *testCloud) *terminal {
	t.Helper()
	term, tok, err := cloud.AddTerminal(tc.store, tc.shop.ID, "tablet", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc := store.NewService(db, app.DefaultPolicy())
	sc := client.NewClient(db, svc, client.Config{BaseURL: tc.url, Token: tok, Terminal: term.ID, Logger: quietLog()})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = sc.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; db.Close() })
	return &terminal{db: db}
}

// shot keeps a screenshot in $BACKOFFICE_SHOTS (the docs' pictures) when set.
func shot(t testing.TB, ctx context.Context, name string) {
	dir := os.Getenv("BACKOFFICE_SHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOwnerDayInChromium is the owner's day in a real browser: sign in, find
// an order by number, accept it, mark it shipped with a tracking ID and see
// the register's store receive it, watch the list update live, import
// products, read a report whose totals are the orders' sum, and sign out.
func TestOwnerDayInChromium(t *testing.T) {
	ctx := newChrome(t)
	tc := startCloud(t)
	email := tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner)
	reg := startTerminal(t, tc)
	id := postWoo(t, tc.url, tc.shop, 7001, 150000)
	for i := range 4 {
		postWoo(t, tc.url, tc.shop, 7100+i, 50000*(i+1))
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		must(err)
		return s
	}
	base := tc.url + "/backoffice"
	must(chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/signin?lang=en"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("#signin")),
		chromedp.WaitVisible(chromedp.CSS("#orders")),
	))
	shot(t, ctx, "backoffice-orders.png")

	// Find the order by its number and open it.
	must(chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#search"), "7001"),
		chromedp.Click(chromedp.CSS("#find")),
		// The results page, not the one the search was typed on: its field holds the search as markup.
		chromedp.WaitVisible(chromedp.CSS(`#search[value="7001"]`)),
		chromedp.WaitVisible(chromedp.CSS("a.order-link")),
	))
	if rows := text("#orders tbody"); !strings.Contains(rows, "WC-7001") || strings.Contains(rows, "WC-7100") {
		t.Fatalf("search for 7001 lists: %s", rows)
	}
	must(chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("a.order-link")),
		chromedp.WaitVisible(chromedp.CSS("#order-number")),
		chromedp.Click(chromedp.CSS("#do-accept")),
		chromedp.WaitVisible(chromedp.CSS("#do-ship")),
		chromedp.SendKeys(chromedp.CSS("#ship-courier"), "JNE"),
		chromedp.SendKeys(chromedp.CSS("#ship-tracking"), "JNE7001X"),
		chromedp.Click(chromedp.CSS("#do-ship")),
		chromedp.WaitVisible(chromedp.CSS("#tracking")),
	))
	if got := text("#tracking"); got != "JNE7001X" {
		t.Fatalf("the order page shows tracking %q", got)
	}
	// The register's own store receives the change through sync.
	waitFor(t, 15*time.Second, "the terminal to receive the shipment", func() bool {
		o, err := reg.db.OrderWithHistory(id)
		return err == nil && o.Status == app.StatusInDelivery && o.Shipment.TrackingID == "JNE7001X"
	})

	// Live: a webhook's order appears on the open list without a reload.
	must(chromedp.Do(ctx,
		chromedp.Navigate(base+"/shops/"+tc.shop.ID+"/orders?tab=new"),
		chromedp.WaitVisible(chromedp.CSS("#orders")),
		chromedp.Sleep(300*time.Millisecond),
	))
	postWoo(t, tc.url, tc.shop, 7200, 80000)
	must(chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`a.order-link[href$="woocommerce:7200"]`))))

	// Import products in the `pos products import` format.
	csv := filepath.Join(t.TempDir(), "products.csv")
	must(os.WriteFile(csv, []byte("sku,name,price,cost,on_hand,reorder_level\nKAOS-1,Kaos Polos,75000,40000,12,3\nTOPI-1,Topi,50000,20000,5,1\n"), 0o644))
	must(chromedp.Do(ctx,
		chromedp.Navigate(base+"/shops/"+tc.shop.ID+"/products"),
		chromedp.WaitVisible(chromedp.CSS("#import-file")),
		chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{csv}),
		chromedp.Click(chromedp.CSS("#import-go")),
		chromedp.WaitVisible(chromedp.CSS("#imported")),
	))
	if got := text("#products tbody"); !strings.Contains(got, "Kaos Polos") || !strings.Contains(got, "Topi") {
		t.Fatalf("after import the catalogue shows: %s", got)
	}

	// Goods arrive: adjust the stock with a reason on the product's page; the
	// history says who and why, and the register's store gets the new count.
	must(chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a.product-link[href$="/products/KAOS-1"]`)),
		chromedp.WaitVisible(chromedp.CSS("#adjust")),
		chromedp.SetValue(chromedp.CSS("#adjust-reason"), "received"),
		chromedp.SendKeys(chromedp.CSS("#adjust-qty"), "8"),
		chromedp.SendKeys(chromedp.CSS("#adjust-note"), "supplier delivery"),
		chromedp.Click(chromedp.CSS("#adjust-go")),
		chromedp.WaitVisible(chromedp.CSS("#adjusted")),
	))
	if got := text("#on-hand"); got != "20" {
		t.Fatalf("on hand after receiving 8 of 12: %q", got)
	}
	if got := text("#stock-history tbody"); !strings.Contains(got, "received goods") || !strings.Contains(got, email) || !strings.Contains(got, "supplier delivery") {
		t.Fatalf("the stock history shows: %s", got)
	}
	shot(t, ctx, "backoffice-product.png")
	waitFor(t, 15*time.Second, "the terminal to receive the new stock", func() bool {
		ps, err := reg.db.Products()
		if err != nil {
			return false
		}
		for _, p := range ps {
			if p.SKU == "KAOS-1" && p.OnHand == 20 {
				return true
			}
		}
		return false
	})

	// Complete some orders as the register would, then read the report.
	var want app.Money
	completed := 0
	for _, n := range []int{7100, 7101, 7102} {
		oid := app.ChannelOrderID(app.ChannelWooCommerce, fmt.Sprint(n))
		for _, cmd := range []app.Command{{Action: app.ActionAccept}, {Action: app.ActionShip, Args: app.Args{Courier: "JNE", TrackingID: fmt.Sprintf("JNE%d", n)}},
			{Action: app.ActionDeliver}, {Action: app.ActionComplete}} {
			cmd.OrderID = oid
			if _, err := tc.srv.Execute(tc.shop.ID, cmd, app.Actor{Staff: "Sari", Role: app.RoleOwner}, time.Now()); err != nil {
				t.Fatalf("%s %s: %v", cmd.Action, oid, err)
			}
		}
		o, err := tc.store.OrderByRef(tc.shop.ID, oid)
		must(err)
		for _, l := range o.Lines {
			want += l.UnitPrice * app.Money(l.Qty)
		}
		completed++
	}
	today := time.Now().In(tc.shop.Policy().Zone()).Format("2006-01-02")
	must(chromedp.Do(ctx,
		chromedp.Navigate(base+"/shops/"+tc.shop.ID+"/report?period=range&from="+today+"&to="+today),
		chromedp.WaitVisible(chromedp.CSS("#report")),
	))
	if got, exp := text("#total-sales"), tc.shop.Policy().Currency.Format(want); got != exp {
		t.Fatalf("report total sales %q, the orders add up to %q", got, exp)
	}
	if got := text("#total-orders"); got != fmt.Sprint(completed) {
		t.Fatalf("report counts %s orders, %d were completed", got, completed)
	}
	shot(t, ctx, "backoffice-report.png")

	// At a phone's 390 px neither the orders nor the report scroll sideways.
	for _, page := range []string{"/orders?tab=completed", "/report?period=month", "/orders/" + id, "/products/KAOS-1", "/settings", "/listings", "/settings/notices"} {
		must(chromedp.Do(ctx,
			chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
			chromedp.Navigate(base+"/shops/"+tc.shop.ID+page),
			chromedp.WaitVisible(chromedp.CSS("main")),
		))
		scrollW, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		must(err)
		clientW, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.clientWidth`))
		must(err)
		if scrollW > clientW {
			t.Errorf("%s at 390 px is %d px wide", page, scrollW)
		}
		if page == "/orders/"+id {
			shot(t, ctx, "backoffice-order-phone.png")
		}
		if page == "/settings" {
			shot(t, ctx, "backoffice-settings-phone.png")
		}
	}
	must(chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))

	// Settings: the shop's address and a channel's acceptance window reach
	// the register; a new terminal is paired with a QR code.
	must(chromedp.Do(ctx,
		chromedp.Navigate(base+"/shops/"+tc.shop.ID+"/settings"),
		chromedp.WaitVisible(chromedp.CSS("#shop-form")),
		chromedp.SendKeys(chromedp.CSS("#shop-address"), "Jl. Braga 5, Bandung"),
		chromedp.SendKeys(chromedp.CSS("#window-tokopedia"), "12"),
		chromedp.Click(chromedp.CSS("#shop-save")),
		chromedp.WaitVisible(chromedp.CSS(`#window-tokopedia[value="12"]`)),
		chromedp.SendKeys(chromedp.CSS("#terminal-name"), "kasir depan"),
		chromedp.Click(chromedp.CSS("#pair")),
		chromedp.WaitVisible(chromedp.CSS("#pair-qr")),
	))
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelector("#pair-qr").naturalWidth`)); err != nil || w < 100 {
		t.Fatalf("the pairing QR code did not load as an image: %d %v", w, err)
	}
	shot(t, ctx, "backoffice-settings.png")
	waitFor(t, 15*time.Second, "the terminal to receive the shop's settings", func() bool {
		var pol app.Policy
		ok, err := reg.db.GetSetting(store.SettingPolicy, &pol)
		return err == nil && ok && pol.ShopAddress == "Jl. Braga 5, Bandung" && pol.AcceptWindow[app.ChannelTokopedia] == 12*time.Hour
	})

	must(chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#signout")),
		chromedp.WaitVisible(chromedp.CSS("#signin")),
		chromedp.Navigate(base+"/shops/"+tc.shop.ID+"/orders"),
		chromedp.WaitVisible(chromedp.CSS("#signin")),
	))
}
