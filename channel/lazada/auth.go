package lazada

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// tokenAnswer is what /auth/token/create and /auth/token/refresh answer
// (https://open.lazada.com/apps/doc/api?path=%2Fauth%2Ftoken%2Fcreate,
// https://open.lazada.com/apps/doc/api?path=%2Fauth%2Ftoken%2Frefresh):
//
//	{"access_token":"50000…","refresh_token":"50001…","expires_in":604800,"refresh_expires_in":2592000,
//	 "country":"id","account_platform":"seller_center","account":"shop@example.id",
//	 "country_user_info":[{"country":"id","user_id":"100012","seller_id":"1234567","short_code":"IDXXXX"}],
//	 "code":"0","request_id":"…"}
type tokenAnswer struct {
	AccessToken      string `json:"access_token"`
	RefreshToken     string `json:"refresh_token"`
	ExpiresIn        int64  `json:"expires_in"`
	RefreshExpiresIn int64  `json:"refresh_expires_in"`
	Country          string `json:"country"`
	CountryUserInfo  []struct {
		Country  string `json:"country"`
		UserID   string `json:"user_id"`
		SellerID string `json:"seller_id"`
	} `json:"country_user_info"`
}

// AuthorizeURL is Lazada's seller authorization page
// (https://open.lazada.com/apps/doc/doc?nodeId=10434&docId=108260):
// {auth host}/oauth/authorize?response_type=code&force_auth=true&redirect_uri=…&client_id={app_key}&state=….
func (a *Adapter) AuthorizeURL(f map[string]string, redirect, state string) (string, error) {
	appKey := strings.TrimSpace(f["app_key"])
	if appKey == "" {
		return "", app.FieldError("app_key", "is required for a %s account", "lazada")
	}
	if redirect == "" {
		return "", app.FieldError("redirect_uri", "is required")
	}
	base := trim(f["auth_base"])
	if base == "" {
		base = DefaultAuthBase
	}
	base = strings.TrimSuffix(base, "/rest")
	q := url.Values{"response_type": {"code"}, "force_auth": {"true"}, "redirect_uri": {redirect}, "client_id": {appKey}}
	if state != "" {
		q.Set("state", state)
	}
	return base + "/oauth/authorize?" + q.Encode(), nil
}

// Exchange trades the code the redirect carried for the seller's tokens
// (POST /auth/token/create with code, signed without an access token).
// The seller the tokens belong to must be the account's seller_id.
func (a *Adapter) Exchange(ctx context.Context, f map[string]string, code string, _ map[string]string) (channel.Tokens, error) {
	acc, err := accountOf(f)
	if err != nil {
		return channel.Tokens{}, err
	}
	if strings.TrimSpace(code) == "" {
		return channel.Tokens{}, app.FieldError("code", "is required")
	}
	t, err := a.token(ctx, acc, "/auth/token/create", url.Values{"code": {strings.TrimSpace(code)}})
	if err != nil {
		return t, err
	}
	if s := t.Fields["seller_id"]; s != "" && s != acc.seller {
		return channel.Tokens{}, app.FieldError("seller_id", "is %s, but Lazada authorized seller %s", acc.seller, s)
	}
	return t, nil
}

// Refresh renews the seller's tokens (POST /auth/token/refresh with
// refresh_token), as the cloud's refresher asks before they expire. Calls
// in flight that find the old token expired meanwhile use the new pair
// rather than refreshing again (channel.Renewals).
func (a *Adapter) Refresh(ctx context.Context, f map[string]string) (channel.Tokens, error) {
	acc, err := accountOf(f)
	if err != nil {
		return channel.Tokens{}, err
	}
	cur, _ := a.tokens(acc)
	var got channel.Tokens
	fresh := false
	err = a.renewals.Renew(ctx, acc.key(), acc.stored(), cur, a.refreshWith(acc), func(t channel.Tokens) { got, fresh = t, true })
	if err != nil {
		return channel.Tokens{}, err
	}
	if !fresh {
		// Another call renewed the pair while this one waited: that pair is the news.
		got = a.renewals.Current(acc.key(), acc.stored())
	}
	return got, nil
}

