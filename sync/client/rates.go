package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/courier"
)

// ratesTimeout bounds the Arrange dialog's wait for rates; the cloud's own
// call to the provider is bounded too, and staff may arrange without rates.
const ratesTimeout = 20 * time.Second

// Rates asks the cloud (GET /v1/orders/{id}/rates) for every courier and
// service of the order's provider p ("" for the shop's default), for the
// parcel staff weighed (zero fields: the order's own parcels). Errors:
// app.EUnreachable when the tablet is offline or the cloud or provider did
// not answer; EInvalid with the provider's words and code when it refused.
func (c *Client) Rates(ctx context.Context, orderID string, p app.CourierProvider, parcel app.RateParcel) ([]app.RateOffer, error) {
	if c.State().Status == Offline {
		return nil, app.Errorf(app.EUnreachable, "The tablet is offline: rates cannot be asked now")
	}
	return AskRates(ctx, c.cfg.BaseURL, c.cfg.Token, orderID, p, parcel)
}

// AskRates is Rates' question to the cloud at baseURL with a terminal's token.
func AskRates(ctx context.Context, baseURL, token, orderID string, p app.CourierProvider, parcel app.RateParcel) ([]app.RateOffer, error) {
	q := url.Values{"provider": {string(p)}}
	for k, v := range map[string]int{"weight_g": parcel.WeightGrams, "length_cm": parcel.LengthCm, "width_cm": parcel.WidthCm, "height_cm": parcel.HeightCm} {
		if v > 0 {
			q.Set(k, strconv.Itoa(v))
		}
	}
	ctx, cancel := context.WithTimeout(ctx, ratesTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(baseURL, "/")+"/v1/orders/"+url.PathEscape(orderID)+"/rates?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, app.Errorf(app.EUnreachable, "The cloud did not answer: rates cannot be asked now")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct{ Code, Message string }
		_ = json.NewDecoder(resp.Body).Decode(&e)
		switch {
		case resp.StatusCode >= 500:
			return nil, app.Errorf(app.EUnreachable, "The courier service did not answer: %s", e.Message)
		case resp.StatusCode == http.StatusNotFound:
			return nil, app.Errorf(app.ENotFound, "The cloud does not have this order yet: try again once it is synced")
		}
		return nil, app.Errorf(app.EInvalid, "%s", e.Message)
	}
	var reply struct {
		Rates []courier.Rate `json:"rates"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&reply); err != nil {
		return nil, fmt.Errorf("rates: the cloud's answer: %w", err)
	}
	out := make([]app.RateOffer, 0, len(reply.Rates))
	for _, r := range reply.Rates {
		out = append(out, app.RateOffer{ShipmentRate: app.ShipmentRate{Courier: r.Courier, CourierName: r.CourierName, Service: r.Service,
			ServiceName: r.ServiceName, Price: app.Money(r.Price), MinDays: r.MinDays, MaxDays: r.MaxDays, RateID: r.RateID},
			Cheapest: r.Cheapest, Fastest: r.Fastest})
	}
	return out, nil
}
