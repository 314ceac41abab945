package cloud

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

// graphFake is the WhatsApp Business Cloud API's messages endpoint as
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
// documents it: POST /{version}/{phone-number-id}/messages with a bearer
// token, messaging_product "whatsapp", the recipient's number and a
// template with its name, language and body parameters. It refuses a
// wrong token as Graph does (HTTP 401, OAuthException code 190).
type graphFake struct {
	token, phoneID string
	mu             sync.Mutex
	sent           []graphMessage
}

type graphMessage struct {
	MessagingProduct string `json:"messaging_product"`
	To               string `json:"to"`
	Type             string `json:"type"`
	Template         struct {
		Name     string `json:"name"`
		Language struct {
			Code string `json:"code"`
		} `json:"language"`
		Components []struct {
			Type       string `json:"type"`
			Parameters []struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"parameters"`
		} `json:"components"`
	} `json:"template"`
}

func (g *graphFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fail := func(status, code int, msg string) {
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"error":{"message":%q,"type":"OAuthException","code":%d}}`, msg, code)
	}
	if r.Method != http.MethodPost || r.URL.Path != "/v21.0/"+g.phoneID+"/messages" {
		fail(http.StatusNotFound, 100, "Unsupported post request")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+g.token {
		fail(http.StatusUnauthorized, 190, "Invalid OAuth access token.")
		return
	}
	var m graphMessage
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil || m.MessagingProduct != "whatsapp" || m.Type != "template" ||
		m.Template.Name == "" || m.Template.Language.Code == "" || strings.Trim(m.To, "0123456789") != "" || len(m.Components()) == 0 {
		fail(http.StatusBadRequest, 100, "Invalid parameter")
		return
	}
	for _, p := range m.Components() {
		if p.Type != "text" || p.Text == "" {
			fail(http.StatusBadRequest, 131008, "Required parameter is missing")
			return
		}
	}
	g.mu.Lock()
	g.sent = append(g.sent, m)
	n := len(g.sent)
	g.mu.Unlock()
	fmt.Fprintf(w, `{"messaging_product":"whatsapp","contacts":[{"input":%q,"wa_id":%q}],"messages":[{"id":"wamid.%d"}]}`, m.To, m.To, n)
}

// Components are the body parameters of the template.
func (m graphMessage) Components() []struct {
	Type string `json:"type"`
	Text string `json:"text"`
} {
	for _, c := range m.Template.Components {
		if c.Type == "body" {
			return c.Parameters
		}
	}
	return nil
}

func (g *graphFake) messages() []graphMessage {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]graphMessage(nil), g.sent...)
}

// TestNoticeThroughWhatsAppCloudAPI: a WhatsApp buyer with no e-mail gets
// the shop's approved template for the events it named, once, with its
// parameters in order; an event without a template is left to staff.
func TestNoticeThroughWhatsAppCloudAPI(t *testing.T) {
	g := &graphFake{token: "EAAGm0PX4ZCpsBAKtoken123", phoneID: "106540352242922"}
	gs := httptest.NewServer(g)
	defer gs.Close()
	dir := t.TempDir()
	nc := startNoticeCloud(t, dir)
	shop, err := AddShop(nc.st, "Toko Sari", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cred := fmt.Sprintf(`{"token":%q,"phone_number_id":%q,"api_base":%q}`, g.token, g.phoneID, gs.URL)
	if _, err := nc.srv.accounts.Set(shop.ID, app.AccountWhatsApp, []byte(cred), time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := nc.srv.ChangeNotices(shop.ID, NoticesChange{Event: app.NoticeShipped, WhatsAppTemplate: ptr("order_shipped")}); err != nil {
		t.Fatal(err)
	}
	o := &app.Order{Channel: app.ChannelManual, Status: app.StatusNew, Number: "WA-77", Currency: app.IDR, Buyer: app.Buyer{Name: "Sari", Phone: "0812-1111-2222"},
		Lines: []app.Line{{SKU: "KAOS-1", Name: "Kaos", Qty: 1, UnitPrice: 50000}}}
	res, err := nc.srv.Execute(shop.ID, app.Command{Action: app.ActionPlace, Args: app.Args{Order: o}}, cloudOwner, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	id := res.Order.ID
	step(t, nc.srv, shop.ID, app.Command{Action: app.ActionAccept, OrderID: id})
	nc.stop()
	nc = startNoticeCloud(t, dir)
	step(t, nc.srv, shop.ID, app.Command{Action: app.ActionShip, OrderID: id, Args: app.Args{Courier: "J&T", TrackingID: "JT0077"}})
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(history(t, nc.st, shop.ID, id), "WhatsApp sent to") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	sent := g.messages()
	if len(sent) != 1 {
		t.Fatalf("%d WhatsApp messages, want 1", len(sent))
	}
	m := sent[0]
	var params []string
	for _, p := range m.Components() {
		params = append(params, p.Text)
	}
	if m.To != "6281211112222" || m.Template.Name != "order_shipped" || m.Template.Language.Code != "id" ||
		strings.Join(params, "|") != "Sari|WA-77|J&T Express|JT0077|https://jet.co.id/track?awb=JT0077" {
		t.Fatalf("sent %+v with %q", m, params)
	}
	h := history(t, nc.st, shop.ID, id)
	for _, want := range []string{"no e-mail address: send it on WhatsApp from the order (order confirmed)", "WhatsApp sent to +62…2222 (accepted as wamid.1): order shipped"} {
		if !strings.Contains(h, want) {
			t.Errorf("history lacks %q:\n%s", want, h)
		}
	}
}

func ptr[T any](v T) *T { return &v }
