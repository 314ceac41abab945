package cli

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/web"
	"github.com/kasir/pos/printer"
	"github.com/kasir/pos/printer/printertest"
	"github.com/kasir/pos/terminal"
)

// lockedBuffer is an io.Writer the agent writes while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A courier webhook reaches the cloud; the headless agent syncs it, prints
// the label by itself, and records the print.
func TestAgentPrintsLabelWhenCourierWebhookArrives(t *testing.T) {
	dir := seeded(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// The shop's webhook secrets, read while nothing else holds the cloud.
	cctx, cstop := context.WithCancel(ctx)
	e, err := web.StartEmbedded(cctx, bolt.OpenBackend, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	secret, shop := e.Secrets[cloud.SecretLogistics], e.ShopID
	cstop()
	e.Wait()

	fp, err := printertest.NewPrinter()
	if err != nil {
		t.Fatal(err)
	}
	defer fp.Close()
	term, err := terminal.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st := &printer.Station{Settings: term.DB}
	cfg, _ := st.Config()
	cfg.Printers = []app.PrinterSetup{{Name: "Label printer", URL: fp.URL(), Profile: "label-4in", Labels: true}}
	cfg.AutoPrintLabels = true
	if err := st.SaveConfig(cfg); err != nil {
		t.Fatal(err)
	}
	page, _ := term.Service.Find(app.Filter{Statuses: []app.Status{app.StatusReadyToShip}, Limit: 100})
	var order *app.Order
	for _, o := range page.Orders {
		// Our own label: a marketplace's orders carry its airway bill.
		if o.Shipment.State == app.ShipmentNone && !o.Channel.Rule().Marketplace {
			order = o
			break
		}
	}
	term.Close()
	if order == nil {
		t.Fatal("no ready order without a shipment")
	}
	// Offline, before the agent runs: the drop-off waits in the outbox.
	if out, errs, code := pos(t, dir, "orders", "dropoff", order.Number, "--courier", "JNE"); code != 0 {
		t.Fatalf("%s %s", out, errs)
	}

	out := &lockedBuffer{}
	done := make(chan int)
	go func() {
		done <- Main([]string{"--data", dir, "agent", "--print"}, Env{Stdout: out, Stderr: out, Ctx: ctx})
	}()
	base := ""
	waitFor(t, "the agent's embedded cloud", func() bool {
		m := regexp.MustCompile(`embedded at (http://[0-9.:]+)`).FindStringSubmatch(out.String())
		if m != nil {
			base = m[1]
		}
		return base != "" && strings.Contains(out.String(), "sync: online, 0 pending")
	})
	body, _ := json.Marshal(map[string]string{"order_id": order.ID, "event": "assigned", "tracking_id": "JNE0099001122", "courier": "JNE", "service": "REG"})
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	req, _ := http.NewRequest("POST", base+"/v1/shops/"+shop+"/webhooks/logistics", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Logistics-Signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("webhook answered %d (the drop-off must have reached the cloud first)\n%s", resp.StatusCode, out.String())
	}
	waitFor(t, "the auto-printed label", func() bool { return len(fp.Documents()) == 1 })
	waitFor(t, "the print synced", func() bool { return strings.Contains(out.String(), "sync: online, 0 pending") })
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("agent exited %d:\n%s", code, out.String())
	}
	if !bytes.Contains(fp.Documents()[0], []byte(order.Number)) {
		t.Fatal("the label is not this order's")
	}
	show, _, _ := pos(t, dir, "orders", "show", order.Number, "--json")
	var got struct {
		LabelPrinted bool   `json:"label_printed"`
		TrackingID   string `json:"tracking_id"`
	}
	json.Unmarshal([]byte(show), &got)
	if !got.LabelPrinted || got.TrackingID != "JNE0099001122" {
		t.Fatalf("after the agent: %+v", got)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
