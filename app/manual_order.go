package app

import (
	"strings"
	"unicode"
)

// ManualOrder is an order taken on WhatsApp or social media, as staff typed
// it. The form on the tablet and `pos orders new` both check it here, field
// by field as staff type and in full before it is placed.
type ManualOrder struct {
	Channel    Channel
	BuyerName  string
	Phone      string
	Email      string
	Street     string
	City       string
	PostalCode string
	Payment    PaymentMethod
	// ShippingFee and Discount are amounts as typed ("15.000" or "15000" in rupiah).
	ShippingFee string
	Discount    string
	Note        string
	Lines       []Line
}

// ManualField is one field of a manual order, by the name the form and the
// command line share.
type ManualField string

// The fields of a manual order.
const (
	ManualBuyerName   ManualField = "buyer_name"
	ManualPhone       ManualField = "phone"
	ManualStreet      ManualField = "street"
	ManualCity        ManualField = "city"
	ManualPostalCode  ManualField = "postal_code"
	ManualShippingFee ManualField = "shipping_fee"
	ManualDiscount    ManualField = "discount"
	ManualLines       ManualField = "lines"
)

// ManualFields lists the fields in the order the form shows them.
var ManualFields = []ManualField{ManualBuyerName, ManualPhone, ManualStreet, ManualCity, ManualPostalCode, ManualShippingFee, ManualDiscount, ManualLines}

// Postal codes in Indonesia have five digits; a phone number has 8 to 15.
const (
	postalCodeDigits = 5
	minPhoneDigits   = 8
	maxPhoneDigits   = 15
)

// Required reports whether staff must fill the field: the buyer's name
// always, and for cash on delivery the phone and the address too, since the
// courier collects the money at the door and calls when lost.
func (m ManualOrder) Required(f ManualField) bool {
	switch f {
	case ManualBuyerName, ManualLines:
		return true
	case ManualPhone, ManualStreet, ManualCity:
		return m.Payment == PayCOD
	}
	return false
}

// CheckField checks one field as typed, so the form can say what is wrong
// while staff type; nil when the field is fine. Errors: EInvalid naming the field.
func (m ManualOrder) CheckField(f ManualField, cur Currency) error {
	switch f {
	case ManualBuyerName:
		name := strings.TrimSpace(m.BuyerName)
		if name == "" {
			return FieldError("Buyer name", "is required")
		}
		if len(name) > MaxNameLen {
			return FieldError("Buyer name", "is longer than %d characters", MaxNameLen)
		}
	case ManualPhone:
		return checkPhone(m.Phone, m.Required(f))
	case ManualStreet:
		if m.Required(f) && strings.TrimSpace(m.Street) == "" {
			return FieldError("Street", "is required for cash on delivery")
		}
		if len(m.Street) > MaxNameLen*2 {
			return FieldError("Street", "is longer than %d characters", MaxNameLen*2)
		}
	case ManualCity:
		if m.Required(f) && strings.TrimSpace(m.City) == "" {
			return FieldError("City", "is required for cash on delivery")
		}
		if len(m.City) > MaxNameLen {
			return FieldError("City", "is longer than %d characters", MaxNameLen)
		}
	case ManualPostalCode:
		p := strings.TrimSpace(m.PostalCode)
		if p != "" && (len(p) != postalCodeDigits || strings.Trim(p, "0123456789") != "") {
			return FieldError("Postal code", "must be %d digits, like 40111", postalCodeDigits)
		}
	case ManualShippingFee:
		if _, err := ParseTypedAmount(cur, m.ShippingFee); err != nil {
			return FieldError("Shipping fee", "must be an amount such as %s", amountExample(cur))
		}
	case ManualDiscount:
		disc, err := ParseTypedAmount(cur, m.Discount)
		if err != nil {
			return FieldError("Discount", "must be an amount such as %s", amountExample(cur))
		}
		if len(m.Lines) > 0 {
			ship, _ := ParseTypedAmount(cur, m.ShippingFee)
			if disc > m.subtotal()+ship {
				return FieldError("Discount", "cannot be more than the items and shipping")
			}
		}
	case ManualLines:
		if len(m.Lines) == 0 {
			return Errorf(EInvalid, "Add at least one product or a free-text item")
		}
	}
	return nil
}

