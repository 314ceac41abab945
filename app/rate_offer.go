package app

import (
	"strconv"
	"strings"
)

// RateOffer is one courier service a provider offers for a shipment, as the
// Arrange dialog and `pos orders rates` list it: the rate staff may choose,
// and whether it is the cheapest or the fastest of the list.
type RateOffer struct {
	ShipmentRate
	Cheapest bool `json:"cheapest,omitempty"`
	Fastest  bool `json:"fastest,omitempty"`
}

// ETA is the offer's delivery time as staff read it ("2-3 days").
func (r RateOffer) ETA() Message {
	switch {
	case r.MaxDays <= 1 && r.MinDays <= 1:
		return Text("same or next day")
	case r.MinDays == r.MaxDays || r.MinDays == 0:
		return Text("%d days", r.MaxDays)
	}
	return Text("%d-%d days", r.MinDays, r.MaxDays)
}

// RateParcel is the parcel a rate is asked for: what Verify packed weighed
// and measured, or what staff typed in the Arrange dialog.
type RateParcel struct {
	WeightGrams int `json:"weight_grams,omitempty"`
	LengthCm    int `json:"length_cm,omitempty"`
	WidthCm     int `json:"width_cm,omitempty"`
	HeightCm    int `json:"height_cm,omitempty"`
}

// IsZero reports whether nothing was weighed or measured.
func (p RateParcel) IsZero() bool { return p == RateParcel{} }

// Validate refuses a weight or size no courier takes, naming the field.
func (p RateParcel) Validate() error {
	if p.WeightGrams < 0 || p.WeightGrams > MaxWeightGrams {
		return FieldError("Weight", "must be 0 to %d grams", MaxWeightGrams)
	}
	for f, v := range map[string]int{"Length": p.LengthCm, "Width": p.WidthCm, "Height": p.HeightCm} {
		if v < 0 || v > 1000 {
			return FieldError(f, "must be 0 to %d cm", 1000)
		}
	}
	return nil
}

// ParseRateParcel reads a weight in grams and a size in centimetres as
// typed; an empty field is 0 (the parcel's own, or the nominal box).
func ParseRateParcel(weight, length, width, height string) (RateParcel, error) {
	var p RateParcel
	for _, f := range []struct {
		name string
		text string
		to   *int
	}{{"Weight", weight, &p.WeightGrams}, {"Length", length, &p.LengthCm}, {"Width", width, &p.WidthCm}, {"Height", height, &p.HeightCm}} {
		t := strings.TrimSpace(f.text)
		if t == "" {
			continue
		}
		n, err := strconv.Atoi(t)
		if err != nil {
			return RateParcel{}, FieldError(f.name, "%q is not a whole number", shown(t))
		}
		*f.to = n
	}
	return p, p.Validate()
}

// OrderParcel is what the order's parcels say for a rate: their total
// weight and the largest box, as Verify packed recorded them.
func OrderParcel(o *Order) RateParcel {
	var p RateParcel
	for _, pc := range o.Parcels {
		p.WeightGrams += pc.WeightGrams
		p.LengthCm, p.WidthCm, p.HeightCm = max(p.LengthCm, pc.LengthCm), max(p.WidthCm, pc.WidthCm), max(p.HeightCm, pc.HeightCm)
	}
	return p
}

// ShippingWay says which way an order goes when it is arranged: with the
// marketplace's own logistics, booked by the cloud with Shipper or
// Biteship, or with the shop's own courier or staff.
func ShippingWay(o *Order, p CourierProvider) Message {
	if o.Channel.Rule().Marketplace {
		return Text("Ships with %s's own logistics: the marketplace books the courier", o.Channel)
	}
	if p.Books() {
		return Text("Booked with %s: the cloud books the courier you choose and %s finds a driver", p.Label(), p.Label())
	}
	return Text("Your own courier: staff or the shop's courier take it; no booking is made")
}

// EUnreachable is the code of a question the tablet could not put: it is
// offline, or the cloud or the provider did not answer. Arranging still
// works; the booking waits for the cloud.
const EUnreachable = "unreachable"
