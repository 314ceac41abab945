package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel/tokopedia/tokotest"
	"github.com/kasir/pos/courier/shipper/shippertest"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

func needBillTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftoppm", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			missingTool(t, "poppler-utils is not installed; make deps installs it")
		}
	}
	if _, err := exec.LookPath("chromium"); err != nil {
		missingTool(t, "chromium is not installed; make deps installs it")
	}
}

// askBill is a terminal's GET of the bill route: the status and the raw answer.
func askBill(t *testing.T, base, token, id string, dots int) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/v1/orders/%s/bill?dots=%d", base, id, dots), nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return resp.StatusCode, b.Bytes()
}

// checkBill reads a 200 answer and checks every page is a PNG dots wide.
func checkBill(t *testing.T, code int, body []byte, order, source string, dots int) *wire.Bill {
	t.Helper()
	var b wire.Bill
	if code != http.StatusOK || json.Unmarshal(body, &b) != nil {
		t.Fatalf("bill: %d %.300s", code, body)
	}
	if b.Order != order || b.Source != source || b.Dots != dots || len(b.Pages) == 0 {
		t.Fatalf("bill %s from %s at %d dots with %d pages", b.Order, b.Source, b.Dots, len(b.Pages))
	}
	for i, p := range b.Pages {
		img, err := png.Decode(bytes.NewReader(p))
		if err != nil || img.Bounds().Dx() != dots {
			t.Fatalf("page %d: %v, %v", i+1, img.Bounds(), err)
		}
	}
	return &b
}

func apiMessage(body []byte) (string, string) {
	var e apiError
	_ = json.Unmarshal(body, &e)
	return e.Code, e.Message
}

