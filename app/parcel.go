package app

import (
	"fmt"
	"strings"
)

// onlyParcel puts every line of an order into one parcel; every order starts so.
func onlyParcel(o *Order) []Parcel {
	p := Parcel{}
	for i, l := range o.Lines {
		if !l.Cancelled {
			p.Items = append(p.Items, ParcelItem{Line: i, SKU: l.SKU, Qty: l.Qty})
		}
	}
	return []Parcel{p}
}

// parcelIndex turns a 1-based parcel number into an index, naming the field on error.
func parcelIndex(o *Order, n int) (int, error) {
	if n < 1 || n > len(o.Parcels) {
		return 0, FieldError("Parcel", "must be 1 to %d on order %s, not %d", len(o.Parcels), o.Number, n)
	}
	return n - 1, nil
}

// splitParcel moves a quantity of one SKU into parcel n; n one past the last
// parcel opens a new one. Packed parcels are locked on both sides.
func splitParcel(c *change) (Status, error) {
	o, a := c.order, c.cmd.Args
	c.kind = KindPack
	sku := strings.TrimSpace(a.SKU)
	if sku == "" {
		return "", FieldError("SKU", "is required to split a parcel")
	}
	if a.Qty <= 0 {
		return "", FieldError("Quantity", "must be more than 0, not %d", a.Qty)
	}
	if a.Parcel < 1 || a.Parcel > len(o.Parcels)+1 {
		return "", FieldError("Parcel", "must be between 1 and %d (a new parcel), not %d", len(o.Parcels)+1, a.Parcel)
	}
	line := -1
	lineQty := 0
	for i, l := range o.Lines {
		if l.SKU == sku {
			if line < 0 {
				line = i
			}
			lineQty += l.Qty
		}
	}
	if line < 0 {
		return "", FieldError("SKU", "%s is not on order %s", sku, o.Number)
	}
	if a.Qty > lineQty {
		return "", FieldError("Quantity", "%d is more than the %d of %s on the order", a.Qty, lineQty, sku)
	}
	target := a.Parcel - 1
	if target == len(o.Parcels) {
		o.Parcels = append(o.Parcels, Parcel{})
	}
	if o.Parcels[target].Packed {
		return "", Errorf(EInvalid, "Parcel %d is verified packed and locked", a.Parcel)
	}
	movable := 0
	for i, p := range o.Parcels {
		if i == target {
			continue
		}
		for _, it := range p.Items {
			if it.SKU == sku && !p.Packed {
				movable += it.Qty
			}
		}
	}
	if a.Qty > movable {
		return "", Errorf(EInvalid, "Only %d of %s can move into parcel %d (the rest is already there or in a packed parcel)", movable, sku, a.Parcel)
	}
	left := a.Qty
	for i := range o.Parcels {
		if i == target || o.Parcels[i].Packed {
			continue
		}
		items := o.Parcels[i].Items[:0]
		for _, it := range o.Parcels[i].Items {
			if it.SKU == sku && left > 0 {
				take := min(it.Qty, left)
				it.Qty -= take
				left -= take
			}
			if it.Qty > 0 {
				items = append(items, it)
			}
		}
		o.Parcels[i].Items = items
	}
	merged := false
	for i, it := range o.Parcels[target].Items {
		if it.SKU == sku {
			o.Parcels[target].Items[i].Qty += a.Qty
			merged = true
		}
	}
	if !merged {
		o.Parcels[target].Items = append(o.Parcels[target].Items, ParcelItem{Line: line, SKU: sku, Qty: a.Qty})
	}
	kept := o.Parcels[:0]
	for _, p := range o.Parcels {
		if len(p.Items) > 0 {
			kept = append(kept, p)
		}
	}
	o.Parcels = kept
	c.note = Text("Moved %d × %s to parcel %d; %d parcels", a.Qty, sku, a.Parcel, len(o.Parcels))
	return c.from, nil
}

func setParcel(c *change) (Status, error) {
	o, a := c.order, c.cmd.Args
	c.kind = KindPack
	i, err := parcelIndex(o, a.Parcel)
	if err != nil {
		return "", err
	}
	if a.WeightGrams == 0 && a.LengthCm == 0 && a.WidthCm == 0 && a.HeightCm == 0 {
		return "", Errorf(EInvalid, "Give a weight or dimensions")
	}
	p := &o.Parcels[i]
	if a.WeightGrams > 0 {
		p.WeightGrams = a.WeightGrams
	}
	if a.LengthCm > 0 {
		p.LengthCm, p.WidthCm, p.HeightCm = a.LengthCm, a.WidthCm, a.HeightCm
	}
	c.note = Text("Parcel %d: %d g, %d×%d×%d cm", a.Parcel, p.WeightGrams, p.LengthCm, p.WidthCm, p.HeightCm)
	return c.from, nil
}

// verifyPacked locks one parcel (or all, with parcel 0) after staff checked its contents.
func verifyPacked(c *change) (Status, error) {
	o, a := c.order, c.cmd.Args
	c.kind = KindPack
	var which []int
	if a.Parcel == 0 {
		for i := range o.Parcels {
			if !o.Parcels[i].Packed {
				which = append(which, i)
			}
		}
		if len(which) == 0 {
			return "", c.refuse("every parcel is already packed")
		}
	} else {
		i, err := parcelIndex(o, a.Parcel)
		if err != nil {
			return "", err
		}
		if o.Parcels[i].Packed {
			return "", c.refuse("parcel %d is already packed", a.Parcel)
		}
		which = []int{i}
	}
	var nums []string
	for _, i := range which {
		p := &o.Parcels[i]
		p.Packed, p.PackedAt, p.PackedBy = true, c.now, c.actor.Staff
		if a.WeightGrams > 0 && len(which) == 1 {
			p.WeightGrams = a.WeightGrams
		}
		nums = append(nums, fmt.Sprintf("%d", i+1))
	}
	c.note = Text("Parcel %s of %d verified packed", strings.Join(nums, ", "), len(o.Parcels))
	return c.from, nil
}
