package backoffice_test

import (
	"bytes"
	"encoding/base64"
	"html"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/backoffice"
	"github.com/kasir/pos/cloud"
)

// policyOf reads the shop's stored settings.
func policyOf(t *testing.T, tc *testCloud) app.Policy {
	t.Helper()
	var pol app.Policy
	if err := tc.store.View(tc.shop.ID, func(tx cloud.ShopTx) error {
		p, err := tx.Policy()
		if p != nil {
			pol = *p
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return pol
}

func TestShopSettingsGoThroughTheRules(t *testing.T) {
	eachBackend(t, func(t *testing.T, tc *testCloud) {
		b := newBrowser(t, tc.url)
		b.signIn(tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner))
		settings := "/backoffice/shops/" + tc.shop.ID + "/settings"
		tok := b.csrf(settings)
		for _, bad := range []struct {
			hours, want string
		}{{"dua", "Acceptance window"}, {"200", "Acceptance window"}} {
			code, _, body := b.do("POST", settings+"/shop", url.Values{"csrf": {tok}, "address": {"Jl. Braga 5"}, "window_tokopedia": {bad.hours}})
			if code != http.StatusBadRequest || !strings.Contains(body, bad.want) || !strings.Contains(body, `value="`+bad.hours+`"`) {
				t.Fatalf("window %q: %d, want 400 naming %q and keeping what was typed: %s", bad.hours, code, bad.want, body)
			}
		}
		// In Indonesian the field is named in Indonesian.
		if code, _, body := b.do("POST", settings+"/shop?lang=id", url.Values{"csrf": {tok}, "window_tokopedia": {"dua"}}); code != http.StatusBadRequest || !strings.Contains(body, "Batas waktu terima") {
			t.Fatalf("an Indonesian refusal: %d %s", code, body)
		}
		head := tc.srv.HeadOf(tc.shop.ID)
		code, _, body := b.do("POST", settings+"/shop", url.Values{"csrf": {tok}, "address": {"Jl. Braga 5, Bandung"},
			"contact": {"WA 0812 3456 7890"}, "window_tokopedia": {"12"}, "window_shopee": {""}})
		if code != http.StatusSeeOther {
			t.Fatalf("save: %d %s", code, body)
		}
		pol := policyOf(t, tc)
		if pol.ShopAddress != "Jl. Braga 5, Bandung" || pol.Notices.Contact != "WA 0812 3456 7890" ||
			pol.AcceptWindow[app.ChannelTokopedia] != 12*time.Hour || len(pol.AcceptWindow) != 1 {
			t.Fatalf("stored settings: %+v", pol)
		}
		// The settings travel in the change log, as a policy set at a terminal does.
		items, _, _, err := tc.store.ChangesAfter(tc.shop.ID, head, 10)
		if err != nil || len(items) != 1 || !strings.Contains(string(items[0]), `"shop_address":"Jl. Braga 5, Bandung"`) {
			t.Fatalf("the change log after saving: %v %s", err, items)
		}
		if _, _, body := b.do("GET", settings, nil); !strings.Contains(body, `value="12"`) || !strings.Contains(body, "WA 0812 3456 7890") {
			t.Fatalf("the page does not show what was saved: %s", body)
		}
	})
}

func TestStaffAndPINsFromTheBackOffice(t *testing.T) {
	tc := startCloud(t)
	b := newBrowser(t, tc.url)
	b.signIn(tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner))
	settings := "/backoffice/shops/" + tc.shop.ID + "/settings"
	tok := b.csrf(settings)
	if code, _, body := b.do("POST", settings+"/staff", url.Values{"csrf": {tok}, "name": {"Dewi"}, "role": {"cashier"}, "pin": {"12"}}); code != http.StatusBadRequest || !strings.Contains(body, "PIN") {
		t.Fatalf("a short PIN: %d %s", code, body)
	}
	if code, _, _ := b.do("POST", settings+"/staff", url.Values{"csrf": {tok}, "name": {"Dewi"}, "role": {"boss"}, "pin": {"4321"}}); code != http.StatusBadRequest {
		t.Fatalf("an unknown role: %d", code)
	}
	for _, f := range []url.Values{{"name": {"Sari"}, "role": {"owner"}, "pin": {"1234"}}, {"name": {"Dewi"}, "role": {"cashier"}, "pin": {"4321"}}} {
		f.Set("csrf", tok)
		if code, _, body := b.do("POST", settings+"/staff", f); code != http.StatusSeeOther {
			t.Fatalf("add %s: %d %s", f.Get("name"), code, body)
		}
	}
	list, err := cloud.ShopStaff(tc.store, tc.shop.ID)
	if err != nil || len(list) != 2 || list[1].Name != "Dewi" || list[1].Role != app.RoleCashier {
		t.Fatalf("staff after adding: %+v %v", list, err)
	}
	if _, _, body := b.do("GET", settings, nil); !strings.Contains(body, "Dewi") {
		t.Fatal("the page does not list Dewi")
	}
	if code, _, body := b.do("POST", settings+"/staff/remove", url.Values{"csrf": {tok}, "name": {"Dewi"}}); code != http.StatusSeeOther {
		t.Fatalf("remove Dewi: %d %s", code, body)
	}
	if code, _, body := b.do("POST", settings+"/staff/remove", url.Values{"csrf": {tok}, "name": {"Sari"}}); code != http.StatusBadRequest || !strings.Contains(body, "at least one owner") {
		t.Fatalf("removing the last owner: %d %s", code, body)
	}
	if list, _ := cloud.ShopStaff(tc.store, tc.shop.ID); len(list) != 1 || list[0].Name != "Sari" {
		t.Fatalf("staff after removing: %+v", list)
	}
}

func TestPairingQRCodeCarriesTheCloudAndToken(t *testing.T) {
	tc := startCloud(t)
	b := newBrowser(t, tc.url)
	b.signIn(tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner))
	settings := "/backoffice/shops/" + tc.shop.ID + "/settings"
	code, _, body := b.do("POST", settings+"/terminals", url.Values{"csrf": {b.csrf(settings)}, "name": {"kasir 2"}})
	if code != 200 {
		t.Fatalf("pair: %d %s", code, body)
	}
	m := regexp.MustCompile(`src="data:image/png;base64,([^"]+)"`).FindStringSubmatch(body)
	tm := regexp.MustCompile(`<code id="token">([^<]+)</code>`).FindStringSubmatch(body)
	if m == nil || tm == nil {
		t.Fatalf("no QR code or token on the page: %s", body)
	}
	raw, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("a scanner cannot read the QR code: %v", err)
	}
	p, err := app.ParsePairing(res.GetText())
	if err != nil || p.CloudURL != tc.url || p.Token != tm[1] {
		t.Fatalf("the QR code says %q (%+v, %v), want cloud %s and token %s", res.GetText(), p, err, tc.url, tm[1])
	}
	list, _ := tc.store.Terminals(tc.shop.ID)
	if len(list) != 1 {
		t.Fatalf("terminals: %d", len(list))
	}
	if got, err := tc.store.TerminalByToken(cloud.HashToken(p.Token)); err != nil || got.ID != list[0].ID {
		t.Fatalf("the scanned token does not open terminal %s: %v", list[0].ID, err)
	}
}