// terminal adds a tablet to sc's shop and returns its token.
func (sc *shopeeCloud) terminal(t *testing.T) string {
	t.Helper()
	_, tok, err := AddTerminal(sc.st, sc.shop.ID, "tablet", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// detailedOrder is Shopee's order shopeeSN once its status push brought the
// order and its details into the cloud.
func (sc *shopeeCloud) detailedOrder(t *testing.T) *app.Order {
	t.Helper()
	sc.push(t, sc.fake.StatusPush(shopeeSN))
	var o *app.Order
	eventually(t, "the details", func() bool {
		o = sc.order(t, sc.shop.ID)
		return !o.DetailsPending
	})
	return o
}

// arrangeTracked arranges the order's pickup, waits for Shopee to ship it
// and for its tracking number to reach the cloud, and returns the order.
func (sc *shopeeCloud) arrangeTracked(t *testing.T, id string) *app.Order {
	t.Helper()
	sc.do(t, sc.shop.ID, id, app.ActionArrangePickup, app.Args{PickupFrom: time.Now().Add(28 * time.Hour), PickupAddress: "Toko Ayu, Jl. Braga 5"})
	eventually(t, "ship_order", func() bool { return sc.fake.Status(shopeeSN) == "PROCESSED" })
	sc.push(t, sc.fake.TrackingPush(shopeeSN))
	var o *app.Order
	eventually(t, "the tracking ID", func() bool {
		o = sc.order(t, sc.shop.ID)
		return o.Shipment.TrackingID != ""
	})
	return o
}

// TestShopeeBillForATerminal: once Shopee gives the tracking number, a
// terminal's token gets Shopee's PDF airway bill drawn at its printer's
// width; a reprint and another width are served without asking Shopee
// again, a wrong token is 401, and
// before the tracking number the answer is 409 in words.
func TestShopeeBillForATerminal(t *testing.T) {
	needBillTools(t)
	sc := startShopeeCloud(t)
	tok := sc.terminal(t)
	o := sc.detailedOrder(t)
	code, body := askBill(t, sc.url, tok, o.ID, 576)
	if c, msg := apiMessage(body); code != http.StatusConflict || c != app.EConflict || msg != "Shopee's airway bill is not ready: the order has no tracking number yet" {
		t.Fatalf("before the tracking number: %d %s", code, body)
	}
	sc.arrangeTracked(t, o.ID)

	if code, _ := askBill(t, sc.url, "not-a-token", o.ID, 576); code != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d", code)
	}
	if code, body := askBill(t, sc.url, tok, o.ID, 5); code != http.StatusBadRequest {
		t.Fatalf("5 dots: %d %s", code, body)
	}
	code, body = askBill(t, sc.url, tok, o.ID, 576)
	b := checkBill(t, code, body, o.ID, "shopee", 576)
	if d := os.Getenv("BILL_DUMP"); d != "" {
		_ = os.WriteFile(d+"/shopee.png", b.Pages[0], 0o644)
	}
	if b.Media != "application/pdf" {
		t.Errorf("media %q", b.Media)
	}
	downloads := sc.fake.Calls("POST /api/v2/logistics/download_shipping_document")
	if downloads != 1 {
		t.Errorf("Shopee was asked %d times for the document", downloads)
	}
	// The same bill again (a reprint, a preview) does not reach Shopee; another width is drawn anew.
	again, err := client.AskBill(context.Background(), sc.url, tok, o.Number, 576)
	if err != nil || !bytes.Equal(again.Pages[0], b.Pages[0]) {
		t.Fatalf("reprint: %v", err)
	}
	if sc.fake.Calls("POST /api/v2/logistics/download_shipping_document") != downloads {
		t.Error("a reprint asked Shopee again")
	}
	// A printer of another width gets the same document drawn anew, not fetched again.
	narrow, err := client.AskBill(context.Background(), sc.url, tok, o.ID, 384)
	if err != nil || narrow.Dots != 384 {
		t.Fatal(err)
	}
	if sc.fake.Calls("POST /api/v2/logistics/download_shipping_document") != downloads {
		t.Error("another width asked Shopee again")
	}
}

// TestShopeeBillFaults: Shopee answering 500 is an answer in words, 502, and
// nothing is cached: the next ask, once Shopee is back, draws the bill.
func TestShopeeBillFaults(t *testing.T) {
	needBillTools(t)
	sc := startShopeeCloud(t)
	tok := sc.terminal(t)
	o := sc.detailedOrder(t)
	sc.arrangeTracked(t, o.ID)

	// Every attempt of two asks fails (the adapter tries each call 4 times).
	sc.fake.Fail("", 500, 500, 500, 500, 500, 500, 500, 500)
	code, body := askBill(t, sc.url, tok, o.ID, 576)
	c, msg := apiMessage(body)
	if code != http.StatusBadGateway || c != app.EUnreachable || msg != "Shopee did not answer: the airway bill cannot be fetched now; try again" {
		t.Fatalf("Shopee down: %d %s", code, body)
	}
	_, err := client.AskBill(context.Background(), sc.url, tok, o.ID, 576)
	if app.ErrorCode(err) != app.EUnreachable || !strings.HasPrefix(err.Error(), "Shopee did not answer") {
		t.Fatalf("the terminal reads %v (%s)", err, app.ErrorCode(err))
	}
	// Nothing was cached: once Shopee answers, the bill is fetched and drawn.
	for n := 0; ; n++ {
		code, body = askBill(t, sc.url, tok, o.ID, 576)
		if code == http.StatusOK || n == 5 {
			break
		}
	}
	checkBill(t, code, body, o.ID, "shopee", 576)
	if sc.fake.Calls("POST /api/v2/logistics/download_shipping_document") != 1 {
		t.Errorf("downloads %d", sc.fake.Calls("POST /api/v2/logistics/download_shipping_document"))
	}
}

// TestTokopediaBillIsHTMLDrawn: Tokopedia's shipping label is HTML; the
// cloud draws it with Chromium. An order the cloud does not have is 404.
func TestTokopediaBillIsHTMLDrawn(t *testing.T) {
	needBillTools(t)
	fake := tokotest.New("13000", "479573", "kasir-app", "sec_0123456789abcdef")
	defer fake.Close()
	fake.AddOrder(166295305, 220)
	cc := startChannelsCloud(t)
	shop := cc.shop(t, app.AccountTokopedia, fmt.Sprintf(tokoCred, fake.URL, fake.URL))
	_, tok, err := AddTerminal(cc.st, shop.ID, "tablet", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	o := pushTokopedia(t, cc, shop)
	cc.do(t, shop.ID, o.ID, app.ActionAccept, app.Args{})
	eventually(t, "the ack", func() bool { return fake.Status(166295305) == 400 })
	cc.do(t, shop.ID, o.ID, app.ActionArrangePickup, app.Args{PickupFrom: time.Now().Add(3 * time.Hour), PickupAddress: "Toko Ayu, Jl. Braga 5"})
	eventually(t, "the pickup request", func() bool { return fake.Status(166295305) == 450 })
	// Tokopedia's awb arrives as the courier is assigned.
	cc.do(t, shop.ID, o.ID, app.ActionAssignCourier, app.Args{Courier: "AnterAja", TrackingID: "TKP10002233"})
	code, body := askBill(t, cc.url, tok, o.ID, 576)
	b := checkBill(t, code, body, o.ID, "tokopedia", 576)
	if d := os.Getenv("BILL_DUMP"); d != "" {
		_ = os.WriteFile(d+"/tokopedia.png", b.Pages[0], 0o644)
	}
	if !strings.HasPrefix(b.Media, "text/html") {
		t.Errorf("media %q", b.Media)
	}

	if code, body := askBill(t, cc.url, tok, "no-such-order", 576); code != http.StatusNotFound {
		t.Fatalf("unknown order: %d %s", code, body)
	}
}

// TestShipperLabelForATerminal: a booking with Shipper prints Shipper's
// sticker (HTML with its barcode image from Shipper's label host), once
// the waybill has arrived; a web-store order arranged with the shop's own
// courier has no platform bill: 404.
func TestShipperLabelForATerminal(t *testing.T) {
	needBillTools(t)
	fake := shippertest.New("shp-key-1")
	defer fake.Close()
	cc := startCourierCloud(t, t.TempDir(), app.ProviderShipper, fake.URL)
	cred := fmt.Sprintf(`{"api_key":"shp-key-1","webhook_url":%q,"api_base":%q,"label_base":%q,"origin_area_id":"4711","contact_phone":"081211112222"}`, shipperHookURL, fake.URL, fake.URL)
	if _, err := cc.srv.accounts.Set(cc.shop.ID, app.AccountShipper, []byte(cred), time.Now()); err != nil {
		t.Fatal(err)
	}
	_, tok, err := AddTerminal(cc.st, cc.shop.ID, "tablet", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	own := readyOrder(t, cc, false)
	if code, body := askBill(t, cc.api.URL, tok, own.ID, 576); code != http.StatusNotFound {
		t.Fatalf("an order with no booking: %d %s", code, body)
	}
	o := readyOrder(t, cc, false)
	arrange(t, cc, o)
	waitFor(t, "the booking", func() bool { return order(t, cc, o.ID).Shipment.Booking == app.BookingBooked })
	pid := order(t, cc, o.ID).Shipment.ProviderOrderID
	if code, body := askBill(t, cc.api.URL, tok, o.ID, 576); code != http.StatusConflict {
		t.Fatalf("before the waybill: %d %s", code, body)
	}
	fake.SetAWB(pid, "JNE00112233")
	if code, body := post(t, cc.api.URL+"/v1/couriers/shipper/push", nil, shipperPush(pid, "JNE00112233", 1010, "Tunggu Penjemputan")); code != 200 {
		t.Fatalf("push: %d %s", code, body)
	}
	// Shipper down: words, and nothing kept, so the next ask fetches the label.
	fake.Fail500(1)
	code, body := askBill(t, cc.api.URL, tok, o.ID, 576)
	if c, msg := apiMessage(body); code != http.StatusBadGateway || c != app.EUnreachable || !strings.HasPrefix(msg, "Shipper did not answer") {
		t.Fatalf("Shipper down: %d %s", code, body)
	}
	code, body = askBill(t, cc.api.URL, tok, o.ID, 576)
	b := checkBill(t, code, body, o.ID, "shipper", 576)
	if d := os.Getenv("BILL_DUMP"); d != "" {
		_ = os.WriteFile(d+"/shipper.png", b.Pages[0], 0o644)
	}
	img, _ := png.Decode(bytes.NewReader(b.Pages[0]))
	bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
	if res, err := oned.NewCode128Reader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}); err != nil || res.GetText() != "JNE00112233" {
		t.Errorf("the sticker's barcode scans as %v, %v", res, err)
	}
	if !strings.HasPrefix(b.Media, "text/html") || fake.Labels != 1 {
		t.Errorf("media %q, stickers served %d", b.Media, fake.Labels)
	}
}

// billForATerminal asks the bill route with a new terminal of the shop and
// checks the platform's bill comes back drawn at 576 dots (the platform
// end-to-end tests call it once the tracking number has arrived).
func billForATerminal(t *testing.T, st Backend, base, shop, order, source string) {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Log("poppler-utils is not installed: the bill is not drawn")
		return
	}
	_, tok, err := AddTerminal(st, shop, "label printer tablet", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	code, body := askBill(t, base, tok, order, 576)
	if b := checkBill(t, code, body, order, source, 576); b.Media != "application/pdf" {
		t.Errorf("%s bill media %q", source, b.Media)
	}
}

// TestBillCacheFetchesOnceAndStaysBounded: concurrent asks for one bill make
// one fetch; a failure is not kept; the oldest go first past the bounds.
func TestBillCacheFetchesOnceAndStaysBounded(t *testing.T) {
	var c kept[*billDoc]
	var fetches atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := c.get("a", func() (*billDoc, error) {
				fetches.Add(1)
				<-release
				return &billDoc{doc: []byte("pdf")}, nil
			})
			if err != nil || string(d.doc) != "pdf" {
				t.Errorf("get: %v %v", d, err)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if fetches.Load() != 1 {
		t.Fatalf("%d fetches for one key", fetches.Load())
	}
	if _, err := c.get("b", func() (*billDoc, error) { return nil, errors.New("down") }); err == nil {
		t.Fatal("no error")
	}
	if _, ok := c.entries["b"]; ok {
		t.Fatal("a failure was kept")
	}
	for i := 0; i < billCacheEntries+10; i++ {
		_, _ = c.get(fmt.Sprint(i), func() (*billDoc, error) { return &billDoc{doc: make([]byte, 1024)}, nil })
	}
	if len(c.entries) != billCacheEntries || len(c.order) != billCacheEntries {
		t.Fatalf("%d entries kept, %d in order", len(c.entries), len(c.order))
	}
	if _, ok := c.entries["a"]; ok {
		t.Fatal("the oldest was not dropped")
	}
	big := &billDoc{doc: make([]byte, billCacheBytes)}
	_, _ = c.get("big", func() (*billDoc, error) { return big, nil })
	if c.bytes > billCacheBytes || len(c.entries) != 1 {
		t.Fatalf("%d bytes in %d entries", c.bytes, len(c.entries))
	}
	c.forget("big")
	if c.bytes != 0 || len(c.entries) != 0 || len(c.order) != 0 {
		t.Fatalf("after forget: %d bytes, %d entries", c.bytes, len(c.entries))
	}
}

// missingTool skips on a developer's machine and fails under CI, where
// make deps has installed every tool the bills need.
func missingTool(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(why)
	}
	t.Skip(why)
}
