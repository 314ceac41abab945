package printout

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Party is a sender or recipient on a shipping label.
type Party struct {
	Name, Phone, Address string
}

// LabelData is everything a shipping label shows for one parcel.
type LabelData struct {
	Courier, Service string
	// TrackingID is printed as CODE128 (when it fits) and as a QR code.
	TrackingID string
	OrderNo    string
	Channel    string
	Sender     Party
	Recipient  Party
	// WeightGrams is the parcel weight; 0 leaves the weight off.
	WeightGrams int
	// Parcel is k and Parcels is n in "Parcel k of n" (1-based).
	Parcel, Parcels int
	// COD is true for cash on delivery; CODAmount is what the courier collects.
	COD       bool
	CODAmount int64
	// Items is the item summary, e.g. "2x Kaos Polos M".
	Items     []string
	PrintedAt time.Time
	// Copy marks a label printed again: COPY at its top and beside the print time.
	Copy bool

	Currency    string
	FormatMoney MoneyFormat
}

// Label lays out a shipping label for profile p. A tracking ID the barcode
// cannot carry (non-ASCII, or too wide for the paper) is printed as QR and
// text only, and the reason is added to Document.Warnings.
func Label(d LabelData, p Profile) (*Document, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(d.TrackingID) == "" {
		return nil, fmt.Errorf("label for order %q: tracking_id: must not be empty", d.OrderNo)
	}
	if strings.TrimSpace(d.Recipient.Name) == "" {
		return nil, fmt.Errorf("label %s: recipient.name: must not be empty", d.TrackingID)
	}
	if d.Parcels < 0 || d.Parcel < 0 || (d.Parcels > 0 && d.Parcel > d.Parcels) {
		return nil, fmt.Errorf("label %s: parcel: %d of %d is not a parcel of the shipment", d.TrackingID, d.Parcel, d.Parcels)
	}
	money := moneyFormat(d.FormatMoney, d.Currency)
	doc := &Document{}
	addCopyMark(doc, d.Copy)

	head := strings.TrimSpace(d.Courier + " " + d.Service)
	if head != "" {
		doc.Add(Text{Text: head, Align: AlignCenter, Bold: true, Width: 2, Height: 2})
	}
	doc.Add(Separator{Char: '='})
	if err := Code128Fits(d.TrackingID, p.WidthDots); err != nil {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("tracking ID %q is printed as QR and text only: %v", d.TrackingID, err))
		doc.Add(Text{Text: d.TrackingID, Align: AlignCenter, Bold: true, Height: 2})
	} else {
		doc.Add(Barcode{Data: d.TrackingID, Height: 96})
	}
	doc.Add(QR{Data: d.TrackingID, Align: AlignCenter, Dots: min(p.WidthDots/3, 200)})

	if d.OrderNo != "" || d.Channel != "" {
		doc.Add(Columns{Left: "Order " + d.OrderNo, Right: d.Channel, Bold: true})
	}
	doc.Add(Separator{})
	party := func(title string, pt Party, big bool) {
		doc.Add(Text{Text: title, Bold: true, Underline: true})
		h := 1
		if big {
			h = 2
		}
		doc.Add(Text{Text: pt.Name, Bold: true, Height: h})
		if pt.Phone != "" {
			doc.Add(Text{Text: pt.Phone})
		}
		if pt.Address != "" {
			doc.Add(Text{Text: pt.Address})
		}
	}
	party("TO", d.Recipient, true)
	doc.Add(Separator{})
	party("FROM", d.Sender, false)
	doc.Add(Separator{})

	left := ""
	if d.WeightGrams > 0 {
		left = "Weight " + formatWeight(d.WeightGrams)
	}
	right := ""
	if d.Parcels > 0 {
		right = "Parcel " + strconv.Itoa(max(d.Parcel, 1)) + " of " + strconv.Itoa(d.Parcels)
	}
	if left != "" || right != "" {
		doc.Add(Columns{Left: left, Right: right, Bold: true})
	}
	if d.COD {
		doc.Add(Text{Text: "COD " + money(d.CODAmount), Align: AlignCenter, Bold: true, Width: 2, Height: 2})
	}
	if len(d.Items) > 0 {
		doc.Add(Text{Text: "Items:", Bold: true})
		for _, it := range d.Items {
			doc.Add(Text{Text: it, Indent: 2})
		}
	}
	if !d.PrintedAt.IsZero() {
		printed := "Printed " + d.PrintedAt.Format("2006-01-02 15:04")
		if d.Copy {
			printed = CopyMark + " - " + printed
		}
		doc.Add(Text{Text: printed, Align: AlignRight})
	}
	doc.Add(Cut{})
	return doc, nil
}

// formatWeight prints grams as kilograms with up to two decimals ("1.25 kg").
func formatWeight(g int) string {
	kg := strconv.FormatFloat(float64(g)/1000, 'f', 2, 64)
	kg = strings.TrimRight(strings.TrimRight(kg, "0"), ".")
	return kg + " kg"
}
