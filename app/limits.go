package app

// Limits on every value that enters the shop, from a channel, a terminal, a
// CSV or a courier. They are generous for a real shop and small enough that
// every terminal can store whatever the cloud accepts: no key outgrows an
// index, no sum leaves int64. docs/webhooks.md lists them for integrators.
const (
	// MaxLinesPerOrder is the most lines one order may have. Shopee allows
	// 100 per order, so 500 is generous; cost per order stays linear and small.
	MaxLinesPerOrder = 500
	// MaxQty is the most pieces one line may order.
	MaxQty = 100_000
	// MaxAmount is the largest price, fee, line amount or total, in minor
	// units: Rp 10 trillion, or S$ 100 billion. MaxQty × MaxAmount fits in int64.
	MaxAmount Money = 10_000_000_000_000
	// MaxStock is the most pieces of one product a shop may hold.
	MaxStock = 1_000_000_000
	// MaxWeightGrams bounds a product's or a parcel's weight (one tonne).
	MaxWeightGrams = 1_000_000
	// MaxDimensionCm bounds a parcel's side.
	MaxDimensionCm = 1_000
	// MaxImportRows is the most products one CSV may carry.
	MaxImportRows = 100_000
)

// Text limits, in bytes of UTF-8.
const (
	// MaxIDLen bounds channel ids, line ids and the ids that name orders.
	MaxIDLen = 128
	// MaxOrderIDLen bounds an order id: a channel name, a colon and a channel id.
	MaxOrderIDLen = 160
	// MaxSKULen bounds a SKU and a barcode.
	MaxSKULen = 64
	// MaxNumberLen bounds an order number; it has room for a channel prefix
	// and a whole channel id, the number an order gets when it names none.
	MaxNumberLen = 140
	// MaxNameLen bounds a buyer's, a product's or a line's name.
	MaxNameLen = 200
	// MaxStaffLen bounds a staff member's name in history.
	MaxStaffLen = 100
	// MaxPhoneLen bounds a phone number.
	MaxPhoneLen = 32
	// MaxEmailLen is the longest address RFC 5321 allows.
	MaxEmailLen = 254
	// MaxAddressLen bounds a street address or a pickup address.
	MaxAddressLen = 500
	// MaxPlaceLen bounds a district, city, province, postal code or country.
	MaxPlaceLen = 100
	// MaxCodeLen bounds couriers, services, channel status codes and tracking ids.
	MaxCodeLen = 64
	// MaxReasonLen bounds a reason (reject, cancel, complaint, delivery failure).
	MaxReasonLen = 500
	// MaxNoteLen bounds a note on an order or an action.
	MaxNoteLen = 2000
	// MaxURLLen bounds a link such as a payment receipt's image.
	MaxURLLen = 2048
)
