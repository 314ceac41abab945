package terminal

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/web"
)

// AskRates asks the cloud this terminal follows for every courier and
// service the shop's courier provider offers for an order (GET
// /v1/orders/{id}/rates): the paired cloud, or else the embedded one,
// started for the question and stopped after. provider "" is the shop's.
func AskRates(ctx context.Context, t *Terminal, orderID string, provider app.CourierProvider) (cloud.RatesReply, error) {
	var reply cloud.RatesReply
	var p app.CloudSetting
	if _, err := app.LoadSetting(t.DB, &p); err != nil {
		return reply, err
	}
	base, token := p.Remote(), p.Token
	if base == "" {
		ctx, cancel := context.WithCancel(ctx)
		e, err := web.StartEmbedded(ctx, bolt.OpenBackend, t.DataDir, "")
		if err != nil {
			cancel()
			return reply, err
		}
		defer func() { cancel(); _ = e.Wait() }()
		base, token = e.BaseURL, e.Token
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+"/v1/orders/"+url.PathEscape(orderID)+"/rates?provider="+url.QueryEscape(string(provider)), nil)
	if err != nil {
		return reply, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return reply, fmt.Errorf("asking the cloud for rates: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct{ Code, Message string }
		_ = json.NewDecoder(resp.Body).Decode(&e)
		return reply, fmt.Errorf("rates: %s (HTTP %d)", e.Message, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&reply); err != nil {
		return reply, fmt.Errorf("rates: the cloud's answer: %w", err)
	}
	return reply, nil
}
