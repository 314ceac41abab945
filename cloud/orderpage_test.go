package cloud

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kasir/pos/app"
)

// pagedOrder places a web-store order, accepts and ships it, and waits for
// the notices follower to have issued its page token.
func pagedOrder(t testing.TB, nc *noticeCloud, shop, email string) *app.Order {
	t.Helper()
	o := placeStoreOrder(t, nc.srv, shop, email)
	step(t, nc.srv, shop, app.Command{Action: app.ActionAccept, OrderID: o.ID})
	step(t, nc.srv, shop, app.Command{Action: app.ActionShip, OrderID: o.ID, Args: app.Args{Courier: "SiCepat REG", TrackingID: "SCP00099887766"}})
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		got, err := nc.st.OrderByRef(shop, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.PageToken != "" {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no page token was issued")
	return nil
}

func get(t testing.TB, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestOrderPageShowsOnlyItsOrder: the page shows the order its token names
// and nothing the buyer did not give; a wrong, altered, borrowed or revoked
// token is 404.
func TestOrderPageShowsOnlyItsOrder(t *testing.T) {
	mb := newMailbox(t)
	nc := startNoticeCloud(t, t.TempDir())
	shop := noticeShop(t, nc, mb)
	a := pagedOrder(t, nc, shop.ID, "rina@example.id")
	b := pagedOrder(t, nc, shop.ID, "budi@example.id")
	hs := httptest.NewServer(nc.srv.Handler())
	defer hs.Close()

	code, body := get(t, hs.URL+"/o/"+a.PageToken)
	if code != http.StatusOK {
		t.Fatalf("page: %d %s", code, body)
	}
	for _, want := range []string{"Toko Rina", "WA 0812-1111-2222", a.Number, "Kaos Polos", "Rp 100.000", "SCP00099887766",
		"https://www.sicepat.com/checkAwb?awb=SCP00099887766", "Dalam pengiriman", "Sedang dikemas", "Pesanan dibuat"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, never := range []string{b.Number, "rina@example.id", "081234567890", "Ayu", "notices", "unlinked", "<script", "http://", "src="} {
		if strings.Contains(body, never) {
			t.Errorf("the page shows %q", never)
		}
	}
	if _, en := get(t, hs.URL+"/o/"+a.PageToken+"?lang=en"); !strings.Contains(en, "On its way") || !strings.Contains(en, "Track the parcel") {
		t.Errorf("English page:\n%s", en)
	}

	bShop, bOrder, _ := PageTokenParts(b.PageToken)
	aSecret := a.PageToken[strings.LastIndexByte(a.PageToken, '.')+1:]
	borrowed := NewPageToken(bShop, bOrder)
	borrowed = borrowed[:strings.LastIndexByte(borrowed, '.')+1] + aSecret
	last := "A"
	if strings.HasSuffix(a.PageToken, "A") {
		last = "B"
	}
	altered := a.PageToken[:len(a.PageToken)-1] + last
	for name, tok := range map[string]string{"random": NewPageToken(shop.ID, "nope"), "altered": altered, "borrowed secret": borrowed,
		"garbage": "not-a-token", "empty parts": "..", "other shop": NewPageToken("shop_x", a.ID)} {
		if code, _ := get(t, hs.URL+"/o/"+tok); code != http.StatusNotFound {
			t.Errorf("%s token: %d, want 404", name, code)
		}
	}

	renewed, err := nc.srv.IssuePage(shop.ID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := get(t, hs.URL+"/o/"+a.PageToken); code != http.StatusNotFound {
		t.Errorf("a revoked link still opens: %d", code)
	}
	if code, _ := get(t, hs.URL+"/o/"+renewed.PageToken); code != http.StatusOK {
		t.Errorf("the new link: %d", code)
	}
}

// chromium finds Debian's browser; the Makefile installs it.
func chromium(t testing.TB) string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium is not installed (make deps installs it)")
	return ""
}

// TestOrderPageInChromium opens the page in headless Chromium at a phone's
// 390 px: the timeline and tracking show, the page does not scroll
// sideways, and a wrong token is 404. POS_ORDER_PAGE_PNG names a file to
// keep a screenshot in (docs/order-page.png).
func TestOrderPageInChromium(t *testing.T) {
	exe := chromium(t)
	mb := newMailbox(t)
	nc := startNoticeCloud(t, t.TempDir())
	shop := noticeShop(t, nc, mb)
	o := pagedOrder(t, nc, shop.ID, "rina@example.id")
	hs := httptest.NewServer(nc.srv.Handler())
	defer hs.Close()

	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir())}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		chromedp.Navigate(hs.URL+"/o/"+o.PageToken),
		chromedp.WaitVisible(chromedp.CSS("#timeline")),
	))
	timeline, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#timeline")))
	must(err)
	tracking, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#tracking-id")))
	must(err)
	link, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("#tracking-link"), "href"))
	must(err)
	scrollW, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	must(err)
	clientW, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.clientWidth`))
	must(err)
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	must(err)
	for _, want := range []string{"Pesanan dibuat", "Sedang dikemas", "Dalam pengiriman"} {
		if !strings.Contains(timeline, want) {
			t.Errorf("the timeline lacks %q: %q", want, timeline)
		}
	}
	if strings.TrimSpace(tracking) != "SCP00099887766" || link.Value != "https://www.sicepat.com/checkAwb?awb=SCP00099887766" {
		t.Errorf("tracking %q, link %q", tracking, link.Value)
	}
	if clientW != 390 || scrollW > clientW {
		t.Errorf("at 390 px the page is %d px wide in a %d px window: it scrolls sideways", scrollW, clientW)
	}
	if out := os.Getenv("POS_ORDER_PAGE_PNG"); out != "" {
		if err := os.WriteFile(out, shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	must(chromedp.Do(ctx, chromedp.Navigate(hs.URL+"/o/"+NewPageToken(shop.ID, o.ID))))
	body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	must(err)
	if !strings.Contains(body, "404") || strings.Contains(body, o.Number) {
		t.Errorf("a wrong token shows %q", body)
	}
}
