package printout

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SlipData is a packing slip / pick list: what goes in each parcel of one order.
type SlipData struct {
	ShopName string
	OrderNo  string
	Channel  string
	Buyer    string
	Time     time.Time
	Parcels  []SlipParcel
	Note     string
	// Copy marks a slip printed again with COPY at its top.
	Copy bool
}

// SlipParcel is one parcel's contents.
type SlipParcel struct {
	// TrackingID is printed beside the parcel when known.
	TrackingID string
	Items      []SlipItem
}

// SlipItem is one SKU to pick.
type SlipItem struct {
	SKU  string
	Name string
	Qty  int
}

// Slip lays out a packing slip with a "[ ]" tick box per item, one section
// per parcel. It refuses an item of non-positive quantity, naming the field.
func Slip(d SlipData, p Profile) (*Document, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(d.OrderNo) == "" {
		return nil, fmt.Errorf("packing slip: order_no: must not be empty")
	}
	doc := &Document{}
	addCopyMark(doc, d.Copy)
	doc.Add(Text{Text: "PACKING SLIP", Align: AlignCenter, Bold: true, Width: 2, Height: 2})
	if d.ShopName != "" {
		doc.Add(Text{Text: d.ShopName, Align: AlignCenter})
	}
	doc.Add(Separator{Char: '='})
	doc.Add(Columns{Left: "Order", Right: d.OrderNo, Bold: true})
	for _, kv := range [][2]string{{"Channel", d.Channel}, {"Buyer", d.Buyer}} {
		if kv[1] != "" {
			doc.Add(Columns{Left: kv[0], Right: kv[1]})
		}
	}
	if !d.Time.IsZero() {
		doc.Add(Columns{Left: "Date", Right: d.Time.Format("2006-01-02 15:04")})
	}
	total := 0
	for k, pc := range d.Parcels {
		doc.Add(Separator{Char: '='})
		title := "Parcel " + strconv.Itoa(k+1) + " of " + strconv.Itoa(len(d.Parcels))
		doc.Add(Columns{Left: title, Right: pc.TrackingID, Bold: true})
		doc.Add(Separator{})
		for i, it := range pc.Items {
			if it.Qty <= 0 {
				return nil, fmt.Errorf("packing slip %s: parcels[%d].items[%d].qty: must be positive, got %d", d.OrderNo, k, i, it.Qty)
			}
			total += it.Qty
			sku := it.SKU
			if sku == "" {
				sku = "(no SKU)"
			}
			doc.Add(Columns{Left: "[ ] " + sku, Right: "x" + strconv.Itoa(it.Qty), Bold: true})
			if it.Name != "" {
				doc.Add(Text{Text: it.Name, Indent: 4})
			}
		}
	}
	doc.Add(Separator{})
	doc.Add(Columns{Left: "Total items", Right: strconv.Itoa(total), Bold: true})
	if d.Note != "" {
		doc.Add(Text{Text: "Note: " + d.Note})
	}
	doc.Add(Feed{Lines: 1})
	doc.Add(Text{Text: "Packed by: ____________"})
	doc.Add(Cut{})
	return doc, nil
}