func TestAccountsAreShownMaskedAndSetByForm(t *testing.T) {
	tc := startCloud(t)
	b := newBrowser(t, tc.url)
	b.signIn(tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner))
	settings := "/backoffice/shops/" + tc.shop.ID + "/settings"
	tok := b.csrf(settings)
	form := url.Values{"csrf": {tok}, "store_url": {"https://toko.example.id"}, "consumer_key": {"ck_1234567890abcdef"},
		"consumer_secret": {"cs_abcdef1234567890"}, "webhook_secret": {"whsec-very-secret-1"}}
	if code, _, body := b.do("POST", settings+"/accounts/woocommerce", url.Values{"csrf": {tok}, "store_url": {"not a url"}}); code != http.StatusBadRequest || !strings.Contains(body, "store_url") {
		t.Fatalf("a bad account: %d %s", code, body)
	}
	if code, _, body := b.do("POST", settings+"/accounts/woocommerce", form); code != http.StatusSeeOther {
		t.Fatalf("set: %d %s", code, body)
	}
	_, _, body := b.do("GET", settings, nil)
	if strings.Contains(body, "cs_abcdef1234567890") || strings.Contains(body, "whsec-very-secret-1") || !strings.Contains(body, "https://toko.example.id") {
		t.Fatalf("the page shows a secret, or not the store: %s", body)
	}
	// A new key for the same store keeps the store's stored secrets.
	if code, _, body := b.do("POST", settings+"/accounts/woocommerce", url.Values{"csrf": {tok}, "store_url": {"https://toko.example.id/"}, "consumer_key": {"ck_new0987654321"}}); code != http.StatusSeeOther {
		t.Fatalf("replace: %d %s", code, body)
	}
	fields, err := tc.srv.Accounts().Fields(tc.shop.ID, app.AccountWooCommerce)
	if err != nil || fields["consumer_key"] != "ck_new0987654321" || fields["consumer_secret"] != "cs_abcdef1234567890" {
		t.Fatalf("after replacing: %v %v", fields, err)
	}
	// Another store is another store: it never borrows the first one's keys.
	if code, _, body := b.do("POST", settings+"/accounts/woocommerce", url.Values{"csrf": {tok}, "store_url": {"https://baru.example.id"}}); code != http.StatusBadRequest || !strings.Contains(body, "consumer_key") {
		t.Fatalf("a second store without its keys: %d %s", code, body)
	}
	second := url.Values{"csrf": {tok}, "store_url": {"https://baru.example.id"}, "consumer_key": {"ck_baru1234567890"},
		"consumer_secret": {"cs_baru1234567890"}, "webhook_secret": {"whsec-baru-secret-1"}}
	if code, _, body := b.do("POST", settings+"/accounts/woocommerce", second); code != http.StatusSeeOther {
		t.Fatalf("a second store: %d %s", code, body)
	}
	if stores, err := tc.srv.Accounts().WooStores(tc.shop.ID); err != nil || len(stores) != 2 || stores[0].Fields["consumer_secret"] != "cs_abcdef1234567890" || stores[1].Fields["consumer_secret"] != "cs_baru1234567890" {
		t.Fatalf("stores after adding the second: %+v %v", stores, err)
	}
	if code, _, _ := b.do("POST", settings+"/accounts/nope", url.Values{"csrf": {tok}}); code != http.StatusBadRequest {
		t.Fatalf("an unknown kind: %d", code)
	}
}