// checkPhone accepts a number written the usual ways (0812-3456-7890,
// +62 812 3456 7890) and refuses letters or a number too short to call.
func checkPhone(phone string, required bool) error {
	p := strings.TrimSpace(phone)
	if p == "" {
		if required {
			return FieldError("Phone", "is required for cash on delivery")
		}
		return nil
	}
	return phoneField("Phone", p)
}

// phoneField checks a phone number written the usual ways, naming field.
func phoneField(field, p string) error {
	if strings.Trim(p, "0123456789+-() .") != "" {
		return FieldError(field, "may hold only digits, spaces, + or -")
	}
	digits := 0
	for _, r := range p {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	if digits < minPhoneDigits || digits > maxPhoneDigits {
		return FieldError(field, "must have %d to %d digits, not %d", minPhoneDigits, maxPhoneDigits, digits)
	}
	return nil
}

func (m ManualOrder) subtotal() Money {
	var sub Money
	for _, l := range m.Lines {
		sub += Money(l.Qty) * l.UnitPrice
	}
	return sub
}

// Problems checks every field and returns each problem, in the form's order.
func (m ManualOrder) Problems(cur Currency) map[ManualField]error {
	out := map[ManualField]error{}
	for _, f := range ManualFields {
		if err := m.CheckField(f, cur); err != nil {
			out[f] = err
		}
	}
	return out
}

// Build checks every field and makes the order to place, or returns the
// first problem in the form's order. Errors: EInvalid naming the field.
func (m ManualOrder) Build(cur Currency) (*Order, error) {
	for _, f := range ManualFields {
		if err := m.CheckField(f, cur); err != nil {
			return nil, err
		}
	}
	ship, _ := ParseTypedAmount(cur, m.ShippingFee)
	disc, _ := ParseTypedAmount(cur, m.Discount)
	ch := m.Channel
	if ch == "" {
		ch = ChannelManual
	}
	pay := m.Payment
	if pay == "" {
		pay = PayTransfer
	}
	o := &Order{Channel: ch, Currency: cur, PaymentMethod: pay, ShippingFee: ship, Discount: disc,
		Note: strings.TrimSpace(m.Note), Lines: append([]Line(nil), m.Lines...),
		Buyer: Buyer{Name: strings.TrimSpace(m.BuyerName), Phone: strings.TrimSpace(m.Phone), Email: strings.TrimSpace(m.Email),
			Address: Address{Street: strings.TrimSpace(m.Street), City: strings.TrimSpace(m.City),
				PostalCode: strings.TrimSpace(m.PostalCode), Country: "ID"}}}
	return o, nil
}

// CheckStock refuses a line of qty of a product when the shop cannot
// promise that many, so the form says so when the line is added rather than
// at Place. Errors: OUT_OF_STOCK.
func CheckStock(p *Product, qty int) error {
	if p == nil || qty <= p.Available() {
		return nil
	}
	return Errorf(EOutOfStock, "Only %d of %s in stock; %d asked", max(p.Available(), 0), p.Name, qty)
}

// ParseTypedAmount reads an amount as staff type it: "15.000" or "15000" in
// rupiah, "12.50" in dollars; empty is zero, negative is refused. Errors: EInvalid.
func ParseTypedAmount(cur Currency, text string) (Money, error) {
	t := strings.ReplaceAll(strings.TrimSpace(text), " ", "")
	if t == "" {
		return 0, nil
	}
	if cur.Decimals() == 0 {
		t = strings.ReplaceAll(t, ".", "")
	} else {
		t = strings.ReplaceAll(t, ",", "")
	}
	v, err := cur.ParseMoney(t)
	if err != nil {
		return 0, err
	}
	if v < 0 {
		return 0, Errorf(EInvalid, "An amount cannot be negative")
	}
	return v, nil
}

// amountExample is an amount written the way the currency is typed.
func amountExample(cur Currency) string {
	if cur.Decimals() > 0 {
		return "12.50"
	}
	return "15000"
}
