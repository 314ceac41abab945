package tiktok

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// DefaultAuthorizeBase is where a seller grants the app access, outside
// the United States ("Authorization overview",
// https://partner.tiktokshop.com/docv2/page/678e3a3292b0f40314a92d75).
const DefaultAuthorizeBase = "https://services.tiktokshop.com/open/authorize"

// AuthorizeURL is the authorization link of the app's service, with the
// cloud's state; TikTok redirects to the Redirect URL registered in
// Partner Center with ?code=…&state=…, so redirect is not sent.
func (a *Adapter) AuthorizeURL(f map[string]string, _ string, state string) (string, error) {
	sid := strings.TrimSpace(f["service_id"])
	if sid == "" {
		return "", app.FieldError("service_id", "is required to send the owner to TikTok Shop's authorization page")
	}
	q := url.Values{"service_id": {sid}}
	if state != "" {
		q.Set("state", state)
	}
	return DefaultAuthorizeBase + "?" + q.Encode(), nil
}

// tokenAnswer is the data of Get Access Token and Get Refresh Token
// (GET {auth_base}/api/v2/token/get and /api/v2/token/refresh, authorization overview page):
// {"access_token":"TTP_…","access_token_expire_in":1660556783,"refresh_token":"TTP_…",
// "refresh_token_expire_in":1691487031,"open_id":"…","seller_name":"…","seller_base_region":"ID","user_type":0}.
// The expiries are Unix timestamps, not durations.
type tokenAnswer struct {
	AccessToken          string `json:"access_token"`
	AccessTokenExpireIn  int64  `json:"access_token_expire_in"`
	RefreshToken         string `json:"refresh_token"`
	RefreshTokenExpireIn int64  `json:"refresh_token_expire_in"`
	SellerName           string `json:"seller_name"`
	SellerBaseRegion     string `json:"seller_base_region"`
}

// token calls the token endpoint at auth_base: app_key and app_secret go
// in the query, unsigned, as the page shows.
func (a *Adapter) token(ctx context.Context, acc *account, path string, q url.Values) (channel.Tokens, error) {
	q.Set("app_key", acc.appKey)
	q.Set("app_secret", acc.secret)
	var env envelope
	err := a.Caller.Do(ctx, channel.Request{Platform: Platform, Method: http.MethodGet, URL: acc.authBase + path + "?" + q.Encode(), Message: message}, &env)
	if err != nil {
		return channel.Tokens{}, err
	}
	if env.Code != CodeOK {
		if passing(env.Code) {
			return channel.Tokens{}, &channel.Unavailable{Platform: Platform, Err: &channel.Refusal{Platform: Platform, Message: message(mustJSON(env))}}
		}
		return channel.Tokens{}, &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: message(mustJSON(env)), Body: channel.Truncate(mustJSON(env))}
	}
	var t tokenAnswer
	if err := jsonUnmarshal(env.Data, &t); err != nil || t.AccessToken == "" {
		return channel.Tokens{}, &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: app.Text("the token answer carries no access_token").String(), Body: channel.Truncate(env.Data)}
	}
	out := channel.Tokens{Access: t.AccessToken, Refresh: t.RefreshToken, Fields: map[string]string{}}
	if t.AccessTokenExpireIn > 0 {
		out.AccessExpires = time.Unix(t.AccessTokenExpireIn, 0).UTC()
		out.Fields["expires_at"] = out.AccessExpires.Format(time.RFC3339)
	}
	if t.RefreshTokenExpireIn > 0 {
		out.RefreshExpires = time.Unix(t.RefreshTokenExpireIn, 0).UTC()
	}
	return out, nil
}

// Exchange trades the seller's auth_code for tokens (grant_type
// authorized_code), then reads the authorized shops (GET /authorization/202309/shops,
// https://partner.tiktokshop.com/docv2/page/6507ead7b99d5302be949ba9:
// {"shops":[{"id":"7000714532876273420","name":"…","region":"ID","seller_type":"LOCAL","cipher":"GCP_…","code":"…"}]})
// to learn the shop's id and cipher: the account's shop_id when it names
// one, else the only shop authorized.
func (a *Adapter) Exchange(ctx context.Context, f map[string]string, code string, _ map[string]string) (channel.Tokens, error) {
	acc, err := accountOf(f)
	if err != nil {
		return channel.Tokens{}, err
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return channel.Tokens{}, app.FieldError("code", "is required")
	}
	t, err := a.token(ctx, acc, "/api/v2/token/get", url.Values{"auth_code": {code}, "grant_type": {"authorized_code"}})
	if err != nil {
		return channel.Tokens{}, err
	}
	shopAcc := *acc
	shopAcc.access, shopAcc.refresh, shopAcc.expires = t.Access, t.Refresh, t.AccessExpires
	shops, err := a.shops(ctx, &shopAcc)
	if err != nil {
		return channel.Tokens{}, err
	}
	for _, s := range shops {
		if (acc.shopID == "" && len(shops) == 1) || s.ID == acc.shopID {
			t.Fields["shop_id"], t.Fields["shop_cipher"] = s.ID, s.Cipher
			return t, nil
		}
	}
	if acc.shopID != "" {
		return channel.Tokens{}, app.FieldError("shop_id", "%s is not among the shops this seller authorized", acc.shopID)
	}
	return channel.Tokens{}, app.FieldError("shop_id", "is required: the seller authorized %d shops", len(shops))
}

// Refresh renews the tokens with the refresh token (grant_type refresh_token).
func (a *Adapter) Refresh(ctx context.Context, f map[string]string) (channel.Tokens, error) {
	acc, err := accountOf(f)
	if err != nil {
		return channel.Tokens{}, err
	}
	cur := a.tokens(acc)
	if cur.Refresh == "" {
		return channel.Tokens{}, app.FieldError("refresh_token", "is not set: authorize the shop at TikTok Shop first")
	}
	return a.token(ctx, acc, "/api/v2/token/refresh", url.Values{"refresh_token": {cur.Refresh}, "grant_type": {"refresh_token"}})
}