func TestNoticeTemplatesPage(t *testing.T) {
	tc := startCloud(t)
	b := newBrowser(t, tc.url)
	b.signIn(tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner))
	page := "/backoffice/shops/" + tc.shop.ID + "/settings/notices"
	tok := b.csrf(page)
	code, _, body := b.do("POST", page+"/shipped", url.Values{"csrf": {tok}, "on": {"1"}, "subject_id": {"Dikirim {nope}"}, "body_id": {"x"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "nope") {
		t.Fatalf("an unknown placeholder: %d %s", code, body)
	}
	code, _, body = b.do("POST", page+"/shipped", url.Values{"csrf": {tok}, "subject_id": {"Pesanan {order} dikirim"}, "body_id": {"Halo {buyer}, resi {tracking_id}."}})
	if code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", code, body)
	}
	ns, err := tc.srv.Notices(tc.shop.ID)
	if err != nil || ns.On(app.NoticeShipped) || ns.Template(app.NoticeShipped, app.Indonesian).Subject != "Pesanan {order} dikirim" {
		t.Fatalf("after saving: on=%v %+v %v", ns.On(app.NoticeShipped), ns.Template(app.NoticeShipped, app.Indonesian), err)
	}
	if _, _, body := b.do("GET", page, nil); !strings.Contains(body, "Pesanan {order} dikirim") {
		t.Fatal("the page does not show the saved wording")
	}
}

func TestManagerReachesNoSetting(t *testing.T) {
	tc := startCloud(t)
	tc.addOwner(t, "owner@toko.test", tc.shop.ID, backoffice.RoleOwner)
	m := newBrowser(t, tc.url)
	m.signIn(tc.addOwner(t, "manager@toko.test", tc.shop.ID, backoffice.RoleManager))
	tok := m.csrf("/backoffice/shops/" + tc.shop.ID + "/orders")
	base := "/backoffice/shops/" + tc.shop.ID + "/settings"
	for _, r := range []struct{ method, path string }{
		{"GET", base}, {"POST", base + "/shop"}, {"POST", base + "/staff"}, {"POST", base + "/staff/remove"},
		{"POST", base + "/terminals"}, {"POST", base + "/accounts/woocommerce"}, {"POST", base + "/accounts/shopee/connect"},
		{"GET", base + "/notices"}, {"POST", base + "/notices/shipped"},
	} {
		var form url.Values
		if r.method == "POST" {
			form = url.Values{"csrf": {tok}, "name": {"Dewi"}, "role": {"owner"}, "pin": {"4321"}, "address": {"x"}, "store_url": {"https://x.id"}}
		}
		if code, _, _ := m.do(r.method, r.path, form); code != http.StatusForbidden {
			t.Errorf("manager %s %s: %d, want 403", r.method, r.path, code)
		}
	}
	if pol := policyOf(t, tc); pol.ShopAddress != "" {
		t.Fatal("a manager changed the shop's address")
	}
}
