package app

import (
	"sort"
	"strings"
)

// channelStatuses maps each channel's own status codes to ours. Where a code
// is numeric (Tokopedia, TikTok's legacy codes) it is the decimal string.
//
// Sources: Shopee Open Platform v2 order_status; Tokopedia Fulfillment Service
// order status codes; Lazada Open Platform order statuses; TikTok Shop order
// status (v202309 names and the legacy numeric codes); WooCommerce core order
// statuses. Our own web store and manual entry speak our statuses directly.
var channelStatuses = map[Channel]map[string]Status{
	ChannelShopee: {
		"UNPAID":             StatusPaymentReview,
		"READY_TO_SHIP":      StatusReadyToShip,
		"PROCESSED":          StatusReadyToShip,
		"RETRY_SHIP":         StatusReadyToShip,
		"IN_CANCEL":          StatusReadyToShip,
		"SHIPPED":            StatusInDelivery,
		"TO_CONFIRM_RECEIVE": StatusDelivered,
		"COMPLETED":          StatusCompleted,
		"CANCELLED":          StatusCancelled,
		"TO_RETURN":          StatusComplained,
		"INVOICE_PENDING":    StatusPaymentReview,
	},
	ChannelTokopedia: {
		"0": StatusCancelled, "2": StatusCancelled, "3": StatusCancelled, "4": StatusCancelled,
		"5": StatusCancelled, "6": StatusCancelled, "10": StatusCancelled, "15": StatusCancelled,
		"11": StatusNew, "100": StatusPaymentReview, "103": StatusPaymentReview, "200": StatusPaymentReview,
		"220": StatusNew, "221": StatusNew, "400": StatusReadyToShip, "450": StatusReadyToShip,
		"500": StatusInDelivery, "501": StatusInDelivery, "520": StatusInDelivery, "530": StatusInDelivery,
		"540": StatusInDelivery, "550": StatusComplained, "600": StatusDelivered, "601": StatusComplained,
		"700": StatusCompleted, "701": StatusCompleted,
	},
	ChannelLazada: {
		"unpaid":                StatusPaymentReview,
		"pending":               StatusNew,
		"topack":                StatusNew,
		"packed":                StatusReadyToShip,
		"repacked":              StatusReadyToShip,
		"toship":                StatusReadyToShip,
		"ready_to_ship":         StatusReadyToShip,
		"ready_to_ship_pending": StatusReadyToShip,
		"shipped":               StatusInDelivery,
		"failed_delivery":       StatusInDelivery,
		"delivered":             StatusDelivered,
		"confirmed":             StatusCompleted,
		"canceled":              StatusCancelled,
		"returned":              StatusReturned,
		"shipped_back":          StatusComplained,
		"shipped_back_success":  StatusReturned,
		"lost_by_3pl":           StatusComplained,
		"damaged_by_3pl":        StatusComplained,
	},
	ChannelTikTok: {
		"UNPAID": StatusPaymentReview, "ON_HOLD": StatusReadyToShip,
		"AWAITING_SHIPMENT": StatusReadyToShip, "AWAITING_COLLECTION": StatusReadyToShip,
		"PARTIALLY_SHIPPING": StatusInDelivery, "IN_TRANSIT": StatusInDelivery,
		"DELIVERED": StatusDelivered, "COMPLETED": StatusCompleted, "CANCELLED": StatusCancelled,
		// The order status change webhook spells it CANCEL (its page lists the values).
		"CANCEL": StatusCancelled,
		"100":    StatusPaymentReview, "105": StatusReadyToShip, "111": StatusReadyToShip,
		"112": StatusReadyToShip, "114": StatusInDelivery, "121": StatusInDelivery,
		"122": StatusDelivered, "130": StatusCompleted, "140": StatusCancelled,
	},
	ChannelWooCommerce: {
		"pending":        StatusPaymentReview,
		"on-hold":        StatusPaymentReview,
		"checkout-draft": StatusPaymentReview,
		"processing":     StatusNew,
		"completed":      StatusCompleted,
		"cancelled":      StatusCancelled,
		"failed":         StatusCancelled,
		"refunded":       StatusRefunded,
	},
}

