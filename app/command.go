package app

import (
	"strings"
	"time"
	"unicode"
)

// Command asks for one action on one order. It travels as-is in the sync
// protocol's push, so the cloud applies exactly what the terminal did.
type Command struct {
	Action  Action `json:"name"`
	OrderID string `json:"order_id"`
	Args    Args   `json:"args"`
}

// Args are the inputs an action may need; each action reads only its own.
type Args struct {
	Reason string `json:"reason,omitempty"`
	Note   string `json:"note,omitempty"`
	// Force accepts an order even when stock is short.
	Force bool `json:"force,omitempty"`

	PickupFrom    time.Time `json:"pickup_from,omitzero"`
	PickupTo      time.Time `json:"pickup_to,omitzero"`
	PickupAddress string    `json:"pickup_address,omitempty"`

	Courier        string    `json:"courier,omitempty"`
	Service        string    `json:"service,omitempty"`
	TrackingID     string    `json:"tracking_id,omitempty"`
	PickupDeadline time.Time `json:"pickup_deadline,omitzero"`
	// ShippedAt is when staff handed the parcel over, for ActionShip; zero is now.
	ShippedAt time.Time `json:"shipped_at,omitzero"`

	// Parcel is 1-based; 0 means every parcel where an action allows it.
	Parcel      int    `json:"parcel,omitempty"`
	SKU         string `json:"sku,omitempty"`
	Qty         int    `json:"qty,omitempty"`
	WeightGrams int    `json:"weight_grams,omitempty"`
	LengthCm    int    `json:"length_cm,omitempty"`
	WidthCm     int    `json:"width_cm,omitempty"`
	HeightCm    int    `json:"height_cm,omitempty"`

	Resolution    Resolution `json:"resolution,omitempty"`
	Document      Document   `json:"document,omitempty"`
	ChannelStatus string     `json:"channel_status,omitempty"`
	// ChannelUpdatedAt is the platform's own time of the update ActionChannelUpdate applies.
	ChannelUpdatedAt time.Time `json:"channel_updated_at,omitzero"`
	// Order is the new order for ActionPlace.
	Order *Order `json:"order,omitempty"`
	// Stock is the count, damage or delivery for ActionAdjustStock.
	Stock *StockAdjustment `json:"stock,omitempty"`
	// Products are the catalogue rows for ActionImportProducts.
	Products []*Product `json:"products,omitempty"`
	// Refund names the lines, restock and shift of ActionRefundSale and ActionVoidSale.
	Refund *RefundArgs `json:"refund,omitempty"`
	// Policy is the shop's new rules for ActionSetPolicy.
	Policy *Policy `json:"policy,omitempty"`
	// Staff is the member to add or remove for ActionAddStaff and ActionRemoveStaff.
	Staff *StaffChange `json:"staff,omitempty"`
	// Notice is where a notice to the buyer stands, for ActionRecordNotice.
	Notice *Notice `json:"notice,omitempty"`
	// ChannelCall is where a call to the order's platform stands, for ActionRecordChannelCall.
	ChannelCall *ChannelCall `json:"channel_call,omitempty"`
	// PageToken is the order page's new token for ActionIssuePage.
	PageToken string `json:"page_token,omitempty"`
	// Provider overrides the shop's courier provider for ActionArrangePickup
	// and ActionArrangeDropoff; Rate is the courier service chosen from its rates.
	Provider CourierProvider `json:"provider,omitempty"`
	Rate     *ShipmentRate   `json:"rate,omitempty"`
	// Booking is what the cloud learnt from the provider, for ActionRecordBooking.
	Booking *BookingRecord `json:"booking,omitempty"`
	// ProviderStatus is a provider's push, for ActionProviderStatus.
	ProviderStatus *ProviderStatus `json:"provider_status,omitempty"`
}

// maxImportBatch keeps one import command well inside a sync message.
const maxImportBatch = 200

