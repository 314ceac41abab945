// Package courier is what the cloud needs of a courier aggregator (Shipper,
// Biteship): rates for a parcel, a booking, a pickup, a cancel. Each
// provider's client lives in its own package and speaks the provider's own
// request shapes against the api_base its account sets.
package courier

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Provider is one courier aggregator, bound to one shop's account.
type Provider interface {
	// Name is the provider's code ("shipper", "biteship").
	Name() string
	// Rates asks for every courier and service that can carry the parcels.
	Rates(ctx context.Context, r RateRequest) ([]Rate, error)
	// Book creates the order at the provider, and for a pickup asks for the
	// courier to come in the booking's window.
	Book(ctx context.Context, b Booking) (*Booked, error)
	// There is no read-back by our external id: neither Shipper nor Biteship
	// documents one (docs/couriers.md), so a create whose answer was lost is
	// never retried here; the cloud waits for the provider's push instead.
	// Cancel cancels the provider's order before pickup.
	Cancel(ctx context.Context, orderID, reason string) error
}

// Place is an origin or a destination as aggregators want it.
type Place struct {
	Name       string
	Phone      string
	Email      string
	Address    string
	PostalCode string
	// AreaID is Shipper's area id (0 when unknown; it is looked up by postal code).
	AreaID    int
	Latitude  float64
	Longitude float64
}

// Item is one line of what is shipped, with its value in rupiah.
type Item struct {
	Name        string
	SKU         string
	Value       int64
	Quantity    int
	WeightGrams int
}

// Parcel is one box: its weight in grams and its size in centimetres.
type Parcel struct {
	WeightGrams int
	LengthCm    int
	WidthCm     int
	HeightCm    int
}

// RateRequest is what a rate depends on.
type RateRequest struct {
	Origin      Place
	Destination Place
	Items       []Item
	Parcels     []Parcel
	// COD asks only for services that collect cash on delivery.
	COD bool
}

// Rate is one courier service's offer.
type Rate struct {
	Courier     string `json:"courier"`      // the courier's code at the provider ("jne")
	CourierName string `json:"courier_name"` // as the provider names it ("JNE")
	Service     string `json:"service"`      // the service's code ("reg")
	ServiceName string `json:"service_name"`
	Price       int64  `json:"price"` // rupiah
	MinDays     int    `json:"min_days"`
	MaxDays     int    `json:"max_days"`
	// RateID is the provider's id for the offer (Shipper books by rate id).
	RateID string `json:"rate_id,omitempty"`
	// Cheapest and Fastest mark the best offers of a list (see Mark).
	Cheapest bool `json:"cheapest,omitempty"`
	Fastest  bool `json:"fastest,omitempty"`
}

// Mark sets Cheapest and Fastest on a list of rates; ties mark every one.
func Mark(rates []Rate) {
	if len(rates) == 0 {
		return
	}
	low, fast := rates[0].Price, days(rates[0])
	for _, r := range rates {
		low, fast = min(low, r.Price), min(fast, days(r))
	}
	for i := range rates {
		rates[i].Cheapest = rates[i].Price == low
		rates[i].Fastest = days(rates[i]) == fast
	}
}

func days(r Rate) int {
	if r.MaxDays > 0 {
		return r.MaxDays
	}
	return r.MinDays
}

// Booking is an order to create at the provider.
type Booking struct {
	// ExternalID is our order number, sent as the provider's external or
	// reference id: the key that finds the booking again.
	ExternalID  string
	Origin      Place
	Destination Place
	Items       []Item
	Parcels     []Parcel
	// CODAmount is collected from the buyer; 0 when the order is prepaid.
	CODAmount int64
	Courier   string
	Service   string
	RateID    string
	// Pickup asks the courier to come in [PickupFrom, PickupTo]; false is drop-off.
	Pickup     bool
	PickupFrom time.Time
	PickupTo   time.Time
	Note       string
}

// Booked is the provider's answer to a booking.
type Booked struct {
	OrderID    string `json:"order_id"`
	TrackingID string `json:"tracking_id,omitempty"`
	AWB        string `json:"awb,omitempty"`
	Status     string `json:"status,omitempty"`
	Price      int64  `json:"price,omitempty"`
	// PickupCode is what Shipper's pickup request answers (empty for drop-off).
	PickupCode string `json:"pickup_code,omitempty"`
}

// Error is a provider's answer that is not a success. Refused errors carry
// the provider's own message and code; Unreachable ones (a 5xx, a timeout,
// no connection) are worth retrying when the call only reads.
type Error struct {
	Provider string
	// Status is the HTTP status (0 when there was no answer).
	Status  int
	Code    string
	Message string
	// Unreachable is set when the provider did not answer properly.
	Unreachable bool
	// Sent is set on an Unreachable error when the request may have reached
	// the provider and been acted on: a timeout after it left, a broken
	// connection, a 5xx other than 503. A create that fails so may have made
	// the order; one that fails unsent (no connection, 429, 503) did not.
	Sent bool
	Err  error
}

func (e *Error) Error() string {
	if e.Unreachable {
		if e.Err != nil {
			return fmt.Sprintf("%s unreachable: %v", e.Provider, e.Err)
		}
		return fmt.Sprintf("%s unreachable: HTTP %d %s", e.Provider, e.Status, e.Message)
	}
	return fmt.Sprintf("%s refused: %s (code %s)", e.Provider, e.Message, e.Code)
}

func (e *Error) Unwrap() error { return e.Err }

// IsUnreachable reports whether err is a provider that did not answer, so the call is retried.
func IsUnreachable(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.Unreachable
	}
	return err != nil && !errors.Is(err, ErrNotFound)
}

// MayHaveActed reports whether a failed call may still have been carried
// out by the provider: its request may have arrived, but no answer says
// what became of it. A refusal did not act; neither did a call that never
// left. An error of no known kind (a cancelled context mid-call) may have.
func MayHaveActed(err error) bool {
	if err == nil {
		return false
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Unreachable && e.Sent
	}
	return !errors.Is(err, ErrNotFound)
}

// Unsent marks err as a failure of a call that creates nothing (a look-up
// before the create), so it is retried like a provider that is down.
func Unsent(err error) error {
	var e *Error
	if errors.As(err, &e) {
		e.Sent = false
	}
	return err
}

// Refusal returns the provider's refusal in err, or nil when err is not one.
func Refusal(err error) *Error {
	var e *Error
	if errors.As(err, &e) && !e.Unreachable {
		return e
	}
	return nil
}

// ErrNotFound is a lookup that found nothing.
var ErrNotFound = errors.New("not found")
