package cloud

import (
	"net/http"
	"time"

	"github.com/kasir/pos/app"
)

// The courier (logistics aggregator) webhook, documented in docs/webhooks.md:
// X-Logistics-Signature = base64(HMAC-SHA256(logistics secret, body)),
// X-Delivery-ID for dedupe. Each update goes through app.CourierCommand, so a
// courier can only move an order along the life cycle staff would.
var logisticsHook = webhook{
	verify: func(fields map[string]string, r *http.Request, body []byte) bool {
		secret := fields["webhook_secret"]
		return equalSig(secret, r.Header.Get("X-Logistics-Signature"), SignBase64(secret, body))
	},
	parse:      parseLogistics,
	statusOnly: true,
}

// courierUpdate is the logistics body: which order, and what the courier reports.
type courierUpdate struct {
	OrderID string `json:"order_id"`
	app.CourierUpdate
}

func parseLogistics(r *http.Request, body []byte) (*inbound, error) {
	var u courierUpdate
	if err := decodeJSON(body, &u); err != nil {
		return nil, err
	}
	if _, err := app.CourierCommand(u.OrderID, u.CourierUpdate); err != nil {
		return nil, err
	}
	if u.Kind == app.CourierAssigned {
		if err := app.ValidateTrackingID(u.TrackingID); err != nil {
			return nil, err
		}
	}
	return &inbound{courier: &u, delivery: r.Header.Get("X-Delivery-ID")}, nil
}

// applyCourier runs the courier's command as the logistics channel.
func applyCourier(tx ShopTx, pol app.Policy, u *courierUpdate, now time.Time) (*app.Result, error) {
	cmd, err := app.CourierCommand(u.OrderID, u.CourierUpdate)
	if err != nil {
		return nil, err
	}
	return app.Execute(tx, pol, cmd, app.ChannelActor("logistics"), now)
}
