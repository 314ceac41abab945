package app

import "time"

// Policy holds the shop's settings that rules depend on.
type Policy struct {
	Currency Currency `json:"currency"`
	// AcceptWindow overrides a channel's default time to accept an order (nanoseconds in JSON).
	AcceptWindow map[Channel]time.Duration `json:"accept_window,omitempty"`
	// BulkLimit is the most orders one bulk action may touch.
	BulkLimit int `json:"bulk_limit"`
	// ExpiringWithin is when a New order counts as about to expire (the red badge).
	ExpiringWithin time.Duration `json:"expiring_within"`
	// ShopAddress is the default pickup address.
	ShopAddress string `json:"shop_address,omitempty"`
	// Tax is how the counter charges PPN.
	Tax TaxRule `json:"tax,omitzero"`
	// DiscountCaps are the largest discounts, in basis points, each role may
	// give without the owner (cashier 10% unless set).
	DiscountCaps map[Role]int `json:"discount_caps,omitempty"`
	// UTCOffsetMinutes is the shop's time zone; Western Indonesia Time when unset.
	UTCOffsetMinutes *int `json:"utc_offset_minutes,omitempty"`
	// Terminal names this terminal in ids it mints; it is not shared.
	Terminal string `json:"terminal,omitempty"`
	// ReprintUncertain is what stations do with a print that may have printed (empty: ask).
	ReprintUncertain ReprintChoice `json:"reprint_uncertain,omitempty"`
	// RequirePacked refuses to mark an order shipped until every parcel is
	// verified packed; without it staff are asked first.
	RequirePacked bool `json:"require_packed,omitempty"`
	// Notices are what the shop tells its own buyers, and how (notice_settings.go).
	Notices NoticeSettings `json:"notices,omitzero"`
	// CourierProvider books couriers for the shop's own orders unless an
	// order names another (courier_booking.go); empty is staff or the logistics webhook.
	CourierProvider CourierProvider `json:"courier_provider,omitempty"`
}

// DefaultPolicy is what a new shop starts with.
func DefaultPolicy() Policy {
	return Policy{Currency: IDR, BulkLimit: 100, ExpiringWithin: 2 * time.Hour}
}

// Validate refuses settings no shop could mean, naming the field.
func (p Policy) Validate() error {
	if err := p.Currency.Validate(); err != nil {
		return err
	}
	for ch, w := range p.AcceptWindow {
		if !ch.Valid() {
			return FieldError("Channel", "%q is unknown", string(ch))
		}
		if w < time.Hour || w > 7*24*time.Hour {
			return FieldError("Acceptance window", "for %s must be between 1 hour and 7 days, not %s", ch, w)
		}
	}
	if err := checkText("shop_address", p.ShopAddress, MaxAddressLen); err != nil {
		return err
	}
	if err := checkKey("terminal", p.Terminal, MaxIDLen); err != nil {
		return err
	}
	if p.BulkLimit < 0 || p.BulkLimit > 1000 {
		return FieldError("Bulk limit", "must be between 1 and 1000, not %d", p.BulkLimit)
	}
	if p.ExpiringWithin < 0 || p.ExpiringWithin > 24*time.Hour {
		return FieldError("Expiring-soon warning", "must be between 0 and 24 hours, not %s", p.ExpiringWithin)
	}
	if err := p.Tax.Validate(); err != nil {
		return err
	}
	for r, c := range p.DiscountCaps {
		if c < 0 || c > 10000 {
			return FieldError("discount cap", "%s: must be between 0%% and 100%%", string(r))
		}
	}
	if o := p.UTCOffsetMinutes; o != nil && (*o < -12*60 || *o > 14*60) {
		return FieldError("time zone", "must be between UTC-12 and UTC+14")
	}
	if err := p.ReprintUncertain.Validate(); err != nil {
		return err
	}
	if err := p.Notices.Validate(); err != nil {
		return err
	}
	if len(p.ShopAddress) > 500 {
		return FieldError("Shop address", "is longer than %d characters", 500)
	}
	return nil
}

// Shared is the part of the policy every terminal and the cloud share:
// everything but the terminal's own name.
func (p Policy) Shared() Policy {
	p.Terminal = ""
	return p
}

// AcceptWindowFor is how long a new order of the channel waits for the shop.
func (p Policy) AcceptWindowFor(c Channel) time.Duration {
	if d, ok := p.AcceptWindow[c]; ok && d > 0 {
		return d
	}
	return c.Rule().AcceptWindow
}

func (p Policy) bulkLimit() int {
	if p.BulkLimit <= 0 {
		return 100
	}
	return p.BulkLimit
}

// resolve writes this terminal's defaults into a command, so the command is
// complete on its own: the cloud replays it under its own policy and must
// reach the same result.
func (p Policy) resolve(cmd Command) Command {
	if cmd.Action == ActionArrangePickup && cmd.Args.PickupAddress == "" {
		cmd.Args.PickupAddress = p.ShopAddress
	}
	return cmd
}
