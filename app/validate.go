package app

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The one set of rules for values that enter the shop. Webhooks, sync
// mutations, CSV imports and courier updates all pass through these before
// anything commits, so a terminal never receives a value it cannot store or
// print. Each refusal is an EInvalid FieldError naming the field.

// CheckID refuses an id that is empty, longer than max, or that holds a
// space, a control or an invisible character: ids become store keys and
// must read back exactly as staff see them.
func CheckID(field, id string, max int) error {
	if strings.TrimSpace(id) == "" {
		return FieldError(field, "is required")
	}
	return checkKey(field, id, max)
}

// checkKey is CheckID for an id that may be absent.
func checkKey(field, s string, max int) error {
	if err := checkLength(field, s, max); err != nil {
		return err
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return FieldError(field, "contains a space, a control character or an invisible character")
		}
	}
	return nil
}

// checkSKU refuses a SKU with control or invisible characters, or spaces at
// its ends; spaces inside are allowed because shops write SKUs that way.
func checkSKU(field, s string) error {
	if err := checkLength(field, s, MaxSKULen); err != nil {
		return err
	}
	if s != strings.TrimSpace(s) {
		return FieldError(field, "starts or ends with a space")
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return FieldError(field, "contains a control character or an invisible character")
		}
	}
	return nil
}

// checkLine refuses one-line text (a name, a number, a courier) longer than
// max or with any control character.
func checkLine(field, s string, max int) error {
	if err := checkLength(field, s, max); err != nil {
		return err
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return FieldError(field, "contains a control character")
		}
	}
	return nil
}

// checkText refuses free text (a note, an address, a reason) longer than
// max or with control characters other than line breaks and tabs.
func checkText(field, s string, max int) error {
	if err := checkLength(field, s, max); err != nil {
		return err
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return FieldError(field, "contains a control character")
		}
	}
	return nil
}

func checkLength(field, s string, max int) error {
	if len(s) > max {
		return FieldError(field, "is longer than %d characters", max)
	}
	if !utf8.ValidString(s) {
		return FieldError(field, "is not valid UTF-8 text")
	}
	return nil
}

// CheckQty refuses a line quantity outside 1..MaxQty.
func CheckQty(field string, q int) error {
	if q < 1 || q > MaxQty {
		return FieldError(field, "must be between 1 and %d, got %d", MaxQty, q)
	}
	return nil
}

// CheckAmount refuses an amount outside 0..MaxAmount minor units.
func CheckAmount(field string, m Money) error {
	if m < 0 || m > MaxAmount {
		return FieldError(field, "must be between 0 and %d, got %d", int64(MaxAmount), int64(m))
	}
	return nil
}

// checkCount refuses a count (parcel number, stock, weight) outside 0..max.
func checkCount(field string, n, max int) error {
	if n < 0 || n > max {
		return FieldError(field, "must be between 0 and %d, got %d", max, n)
	}
	return nil
}

// ValidateExternalID checks an order id as its channel issues it:
// WooCommerce and Tokopedia ids are positive whole numbers (a WooCommerce
// order of a shop's second or later store carries its store key first,
// "toko2.example.id/1001", see WooExternalID), Shopee's order
// numbers are capital letters and digits, and every id is a clean key.
func ValidateExternalID(ch Channel, field, id string) error {
	if err := CheckID(field, id, MaxIDLen); err != nil {
		return err
	}
	switch ch {
	case ChannelWooCommerce:
		store, num := SplitWooExternalID(id)
		if strings.Contains(id, "/") {
			if err := checkWooStore(field, store); err != nil {
				return err
			}
		}
		if !positiveInteger(num) {
			return FieldError(field, "must be a positive whole number for %s, got %q", ch.Label(), shown(id))
		}
	case ChannelTokopedia:
		if !positiveInteger(id) {
			return FieldError(field, "must be a positive whole number for %s, got %q", ch.Label(), shown(id))
		}
	case ChannelShopee:
		for _, r := range id {
			if (r < '0' || r > '9') && (r < 'A' || r > 'Z') {
				return FieldError(field, "must be capital letters and digits for Shopee, got %q", shown(id))
			}
		}
	}
	return nil
}

