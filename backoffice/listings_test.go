package backoffice_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/backoffice"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/cloud"
)

// testCatalogue stands in for a platform adapter's channel.Catalogue: it
// answers only with the shop's own account keys, as a platform would.
type testCatalogue struct {
	key      string
	listings []channel.RemoteListing
	reads    atomic.Int32
}

func (c *testCatalogue) Verify(map[string]string, *http.Request, []byte) bool { return false }
func (c *testCatalogue) Parse(*http.Request, []byte) (*channel.Inbound, error) {
	return nil, errors.New("the test catalogue takes no webhooks")
}

func (c *testCatalogue) Listings(_ context.Context, fields map[string]string) ([]channel.RemoteListing, error) {
	c.reads.Add(1)
	if fields["consumer_key"] != c.key {
		return nil, errors.New("401: consumer_key is not the shop's")
	}
	return c.listings, nil
}

func TestNotInPOSListingsLinkAndImport(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			cat := &testCatalogue{key: "ck_1234567890abcdef", listings: []channel.RemoteListing{
				{ID: "L1", SKU: "KAOS-1", Name: "Kaos Polos", Price: 75000, Qty: 3},
				{ID: "L2", SKU: "", Name: "Kaos Polos XL", Price: 85000, Qty: 2, URL: "https://toko.example.id/p/kaos-xl"},
				{ID: "L3", SKU: "TOPI-9", Name: "Topi Rajut", Price: 40000, Qty: 7},
			}}
			tc := startCloudWith(t, backend, func(o *cloud.Options) {
				o.Hooks = cloud.DefaultHooks()
				o.Hooks[string(app.ChannelWooCommerce)] = cat
			})
			if err := tc.srv.ImportProducts(tc.shop.ID, []*app.Product{{SKU: "KAOS-1", Name: "Kaos", Currency: app.IDR, Price: 75000, OnHand: 12}}); err != nil {
				t.Fatal(err)
			}
			b := newBrowser(t, tc.url)
			b.signIn(tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleManager))
			page := "/backoffice/shops/" + tc.shop.ID + "/listings"
			tok := b.csrf(page)
			// Without the shop's account there is nothing to read with.
			if code, _, body := b.do("POST", page+"/read", url.Values{"csrf": {tok}, "channel": {"woocommerce"}}); code != http.StatusBadRequest || !strings.Contains(body, "account") {
				t.Fatalf("read without an account: %d %s", code, body)
			}
			if _, err := tc.srv.Accounts().Set(tc.shop.ID, app.AccountWooCommerce, []byte(`{"store_url":"https://toko.example.id","consumer_key":"ck_1234567890abcdef","consumer_secret":"cs_abcdef1234567890","webhook_secret":"whsec-very-secret-1"}`), time.Now()); err != nil {
				t.Fatal(err)
			}
			if code, _, body := b.do("POST", page+"/read", url.Values{"csrf": {tok}, "channel": {"woocommerce"}}); code != http.StatusSeeOther {
				t.Fatalf("read: %d %s", code, body)
			}
			_, _, body := b.do("GET", page, nil)
			if strings.Contains(body, ">Kaos Polos<") || !strings.Contains(body, "Kaos Polos XL") || !strings.Contains(body, "Topi Rajut") {
				t.Fatalf("Not in POS should list L2 and L3 only: %s", body)
			}
			// How the latest read went stays on the page (the cloud's hourly reads too).
			if !strings.Contains(body, `id="listings-read-woocommerce"`) || !strings.Contains(body, "WooCommerce listings read at") {
				t.Fatalf("the latest read is not shown: %s", body)
			}
			// Link L2 to the product the shop has; a SKU it lacks is named.
			if code, _, body := b.do("POST", page+"/woocommerce/L2/link", url.Values{"csrf": {tok}, "sku": {"NOPE"}}); code != http.StatusBadRequest || !strings.Contains(body, "NOPE is not in the catalogue") {
				t.Fatalf("link to an unknown SKU: %d %s", code, body)
			}
			if code, _, body := b.do("POST", page+"/woocommerce/L2/link", url.Values{"csrf": {tok}, "sku": {"KAOS-1"}}); code != http.StatusSeeOther {
				t.Fatalf("link: %d %s", code, body)
			}
			// Import L3 as a product: it reaches the catalogue (and the log) with the platform's name, price and stock.
			if code, _, body := b.do("POST", page+"/woocommerce/L3/import", url.Values{"csrf": {tok}, "sku": {"KAOS-1"}}); code != http.StatusBadRequest || !strings.Contains(body, "already in the catalogue") {
				t.Fatalf("import over an existing product: %d %s", code, body)
			}
			head := tc.srv.HeadOf(tc.shop.ID)
			if code, _, body := b.do("POST", page+"/woocommerce/L3/import", url.Values{"csrf": {tok}, "sku": {"TOPI-9"}}); code != http.StatusSeeOther {
				t.Fatalf("import: %d %s", code, body)
			}
			var p *app.Product
			_ = tc.store.View(tc.shop.ID, func(tx cloud.ShopTx) error {
				p, _ = tx.Product("TOPI-9")
				return nil
			})
			if p == nil || p.Name != "Topi Rajut" || p.Price != 40000 || p.OnHand != 7 || tc.srv.HeadOf(tc.shop.ID) != head+1 {
				t.Fatalf("imported product %+v, log %d → %d", p, head, tc.srv.HeadOf(tc.shop.ID))
			}
			if _, _, body := b.do("GET", page, nil); !strings.Contains(body, "Every listing read is in the catalogue.") {
				t.Fatalf("after linking and importing: %s", body)
			}
			// A second read keeps the owner's link.
			if code, _, _ := b.do("POST", page+"/read", url.Values{"csrf": {tok}, "channel": {"woocommerce"}}); code != http.StatusSeeOther {
				t.Fatal("second read")
			}
			ls, _ := tc.srv.ShopListings(tc.shop.ID)
			if len(ls) != 3 || cat.reads.Load() != 2 {
				t.Fatalf("%d listings after %d reads", len(ls), cat.reads.Load())
			}
			for _, l := range ls {
				if l.ID == "L2" && l.LinkedSKU != "KAOS-1" {
					t.Fatalf("the link was lost on reading again: %+v", l)
				}
			}
			if backend == "bolt" && os.Getenv("BACKOFFICE_SHOTS") != "" {
				// The page as the owner sees it, with the two listings not yet in the catalogue.
				cat.listings = append(cat.listings, channel.RemoteListing{ID: "L4", Name: "Tas Anyaman Rotan", Price: 125000, Qty: 4, URL: "https://toko.example.id/p/tas"},
					channel.RemoteListing{ID: "L5", SKU: "SEPATU-38", Name: "Sepatu Kanvas 38", Price: 189000, Qty: 1})
				if code, _, _ := b.do("POST", page+"/read", url.Values{"csrf": {tok}, "channel": {"woocommerce"}}); code != http.StatusSeeOther {
					t.Fatal("read for the picture")
				}
				ctx := newChrome(t)
				if err := chromedp.Do(ctx,
					chromedp.EmulateViewport(1280, 800),
					chromedp.Navigate(tc.url+"/backoffice/signin?lang=en&next="+url.QueryEscape(page)),
					chromedp.WaitVisible(chromedp.CSS("#email")),
					chromedp.SendKeys(chromedp.CSS("#email"), "owner@toko.test"),
					chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
					chromedp.Click(chromedp.CSS("#signin")),
					chromedp.WaitVisible(chromedp.CSS("#listings")),
					chromedp.Click(chromedp.CSS("#listings details summary")),
				); err != nil {
					t.Fatal(err)
				}
				shot(t, ctx, "backoffice-listings.png")
			}
			if code, _, _ := b.do("POST", page+"/woocommerce/NOPE/link", url.Values{"csrf": {tok}, "sku": {"KAOS-1"}}); code != http.StatusNotFound {
				t.Fatalf("an unknown listing: %d", code)
			}
			// The linked listings are listed with the product they sell; one unlinked is Not in POS again.
			if _, _, body := b.do("GET", page, nil); !strings.Contains(body, `id="linked"`) || !strings.Contains(body, "/listings/woocommerce/L2/unlink") {
				t.Fatalf("the linked listings are not shown: %s", body)
			}
			if code, _, body := b.do("POST", page+"/woocommerce/L2/unlink", url.Values{"csrf": {tok}}); code != http.StatusSeeOther {
				t.Fatalf("unlink: %d %s", code, body)
			}
			if _, _, body := b.do("GET", page, nil); strings.Contains(body, "/listings/woocommerce/L2/unlink") || !strings.Contains(body, "/listings/woocommerce/L2/link") {
				t.Fatalf("after unlinking L2: %s", body)
			}
			if code, _, _ := b.do("POST", page+"/woocommerce/NOPE/unlink", url.Values{"csrf": {tok}}); code != http.StatusNotFound {
				t.Fatalf("unlink an unknown listing: %d", code)
			}
		})
	}
}

