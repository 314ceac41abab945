// Package shopee tells Shopee what the register decided and reads what
// Shopee knows, through Shopee Open Platform API v2
// (https://open.shopee.com/developer-guide/20, "Authorization and
// Authentication"): every shop call carries partner_id, timestamp,
// access_token, shop_id and sign in its query, sign being hex
// HMAC-SHA256(partner_key, partner_id + path + timestamp + access_token +
// shop_id), and answers {"request_id","error","message","response":…}.
package shopee

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// Platform is how errors name Shopee.
const Platform = "Shopee"

// DefaultAPIBase is Shopee's production host, used when the account leaves api_base out.
const DefaultAPIBase = "https://partner.shopeemobile.com"

// Errors of Shopee's answers the adapter acts on (the common error list of
// every API page, e.g. https://open.shopee.com/documents/v2/v2.order.cancel_order?module=94&type=1).
const (
	// ErrExpiredToken is Shopee's own spelling, typo included.
	ErrExpiredToken = "invalid_acceess_token"
	ErrAuth         = "error_auth"
	ErrSign         = "error_sign"
	ErrRateLimit    = "error_rate_limit"
	ErrServer       = "error_server"
	ErrNetwork      = "error_network"
	ErrNotFound     = "error_not_found"
	ErrParam        = "error_param"
)

// Adapter is Shopee behind channel.Adapter and the platform interfaces of
// channel/hook.go. It renews the shop's access token with the refresh
// token when Shopee says it expired (or the account says it is about to),
// and keeps the renewed pair until the account holds it.
type Adapter struct {
	Caller *channel.Caller
	// Now is the clock of the timestamp parameter and of token expiry.
	Now func() time.Time
	// OnTokens hears every pair of tokens the adapter renewed, so the cloud
	// keeps them in the account: Shopee's refresh_token is used once, so the
	// old one is dead as soon as the new pair exists.
	OnTokens func(fields map[string]string, t channel.Tokens)

	mu       sync.Mutex
	renewals channel.Renewals
	models   map[string]modelIndex
}

// New makes the adapter with the connectors' call defaults.
func New() *Adapter {
	return &Adapter{Caller: channel.NewCaller(), Now: time.Now, models: map[string]modelIndex{}}
}

var (
	_ channel.Adapter      = (*Adapter)(nil)
	_ channel.DetailParser = (*Adapter)(nil)
	_ channel.Authorizer   = (*Adapter)(nil)
	_ channel.Lister       = (*Adapter)(nil)
	_ channel.Waybill      = (*Adapter)(nil)
	_ channel.Catalogue    = (*Adapter)(nil)
	_ channel.Renewer      = (*Adapter)(nil)
)

// OnRenew makes keep hear every pair of tokens the adapter renews (channel.Renewer).
func (a *Adapter) OnRenew(keep func(fields map[string]string, t channel.Tokens)) { a.OnTokens = keep }

// Channel is Shopee.
func (a *Adapter) Channel() app.Channel { return app.ChannelShopee }

func (a *Adapter) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// Sign is Shopee's signature: hex HMAC-SHA256 of base with the partner key
// ("Calculating the authentication signature", developer guide 20).
func Sign(partnerKey, base string) string {
	m := hmac.New(sha256.New, []byte(partnerKey))
	m.Write([]byte(base))
	return hex.EncodeToString(m.Sum(nil))
}

// account is what the calls need of the shop's Shopee account.
type account struct {
	fields          map[string]string
	partnerID       int64
	partnerKey      string
	shopID          int64
	pushURL         string
	apiBase         string
	access, refresh string
	expires         time.Time
}