// positiveInteger reports whether s is a whole number from 1 to 2^63-1,
// written plainly: no sign, no leading zero, no decimals or exponent.
func positiveInteger(s string) bool {
	if s == "" || s[0] == '0' {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// shown shortens a refused value for a message, so a 1 MB id is not echoed.
func shown(s string) string {
	if len(s) <= 40 {
		return s
	}
	cut := 40
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// totalTolerance is how far a channel's total may differ from lines +
// shipping + tax − discount: WooCommerce rounds each line's unit price to
// the currency, so one minor unit per line; the others send whole amounts.
func totalTolerance(ch Channel, lines int) Money {
	if ch == ChannelWooCommerce {
		return Money(lines + 1)
	}
	return 0
}

// Validate checks an order's own fields against the shop's limits and names
// the first field that is wrong; it returns EInvalid.
func (o *Order) Validate() error {
	if !o.Channel.Valid() {
		return FieldError("channel", "unknown channel %q", shown(string(o.Channel)))
	}
	if o.Status != "" && !o.Status.Valid() {
		return FieldError("status", "unknown status %q", shown(string(o.Status)))
	}
	if err := o.Currency.Validate(); err != nil {
		return err
	}
	for _, k := range []struct {
		field, v string
		max      int
	}{
		{"id", o.ID, MaxOrderIDLen}, {"external_id", o.ExternalID, MaxIDLen}, {"shop", o.Shop, MaxIDLen},
		{"channel_status", o.ChannelStatus, MaxCodeLen}, {"payment_status", string(o.PaymentStatus), MaxCodeLen},
		{"delivery_status", string(o.DeliveryStatus), MaxCodeLen}, {"cancel_reason", string(o.CancelReason), MaxCodeLen},
	} {
		if err := checkKey(k.field, k.v, k.max); err != nil {
			return err
		}
	}
	if len(o.Lines) == 0 && !o.DetailsPending {
		return FieldError("lines", "an order needs at least one line")
	}
	if len(o.Lines) > MaxLinesPerOrder {
		return FieldError("lines", "an order may have at most %d lines, got %d", MaxLinesPerOrder, len(o.Lines))
	}
	for i, l := range o.Lines {
		if err := l.validate("lines[" + itoa(i) + "]"); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		name string
		v    Money
	}{{"shipping_fee", o.ShippingFee}, {"discount", o.Discount}, {"tax", o.Tax}, {"total", o.Total}, {"paid", o.Paid}} {
		if err := CheckAmount(f.name, f.v); err != nil {
			return err
		}
	}
	if o.PaymentMethod != "" {
		if _, err := ParsePaymentMethod(string(o.PaymentMethod)); err != nil {
			return err
		}
	}
	if err := o.validateText(); err != nil {
		return err
	}
	if err := o.validateParcels(); err != nil {
		return err
	}
	return o.validateTotal()
}

// validate checks one line; field is its place in the order ("lines[3]").
func (l Line) validate(field string) error {
	if strings.TrimSpace(l.Name) == "" && strings.TrimSpace(l.SKU) == "" {
		return FieldError(field+".sku", "a line needs a SKU or a name")
	}
	if err := checkSKU(field+".sku", strings.TrimSpace(l.SKU)); err != nil {
		return err
	}
	if err := checkLine(field+".name", l.Name, MaxNameLen); err != nil {
		return err
	}
	if err := checkKey(field+".external_id", l.ExternalID, MaxIDLen); err != nil {
		return err
	}
	if err := checkKey(field+".channel_status", l.ChannelStatus, MaxCodeLen); err != nil {
		return err
	}
	if err := CheckQty(field+".qty", l.Qty); err != nil {
		return err
	}
	if err := CheckAmount(field+".unit_price", l.UnitPrice); err != nil {
		return err
	}
	if err := CheckAmount(field+".unit_cost", l.UnitCost); err != nil {
		return err
	}
	amt, ok := l.UnitPrice.Times(l.Qty)
	if !ok || amt > MaxAmount {
		return FieldError(field+".qty", "quantity × price is more than %d", int64(MaxAmount))
	}
	if l.Discount < 0 || l.Discount > amt {
		return FieldError(field+".discount", "a line discount must be between 0 and the line's amount, got %d", int64(l.Discount))
	}
	return nil
}

func (o *Order) validateText() error {
	b, a := o.Buyer, o.Buyer.Address
	for _, t := range []struct {
		field, v string
		max      int
		free     bool
	}{
		{"number", o.Number, MaxNumberLen, false}, {"note", o.Note, MaxNoteLen, true},
		{"created_by", o.CreatedBy, MaxStaffLen, false}, {"cancel_note", o.CancelNote, MaxReasonLen, true},
		{"buyer.name", b.Name, MaxNameLen, false}, {"buyer.phone", b.Phone, MaxPhoneLen, false},
		{"buyer.email", b.Email, MaxEmailLen, false}, {"buyer.address.street", a.Street, MaxAddressLen, true},
		{"buyer.address.district", a.District, MaxPlaceLen, false}, {"buyer.address.city", a.City, MaxPlaceLen, false},
		{"buyer.address.province", a.Province, MaxPlaceLen, false}, {"buyer.address.postal_code", a.PostalCode, MaxPlaceLen, false},
		{"buyer.address.country", a.Country, MaxPlaceLen, false}, {"invoice.number", o.Invoice.Number, MaxNumberLen + len("INV-"), false},
		{"shipment.courier", o.Shipment.Courier, MaxCodeLen, false}, {"shipment.service", o.Shipment.Service, MaxCodeLen, false},
		{"shipment.pickup_address", o.Shipment.PickupAddress, MaxAddressLen, true},
		{"shipment.fail_reason", o.Shipment.FailReason, MaxReasonLen, true},
	} {
		check := checkLine
		if t.free {
			check = checkText
		}
		if err := check(t.field, t.v, t.max); err != nil {
			return err
		}
	}
	if o.Channel == ChannelManual || o.Channel == ChannelInStore {
		// Staff typed it and can correct it; a web store's order is never refused for its buyer's typo.
		if err := ValidBuyerEmail(b.Email); err != nil {
			return err
		}
	}
	if o.Shipment.TrackingID != "" {
		if err := ValidateTrackingID(o.Shipment.TrackingID); err != nil {
			return err
		}
	}
	if r := o.PaymentReceipt; r != nil {
		if err := checkKey("payment_receipt.image_url", r.ImageURL, MaxURLLen); err != nil {
			return err
		}
		if err := checkText("payment_receipt.message", r.Message, MaxReasonLen); err != nil {
			return err
		}
	}
	if o.CancelRequest != nil {
		if err := checkText("cancel_request.reason", o.CancelRequest.Reason, MaxReasonLen); err != nil {
			return err
		}
	}
	if o.Complaint != nil {
		if err := checkText("complaint.reason", o.Complaint.Reason, MaxReasonLen); err != nil {
			return err
		}
	}
	return o.validateSale()
}

// maxPayments is more tenders than one counter sale is split into.
const maxPayments = 10

// validateSale checks what only an in-store sale carries: its tenders, its
// shift and who approved it, and the refunds recorded on it.
func (o *Order) validateSale() error {
	if len(o.Payments) > maxPayments {
		return FieldError("payments", "a sale may be split into at most %d payments, got %d", maxPayments, len(o.Payments))
	}
	for i, p := range o.Payments {
		f := "payments[" + itoa(i) + "]"
		if _, err := ParsePaymentMethod(string(p.Method)); err != nil {
			return err
		}
		if err := CheckAmount(f+".amount", p.Amount); err != nil {
			return err
		}
		if err := checkLine(f+".ref", p.Ref, MaxCodeLen); err != nil {
			return err
		}
	}
	if s := o.Sale; s != nil {
		if err := checkKey("sale.shift_id", s.ShiftID, MaxIDLen); err != nil {
			return err
		}
		if err := checkKey("sale.terminal", s.Terminal, MaxIDLen); err != nil {
			return err
		}
		if err := checkLine("sale.approved_by", s.ApprovedBy, MaxStaffLen); err != nil {
			return err
		}
		if err := CheckAmount("sale.change", s.Change); err != nil {
			return err
		}
	}
	if len(o.Refunds) > MaxLinesPerOrder {
		return FieldError("refunds", "an order may have at most %d refunds", MaxLinesPerOrder)
	}
	for i, r := range o.Refunds {
		f := "refunds[" + itoa(i) + "]"
		if err := checkText(f+".reason", r.Reason, MaxReasonLen); err != nil {
			return err
		}
		if err := CheckAmount(f+".amount", r.Amount); err != nil {
			return err
		}
		if len(r.Lines) > MaxLinesPerOrder {
			return FieldError(f+".lines", "a refund may have at most %d lines", MaxLinesPerOrder)
		}
	}
	return nil
}

func (o *Order) validateParcels() error {
	if len(o.Parcels) > MaxLinesPerOrder {
		return FieldError("parcels", "an order may have at most %d parcels, got %d", MaxLinesPerOrder, len(o.Parcels))
	}
	for i, p := range o.Parcels {
		field := "parcels[" + itoa(i) + "]"
		if len(p.Items) > MaxLinesPerOrder {
			return FieldError(field+".items", "a parcel may hold at most %d lines, got %d", MaxLinesPerOrder, len(p.Items))
		}
		for j, it := range p.Items {
			f := field + ".items[" + itoa(j) + "]"
			if err := checkCount(f+".line", it.Line, MaxLinesPerOrder); err != nil {
				return err
			}
			if err := checkSKU(f+".sku", strings.TrimSpace(it.SKU)); err != nil {
				return err
			}
			if err := checkCount(f+".qty", it.Qty, MaxQty); err != nil {
				return err
			}
		}
		for _, n := range []struct {
			name   string
			v, max int
		}{{".weight_grams", p.WeightGrams, MaxWeightGrams}, {".length_cm", p.LengthCm, MaxDimensionCm},
			{".width_cm", p.WidthCm, MaxDimensionCm}, {".height_cm", p.HeightCm, MaxDimensionCm}} {
			if err := checkCount(field+n.name, n.v, n.max); err != nil {
				return err
			}
		}
		if err := checkLine(field+".packed_by", p.PackedBy, MaxStaffLen); err != nil {
			return err
		}
	}
	return nil
}

// validateTotal refuses a total that its lines, shipping, tax and discount
// do not add up to, within the channel's rounding. A total of zero is filled
// in from the lines; an order known only from a status push has none yet.
func (o *Order) validateTotal() error {
	sum, err := o.CheckedTotal()
	if err != nil {
		return err
	}
	if sum < 0 {
		return FieldError("discount", "is more than the lines, shipping and tax together")
	}
	if sum > MaxAmount {
		return FieldError("total", "the lines, shipping and tax come to more than %d", int64(MaxAmount))
	}
	if o.Total == 0 || len(o.Lines) == 0 || o.DetailsPending {
		return nil
	}
	diff := o.Total - sum
	if diff < 0 {
		diff = -diff
	}
	if diff > totalTolerance(o.Channel, len(o.Lines)) {
		return FieldError("total", "is %s but the lines, shipping and tax less the discount make %s",
			o.Currency.Format(o.Total), o.Currency.Format(sum))
	}
	return nil
}

// CheckedTotal is ComputedTotal with every product and sum checked: it
// returns EInvalid instead of a total that wrapped around int64.
func (o *Order) CheckedTotal() (Money, error) {
	var sum Money
	for i, l := range o.Lines {
		if l.Cancelled {
			continue
		}
		amt, ok := l.UnitPrice.Times(l.Qty)
		if ok {
			sum, ok = sum.Plus(amt - l.Discount)
		}
		if !ok {
			return 0, FieldError("lines["+itoa(i)+"].qty", "quantity × price is too large to add up")
		}
	}
	sum, ok := sum.Plus(o.ShippingFee)
	if ok && !o.TaxIncluded {
		sum, ok = sum.Plus(o.Tax)
	}
	if ok {
		sum, ok = sum.Plus(-o.Discount)
	}
	if !ok || o.Discount == minMoney {
		return 0, FieldError("total", "the amounts are too large to add up")
	}
	return sum, nil
}

// Validate checks a product's fields and names the first one that is wrong.
func (p *Product) Validate() error {
	if strings.TrimSpace(p.SKU) == "" {
		return FieldError("sku", "is required")
	}
	if err := checkSKU("sku", p.SKU); err != nil {
		return err
	}
	if strings.TrimSpace(p.Name) == "" {
		return FieldError("name", "is required")
	}
	if err := checkLine("name", p.Name, MaxNameLen); err != nil {
		return err
	}
	if err := checkKey("barcode", p.Barcode, MaxSKULen); err != nil {
		return err
	}
	if err := p.Currency.Validate(); err != nil {
		return err
	}
	if err := CheckAmount("price", p.Price); err != nil {
		return err
	}
	if err := CheckAmount("cost", p.Cost); err != nil {
		return err
	}
	if err := checkCount("on_hand", p.OnHand, MaxStock); err != nil {
		return err
	}
	if err := checkCount("allocated", p.Allocated, MaxStock); err != nil {
		return err
	}
	if err := checkCount("damaged", p.Damaged, MaxStock); err != nil {
		return err
	}
	if err := checkCount("reorder_level", p.ReorderLevel, MaxStock); err != nil {
		return err
	}
	if err := checkLine("category", p.Category, MaxPlaceLen); err != nil {
		return err
	}
	return checkCount("weight_grams", p.WeightGrams, MaxWeightGrams)
}

// validate checks every argument an action may read, whatever the action.
func (a Args) validate() error {
	for _, t := range []struct {
		field, v string
		max      int
		free     bool
	}{
		{"args.reason", a.Reason, MaxReasonLen, true}, {"args.note", a.Note, MaxNoteLen, true},
		{"args.pickup_address", a.PickupAddress, MaxAddressLen, true},
		{"args.courier", a.Courier, MaxCodeLen, false}, {"args.service", a.Service, MaxCodeLen, false},
		{"args.resolution", string(a.Resolution), MaxCodeLen, false}, {"args.document", string(a.Document), MaxCodeLen, false},
	} {
		check := checkLine
		if t.free {
			check = checkText
		}
		if err := check(t.field, t.v, t.max); err != nil {
			return err
		}
	}
	if err := checkKey("args.channel_status", a.ChannelStatus, MaxCodeLen); err != nil {
		return err
	}
	if err := checkSKU("args.sku", a.SKU); err != nil {
		return err
	}
	if a.TrackingID != "" {
		if err := ValidateTrackingID(a.TrackingID); err != nil {
			return err
		}
	}
	for _, n := range []struct {
		name   string
		v, max int
	}{{"args.parcel", a.Parcel, MaxLinesPerOrder}, {"args.qty", a.Qty, MaxQty}, {"args.weight_grams", a.WeightGrams, MaxWeightGrams},
		{"args.length_cm", a.LengthCm, MaxDimensionCm}, {"args.width_cm", a.WidthCm, MaxDimensionCm}, {"args.height_cm", a.HeightCm, MaxDimensionCm}} {
		if err := checkCount(n.name, n.v, n.max); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks who is acting: a staff name and a terminal id that history can hold.
func (a Actor) Validate() error {
	if err := checkLine("actor.staff", a.Staff, MaxStaffLen); err != nil {
		return err
	}
	if err := checkKey("actor.role", string(a.Role), MaxCodeLen); err != nil {
		return err
	}
	return checkKey("actor.terminal", a.Terminal, MaxIDLen)
}

// Validate checks a courier's report before it becomes a command.
func (u CourierUpdate) Validate() error {
	for _, t := range []struct{ field, v string }{{"courier", u.Courier}, {"service", u.Service}} {
		if err := checkLine(t.field, t.v, MaxCodeLen); err != nil {
			return err
		}
	}
	if err := checkText("reason", u.Reason, MaxReasonLen); err != nil {
		return err
	}
	if u.TrackingID != "" {
		return ValidateTrackingID(u.TrackingID)
	}
	return nil
}