// channelCodes is the way back: the code a channel uses for each of our statuses.
var channelCodes = map[Channel]map[Status]string{
	ChannelShopee: {
		StatusPaymentReview: "UNPAID", StatusNew: "READY_TO_SHIP", StatusReadyToShip: "READY_TO_SHIP",
		StatusInDelivery: "SHIPPED", StatusDelivered: "TO_CONFIRM_RECEIVE", StatusCompleted: "COMPLETED",
		StatusCancelled: "CANCELLED", StatusComplained: "TO_RETURN",
		StatusReturned: "TO_RETURN", StatusRefunded: "TO_RETURN",
	},
	ChannelTokopedia: {
		StatusPaymentReview: "200", StatusNew: "220", StatusReadyToShip: "400", StatusInDelivery: "500",
		StatusDelivered: "600", StatusCompleted: "700", StatusCancelled: "10", StatusComplained: "601",
		StatusReturned: "601", StatusRefunded: "601",
	},
	ChannelLazada: {
		StatusPaymentReview: "unpaid", StatusNew: "pending", StatusReadyToShip: "ready_to_ship",
		StatusInDelivery: "shipped", StatusDelivered: "delivered", StatusCompleted: "confirmed",
		StatusCancelled: "canceled", StatusComplained: "shipped_back",
		StatusReturned: "returned", StatusRefunded: "returned",
	},
	ChannelTikTok: {
		StatusPaymentReview: "UNPAID", StatusNew: "ON_HOLD", StatusReadyToShip: "AWAITING_SHIPMENT",
		StatusInDelivery: "IN_TRANSIT", StatusDelivered: "DELIVERED", StatusCompleted: "COMPLETED",
		StatusCancelled: "CANCELLED", StatusComplained: "CANCELLED",
		StatusReturned: "CANCELLED", StatusRefunded: "CANCELLED",
	},
	ChannelWooCommerce: {
		StatusPaymentReview: "on-hold", StatusNew: "processing", StatusReadyToShip: "processing",
		StatusInDelivery: "processing", StatusDelivered: "processing", StatusCompleted: "completed",
		StatusCancelled: "cancelled", StatusComplained: "on-hold",
		StatusReturned: "refunded", StatusRefunded: "refunded",
	},
}

// normaliseCode folds a channel's code into the case its table uses.
func normaliseCode(c Channel, code string) string {
	code = strings.TrimSpace(code)
	switch c {
	case ChannelShopee, ChannelTikTok:
		return strings.ToUpper(code)
	default:
		return strings.ToLower(code)
	}
}

// StatusFromChannel maps a channel's status code to ours. An unknown code is
// an EInvalid error that quotes the code, so a new marketplace status is
// noticed rather than guessed.
func StatusFromChannel(c Channel, code string) (Status, error) {
	if !c.Valid() {
		return "", FieldError("Channel", "%q is unknown", string(c))
	}
	table, ok := channelStatuses[c]
	if !ok {
		return ParseStatus(code)
	}
	if st, ok := table[normaliseCode(c, code)]; ok {
		return st, nil
	}
	return "", Errorf(EInvalid, "%s sent a status code this terminal does not know (%q)", c, code)
}

// StatusToChannel gives the code a channel uses for our status.
func StatusToChannel(c Channel, s Status) (string, error) {
	table, ok := channelCodes[c]
	if !ok {
		if !s.Valid() {
			return "", FieldError("Status", "%q is unknown", string(s))
		}
		return string(s), nil
	}
	code, ok := table[s]
	if !ok {
		return "", Errorf(EInvalid, "%s has no code for the status %s", c, s)
	}
	return code, nil
}

// ChannelCodes lists a channel's known status codes, sorted, for docs and tests.
func ChannelCodes(c Channel) []string {
	var codes []string
	for code := range channelStatuses[c] {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	return codes
}