// accountOf reads the partner's part of the account; errors name the field.
func accountOf(f map[string]string) (*account, error) {
	acc := &account{fields: f, partnerKey: f["partner_key"], pushURL: strings.TrimSpace(f["push_url"]),
		apiBase: base(f["api_base"]), access: strings.TrimSpace(f["access_token"]), refresh: strings.TrimSpace(f["refresh_token"])}
	var err error
	if acc.partnerID, err = positive("partner_id", f["partner_id"]); err != nil {
		return nil, err
	}
	if acc.partnerKey == "" {
		return nil, app.FieldError("partner_key", "is required for a %s account", "shopee")
	}
	if s := strings.TrimSpace(f["shop_id"]); s != "" {
		if acc.shopID, err = positive("shop_id", s); err != nil {
			return nil, err
		}
	}
	if s := strings.TrimSpace(f["expires_at"]); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return nil, app.FieldError("expires_at", "must be a time like 2026-01-02T15:04:05Z, got %q", s)
		}
		acc.expires = t
	}
	return acc, nil
}

// forShop also needs what a call about one shop needs.
func forShop(f map[string]string) (*account, error) {
	acc, err := accountOf(f)
	if err != nil {
		return nil, err
	}
	if acc.shopID == 0 {
		return nil, app.FieldError("shop_id", "is required for a %s account", "shopee")
	}
	if acc.access == "" && acc.refresh == "" {
		return nil, app.FieldError("access_token", "is not set: authorize the shop at Shopee first")
	}
	return acc, nil
}

func positive(field, s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, app.FieldError(field, "is required for a %s account", "shopee")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, app.FieldError(field, "must be a positive whole number, got %q", s)
	}
	return n, nil
}

func base(s string) string {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	if s == "" {
		return DefaultAPIBase
	}
	return s
}

func (acc *account) key() string {
	return strconv.FormatInt(acc.partnerID, 10) + "/" + strconv.FormatInt(acc.shopID, 10)
}

// tokens are the account's tokens, or the pair renewed since.
func (a *Adapter) tokens(acc *account) channel.Tokens {
	return a.renewals.Current(acc.key(), channel.Tokens{Access: acc.access, Refresh: acc.refresh, AccessExpires: acc.expires})
}

// renew refreshes the tokens once for every call that found stale expired.
func (a *Adapter) renew(ctx context.Context, acc *account, stale string) error {
	stored := channel.Tokens{Access: acc.access, Refresh: acc.refresh, AccessExpires: acc.expires}
	return a.renewals.Renew(ctx, acc.key(), stored, stale, func(ctx context.Context, refreshToken string) (channel.Tokens, error) {
		if refreshToken == "" {
			return channel.Tokens{}, &channel.Refusal{Platform: Platform, Status: http.StatusForbidden,
				Message: app.Text("the access token expired and the account has no refresh token: authorize the shop again").String()}
		}
		return a.refreshToken(ctx, acc, refreshToken)
	}, func(t channel.Tokens) {
		if a.OnTokens != nil {
			a.OnTokens(acc.fields, t)
		}
	})
}

// envelope is every answer's frame (the response parameters of every API
// page): {"request_id":"…","error":"","message":"","warning":…,"response":{…}}.
type envelope struct {
	RequestID string          `json:"request_id"`
	Error     string          `json:"error"`
	Message   string          `json:"message"`
	Response  json.RawMessage `json:"response"`
}

// message is Shopee's own words for a refusal, with its error name.
func message(body []byte) string {
	var e envelope
	if json.Unmarshal(body, &e) != nil || (e.Error == "" && e.Message == "") {
		return ""
	}
	if e.Message == "" {
		return e.Error
	}
	return e.Message + " (" + e.Error + ")"
}

// expiredError reports whether Shopee's error says the access token is no
// longer good: its own "invalid_acceess_token", or "error_auth" with
// "Invalid access_token." (both on the common error list).
func expiredError(e envelope) bool {
	switch e.Error {
	case ErrExpiredToken, "invalid_access_token":
		return true
	case ErrAuth:
		return strings.Contains(strings.ToLower(e.Message), "access_token")
	}
	return false
}

func expiredAnswer(_ int, body []byte) bool {
	var e envelope
	return json.Unmarshal(body, &e) == nil && expiredError(e)
}

