package app

import "time"

// previewOrder is the made-up order a template is previewed on: every
// placeholder has something to show.
func previewOrder(lang Lang) *Order {
	t := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	return &Order{ID: "preview", Channel: ChannelStore, Number: "WEB-1001", Currency: IDR, Status: StatusInDelivery,
		Buyer:       Buyer{Name: "Rina", Email: "rina@example.id", Phone: "081234567890", Lang: lang},
		Lines:       []Line{{SKU: "KAOS-1", Name: "Kaos Polos", Qty: 2, UnitPrice: 50000}},
		ShippingFee: 12000, Total: 112000, PaymentStatus: PaymentPaid, Paid: 112000,
		PaymentReceipt: &PaymentReceipt{Message: Translate(lang, "the transfer amount does not match the total")},
		Shipment:       Shipment{Courier: "JNE", TrackingID: "JNE0123456789"},
		CancelNote:     Translate(lang, "out of stock"),
		Refunds:        []Refund{{At: t, Amount: 50000}},
		PageToken:      "preview", CreatedAt: t}
}

// NoticePreview is ev in lang as a buyer would read it, on a made-up order,
// with the shop's settings as they are (switched off or not).
func (s NoticeSettings) NoticePreview(ev NoticeEvent, lang Lang, shop string) NoticeTemplate {
	o := previewOrder(lang)
	return s.Template(ev, lang).Render(s.noticeValues(o, shop, lang))
}