// Validate checks a command's shape before any order is read.
func (c Command) Validate() error {
	if !c.Action.Valid() {
		return FieldError("name", "%q is not an action", shown(string(c.Action)))
	}
	if err := checkKey("order_id", c.OrderID, MaxOrderIDLen); err != nil {
		return err
	}
	if err := c.Args.validate(); err != nil {
		return err
	}
	if c.Action == ActionSetPolicy {
		if c.Args.Policy == nil {
			return FieldError("args.policy", "is required")
		}
		return c.Args.Policy.Validate()
	}
	if c.Action == ActionAddStaff || c.Action == ActionRemoveStaff {
		if c.Args.Staff == nil {
			return FieldError("args.staff", "is required")
		}
		return c.Args.Staff.Validate(c.Action)
	}
	if c.Action == ActionAdjustStock {
		if c.Args.Stock == nil {
			return FieldError("args.stock", "is required")
		}
		return c.Args.Stock.Validate()
	}
	if c.Action == ActionImportProducts {
		if len(c.Args.Products) == 0 || len(c.Args.Products) > maxImportBatch {
			return FieldError("args.products", "must be 1 to %d products, not %d", maxImportBatch, len(c.Args.Products))
		}
		for i, p := range c.Args.Products {
			if p == nil {
				return FieldError("args.products", "row %d is empty", i+1)
			}
			if err := p.Validate(); err != nil {
				return FieldError("args.products", "row %d (%s): %s", i+1, p.SKU, err)
			}
		}
		return nil
	}
	if c.Action == ActionPlace {
		if c.Args.Order == nil {
			return FieldError("args.order", "is required to place an order")
		}
		return nil
	}
	if strings.TrimSpace(c.OrderID) == "" {
		return FieldError("order_id", "is required")
	}
	return nil
}

// ValidateTrackingID refuses a tracking ID a courier could not have issued.
func ValidateTrackingID(id string) error {
	if strings.TrimSpace(id) == "" {
		return FieldError("tracking_id", "is required")
	}
	if len(id) > MaxCodeLen {
		return FieldError("tracking_id", "is longer than %d characters", MaxCodeLen)
	}
	for _, r := range id {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return FieldError("tracking_id", "contains a space or control character")
		}
	}
	return nil
}

// CourierUpdate is what a logistics provider reports about a shipment.
type CourierUpdate struct {
	Kind           CourierEvent `json:"event"`
	TrackingID     string       `json:"tracking_id,omitempty"`
	Courier        string       `json:"courier,omitempty"`
	Service        string       `json:"service,omitempty"`
	PickupDeadline time.Time    `json:"pickup_deadline,omitzero"`
	Reason         string       `json:"reason,omitempty"`
}

// CourierEvent is a step of the courier's side of a shipment.
type CourierEvent string

// Courier events a logistics webhook can carry.
const (
	CourierAssigned  CourierEvent = "assigned"
	CourierHeading   CourierEvent = "heading_to_pickup"
	CourierPickedUp  CourierEvent = "picked_up"
	CourierDelivered CourierEvent = "delivered"
	CourierFailed    CourierEvent = "failed"
)

// CourierCommand is the single entry point for courier events: it turns a
// logistics update into the command the life cycle understands.
func CourierCommand(orderID string, u CourierUpdate) (Command, error) {
	if err := CheckID("order_id", orderID, MaxOrderIDLen); err != nil {
		return Command{}, err
	}
	if err := u.Validate(); err != nil {
		return Command{}, err
	}
	cmd := Command{OrderID: orderID, Args: Args{
		TrackingID: strings.TrimSpace(u.TrackingID), Courier: strings.TrimSpace(u.Courier),
		Service: strings.TrimSpace(u.Service), PickupDeadline: u.PickupDeadline, Reason: u.Reason,
	}}
	switch u.Kind {
	case CourierAssigned:
		cmd.Action = ActionAssignCourier
	case CourierHeading:
		cmd.Action = ActionCourierHeading
	case CourierPickedUp:
		cmd.Action = ActionPickedUp
	case CourierDelivered:
		cmd.Action = ActionDeliver
	case CourierFailed:
		cmd.Action = ActionDeliveryFailed
	default:
		return Command{}, FieldError("event", "%q is unknown (use assigned, heading_to_pickup, picked_up, delivered or failed)", string(u.Kind))
	}
	return cmd, nil
}
