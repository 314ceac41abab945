package app

import (
	"errors"
	"strings"
	"testing"
)

func goodManual() ManualOrder {
	return ManualOrder{BuyerName: "Bu Rina", Phone: "0812-3456-7890", Street: "Jl. Braga 12", City: "Bandung",
		PostalCode: "40111", Payment: PayTransfer, ShippingFee: "15.000", Discount: "5000",
		Lines: []Line{{SKU: "SKU-1", Name: "Kopi", Qty: 2, UnitPrice: 85000}}}
}

func TestManualOrderRules(t *testing.T) {
	o, err := goodManual().Build(IDR)
	if err != nil {
		t.Fatal(err)
	}
	if o.Buyer.Address.PostalCode != "40111" || o.ShippingFee != 15000 || o.Discount != 5000 || o.Channel != ChannelManual {
		t.Fatalf("built %+v", o)
	}
	for name, c := range map[string]struct {
		edit  func(m *ManualOrder)
		field string
		says  string
	}{
		"no name":            {func(m *ManualOrder) { m.BuyerName = " " }, "Buyer name", "Buyer name is required"},
		"letters in phone":   {func(m *ManualOrder) { m.Phone = "0812-ABC" }, "Phone", "may hold only digits"},
		"short phone":        {func(m *ManualOrder) { m.Phone = "0812" }, "Phone", "must have 8 to 15 digits, not 4"},
		"postcode of 4":      {func(m *ManualOrder) { m.PostalCode = "4011" }, "Postal code", "must be 5 digits"},
		"postcode letters":   {func(m *ManualOrder) { m.PostalCode = "4O111" }, "Postal code", "must be 5 digits"},
		"bad shipping":       {func(m *ManualOrder) { m.ShippingFee = "lima ribu" }, "Shipping fee", "such as 15000"},
		"negative discount":  {func(m *ManualOrder) { m.Discount = "-1" }, "Discount", "such as 15000"},
		"discount above all": {func(m *ManualOrder) { m.Discount = "999999" }, "Discount", "cannot be more than the items and shipping"},
		"no lines":           {func(m *ManualOrder) { m.Lines = nil }, "", "Add at least one product"},
		"COD without phone":  {func(m *ManualOrder) { m.Payment, m.Phone = PayCOD, "" }, "Phone", "is required for cash on delivery"},
		"COD without street": {func(m *ManualOrder) { m.Payment, m.Street = PayCOD, "" }, "Street", "is required for cash on delivery"},
		"COD without city":   {func(m *ManualOrder) { m.Payment, m.City = PayCOD, "" }, "City", "is required for cash on delivery"},
	} {
		m := goodManual()
		c.edit(&m)
		_, err := m.Build(IDR)
		var ae *Error
		if !errors.As(err, &ae) || ErrorCode(err) != EInvalid || string(ae.Field) != c.field || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: got %v, want %s: …%s", name, err, c.field, c.says)
			continue
		}
		if id := ErrorMessageIn(err, Indonesian); id == err.Error() {
			t.Errorf("%s: the Indonesian message is the English one: %q", name, id)
		}
	}
	// Without COD the phone and address may stay empty.
	m := goodManual()
	m.Phone, m.Street, m.City, m.PostalCode = "", "", "", ""
	if _, err := m.Build(IDR); err != nil {
		t.Fatalf("a transfer order without an address: %v", err)
	}
	if m.Required(ManualPhone) || !m.Required(ManualBuyerName) {
		t.Fatal("required fields for a transfer")
	}
	m.Payment = PayCOD
	if !m.Required(ManualPhone) || !m.Required(ManualStreet) || !m.Required(ManualCity) {
		t.Fatal("COD needs phone and address")
	}
	if p := m.Problems(IDR); len(p) != 3 || p[ManualPhone] == nil || p[ManualStreet] == nil || p[ManualCity] == nil {
		t.Fatalf("problems of a COD order without contact: %v", p)
	}
}

func TestStockIsCheckedWhenALineIsAdded(t *testing.T) {
	p := &Product{SKU: "SKU-12", Name: "Topi", OnHand: 3, Allocated: 1}
	if err := CheckStock(p, 2); err != nil {
		t.Fatal(err)
	}
	err := CheckStock(p, 3)
	if ErrorCode(err) != EOutOfStock || err.Error() != "Only 2 of Topi in stock; 3 asked" {
		t.Fatalf("3 of 2 in stock: %v (%s)", err, ErrorCode(err))
	}
	if CheckStock(nil, 99) != nil {
		t.Fatal("a free-text line has no stock to check")
	}
}