// passing are errors Shopee answers for a failure that goes away.
func passing(e string) bool {
	return e == ErrRateLimit || e == ErrServer || e == ErrNetwork
}

// call makes one signed shop call and decodes response into out (a
// *[]byte receives a document's bytes). An answer saying the token expired
// renews it and calls again, once.
func (a *Adapter) call(ctx context.Context, acc *account, method, path string, query url.Values, body any, out any) error {
	target := acc.apiBase + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	renewed := false
	for {
		var sent string
		var raw []byte
		err := a.Caller.Do(ctx, channel.Request{Platform: Platform, Method: method, URL: target, Body: body,
			Auth: func(ctx context.Context, r *http.Request) error {
				tok := a.tokens(acc)
				if !tok.AccessExpires.IsZero() && a.now().After(tok.AccessExpires.Add(-time.Minute)) && !renewed {
					renewed = true
					if err := a.renew(ctx, acc, tok.Access); err != nil {
						return err
					}
					tok = a.tokens(acc)
				}
				sent = tok.Access
				a.signShop(r, acc, tok.Access)
				return nil
			},
			Expired: expiredAnswer,
			Renew:   func(ctx context.Context) error { renewed = true; return a.renew(ctx, acc, sent) },
			Message: message,
		}, &raw)
		if err != nil {
			return err
		}
		if doc, ok := out.(*[]byte); ok && !looksJSON(raw) {
			*doc = raw
			return nil
		}
		var env envelope
		if err := json.Unmarshal(raw, &env); err != nil {
			return &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: "the answer is not the JSON expected: " + err.Error(), Body: channel.Truncate(raw)}
		}
		switch {
		case env.Error == "":
		case expiredError(env) && !renewed:
			renewed = true
			if err := a.renew(ctx, acc, sent); err != nil {
				return err
			}
			continue
		case passing(env.Error):
			return &channel.Unavailable{Platform: Platform, Err: errors.New(message(raw))}
		default:
			return &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: message(raw), Body: channel.Truncate(raw)}
		}
		if doc, ok := out.(*[]byte); ok {
			*doc = raw
			return nil
		}
		if out != nil && len(env.Response) > 0 && string(env.Response) != "null" {
			if err := json.Unmarshal(env.Response, out); err != nil {
				return &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: "the answer's response is not what was expected: " + err.Error(), Body: channel.Truncate(env.Response)}
			}
		}
		return nil
	}
}

func looksJSON(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return true
		}
		return false
	}
	return false
}

// signShop adds the common parameters of a shop API and its signature to
// one attempt; the timestamp is the attempt's own, as Shopee refuses one
// more than five minutes old.
func (a *Adapter) signShop(r *http.Request, acc *account, access string) {
	ts := a.now().Unix()
	q := r.URL.Query()
	q.Set("partner_id", strconv.FormatInt(acc.partnerID, 10))
	q.Set("timestamp", strconv.FormatInt(ts, 10))
	q.Set("access_token", access)
	q.Set("shop_id", strconv.FormatInt(acc.shopID, 10))
	q.Set("sign", Sign(acc.partnerKey, strconv.FormatInt(acc.partnerID, 10)+r.URL.Path+strconv.FormatInt(ts, 10)+access+strconv.FormatInt(acc.shopID, 10)))
	r.URL.RawQuery = q.Encode()
}

// signPublic adds the common parameters of a public API (the token
// endpoints): partner_id, timestamp and a sign of partner_id + path + timestamp.
func (a *Adapter) signPublic(r *http.Request, acc *account) {
	ts := a.now().Unix()
	q := r.URL.Query()
	q.Set("partner_id", strconv.FormatInt(acc.partnerID, 10))
	q.Set("timestamp", strconv.FormatInt(ts, 10))
	q.Set("sign", Sign(acc.partnerKey, strconv.FormatInt(acc.partnerID, 10)+r.URL.Path+strconv.FormatInt(ts, 10)))
	r.URL.RawQuery = q.Encode()
}
