package cloud_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/sync/wire"
)

// startEdgeCloud is startCloud with the edge options a test needs.
func startEdgeCloud(t testing.TB, opt cloud.Options) *testCloud {
	t.Helper()
	st, err := bolt.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	opt.Logger = quietLog()
	srv := cloud.NewServer(st, opt)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ctx, "127.0.0.1:0", "", "", func(a string) { ready <- a }); err != nil {
			t.Error(err)
		}
	}()
	tc := &testCloud{url: "http://" + <-ready, store: st, srv: srv, shops: map[string]*cloud.Shop{}}
	t.Cleanup(func() {
		cancel()
		<-done
		st.Close()
	})
	return tc
}

// signatures are each channel's headers over a body, as the platform signs it.
func signatures(shop *cloud.Shop, channel, url string, body []byte) map[string]string {
	sec := shop.Secrets
	switch channel {
	case "woocommerce":
		return map[string]string{"X-WC-Webhook-Topic": "order.created", "X-WC-Webhook-Signature": cloud.SignBase64(sec[cloud.SecretWooCommerce], body)}
	case "store":
		return map[string]string{"X-Store-Signature": cloud.SignBase64(sec[cloud.SecretStore], body)}
	case "tokopedia":
		return map[string]string{"Authorization-Hmac": cloud.SignHex(sec[cloud.SecretTokopedia], body)}
	case "shopee":
		return map[string]string{"Authorization": cloud.SignHex(sec[cloud.SecretShopee], []byte(url), []byte("|"), body)}
	case "lazada":
		return map[string]string{"Authorization": cloud.SignHex(sec[cloud.SecretLazada], []byte(sec[cloud.SecretLazadaKey]), body)}
	case "tiktok":
		return map[string]string{"Authorization": cloud.SignHex(sec[cloud.SecretTikTok], []byte(sec[cloud.SecretTikTokKey]), body)}
	case "logistics":
		return map[string]string{"X-Logistics-Signature": cloud.SignBase64(sec[cloud.SecretLogistics], body)}
	}
	panic("no signature for " + channel)
}

// postSigned posts a correctly signed delivery of the channel.
func (tc *testCloud) postSigned(t testing.TB, shop *cloud.Shop, channel string, body []byte) (int, string) {
	url := tc.url + "/v1/shops/" + shop.ID + "/webhooks/" + channel
	return post(t, url, body, signatures(shop, channel, url, body))
}

// storeOrderJSON is a web store order of n lines whose total adds up.
func storeOrderJSON(id string, n int) map[string]any {
	var lines []map[string]any
	for i := 0; i < n; i++ {
		lines = append(lines, map[string]any{"id": fmt.Sprint(i + 1), "sku": fmt.Sprintf("SKU-%d", i), "name": "Kaos", "qty": 1, "unit_price": 1000})
	}
	return map[string]any{"event": "order.created", "order": map[string]any{"id": id, "currency": "IDR",
		"buyer": map[string]any{"name": "Budi"}, "lines": lines, "shipping_fee": 9000, "total": 1000*n + 9000}}
}

