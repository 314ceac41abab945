package app

import (
	"net/url"
	"strings"
)

// A shop may sell through several WooCommerce stores. Each is named by its
// store key: the host (and port) of its store_url, lowercased, with the
// path of a WordPress installed below the root, without the scheme or a
// trailing slash. WooCommerce's X-WC-Webhook-Source header is the store's
// address, so the same key finds the store a delivery came from.

// WooStoreKey normalises a WooCommerce store address (store_url, or the
// X-WC-Webhook-Source header) to its store key. Errors: EInvalid naming field.
func WooStoreKey(field, address string) (string, error) {
	address = strings.TrimSpace(address)
	u, err := url.Parse(address)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", FieldError(field, "must be the WooCommerce store's address, like https://toko.example.id, got %q", shown(address))
	}
	key := strings.ToLower(u.Host + strings.TrimRight(u.EscapedPath(), "/"))
	if err := checkWooStore(field, key); err != nil {
		return "", err
	}
	return key, nil
}

// checkWooStore refuses a store key with characters an order id must not carry.
func checkWooStore(field, key string) error {
	if key == "" || len(key) > MaxIDLen/2 {
		return FieldError(field, "must name a WooCommerce store of at most %d characters", MaxIDLen/2)
	}
	for _, r := range key {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune(".-_:~/%", r)
		if !ok {
			return FieldError(field, "must name a WooCommerce store by its address, got %q", shown(key))
		}
	}
	if strings.HasPrefix(key, "/") || strings.HasSuffix(key, "/") || strings.Contains(key, "//") {
		return FieldError(field, "must name a WooCommerce store by its address, got %q", shown(key))
	}
	return nil
}

// WooExternalID is the external id of order id of a shop's second or later
// WooCommerce store: "<store key>/<id>", so two stores' order #1001 stay
// two orders. The shop's first store keeps the bare id.
func WooExternalID(store, id string) string {
	if store == "" {
		return id
	}
	return store + "/" + id
}

// SplitWooExternalID is WooExternalID read back: the store key ("" for the
// shop's first store) and the order id the store itself knows.
func SplitWooExternalID(ext string) (store, id string) {
	i := strings.LastIndexByte(ext, '/')
	if i < 0 {
		return "", ext
	}
	return ext[:i], ext[i+1:]
}
