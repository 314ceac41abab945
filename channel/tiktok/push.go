package tiktok

import (
	"context"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// Hears: reject, cancel (and approving the buyer's request), declining
// the buyer's request, arranging a pickup or drop-off, and a parcel the
// shop sent with its own courier once its tracking ID is known (selfship.go).
// TikTok has no accept (a paid order is the seller's to ship), assigns the
// courier and tracking number of its own logistics itself, and completes
// and returns orders itself.
func (a *Adapter) Hears(s app.ChannelStep, o *app.Order) bool {
	switch s {
	case app.StepReject, app.StepCancel, app.StepDeclineCancel:
		return true
	case app.StepShip:
		return o != nil && (o.Shipment.Method == app.ShipPickup || o.Shipment.Method == app.ShipDropoff)
	case app.StepTracking:
		return ownCourier(o)
	}
	return false
}

// Push tells TikTok Shop a decision:
//   - reject and cancel: the seller's cancel with TikTok's reason, or the
//     approval of the buyer's pending cancellation;
//   - declining a buyer's cancel request: its rejection;
//   - arranging shipment: Ship Package, pickup in a slot or drop-off;
//   - shipped with the shop's own courier: Ship Package with self_shipment.
//
// None of these may be made twice, so a retold decision reads back first.
func (a *Adapter) Push(ctx context.Context, f map[string]string, d channel.Decision) error {
	if !a.Hears(d.Step, d.Order) {
		return nil
	}
	acc, err := forShop(f)
	if err != nil {
		return err
	}
	o := d.Order
	if err := app.ValidateExternalID(app.ChannelTikTok, "external_id", o.ExternalID); err != nil {
		return err
	}
	switch d.Step {
	case app.StepReject, app.StepCancel:
		return a.cancel(ctx, acc, o, d.Retold)
	case app.StepDeclineCancel:
		return a.declineCancel(ctx, acc, o, d.Reason)
	case app.StepShip:
		return a.ship(ctx, acc, o, d.Retold)
	case app.StepTracking:
		return a.selfShip(ctx, acc, o, d.Retold)
	}
	return nil
}