// fieldPrefix is how app's English message begins when it names field, so
// the tests follow however app words a field.
func fieldPrefix(field string) string {
	m := app.FieldError(field, "%s", "\x00").Error()
	return m[:strings.IndexByte(m, 0)]
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func TestBadInputIsRefusedNamingTheFieldAndWritesNothing(t *testing.T) {
	tc := startCloud(t)
	shop := tc.addShop(t, "A")
	woo := func(edit func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(wooBody(t, 900, "processing"), &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		return mustJSON(m)
	}
	wooRaw := func(id string) []byte {
		return []byte(strings.Replace(string(woo(func(m map[string]any) { m["id"] = "ID" })), `"id":"ID"`, `"id":`+id, 1))
	}
	store := func(edit func(o map[string]any)) []byte {
		m := storeOrderJSON("W1", 1)
		edit(m["order"].(map[string]any))
		return mustJSON(m)
	}
	line := func(o map[string]any) map[string]any { return o["lines"].([]map[string]any)[0] }
	cases := []struct {
		name, channel string
		body          []byte
		field         string
	}{
		{"web store id with a NUL", "store", store(func(o map[string]any) { o["id"] = "W\x001" }), "order.id"},
		{"web store id of 200 characters", "store", store(func(o map[string]any) { o["id"] = strings.Repeat("W", 200) }), "order.id"},
		{"quantity 10^12", "store", store(func(o map[string]any) { line(o)["qty"] = 1_000_000_000_000 }), "lines[0].qty"},
		{"price MaxInt64 × 2", "store", store(func(o map[string]any) {
			line(o)["unit_price"], line(o)["qty"] = int64(9223372036854775807), 2
		}), "lines[0].unit_price"},
		{"total that does not match its lines", "store", store(func(o map[string]any) { o["total"] = 5 }), "total"},
		{"501 lines", "store", mustJSON(storeOrderJSON("W2", app.MaxLinesPerOrder+1)), "lines"},
		{"SKU with a control character", "store", store(func(o map[string]any) { line(o)["sku"] = "SKU\x1b" }), "lines[0].sku"},
		{"buyer name of 10,000 characters", "store", store(func(o map[string]any) {
			o["buyer"] = map[string]any{"name": strings.Repeat("B", 10000)}
		}), "buyer.name"},
		{"WooCommerce id 1.5", "woocommerce", wooRaw("1.5"), "id"},
		{"WooCommerce id 1e400", "woocommerce", wooRaw("1e400"), "id"},
		{"WooCommerce id 0", "woocommerce", wooRaw("0"), "id"},
		{"WooCommerce quantity 10^12", "woocommerce", woo(func(m map[string]any) {
			m["line_items"].([]any)[0].(map[string]any)["quantity"] = 1_000_000_000_000
		}), "line_items[0].quantity"},
		{"WooCommerce price past the limit", "woocommerce", woo(func(m map[string]any) {
			m["line_items"].([]any)[0].(map[string]any)["price"] = json.Number("9223372036854775807")
		}), "line_items[0].price"},
		{"WooCommerce line id 2.5", "woocommerce", woo(func(m map[string]any) {
			m["line_items"].([]any)[0].(map[string]any)["id"] = 2.5
		}), "line_items[0].id"},
		{"WooCommerce total off by 1000", "woocommerce", woo(func(m map[string]any) { m["total"] = "266000.00" }), "total"},
		{"Tokopedia quantity 10^12", "tokopedia", []byte(`{"order_id":7,"order_status":220,"products":[{"id":1,"name":"Kaos","quantity":1000000000000,"price":75000}],"amt":{"ttl_amount":75000}}`), "products[0].quantity"},
		{"Tokopedia price 1e300", "tokopedia", []byte(`{"order_id":7,"order_status":220,"products":[{"id":1,"name":"Kaos","quantity":1,"price":1e300}],"amt":{"ttl_amount":1}}`), "products[0].price"},
		{"Shopee order number with a NUL", "shopee", []byte(`{"code":3,"data":{"ordersn":"2208\u0000AB","status":"READY_TO_SHIP"}}`), "data.ordersn"},
		{"Lazada line id with a newline", "lazada", []byte(`{"message_type":0,"data":{"order_status":"pending","trade_order_id":"2604","trade_order_line_id":"26\n04"}}`), "data.trade_order_line_id"},
		{"TikTok order id with a space", "tiktok", []byte(`{"type":1,"data":{"order_id":"5764 1","order_status":"AWAITING_SHIPMENT"}}`), "data.order_id"},
		{"courier name of 40,000 characters", "logistics", mustJSON(map[string]any{"order_id": "store:W1", "event": "assigned",
			"tracking_id": "JNE1", "courier": strings.Repeat("J", 40000)}), "courier"},
		{"courier order id with a NUL", "logistics", []byte(`{"order_id":"store:W\u00001","event":"picked_up"}`), "order_id"},
		{"TikTok notification id of 300 characters", "tiktok", []byte(`{"type":1,"tts_notification_id":"` + strings.Repeat("7", 300) + `","data":{"order_id":"5764","order_status":"AWAITING_SHIPMENT"}}`), "tts_notification_id"},
	}
	for _, c := range cases {
		code, body := tc.postSigned(t, shop, c.channel, c.body)
		var e struct{ Code, Message string }
		_ = json.Unmarshal([]byte(body), &e)
		if code != http.StatusBadRequest || e.Code != app.EInvalid || !strings.HasPrefix(e.Message, fieldPrefix(c.field)) {
			t.Errorf("%s: %d %s, want 400 naming %s", c.name, code, strings.TrimSpace(body), c.field)
		}
	}
	if h := tc.head(t, shop.ID); h != 0 {
		t.Fatalf("refused deliveries wrote %d changes", h)
	}
	// The same shapes within the limits are taken.
	for _, c := range []struct{ channel, body string }{
		{"store", string(mustJSON(storeOrderJSON("W3", app.MaxLinesPerOrder)))},
		{"woocommerce", string(wooBody(t, 901, "processing"))},
		{"woocommerce", string(woo(func(m map[string]any) {
			m["id"], m["total"] = 902, "265500.00"
			m["fee_lines"] = []map[string]any{{"name": "Bungkus kado", "total": "2500.00"}, {"name": "Potongan", "total": "-2000.00"}}
		}))},
	} {
		if code, body := tc.postSigned(t, shop, c.channel, []byte(c.body)); code != http.StatusOK {
			t.Fatalf("%s within the limits: %d %s", c.channel, code, body)
		}
	}
}

func TestWebhooksTakeOnlyJSON(t *testing.T) {
	tc := startCloud(t)
	shop := tc.addShop(t, "A")
	body := wooBody(t, 910, "processing")
	url := tc.url + "/v1/shops/" + shop.ID + "/webhooks/woocommerce"
	for _, c := range []struct {
		ct   string
		want int
	}{
		{"text/plain", http.StatusUnsupportedMediaType},
		{"", http.StatusUnsupportedMediaType},
		{"application/xml", http.StatusUnsupportedMediaType},
		// A signed order sent as a form is still not JSON.
		{"application/x-www-form-urlencoded", http.StatusUnsupportedMediaType},
		{"application/json; charset=utf-8", http.StatusOK},
	} {
		hdr := signatures(shop, "woocommerce", url, body)
		hdr["Content-Type"] = c.ct
		code, reply := post(t, url, body, hdr)
		if code != c.want {
			t.Errorf("Content-Type %q: %d %s, want %d", c.ct, code, reply, c.want)
		}
		if code == http.StatusUnsupportedMediaType && !strings.Contains(reply, fieldPrefix("Content-Type")+"must be application/json") {
			t.Errorf("Content-Type %q: the reply does not name the header: %s", c.ct, reply)
		}
	}
	// WooCommerce's ping is a form, and is still acknowledged.
	code, reply := post(t, url, []byte("webhook_id=12"), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if code != http.StatusOK || !strings.Contains(reply, "ping") {
		t.Fatalf("ping: %d %s", code, reply)
	}
	// A status-only channel never takes a form.
	code, _ = post(t, tc.url+"/v1/shops/"+shop.ID+"/webhooks/shopee", []byte("a=1"), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if code != http.StatusUnsupportedMediaType {
		t.Fatalf("form to Shopee: %d", code)
	}
}

// rawPost writes a request by hand, so a test can lie about or cut the body.
func rawPost(t testing.TB, addr, path string, contentLength int, body []byte, closeWrite bool) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", path, addr, contentLength)
	_, _ = c.Write(body)
	if closeWrite {
		_ = c.(*net.TCPConn).CloseWrite()
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no reply: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestTruncatedBodyIs400AndOnlyTooLargeIs413(t *testing.T) {
	tc := startCloud(t)
	shop := tc.addShop(t, "A")
	addr := strings.TrimPrefix(tc.url, "http://")
	path := "/v1/shops/" + shop.ID + "/webhooks/woocommerce"
	body := wooBody(t, 920, "processing")
	code, reply := rawPost(t, addr, path, len(body), body[:len(body)/2], true)
	if code != http.StatusBadRequest || !strings.Contains(reply, fieldPrefix("body")+"was cut short") {
		t.Fatalf("body cut in half: %d %s", code, reply)
	}
	// A chunked body whose last chunk never comes is cut short too.
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"id\":1,\"line_", path, addr)
	_ = c.(*net.TCPConn).CloseWrite()
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("chunked body cut short: %v %v", resp, err)
	}
	c.Close()
	code, reply = rawPost(t, addr, path, 2<<20, nil, true)
	if code != http.StatusRequestEntityTooLarge || !strings.Contains(reply, fieldPrefix("body")) {
		t.Fatalf("2 MiB announced: %d %s", code, reply)
	}
	// Status-only channels take 64 KiB.
	code, _ = rawPost(t, addr, "/v1/shops/"+shop.ID+"/webhooks/shopee", 100<<10, nil, true)
	if code != http.StatusRequestEntityTooLarge {
		t.Fatalf("100 KiB Shopee push: %d", code)
	}
	if h := tc.head(t, shop.ID); h != 0 {
		t.Fatalf("refused bodies wrote %d changes", h)
	}
}

func TestWebhookRateLimitsPerAddressAndPerShop(t *testing.T) {
	tc := startEdgeCloud(t, cloud.Options{WebhookRate: cloud.Rate{PerSecond: 0.001, Burst: 3}})
	shop := tc.addShop(t, "A")
	// From one address, to shops that may not even exist: the fourth is refused.
	var codes []int
	for i := 0; i < 4; i++ {
		code, _ := post(t, tc.url+"/v1/shops/nope"+fmt.Sprint(i)+"/webhooks/store", []byte(`{}`), nil)
		codes = append(codes, code)
	}
	if codes[3] != http.StatusTooManyRequests || codes[2] == http.StatusTooManyRequests {
		t.Fatalf("one address: %v", codes)
	}
	// From four addresses to one shop: the shop's fourth is refused.
	port := strings.TrimPrefix(tc.url, "http://127.0.0.1")
	codes = codes[:0]
	for i := 0; i < 4; i++ {
		client := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
			LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(10+i))}}).DialContext}}
		body := mustJSON(storeOrderJSON(fmt.Sprint("R", i), 1))
		url := "http://127.0.0.1" + port + "/v1/shops/" + shop.ID + "/webhooks/store"
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range signatures(shop, "store", url, body) {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
	}
	if codes[3] != http.StatusTooManyRequests || codes[2] != http.StatusOK {
		t.Fatalf("one shop from four addresses: %v", codes)
	}
}

