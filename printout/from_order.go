package printout

import (
	"fmt"
	"strconv"
	"time"

	"github.com/kasir/pos/app"
)

// Shop is the shop's own details, printed on receipts and as a label's
// sender: the shop part of its printing setup (app.PrintShop).
type Shop = app.PrintShop

func orderMoney(o *app.Order) MoneyFormat {
	return func(m int64) string { return o.Currency.Format(app.Money(m)) }
}

// ReceiptFromOrder maps an order to receipt input; amounts are formatted
// with the order's currency exactly as app formats them on screen.
func ReceiptFromOrder(o *app.Order, shop Shop) ReceiptData {
	d := ReceiptData{
		ShopName: shop.Name, ShopAddress: shop.Address, ShopPhone: shop.Phone,
		ReceiptNo:     o.Invoice.Number,
		Time:          o.CreatedAt,
		Cashier:       o.CreatedBy,
		Channel:       o.Channel.Rule().Label,
		OrderNo:       o.Number,
		Discount:      int64(o.Discount),
		Tax:           int64(o.Tax),
		Shipping:      int64(o.ShippingFee),
		Total:         int64(o.Total),
		PaymentMethod: o.PaymentMethod.Label(),
		Paid:          int64(o.Paid),
		Footer:        shop.Footer,
		Currency:      string(o.Currency),
		FormatMoney:   orderMoney(o),
	}
	if d.ReceiptNo == "" {
		d.ReceiptNo = o.Number
	}
	if o.PaymentMethod == "" {
		d.PaymentMethod = ""
	}
	if d.Total == 0 {
		d.Total = int64(o.ComputedTotal())
	}
	if d.Paid > d.Total {
		d.Change = d.Paid - d.Total
	}
	for _, l := range o.Lines {
		if l.Cancelled {
			continue // the platform cancelled it: not sold, not packed
		}
		d.Lines = append(d.Lines, ReceiptLine{Name: l.Name, Qty: l.Qty, UnitPrice: int64(l.UnitPrice), Amount: int64(l.Amount()), Discount: int64(l.Discount)})
	}
	d.TaxIncluded = o.TaxIncluded
	for _, p := range o.Payments {
		d.Payments = append(d.Payments, ReceiptPayment{Method: p.Method.Label(), Amount: int64(p.Amount), Ref: p.Ref})
		if p.Method == app.PayCash {
			d.OpenDrawer = true
		}
	}
	if o.Sale != nil {
		d.Change = int64(o.Sale.Change)
	}
	if shop.ReceiptURLPrefix != "" {
		d.QRURL = shop.ReceiptURLPrefix + o.ID
		if o.PageToken != "" {
			d.QRURL = shop.ReceiptURLPrefix + o.PageToken // the cloud's order page, /o/{token}
		}
	}
	if link := (app.NoticeSettings{PageURL: shop.PageURL}).PageLink(o); link != "" {
		d.QRURL = link
	}
	return d
}

// RefundFromOrder maps refund i of a sale to a refund receipt: the lines given
// back, the amount and how it was paid back, headed REFUND with the reason.
func RefundFromOrder(o *app.Order, i int, shop Shop) (ReceiptData, error) {
	if i < 0 || i >= len(o.Refunds) {
		return ReceiptData{}, fmt.Errorf("order %s: refund %d: the sale has %d refunds", o.Number, i+1, len(o.Refunds))
	}
	r := o.Refunds[i]
	d := ReceiptData{
		ShopName: shop.Name, ShopAddress: shop.Address, ShopPhone: shop.Phone,
		Title: "REFUND", Reason: r.Reason,
		ReceiptNo: o.Number + "-R" + strconv.Itoa(i+1), Time: r.At, Cashier: r.By, OrderNo: o.Number,
		Total:      int64(r.Amount),
		Payments:   []ReceiptPayment{{Method: r.Method.Label(), Amount: int64(r.Amount)}},
		OpenDrawer: r.Method == app.PayCash,
		Footer:     shop.Footer, Currency: string(o.Currency), FormatMoney: orderMoney(o),
	}
	for _, rl := range r.Lines {
		if rl.Line < 1 || rl.Line > len(o.Lines) {
			continue
		}
		l := o.Lines[rl.Line-1]
		d.Lines = append(d.Lines, ReceiptLine{Name: l.Name, Qty: rl.Qty, UnitPrice: int64(l.UnitPrice), Amount: int64(rl.Amount)})
	}
	var sum int64
	for _, l := range d.Lines {
		sum += l.Amount
	}
	d.Subtotal = sum
	if sum != d.Total {
		// The last refund of a sale takes what rounding left.
		d.Discount = sum - d.Total
	}
	return d, nil
}

