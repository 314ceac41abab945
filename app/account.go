package app

import (
	"encoding/json"
	"net/mail"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// AccountKind is an outside service a shop holds credentials for: a
// marketplace, a web store, a courier aggregator, or a way to reach buyers.
type AccountKind string

// Account kinds, spelled as `pos-cloud account set --kind` takes them.
const (
	AccountShopee      AccountKind = "shopee"
	AccountTokopedia   AccountKind = "tokopedia"
	AccountLazada      AccountKind = "lazada"
	AccountTikTok      AccountKind = "tiktok"
	AccountWooCommerce AccountKind = "woocommerce"
	AccountStore       AccountKind = "store"
	AccountShipper     AccountKind = "shipper"
	AccountBiteship    AccountKind = "biteship"
	AccountSMTP        AccountKind = "smtp"
	AccountWhatsApp    AccountKind = "whatsapp"
)

// AccountKinds lists every kind, in the order docs/accounts.md gives them.
var AccountKinds = []AccountKind{AccountShopee, AccountTokopedia, AccountLazada, AccountTikTok, AccountWooCommerce,
	AccountStore, AccountShipper, AccountBiteship, AccountSMTP, AccountWhatsApp}

// fieldKind is how an account field's value is checked.
type fieldKind int

const (
	credText fieldKind = iota
	credSecret
	credDigits
	credURL
	credPort
	credEmail
	credTime
	credDecimal
	credPhone
)

// AccountField is one credential field a platform issues, under the platform's own name.
type AccountField struct {
	Name     string
	Required bool
	// Secret fields are shown masked and only ever leave the cloud to the platform.
	Secret bool
	kind   fieldKind
	// Default is used when the field is left out (the platform's production host).
	Default string
	// OneOf lists the values a field may take, when it is a choice.
	OneOf []string
	// Route marks the platform's own shop id, which its pushes to the one
	// URL of a partner app carry: the cloud finds the shop by it.
	Route bool
}

// accountFields are each kind's fields, as issues 12, 13 and 14 and
// docs/accounts.md name them.
var accountFields = map[AccountKind][]AccountField{
	AccountShopee: {
		{Name: "partner_id", Required: true, kind: credDigits},
		{Name: "partner_key", Required: true, Secret: true, kind: credSecret},
		{Name: "shop_id", Required: true, kind: credDigits, Route: true},
		{Name: "push_url", Required: true, kind: credURL},
		{Name: "api_base", kind: credURL, Default: "https://partner.shopeemobile.com"},
		{Name: "access_token", Secret: true, kind: credSecret},
		{Name: "refresh_token", Secret: true, kind: credSecret},
		{Name: "expires_at", kind: credTime},
		{Name: "refresh_expires_at", kind: credTime},
	},
	AccountTokopedia: {
		{Name: "fs_id", Required: true, kind: credDigits},
		{Name: "shop_id", Required: true, kind: credDigits, Route: true},
		{Name: "client_id", Required: true, kind: credText},
		{Name: "client_secret", Required: true, Secret: true, kind: credSecret},
		{Name: "webhook_secret", Required: true, Secret: true, kind: credSecret},
		{Name: "api_base", kind: credURL, Default: "https://fs.tokopedia.net"},
		{Name: "auth_base", kind: credURL, Default: "https://accounts.tokopedia.com"},
	},
	AccountLazada: {
		{Name: "app_key", Required: true, kind: credText},
		{Name: "app_secret", Required: true, Secret: true, kind: credSecret},
		{Name: "seller_id", Required: true, kind: credText, Route: true},
		{Name: "api_base", kind: credURL, Default: "https://api.lazada.co.id/rest"},
		{Name: "auth_base", kind: credURL, Default: "https://auth.lazada.com/rest"},
		{Name: "access_token", Secret: true, kind: credSecret},
		{Name: "refresh_token", Secret: true, kind: credSecret},
		{Name: "expires_at", kind: credTime},
		{Name: "refresh_expires_at", kind: credTime},
	},
	AccountTikTok: {
		{Name: "app_key", Required: true, kind: credText},
		{Name: "app_secret", Required: true, Secret: true, kind: credSecret},
		{Name: "shop_id", Required: true, kind: credText, Route: true},
		// shop_cipher is learned when the seller authorizes the app (Get Authorized Shops).
		{Name: "shop_cipher", kind: credText},
		{Name: "api_base", kind: credURL, Default: "https://open-api.tiktokglobalshop.com"},
		// auth_base issues and renews tokens; service_id names the app's authorization link.
		{Name: "auth_base", kind: credURL, Default: "https://auth.tiktok-shops.com"},
		{Name: "service_id", kind: credDigits},
		{Name: "access_token", Secret: true, kind: credSecret},
		{Name: "refresh_token", Secret: true, kind: credSecret},
		{Name: "expires_at", kind: credTime},
		{Name: "refresh_expires_at", kind: credTime},
	},
	AccountWooCommerce: {
		{Name: "store_url", Required: true, kind: credURL},
		{Name: "consumer_key", Required: true, Secret: true, kind: credSecret},
		{Name: "consumer_secret", Required: true, Secret: true, kind: credSecret},
		{Name: "webhook_secret", Required: true, Secret: true, kind: credSecret},
	},
	AccountStore: {
		{Name: "webhook_secret", Required: true, Secret: true, kind: credSecret},
	},
	AccountShipper: {
		{Name: "api_key", Required: true, Secret: true, kind: credSecret},
		{Name: "webhook_url", Required: true, kind: credURL},
		{Name: "api_base", kind: credURL, Default: "https://merchant-api.shipper.id"},
		// label_base serves the labels (sticker.php); empty follows api_base's host (production or sandbox).
		{Name: "label_base", kind: credURL},
		{Name: "origin_area_id", Required: true, kind: credDigits},
		{Name: "contact_name", kind: credText},
		// Shipper refuses an order whose consigner has no phone: asked here,
		// not discovered at the first booking.
		{Name: "contact_phone", Required: true, kind: credPhone},
	},
	AccountBiteship: {
		{Name: "api_key", Required: true, Secret: true, kind: credSecret},
		{Name: "webhook_header", Required: true, kind: credText},
		{Name: "webhook_secret", Required: true, Secret: true, kind: credSecret},
		{Name: "api_base", kind: credURL, Default: "https://api.biteship.com"},
		{Name: "origin_postal_code", kind: credDigits},
		{Name: "origin_latitude", kind: credDecimal},
		{Name: "origin_longitude", kind: credDecimal},
		{Name: "contact_name", kind: credText},
		// Biteship requires origin_contact_phone on every order.
		{Name: "contact_phone", Required: true, kind: credPhone},
	},
	AccountSMTP: {
		{Name: "host", Required: true, kind: credText},
		{Name: "port", Required: true, kind: credPort},
		{Name: "tls", Required: true, kind: credText, OneOf: []string{"none", "starttls", "tls"}},
		{Name: "username", kind: credText},
		{Name: "password", Secret: true, kind: credSecret},
		{Name: "from", Required: true, kind: credEmail},
	},
	AccountWhatsApp: {
		{Name: "token", Required: true, Secret: true, kind: credSecret},
		{Name: "phone_number_id", Required: true, kind: credDigits},
		{Name: "api_base", kind: credURL, Default: "https://graph.facebook.com"},
	},
}

// ParseAccountKind accepts a kind name, case-insensitively.
func ParseAccountKind(s string) (AccountKind, error) {
	k := AccountKind(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := accountFields[k]; !ok {
		names := make([]string, len(AccountKinds))
		for i, k := range AccountKinds {
			names[i] = string(k)
		}
		return "", FieldError("kind", "unknown account kind %q (use %s)", s, strings.Join(names, ", "))
	}
	return k, nil
}

// AccountRouteField is the field of a kind that holds the platform's shop
// id its pushes are routed by; empty for kinds that push per shop.
func AccountRouteField(k AccountKind) string {
	for _, f := range accountFields[k] {
		if f.Route {
			return f.Name
		}
	}
	return ""
}

// AccountFields lists a kind's fields.
func AccountFields(k AccountKind) []AccountField { return accountFields[k] }

// accountValueMax bounds one credential value; tokens are long, not this long.
const accountValueMax = 4096

// ParseAccount checks the JSON a platform's credentials were written in:
// an object with the kind's own field names, strings (numbers allowed for
// numeric ids and the port). It returns the fields with defaults filled in.
// Errors: EInvalid naming the first field that is unknown, missing or malformed.
func ParseAccount(k AccountKind, raw []byte) (map[string]string, error) {
	specs, ok := accountFields[k]
	if !ok {
		return nil, FieldError("kind", "unknown account kind %q", string(k))
	}
	var in map[string]json.RawMessage
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, FieldError("file", "is not a JSON object of credentials: %s", err.Error())
	}
	known := map[string]AccountField{}
	for _, f := range specs {
		known[f.Name] = f
	}
	names := make([]string, 0, len(in))
	for name := range in {
		names = append(names, name)
	}
	sort.Strings(names)
	out := map[string]string{}
	for _, name := range names {
		f, ok := known[name]
		if !ok {
			return nil, FieldError(name, "is not a %s credential field (fields: %s)", string(k), fieldList(specs))
		}
		v, err := accountValue(f, in[name])
		if err != nil {
			return nil, err
		}
		if v != "" {
			out[name] = v
		}
	}
	for _, f := range specs {
		if _, ok := out[f.Name]; ok {
			continue
		}
		if f.Required {
			return nil, FieldError(f.Name, "is required for a %s account", string(k))
		}
		if f.Default != "" {
			out[f.Name] = f.Default
		}
	}
	if k == AccountWooCommerce {
		if _, err := WooStoreKey("store_url", out["store_url"]); err != nil {
			return nil, err
		}
	}
	if k == AccountBiteship && out["origin_postal_code"] == "" && (out["origin_latitude"] == "" || out["origin_longitude"] == "") {
		return nil, FieldError("origin_postal_code", "is required, or else origin_latitude and origin_longitude")
	}
	return out, nil
}

func fieldList(specs []AccountField) string {
	names := make([]string, len(specs))
	for i, f := range specs {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// accountValue reads one field as text and checks it by its kind.
func accountValue(f AccountField, raw json.RawMessage) (string, error) {
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		var n json.Number
		d := json.NewDecoder(strings.NewReader(string(raw)))
		d.UseNumber()
		if (f.kind != credDigits && f.kind != credPort && f.kind != credDecimal) || d.Decode(&n) != nil {
			return "", FieldError(f.Name, "must be a string")
		}
		v = n.String()
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	if len(v) > accountValueMax {
		return "", FieldError(f.Name, "is longer than %d bytes", accountValueMax)
	}
	if !utf8.ValidString(v) || strings.IndexFunc(v, unicode.IsControl) >= 0 {
		return "", FieldError(f.Name, "must not contain control characters")
	}
	switch f.kind {
	case credDigits:
		if strings.Trim(v, "0123456789") != "" {
			return "", FieldError(f.Name, "must be a number, got %q", v)
		}
	case credPort:
		if p, err := strconv.Atoi(v); err != nil || p < 1 || p > 65535 {
			return "", FieldError(f.Name, "must be a port from 1 to 65535, got %q", v)
		}
	case credDecimal:
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return "", FieldError(f.Name, "must be a decimal number, got %q", v)
		}
	case credURL:
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return "", FieldError(f.Name, "must be an http or https URL, got %q", v)
		}
	case credEmail:
		if a, err := mail.ParseAddress(v); err != nil || a.Address == "" {
			return "", FieldError(f.Name, "must be an e-mail address, got %q", v)
		}
	case credTime:
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			return "", FieldError(f.Name, "must be a time like 2026-12-31T23:59:00Z, got %q", v)
		}
	case credPhone:
		if err := phoneField(f.Name, v); err != nil {
			return "", err
		}
	case credSecret:
		if strings.ContainsAny(v, " \t") {
			return "", FieldError(f.Name, "must not contain spaces")
		}
	}
	if len(f.OneOf) > 0 {
		for _, o := range f.OneOf {
			if v == o {
				return v, nil
			}
		}
		return "", FieldError(f.Name, "must be one of %s, got %q", strings.Join(f.OneOf, ", "), v)
	}
	return v, nil
}

// MaskAccount shows an account's fields with every secret masked but for its last four characters.
func MaskAccount(k AccountKind, fields map[string]string) map[string]string {
	out := map[string]string{}
	for _, f := range accountFields[k] {
		v, ok := fields[f.Name]
		if !ok {
			continue
		}
		if f.Secret {
			v = MaskSecret(v)
		}
		out[f.Name] = v
	}
	return out
}

// MaskSecret keeps the last four characters of a long secret, and none of a short one.
func MaskSecret(v string) string {
	r := []rune(v)
	if len(r) < 12 {
		return "••••"
	}
	return "••••" + string(r[len(r)-4:])
}
