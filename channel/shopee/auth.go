package shopee

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// Paths of partner authorization ("Authorization and Authentication",
// https://open.shopee.com/developer-guide/20).
const (
	pathAuthPartner = "/api/v2/shop/auth_partner"
	pathTokenGet    = "/api/v2/auth/token/get"
	pathTokenRenew  = "/api/v2/auth/access_token/get"
)

// refreshLife is how long a refresh_token lasts: 30 days (developer guide 20).
const refreshLife = 30 * 24 * time.Hour

// AuthorizeURL is the page where the seller grants the partner app access
// to the shop: {api_base}/api/v2/shop/auth_partner?partner_id=&timestamp=
// &sign=&redirect=, signed as a public API. Shopee keeps the link for five
// minutes and then redirects to redirect with code and shop_id added; the
// state rides in the redirect's own query.
func (a *Adapter) AuthorizeURL(f map[string]string, redirect, state string) (string, error) {
	acc, err := accountOf(f)
	if err != nil {
		return "", err
	}
	back, err := url.Parse(strings.TrimSpace(redirect))
	if err != nil || back.Host == "" {
		return "", app.FieldError("redirect", "must be an absolute URL, got %q", redirect)
	}
	if state != "" {
		q := back.Query()
		q.Set("state", state)
		back.RawQuery = q.Encode()
	}
	r, err := http.NewRequest(http.MethodGet, acc.apiBase+pathAuthPartner, nil)
	if err != nil {
		return "", app.FieldError("api_base", "is not a URL: %s", err.Error())
	}
	a.signPublic(r, acc)
	q := r.URL.Query()
	q.Set("redirect", back.String())
	r.URL.RawQuery = q.Encode()
	return r.URL.String(), nil
}

// tokenAnswer is both token endpoints' answer (v2.public.get_access_token,
// https://open.shopee.com/documents/v2/v2.public.get_access_token?module=104&type=1;
// v2.public.refresh_access_token, .../v2.public.refresh_access_token?module=104&type=1):
// {"request_id","error","message","access_token","refresh_token","expire_in",
// "shop_id"?, "partner_id"?, "shop_id_list"?}. The tokens are at the top
// level, not under "response".
type tokenAnswer struct {
	RequestID    string  `json:"request_id"`
	Error        string  `json:"error"`
	Message      string  `json:"message"`
	AccessToken  string  `json:"access_token"`
	RefreshToken string  `json:"refresh_token"`
	ExpireIn     int64   `json:"expire_in"`
	ShopID       int64   `json:"shop_id"`
	ShopIDList   []int64 `json:"shop_id_list"`
}

// tokenCall posts a token request, signed as a public API.
func (a *Adapter) tokenCall(ctx context.Context, acc *account, path string, body map[string]any) (channel.Tokens, error) {
	var raw []byte
	err := a.Caller.Do(ctx, channel.Request{Platform: Platform, Method: http.MethodPost, URL: acc.apiBase + path, Body: body,
		Auth:    func(_ context.Context, r *http.Request) error { a.signPublic(r, acc); return nil },
		Message: message,
	}, &raw)
	if err != nil {
		return channel.Tokens{}, err
	}
	var ans tokenAnswer
	if err := json.Unmarshal(raw, &ans); err != nil {
		return channel.Tokens{}, &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: "the token answer is not the JSON expected: " + err.Error(), Body: channel.Truncate(raw)}
	}
	if ans.Error != "" {
		if passing(ans.Error) {
			return channel.Tokens{}, &channel.Unavailable{Platform: Platform, Err: &channel.Refusal{Platform: Platform, Message: message(raw)}}
		}
		return channel.Tokens{}, &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: message(raw), Body: channel.Truncate(raw)}
	}
	if ans.AccessToken == "" || ans.RefreshToken == "" {
		return channel.Tokens{}, &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: "the token answer carries no access_token or refresh_token", Body: channel.Truncate(raw)}
	}
	now := a.now()
	life := time.Duration(ans.ExpireIn) * time.Second
	if life <= 0 {
		life = 4 * time.Hour // the documented life of an access_token
	}
	t := channel.Tokens{Access: ans.AccessToken, Refresh: ans.RefreshToken, AccessExpires: now.Add(life).UTC(), RefreshExpires: now.Add(refreshLife).UTC()}
	if ans.ShopID > 0 {
		t.Fields = map[string]string{"shop_id": strconv.FormatInt(ans.ShopID, 10)}
	}
	return t, nil
}

// Exchange trades the redirect's code for the shop's tokens
// (POST /api/v2/auth/token/get {"code","partner_id","shop_id"}). The shop
// is the redirect's shop_id, else the account's.
func (a *Adapter) Exchange(ctx context.Context, f map[string]string, code string, query map[string]string) (channel.Tokens, error) {
	acc, err := accountOf(f)
	if err != nil {
		return channel.Tokens{}, err
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return channel.Tokens{}, app.FieldError("code", "is required")
	}
	shop := acc.shopID
	if s := strings.TrimSpace(query["shop_id"]); s != "" {
		if shop, err = positive("shop_id", s); err != nil {
			return channel.Tokens{}, err
		}
	}
	if shop == 0 {
		return channel.Tokens{}, app.FieldError("shop_id", "is required: Shopee names it in the redirect")
	}
	t, err := a.tokenCall(ctx, acc, pathTokenGet, map[string]any{"code": code, "partner_id": acc.partnerID, "shop_id": shop})
	if err != nil {
		return t, err
	}
	if t.Fields == nil {
		t.Fields = map[string]string{}
	}
	t.Fields["shop_id"] = strconv.FormatInt(shop, 10)
	return t, nil
}

// Refresh renews the shop's tokens with its refresh_token (POST
// /api/v2/auth/access_token/get {"refresh_token","partner_id","shop_id"});
// the answer's refresh_token replaces the one spent.
func (a *Adapter) Refresh(ctx context.Context, f map[string]string) (channel.Tokens, error) {
	acc, err := accountOf(f)
	if err != nil {
		return channel.Tokens{}, err
	}
	if acc.shopID == 0 {
		return channel.Tokens{}, app.FieldError("shop_id", "is required for a %s account", "shopee")
	}
	cur := a.tokens(acc)
	if cur.Refresh == "" {
		return channel.Tokens{}, app.FieldError("refresh_token", "is not set: authorize the shop at Shopee first")
	}
	if cur.Access != acc.access && cur.Access != "" {
		// Renewed since the account was read: hand back what the adapter holds.
		return cur, nil
	}
	if err := a.renew(ctx, acc, acc.access); err != nil {
		return channel.Tokens{}, err
	}
	return a.tokens(acc), nil
}

// refreshToken spends a refresh token.
func (a *Adapter) refreshToken(ctx context.Context, acc *account, refresh string) (channel.Tokens, error) {
	return a.tokenCall(ctx, acc, pathTokenRenew, map[string]any{"refresh_token": refresh, "partner_id": acc.partnerID, "shop_id": acc.shopID})
}