// refreshWith trades a refresh token for a new pair.
func (a *Adapter) refreshWith(acc account) func(ctx context.Context, refreshToken string) (channel.Tokens, error) {
	return func(ctx context.Context, refreshToken string) (channel.Tokens, error) {
		if refreshToken == "" {
			return channel.Tokens{}, app.FieldError("refresh_token", "is required to renew a Lazada token")
		}
		return a.token(ctx, acc, "/auth/token/refresh", url.Values{"refresh_token": {refreshToken}})
	}
}

// renew refreshes the tokens after Lazada said the access token stale
// expired, once for every call that found it so, and hands them to the
// keeper so the account keeps them.
func (a *Adapter) renew(ctx context.Context, acc account, stale string) error {
	return a.renewals.Renew(ctx, acc.key(), acc.stored(), stale, a.refreshWith(acc), func(t channel.Tokens) {
		a.mu.Lock()
		keep := a.keeper
		a.mu.Unlock()
		if keep != nil {
			keep(acc.fields, t)
		}
	})
}

func (a *Adapter) token(ctx context.Context, acc account, path string, params url.Values) (channel.Tokens, error) {
	_, raw, err := a.do(ctx, acc, request{base: acc.authBase, path: path, method: http.MethodPost, params: params})
	if err != nil {
		return channel.Tokens{}, err
	}
	var ans tokenAnswer
	if err := json.Unmarshal(raw, &ans); err != nil || ans.AccessToken == "" {
		return channel.Tokens{}, &channel.Refusal{Platform: Platform, Status: http.StatusOK,
			Message: "the token answer carries no access_token", Body: channel.Truncate(raw)}
	}
	now := a.now().UTC()
	t := channel.Tokens{Access: ans.AccessToken, Refresh: ans.RefreshToken, Fields: map[string]string{}}
	if ans.ExpiresIn > 0 {
		t.AccessExpires = now.Add(time.Duration(ans.ExpiresIn) * time.Second)
	}
	if ans.RefreshExpiresIn > 0 {
		t.RefreshExpires = now.Add(time.Duration(ans.RefreshExpiresIn) * time.Second)
	}
	for _, u := range ans.CountryUserInfo {
		if u.SellerID != "" && (u.Country == ans.Country || len(ans.CountryUserInfo) == 1) {
			t.Fields["seller_id"] = u.SellerID
		}
	}
	return t, nil
}

// sellerAnswer is GetSeller's data
// (GET /seller/get, https://open.lazada.com/apps/doc/api?path=%2Fseller%2Fget):
// {"seller_id":1234567,"name":"Toko Ayu","short_code":"IDXXXX","email":"…","status":"ACTIVE"}.
type sellerAnswer struct {
	SellerID ID     `json:"seller_id"`
	Name     string `json:"name"`
}

// refusedField is the account field a refusal's Lazada code blames.
var refusedField = map[string]string{
	"IncompleteSignature": "app_secret",
	"InvalidAppKey":       "app_key",
	CodeIllegalToken:      "access_token",
	CodeIllegalRefresh:    "refresh_token",
}

// Check tries the account with GetSeller, one harmless signed call: a
// wrong app key or secret, a token Lazada does not know and a token of
// another seller are refused naming the field (channel.Checker). An
// account not yet authorized has no token to try, and passes.
func (a *Adapter) Check(ctx context.Context, f map[string]string) error {
	acc, err := accountOf(f)
	if err != nil || acc.access == "" {
		return err
	}
	var s sellerAnswer
	err = a.data(ctx, acc, a.api(acc, http.MethodGet, "/seller/get", nil), &s)
	if r, ok := channel.IsRefusal(err); ok {
		var e envelope
		_ = json.Unmarshal([]byte(r.Body), &e)
		if field, ok := refusedField[e.Code]; ok {
			return app.FieldError(field, "Lazada refused it: %s", r.Message)
		}
		return err
	}
	if err != nil {
		return err
	}
	if s.SellerID != "" && string(s.SellerID) != acc.seller {
		return app.FieldError("seller_id", "is %s, but the access token is seller %s's", acc.seller, string(s.SellerID))
	}
	return nil
}

var _ channel.Checker = (*Adapter)(nil)