// dialTerminal opens a sync socket with a fresh terminal's token.
func dialTerminal(t testing.TB, tc *testCloud, shop *cloud.Shop) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	_, tok, err := cloud.AddTerminal(tc.store, shop.ID, "T", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	hdr := http.Header{"Authorization": {"Bearer " + tok}}
	return websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(tc.url, "http")+wire.Path, hdr)
}

func TestSyncConnectionsAreRateLimited(t *testing.T) {
	tc := startEdgeCloud(t, cloud.Options{SyncRate: cloud.Rate{PerSecond: 0.001, Burst: 2}})
	shop := tc.addShop(t, "A")
	for i := 0; i < 3; i++ {
		ws, resp, err := dialTerminal(t, tc, shop)
		if i < 2 {
			if err != nil {
				t.Fatalf("connection %d: %v", i+1, err)
			}
			ws.Close()
			continue
		}
		if err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("third connection: %v %v", err, resp)
		}
	}
}

func TestSocketWithoutHelloIsClosed(t *testing.T) {
	tc := startEdgeCloud(t, cloud.Options{HelloTimeout: 300 * time.Millisecond, PingInterval: 50 * time.Millisecond})
	shop := tc.addShop(t, "A")
	silent, _, err := dialTerminal(t, tc, shop)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	greeted, _, err := dialTerminal(t, tc, shop)
	if err != nil {
		t.Fatal(err)
	}
	defer greeted.Close()
	if err := greeted.WriteJSON(wire.Hello{Type: wire.TypeHello, Proto: wire.Proto}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	// The silent socket answers every ping (the client library does), and is still closed.
	_ = silent.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, _, err = silent.ReadMessage(); err != nil {
			break
		}
	}
	if !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
		t.Fatalf("silent socket ended with %v, want a policy-violation close", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("closed after %s", d)
	}
	// The socket that said hello stays open past the timeout.
	_ = greeted.SetReadDeadline(time.Now().Add(700 * time.Millisecond))
	for {
		_, _, err := greeted.ReadMessage()
		if err == nil {
			continue
		}
		if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
			t.Fatalf("greeted socket: %v", err)
		}
		break
	}
}

