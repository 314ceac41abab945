// Package tiktok tells TikTok Shop what the register decided and reads what
// TikTok Shop knows, through the Partner API version 202309
// (https://partner.tiktokshop.com/docv2/page/64f199679495ef0281851ee5 for
// the common parameters): every call carries app_key, timestamp,
// shop_cipher and sign in its query and the seller's access token in the
// x-tts-access-token header, and answers {"code":0,"message":…,"data":…}.
package tiktok

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// Platform is how errors name TikTok Shop.
const Platform = "TikTok Shop"

// Version is the API version every path names.
const Version = "202309"

// Production hosts, used when the account leaves api_base or auth_base out.
const (
	DefaultAPIBase  = "https://open-api.tiktokglobalshop.com"
	DefaultAuthBase = "https://auth.tiktok-shops.com"
)

// Codes of TikTok's answers the adapter acts on ("Common errors",
// https://partner.tiktokshop.com/docv2/page/678e3a45786253031531b942).
const (
	CodeOK              = 0
	CodeExpiredToken    = 105002
	CodeInvalidSign     = 106001
	CodeMissingCipher   = 106013
	CodeInvalidCreds    = 36009004
	CodeTooManyRequests = 36009002
	CodeInternal        = 36009003
	CodeTimeout         = 36009007
)

// Adapter is TikTok Shop behind channel.Adapter and the platform
// interfaces of channel/hook.go. It renews the seller's access token with
// the refresh token when TikTok says it expired (or the account says it is
// about to), and keeps the renewed pair until the account holds it.
type Adapter struct {
	Caller *channel.Caller
	// Now is the clock of the timestamp parameter and of token expiry.
	Now func() time.Time
	// OnTokens hears every pair of tokens the adapter renewed, so the cloud
	// can keep them in the account (TikTok may replace the refresh token).
	OnTokens func(fields map[string]string, t channel.Tokens)

	renewals channel.Renewals
}

// OnRenew has keep hear every pair the adapter renews (channel.Renewer).
func (a *Adapter) OnRenew(keep func(fields map[string]string, t channel.Tokens)) { a.OnTokens = keep }

// New makes the adapter with the connectors' call defaults.
func New() *Adapter {
	return &Adapter{Caller: channel.NewCaller(), Now: time.Now}
}

var (
	_ channel.Adapter      = (*Adapter)(nil)
	_ channel.DetailParser = (*Adapter)(nil)
	_ channel.Authorizer   = (*Adapter)(nil)
	_ channel.Lister       = (*Adapter)(nil)
	_ channel.Waybill      = (*Adapter)(nil)
	_ channel.Catalogue    = (*Adapter)(nil)
	_ channel.Refetcher    = (*Adapter)(nil)
	_ channel.Renewer      = (*Adapter)(nil)
)

// Channel is TikTok Shop.
func (a *Adapter) Channel() app.Channel { return app.ChannelTikTok }

// Verify checks a webhook's Authorization header against the app's keys
// (secret is "app_key\x00app_secret" as the cloud's generated secrets keep
// them, or the app secret alone when the key is not known).
func (a *Adapter) Verify(secret, sig string, body []byte) bool {
	key, sec, ok := strings.Cut(secret, "\x00")
	if !ok {
		key, sec = "", secret
	}
	return channel.EqualHex(sec, sig, PushSignature(key, sec, body))
}

func (a *Adapter) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// account is what the calls need of the shop's TikTok Shop account.
type account struct {
	fields            map[string]string
	appKey, secret    string
	shopID, cipher    string
	apiBase, authBase string
	access, refresh   string
	expires           time.Time
}

