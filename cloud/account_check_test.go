package cloud

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel/tokopedia/tokotest"
	"github.com/kasir/pos/channel/woocommerce/wootest"
)

// TestAccountSetTriesTheCredential: `account set` makes one call to the
// platform and refuses a wrong credential naming the field; nothing is
// stored until the platform accepts it.
func TestAccountSetTriesTheCredential(t *testing.T) {
	toko := tokotest.New("13000", "479573", "kasir-app", "sec_0123456789abcdef")
	defer toko.Close()
	woo := wootest.New("ck_0123456789abcdef", "cs_0123456789abcdef")
	defer woo.Close()
	cc := startChannelsCloud(t)
	shop, err := AddShop(cc.st, "Toko Ayu", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	wrongToko := fmt.Sprintf(`{"fs_id":"13000","shop_id":"479573","client_id":"kasir-app","client_secret":"sec_WRONG_456789abcdef","webhook_secret":"whk_0123456789abcdef","api_base":%q,"auth_base":%q}`, toko.URL, toko.URL)
	_, err = cc.srv.SetAccount(shop.ID, app.AccountTokopedia, []byte(wrongToko))
	if fe, ok := err.(*app.Error); !ok || fe.Field != "client_secret" || !strings.Contains(err.Error(), "client authentication failed") {
		t.Fatalf("wrong client_secret: %v", err)
	}
	wrongWoo := fmt.Sprintf(`{"store_url":%q,"consumer_key":"ck_WRONG_456789abcdef","consumer_secret":"cs_0123456789abcdef","webhook_secret":"whsec_0123456789"}`, woo.URL)
	_, err = cc.srv.SetAccount(shop.ID, app.AccountWooCommerce, []byte(wrongWoo))
	if fe, ok := err.(*app.Error); !ok || fe.Field != "consumer_key" || !strings.Contains(err.Error(), "you cannot list resources") {
		t.Fatalf("wrong consumer_key: %v", err)
	}
	if list, _ := cc.srv.accounts.List(shop.ID); len(list) != 0 {
		t.Fatalf("a refused credential was stored: %+v", list)
	}
	if _, err := cc.srv.SetAccount(shop.ID, app.AccountTokopedia, []byte(fmt.Sprintf(tokoCred, toko.URL, toko.URL))); err != nil {
		t.Fatalf("right Tokopedia keys: %v", err)
	}
	m, err := cc.srv.SetAccount(shop.ID, app.AccountWooCommerce, []byte(strings.Replace(wrongWoo, "ck_WRONG_456789abcdef", "ck_0123456789abcdef", 1)))
	if err != nil || m.Fields["consumer_key"] != "••••cdef" {
		t.Fatalf("right WooCommerce keys: %+v %v", m, err)
	}
	// A store that does not answer: refused, saying so.
	down := strings.Replace(wrongWoo, woo.URL, "http://127.0.0.1:1", 1)
	if _, err := cc.srv.SetAccount(shop.ID, app.AccountWooCommerce, []byte(down)); err == nil || !strings.Contains(err.Error(), "did not answer") {
		t.Fatalf("store down: %v", err)
	}
}