// TestSecondStoreListingsAndRemoval: a shop with two WooCommerce stores
// sees each listing with the store it came from, links a second store's
// listing through its escaped id, and removes a store in Settings.
func TestSecondStoreListingsAndRemoval(t *testing.T) {
	cat := &testCatalogue{key: "ck_1234567890abcdef", listings: []channel.RemoteListing{{ID: "L7", SKU: "", Name: "Kaos Lurik", Price: 65000, Qty: 2}}}
	tc := startCloudWith(t, "bolt", func(o *cloud.Options) {
		o.Hooks = cloud.DefaultHooks()
		o.Hooks[string(app.ChannelWooCommerce)] = cat
	})
	if err := tc.srv.ImportProducts(tc.shop.ID, []*app.Product{{SKU: "KAOS-1", Name: "Kaos", Currency: app.IDR, Price: 75000, OnHand: 12}}); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"https://toko.example.id", "https://toko2.example.id/shop"} {
		if _, err := tc.srv.Accounts().Set(tc.shop.ID, app.AccountWooCommerce, []byte(`{"store_url":"`+u+`","consumer_key":"ck_1234567890abcdef","consumer_secret":"cs_abcdef1234567890","webhook_secret":"whsec-very-secret-1"}`), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, tc.url)
	b.signIn(tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner))
	page := "/backoffice/shops/" + tc.shop.ID + "/listings"
	tok := b.csrf(page)
	if code, _, body := b.do("POST", page+"/read", url.Values{"csrf": {tok}, "channel": {"woocommerce"}}); code != http.StatusSeeOther {
		t.Fatalf("read: %d %s", code, body)
	}
	_, _, body := b.do("GET", page, nil)
	if !strings.Contains(body, "toko.example.id</span>") || !strings.Contains(body, "toko2.example.id/shop</span>") || !strings.Contains(body, "toko2.example.id%2Fshop%2FL7/link") {
		t.Fatalf("each store's listing should say its store: %s", body)
	}
	if code, _, body := b.do("POST", page+"/woocommerce/toko2.example.id%2Fshop%2FL7/link", url.Values{"csrf": {tok}, "sku": {"KAOS-1"}}); code != http.StatusSeeOther {
		t.Fatalf("link a second store's listing: %d %s", code, body)
	}
	if ls, _ := tc.srv.ShopListings(tc.shop.ID); len(ls) != 2 || !(ls[0].LinkedSKU == "KAOS-1" && ls[0].Store == "toko2.example.id/shop" || ls[1].LinkedSKU == "KAOS-1" && ls[1].Store == "toko2.example.id/shop") {
		t.Fatalf("listings %+v", ls)
	}
	settings := "/backoffice/shops/" + tc.shop.ID + "/settings"
	_, _, body = b.do("GET", settings, nil)
	if strings.Count(body, ">Remove store<") != 2 {
		t.Fatalf("settings should offer Remove store for each store: %s", body)
	}
	if code, _, body := b.do("POST", settings+"/accounts/woocommerce/remove", url.Values{"csrf": {b.csrf(settings)}, "store_url": {"https://toko2.example.id/shop"}}); code != http.StatusSeeOther {
		t.Fatalf("remove: %d %s", code, body)
	}
	stores, err := tc.srv.Accounts().WooStores(tc.shop.ID)
	if err != nil || len(stores) != 1 || stores[0].Key != "toko.example.id" {
		t.Fatalf("stores left %+v %v", stores, err)
	}
	if code, _, body := b.do("POST", settings+"/accounts/woocommerce/remove", url.Values{"csrf": {b.csrf(settings)}, "store_url": {"https://toko2.example.id/shop"}}); code != http.StatusBadRequest || !strings.Contains(body, "no WooCommerce store of the shop: toko2.example.id/shop") {
		t.Fatalf("remove twice: %d %s", code, body)
	}
}