// LabelFromOrder maps parcel parcelIndex (0-based) of an order to label
// input. PrintedAt is set to now; set it yourself for reproducible output.
// It fails when the parcel does not exist or no tracking ID is assigned yet.
func LabelFromOrder(o *app.Order, parcelIndex int, sender Party) (LabelData, error) {
	n := len(o.Parcels)
	if n == 0 {
		// An order nobody split ships as one parcel holding every line.
		if parcelIndex != 0 {
			return LabelData{}, fmt.Errorf("order %s: parcel_index: %d, but the order has one parcel", o.Number, parcelIndex)
		}
	} else if parcelIndex < 0 || parcelIndex >= n {
		return LabelData{}, fmt.Errorf("order %s: parcel_index: %d is outside 0..%d", o.Number, parcelIndex, n-1)
	}
	// A provider's waybill (AWB) is what the courier scans; its own order or tracking id is not.
	awb := o.Shipment.AWB
	if awb == "" {
		awb = o.Shipment.TrackingID
	}
	if awb == "" {
		return LabelData{}, fmt.Errorf("order %s: shipment.tracking_id: no courier has assigned one yet", o.Number)
	}
	d := LabelData{
		Courier:     o.Shipment.Courier,
		Service:     o.Shipment.Service,
		TrackingID:  awb,
		OrderNo:     o.Number,
		Channel:     o.Channel.Rule().Label,
		Sender:      sender,
		Recipient:   Party{Name: o.Buyer.Name, Phone: o.Buyer.Phone, Address: o.Buyer.Address.String()},
		Parcel:      parcelIndex + 1,
		Parcels:     max(n, 1),
		COD:         o.PaymentMethod == app.PayCOD,
		CODAmount:   int64(o.Total),
		PrintedAt:   time.Now(),
		Currency:    string(o.Currency),
		FormatMoney: orderMoney(o),
	}
	if d.COD && d.CODAmount == 0 {
		d.CODAmount = int64(o.ComputedTotal())
	}
	if n == 0 {
		for _, l := range o.Lines {
			if !l.Cancelled {
				d.Items = append(d.Items, strconv.Itoa(l.Qty)+"x "+l.Name)
			}
		}
		return d, nil
	}
	p := o.Parcels[parcelIndex]
	d.WeightGrams = p.WeightGrams
	for _, it := range p.Items {
		d.Items = append(d.Items, strconv.Itoa(it.Qty)+"x "+lineName(o, it))
	}
	return d, nil
}

func lineName(o *app.Order, it app.ParcelItem) string {
	if it.Line >= 0 && it.Line < len(o.Lines) {
		return o.Lines[it.Line].Name
	}
	return it.SKU
}

// SlipFromOrder maps an order to a packing slip, one section per parcel
// (one parcel with every line when the order was not split).
func SlipFromOrder(o *app.Order, shopName string) SlipData {
	d := SlipData{
		ShopName: shopName,
		OrderNo:  o.Number,
		Channel:  o.Channel.Rule().Label,
		Buyer:    o.Buyer.Name,
		Time:     o.CreatedAt,
		Note:     o.Note,
	}
	if len(o.Parcels) == 0 {
		var sp SlipParcel
		sp.TrackingID = o.Shipment.TrackingID
		for _, l := range o.Lines {
			if !l.Cancelled {
				sp.Items = append(sp.Items, SlipItem{SKU: l.SKU, Name: l.Name, Qty: l.Qty})
			}
		}
		d.Parcels = []SlipParcel{sp}
		return d
	}
	for _, p := range o.Parcels {
		var sp SlipParcel
		for _, it := range p.Items {
			sku := it.SKU
			if sku == "" && it.Line >= 0 && it.Line < len(o.Lines) {
				sku = o.Lines[it.Line].SKU
			}
			sp.Items = append(sp.Items, SlipItem{SKU: sku, Name: lineName(o, it), Qty: it.Qty})
		}
		d.Parcels = append(d.Parcels, sp)
	}
	return d
}