func accountOf(f map[string]string) (*account, error) {
	acc := &account{fields: f, appKey: strings.TrimSpace(f["app_key"]), secret: f["app_secret"],
		shopID: strings.TrimSpace(f["shop_id"]), cipher: strings.TrimSpace(f["shop_cipher"]),
		apiBase: base(f["api_base"], DefaultAPIBase), authBase: base(f["auth_base"], DefaultAuthBase),
		access: f["access_token"], refresh: f["refresh_token"]}
	for name, v := range map[string]string{"app_key": acc.appKey, "app_secret": acc.secret} {
		if v == "" {
			return nil, app.FieldError(name, "is required for a %s account", "tiktok")
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

// forShop also needs what a call about one shop's orders needs.
func forShop(f map[string]string) (*account, error) {
	acc, err := accountOf(f)
	if err != nil {
		return nil, err
	}
	if acc.cipher == "" {
		return nil, app.FieldError("shop_cipher", "is not known yet: authorize the shop at TikTok Shop first")
	}
	if acc.access == "" && acc.refresh == "" {
		return nil, app.FieldError("access_token", "is not set: authorize the shop at TikTok Shop first")
	}
	return acc, nil
}

func base(s, def string) string {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	if s == "" {
		return def
	}
	return s
}

func (acc *account) key() string { return acc.appKey + "\x00" + acc.shopID }

// tokens are the account's tokens, or the pair renewed since.
func (a *Adapter) tokens(acc *account) channel.Tokens {
	return a.renewals.Current(acc.key(), channel.Tokens{Access: acc.access, Refresh: acc.refresh, AccessExpires: acc.expires})
}

// renew refreshes the tokens once for every call that found stale expired.
func (a *Adapter) renew(ctx context.Context, acc *account, stale string) error {
	stored := channel.Tokens{Access: acc.access, Refresh: acc.refresh, AccessExpires: acc.expires}
	return a.renewals.Renew(ctx, acc.key(), stored, stale, func(ctx context.Context, refreshToken string) (channel.Tokens, error) {
		if refreshToken == "" {
			return channel.Tokens{}, &channel.Refusal{Platform: Platform, Status: http.StatusUnauthorized,
				Message: app.Text("the access token expired and the account has no refresh token: authorize the shop again").String()}
		}
		return a.token(ctx, acc, "/api/v2/token/refresh", url.Values{"refresh_token": {refreshToken}, "grant_type": {"refresh_token"}})
	}, func(t channel.Tokens) {
		if a.OnTokens != nil {
			a.OnTokens(acc.fields, t)
		}
	})
}

// envelope is every answer's shape
// (https://partner.tiktokshop.com/docv2/page/64f199679495ef0281851ee5):
// {"code":0,"message":"Success","request_id":"…","data":{…}}.
type envelope struct {
	Code      int             `json:"code"`
	Message   string          `json:"message"`
	RequestID string          `json:"request_id"`
	Data      json.RawMessage `json:"data"`
}

// message is TikTok's own words for a refusal, with its code.
func message(body []byte) string {
	var e envelope
	if json.Unmarshal(body, &e) != nil || (e.Code == 0 && e.Message == "") {
		return ""
	}
	return fmt.Sprintf("%s (code %d)", e.Message, e.Code)
}

func expiredAnswer(status int, body []byte) bool {
	var e envelope
	return json.Unmarshal(body, &e) == nil && e.Code == CodeExpiredToken
}

// passing are codes TikTok answers for a failure that goes away.
func passing(code int) bool {
	return code == CodeTooManyRequests || code == CodeInternal || code == CodeTimeout
}

// shopless paths take no shop_cipher: TikTok refuses one there
// ("Unexpected identifier", common errors page).
func shopless(path string) bool { return strings.HasPrefix(path, "/authorization/") }

// call makes one signed API call and decodes data into out. An answer
// saying the token expired renews it and calls again, once.
func (a *Adapter) call(ctx context.Context, acc *account, method, path string, query url.Values, body any, out any) error {
	target := acc.apiBase + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	renewed := false
	for {
		var sent string
		var env envelope
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
				return a.sign(r, acc, tok.Access)
			},
			Expired: expiredAnswer,
			Renew:   func(ctx context.Context) error { renewed = true; return a.renew(ctx, acc, sent) },
			Message: message,
		}, &env)
		if err != nil {
			return err
		}
		switch {
		case env.Code == CodeOK:
		case env.Code == CodeExpiredToken && !renewed:
			renewed = true
			if err := a.renew(ctx, acc, sent); err != nil {
				return err
			}
			continue
		case passing(env.Code):
			return &channel.Unavailable{Platform: Platform, Err: errors.New(message(mustJSON(env)))}
		default:
			return &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: fmt.Sprintf("%s (code %d)", env.Message, env.Code), Body: channel.Truncate(mustJSON(env))}
		}
		if out != nil && len(env.Data) > 0 && string(env.Data) != "null" {
			if err := json.Unmarshal(env.Data, out); err != nil {
				return &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: "the answer's data is not what was expected: " + err.Error(), Body: channel.Truncate(env.Data)}
			}
		}
		return nil
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// sign adds the common parameters, the token header and the signature to
// one attempt; the timestamp is the attempt's own, as TikTok refuses one
// more than five minutes old.
func (a *Adapter) sign(r *http.Request, acc *account, access string) error {
	q := r.URL.Query()
	q.Del("sign")
	q.Set("app_key", acc.appKey)
	q.Set("timestamp", strconv.FormatInt(a.now().Unix(), 10))
	if !shopless(r.URL.Path) {
		q.Set("shop_cipher", acc.cipher)
	}
	var body []byte
	if r.GetBody != nil {
		rc, err := r.GetBody()
		if err != nil {
			return err
		}
		body, err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	q.Set("sign", Sign(acc.secret, r.URL.Path, q, body))
	r.URL.RawQuery = q.Encode()
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("x-tts-access-token", access)
	return nil
}

// get reads a document that is not an API answer (a shipping label at
// doc_url): 5xx and network failures are passing, anything else not 2xx a refusal.
func (a *Adapter) get(ctx context.Context, target string) ([]byte, string, error) {
	hc := a.Caller.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	if a.Caller.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, a.Caller.Timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, "", &channel.Refusal{Platform: Platform, Message: "the document's address is not a URL: " + err.Error()}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, "", &channel.Unavailable{Platform: Platform, Err: err}
	}
	defer resp.Body.Close()
	doc, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, "", &channel.Unavailable{Platform: Platform, Err: err}
	}
	switch {
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return nil, "", &channel.Unavailable{Platform: Platform, Err: fmt.Errorf("HTTP %d fetching the document", resp.StatusCode)}
	case resp.StatusCode >= 300:
		return nil, "", &channel.Refusal{Platform: Platform, Status: resp.StatusCode, Message: http.StatusText(resp.StatusCode), Body: channel.Truncate(doc)}
	}
	mt := resp.Header.Get("Content-Type")
	if mt == "" || strings.HasPrefix(mt, "application/octet-stream") {
		mt = http.DetectContentType(doc)
	}
	if bytes.HasPrefix(doc, []byte("%PDF")) {
		mt = "application/pdf"
	}
	return doc, mt, nil
}
