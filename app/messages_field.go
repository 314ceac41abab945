package app

import (
	"strconv"
	"strings"
	"unicode"
)

// fieldNames says the parts of wire-format field paths ("lines[0].unit_price")
// in words, so an error about such a field reads "Line 1 price".
var fieldNames = map[string]string{
	"lines": "Line", "line": "Line", "parcels": "Parcel", "parcel": "Parcel", "items": "item",
	"qty": "quantity", "quantity": "quantity", "unit_price": "price", "unit_cost": "cost", "price": "price",
	"cost": "cost", "sku": "SKU", "name": "name", "external_id": "channel ID", "parcel_index": "parcel",
	"order": "Order", "order_id": "Order", "id": "ID", "number": "Order number", "note": "Note",
	"buyer": "Buyer", "phone": "Phone", "email": "Email", "address": "Address", "street": "Street",
	"district": "District", "city": "City", "province": "Province", "postal_code": "Postal code", "country": "Country",
	"channel": "Channel", "status": "Status", "channel_status": "Channel status", "currency": "Currency",
	"shipping_fee": "Shipping fee", "discount": "Discount", "tax": "Tax", "total": "Total", "paid": "Amount paid",
	"payment_method": "Payment method", "tracking_id": "Tracking ID", "courier": "Courier", "service": "Service",
	"reason": "Reason", "pin": "PIN", "role": "Role", "base_version": "Version", "barcode": "Barcode",
	"on_hand": "Stock on hand", "allocated": "Allocated stock", "weight_grams": "Weight", "length_cm": "Length",
	"width_cm": "Width", "height_cm": "Height", "pickup_address": "Pickup address", "pickup_from": "Pickup time",
	"pickup_to": "Pickup window end", "resolution": "Resolution", "document": "Document", "args": "Details",
	"policy": "Shop settings", "products": "Products", "receipt": "Payment receipt", "image_url": "image",
	"created_at": "Created", "accept_by": "Accept-by time", "shop": "Shop", "staff": "Staff", "terminal": "Terminal",
	"reprint_uncertain": "Reprint when unsure", "printers": "Printer", "url": "address", "profiles": "Printer profile",
	"profile": "profile", "width_dots": "width", "chars_per_line": "characters per line", "code_page": "code page",
	"auto_print_receipts_for": "Automatic receipts for", "event": "Event", "rate": "Rate", "token": "Token", "title": "Title", "message": "Message",
}

// fieldText says a field in words: a field already written in words is kept
// as a word; a path of codes is said part by part, "lines[2].qty" as "Line 3 quantity".
func fieldText(field string) Message {
	if !codeLike(field) {
		return Message{Key: "%s", Args: []any{Word(field)}}
	}
	var parts []any
	for _, seg := range strings.Split(field, ".") {
		name, index := seg, -1
		if i := strings.IndexByte(seg, '['); i >= 0 && strings.HasSuffix(seg, "]") {
			if n, err := strconv.Atoi(seg[i+1 : len(seg)-1]); err == nil {
				name, index = seg[:i], n
			}
		}
		word, ok := fieldNames[name]
		if !ok {
			word = strings.ReplaceAll(name, "_", " ")
		}
		if len(parts) == 0 {
			word = upperFirst(word)
		}
		if index >= 0 {
			parts = append(parts, Message{Key: "%s %d", Args: []any{Word(word), int64(index + 1)}})
		} else {
			parts = append(parts, Word(word))
		}
	}
	return Message{Key: strings.TrimSuffix(strings.Repeat("%s ", len(parts)), " "), Args: parts}
}

// codeLike reports whether a field is a wire-format path rather than words.
func codeLike(field string) bool {
	if field == "" || strings.ContainsRune(field, ' ') {
		return false
	}
	for _, r := range field {
		if unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

func upperFirst(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}
