package app

import "strings"

// Bill sources: who issues the airway bill that must be stuck on a parcel
// in place of the register's own label. A marketplace that ships through
// its own logistics (Shopee, Lazada, TikTok Shop, Tokopedia) prints its
// bill; Shipper makes its label mandatory ("It is mandatory to print and
// stick the label on the package", logistics-docs.shipper.id, Getting the
// Shipping Label).
const (
	BillShopee    = string(ChannelShopee)
	BillLazada    = string(ChannelLazada)
	BillTikTok    = string(ChannelTikTok)
	BillTokopedia = string(ChannelTokopedia)
	BillShipper   = string(ProviderShipper)
)

// ERefused is the code of a question the platform answered with a lasting
// no (its own words are the message): asking again will not change it.
const ERefused = "refused"

// BillSource is who issues the order's mandatory airway bill: "shopee",
// "lazada", "tiktok" or "tokopedia" for a marketplace order that ships with
// the platform's logistics, "shipper" for a shipment booked with Shipper,
// and "" when the register's own label is the parcel's label (a web-store
// or manual order with no Shipper booking, a marketplace order the shop
// shipped itself by hand or with its own courier, an in-store sale).
func BillSource(o *Order) string {
	if o == nil {
		return ""
	}
	s := o.Shipment
	if s.Method == ShipManual {
		// Shipped by hand: the shop's own courier has no platform bill to print.
		return ""
	}
	if o.Channel.Rule().Marketplace {
		if s.Provider == ProviderLogistics {
			return ""
		}
		return string(o.Channel)
	}
	if s.Provider == ProviderShipper && s.Booking != BookingRefused && s.Booking != BookingCancelled {
		return BillShipper
	}
	return ""
}

// BillIssuer is the source as staff read it ("Shopee", "Shipper").
func BillIssuer(source string) string {
	if source == BillShipper {
		return ProviderShipper.Label()
	}
	return Channel(source).Label()
}

// BillReady returns nil when the order's airway bill can exist at its
// issuer: the platform has given the tracking number (or Shipper the
// waybill of a booking it made). Errors: ENotFound when the order has no
// bill of a platform (BillSource is ""), EConflict when it is not ready yet
// or the order is cancelled.
func BillReady(o *Order) error {
	src := BillSource(o)
	if src == "" {
		return Errorf(ENotFound, "This order has no airway bill from a platform: the register's own label is its label")
	}
	who := BillIssuer(src)
	if o.Status == StatusCancelled {
		return Errorf(EConflict, "%s's airway bill is not printed: the order is cancelled", who)
	}
	if src == BillShipper && strings.TrimSpace(o.Shipment.ProviderOrderID) == "" {
		return Errorf(EConflict, "%s's label is not ready: the booking is not made yet", who)
	}
	if strings.TrimSpace(o.Shipment.TrackingID) == "" && strings.TrimSpace(o.Shipment.AWB) == "" {
		return Errorf(EConflict, "%s's airway bill is not ready: the order has no tracking number yet", who)
	}
	return nil
}

// Bill widths a label printer may ask for, in dots: from a 58 mm receipt
// roll's inner width to a 6-inch label at 203 dpi. Wider pages would only
// cost the cloud memory.
const (
	MinBillDots = 96
	MaxBillDots = 1248
)

// ValidateBillDots checks the printer width a bill is asked at.
func ValidateBillDots(dots int) error {
	if dots < MinBillDots || dots > MaxBillDots {
		return FieldError("Printer width", "must be %d to %d dots", MinBillDots, MaxBillDots)
	}
	return nil
}