func TestMidZeroIsRefusedNotAlreadyApplied(t *testing.T) {
	tc := startCloud(t)
	shop := tc.addShop(t, "A")
	ws, _, err := dialTerminal(t, tc, shop)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	_ = ws.WriteJSON(wire.Hello{Type: wire.TypeHello, Proto: wire.Proto})
	actor := map[string]any{"staff": "Ayu", "role": "owner"}
	push := map[string]any{"type": wire.TypePush, "mutations": []map[string]any{
		{"mid": 0, "name": "add_note", "order_id": "x", "args": map[string]any{"note": "hi"}, "actor": actor},
		{"mid": 1, "name": "courier_assigned", "order_id": "store:W1", "args": map[string]any{"courier": strings.Repeat("J", 40000), "tracking_id": "JNE1"}, "actor": actor},
		{"mid": 2, "name": "add_note", "order_id": "store:W\u0000", "args": map[string]any{"note": "hi"}, "actor": actor},
	}}
	_ = ws.WriteJSON(push)
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	want := []string{fieldPrefix("mid"), fieldPrefix("args.courier"), fieldPrefix("order_id")}
	for len(want) > 0 {
		var r wire.Result
		if err := ws.ReadJSON(&r); err != nil {
			t.Fatal(err)
		}
		if r.Type != wire.TypeResult {
			continue
		}
		if r.Status != wire.StatusRejected || r.Code != app.EInvalid || !strings.HasPrefix(r.Message, want[0]) {
			t.Fatalf("mid %d answered %+v, want a refusal naming %s", r.Mid, r, want[0])
		}
		want = want[1:]
	}
	if h := tc.head(t, shop.ID); h != 0 {
		t.Fatalf("refused mutations wrote %d changes", h)
	}
}
