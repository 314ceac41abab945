// Package lazada tells Lazada what the register decided and reads what
// Lazada knows, through the Lazada Open Platform API
// (https://open.lazada.com/apps/doc/doc?nodeId=10450&docId=108068): every
// call signed with the app's key and secret, and the seller's access token
// from the shop's account, which a refresh renews when Lazada says it expired.
package lazada

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// Platform is how errors name Lazada.
const Platform = "Lazada"

// DefaultAuthBase is the host that issues and refreshes sellers' tokens
// (https://open.lazada.com/apps/doc/doc?nodeId=10434&docId=108260).
const DefaultAuthBase = "https://auth.lazada.com/rest"

// Adapter is Lazada's API behind channel.Adapter, channel.DetailParser,
// channel.Authorizer, channel.Lister, channel.Waybill and channel.Catalogue;
// Hook reads its pushes.
type Adapter struct {
	Caller *channel.Caller
	// Now is the clock the requests' timestamps are read from.
	Now func() time.Time
	mu  sync.Mutex
	// keep, when set, is told the tokens a refresh forced by an expired
	// token gave, so the account keeps them (channel.Renewer); the
	// adapter itself keeps them only in memory.
	keeper func(fields map[string]string, t channel.Tokens)
	// renewals are the newest tokens per app and seller, while the account
	// still holds the access token they replaced: once the account holds
	// newer ones, the account wins again.
	renewals channel.Renewals
	// skus caches where a seller SKU lives (item and SKU ids), for the stock update.
	skus map[string]skuRef
}

type skuRef struct{ itemID, skuID string }

// New makes the adapter with the connectors' call defaults.
func New() *Adapter {
	return &Adapter{Caller: channel.NewCaller(), Now: time.Now, skus: map[string]skuRef{}}
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

// OnRenew sets where tokens renewed after an expired token are kept (channel.Renewer).
func (a *Adapter) OnRenew(keep func(fields map[string]string, t channel.Tokens)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.keeper = keep
}

// Channel is Lazada.
func (a *Adapter) Channel() app.Channel { return app.ChannelLazada }

func (a *Adapter) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// account is what the calls need of the shop's Lazada account.
type account struct {
	appKey, secret, seller string
	apiBase, authBase      string
	access, refresh        string
	fields                 map[string]string
}

func accountOf(f map[string]string) (account, error) {
	acc := account{appKey: f["app_key"], secret: f["app_secret"], seller: f["seller_id"],
		apiBase: trim(f["api_base"]), authBase: trim(f["auth_base"]), access: f["access_token"], refresh: f["refresh_token"], fields: f}
	if acc.authBase == "" {
		acc.authBase = DefaultAuthBase
	}
	for _, req := range []struct{ name, v string }{{"app_key", acc.appKey}, {"app_secret", acc.secret}, {"seller_id", acc.seller}, {"api_base", acc.apiBase}} {
		if req.v == "" {
			return acc, app.FieldError(req.name, "is required for a %s account", "lazada")
		}
	}
	return acc, nil
}

func trim(s string) string { return strings.TrimRight(strings.TrimSpace(s), "/") }

func (acc account) key() string { return acc.appKey + "\x00" + acc.seller }

// stored are the tokens the account holds.
func (acc account) stored() channel.Tokens {
	return channel.Tokens{Access: acc.access, Refresh: acc.refresh}
}

// tokens are the account's tokens, or the newer ones a refresh gave.
func (a *Adapter) tokens(acc account) (access, refresh string) {
	t := a.renewals.Current(acc.key(), acc.stored())
	return t.Access, t.Refresh
}

// Sign is Lazada's request signature
// (https://open.lazada.com/apps/doc/doc?nodeId=10450&docId=108068): the
// API path followed by every parameter but sign, sorted by name, each name
// then its value, parameters with an empty value left out; HMAC-SHA256
// with the app secret, in upper-case hex.
func Sign(secret, apiPath string, params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "sign" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	m := hmac.New(sha256.New, []byte(secret))
	io.WriteString(m, apiPath)
	for _, k := range keys {
		v := params.Get(k)
		if v == "" {
			continue
		}
		io.WriteString(m, k)
		io.WriteString(m, v)
	}
	return strings.ToUpper(hex.EncodeToString(m.Sum(nil)))
}

// envelope is every answer's frame
// (https://open.lazada.com/apps/doc/doc?nodeId=10451&docId=108069):
// {"code":"0","request_id":"…","data":…}, or on a refusal
// {"type":"ISV","code":"IllegalAccessToken","message":"…","request_id":"…"}.
// The token endpoints answer their fields beside code instead of in data.
type envelope struct {
	Code      string          `json:"code"`
	Type      string          `json:"type"`
	Message   string          `json:"message"`
	RequestID string          `json:"request_id"`
	Data      json.RawMessage `json:"data"`
	// Result wraps the fulfilment APIs' answers (pack, ready to ship):
	// {"result":{"success":true,"data":…}}.
	Result *result `json:"result"`
}

// result is the fulfilment APIs' inner frame
// (https://open.lazada.com/apps/doc/api?path=%2Forder%2Ffulfill%2Fpack). The
// page names its error fields errorCode and errorMsg; answers seen in the
// SDKs spell them error_code and error_msg, so both are read.
type result struct {
	Success   flag            `json:"success"`
	ErrorCode string          `json:"error_code"`
	ErrorMsg  string          `json:"error_msg"`
	ErrCode   string          `json:"errorCode"`
	ErrMsg    string          `json:"errorMsg"`
	Data      json.RawMessage `json:"data"`
}

// flag is a JSON boolean that Lazada's pages also write as a string
// ("success":"true" in GetReverseOrdersForSeller's example).
type flag bool

// UnmarshalJSON takes true, false, "true" or "false".
func (f *flag) UnmarshalJSON(b []byte) error {
	switch strings.Trim(string(b), `"`) {
	case "true":
		*f = true
	case "false", "null", "":
		*f = false
	default:
		return fmt.Errorf("success must be true or false, got %s", b)
	}
	return nil
}

// Error codes Lazada answers that the adapter acts on
// (https://open.lazada.com/apps/doc/doc?nodeId=10451&docId=108069, "Error codes").
const (
	CodeOK             = "0"
	CodeIllegalToken   = "IllegalAccessToken"
	CodeIllegalRefresh = "IllegalRefreshToken"
	CodeCallLimit      = "ApiCallLimit"
	CodeServiceTimeout = "ServiceTimeout"
)

// message is Lazada's own reason for a refusal.
func message(body []byte) string {
	var e envelope
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	if e.Message != "" {
		return e.Message
	}
	return e.Code
}

func expired(_ int, body []byte) bool {
	var e envelope
	return json.Unmarshal(body, &e) == nil && e.Code == CodeIllegalToken
}

// request is one API call: its host, path, method and business parameters.
type request struct {
	base, path, method string
	params             url.Values
	// token adds the seller's access token; the token endpoints go without.
	token bool
}

// signer sets the common parameters and the signature on each attempt, so
// a retried call carries a fresh timestamp and the newest token. GET
// carries every parameter in the query; POST carries the common ones in
// the query and the business ones as a form, as the official SDKs send them.
func (a *Adapter) signer(acc account, rq request, used *string) func(context.Context, *http.Request) error {
	return func(_ context.Context, r *http.Request) error {
		common := url.Values{"app_key": {acc.appKey}, "sign_method": {"sha256"},
			"timestamp": {strconv.FormatInt(a.now().UnixMilli(), 10)}}
		if rq.token {
			access, _ := a.tokens(acc)
			if access == "" {
				return &channel.Refusal{Platform: Platform, Status: http.StatusUnauthorized,
					Message: "the account has no access_token: authorize the shop at Lazada first"}
			}
			common.Set("access_token", access)
			*used = access
		}
		all := url.Values{}
		for k, v := range common {
			all[k] = v
		}
		for k, v := range rq.params {
			all[k] = v
		}
		query := all
		if rq.method == http.MethodPost {
			query = common
			form := rq.params.Encode()
			r.Body = io.NopCloser(strings.NewReader(form))
			r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(form)), nil }
			r.ContentLength = int64(len(form))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
		}
		query.Set("sign", Sign(acc.secret, rq.path, all))
		r.URL.RawQuery = query.Encode()
		return nil
	}
}

// do makes one signed call and returns Lazada's answer once its code says
// it succeeded. An expired access token is refreshed and the call made
// again, once; a rate limit or a timeout at Lazada is Unavailable; any
// other code is a Refusal in Lazada's words.
func (a *Adapter) do(ctx context.Context, acc account, rq request) (*envelope, []byte, error) {
	renewed := false
	for {
		var raw json.RawMessage
		var used string // the access token the last attempt carried
		call := channel.Request{Platform: Platform, Method: rq.method, URL: rq.base + rq.path,
			Auth: a.signer(acc, rq, &used), Expired: expired, Message: message}
		if rq.token {
			// The token endpoints never renew: a refresh inside a refresh would wait on itself.
			call.Renew = func(ctx context.Context) error {
				renewed = true
				return a.renew(ctx, acc, used)
			}
		}
		err := a.Caller.Do(ctx, call, &raw)
		if err != nil {
			return nil, nil, err
		}
		var env envelope
		if err := json.Unmarshal(raw, &env); err != nil {
			return nil, raw, &channel.Refusal{Platform: Platform, Status: http.StatusOK,
				Message: "the answer is not Lazada's JSON: " + err.Error(), Body: channel.Truncate(raw)}
		}
		switch env.Code {
		case CodeOK:
			if env.Result != nil && !bool(env.Result.Success) {
				msg := first(env.Result.ErrorMsg, env.Result.ErrMsg, env.Result.ErrorCode, env.Result.ErrCode, "the call did not succeed")
				return nil, raw, &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: msg, Body: channel.Truncate(raw)}
			}
			return &env, raw, nil
		case CodeIllegalToken:
			if rq.token && !renewed {
				renewed = true
				if err := a.renew(ctx, acc, used); err != nil {
					return nil, raw, err
				}
				continue
			}
		case CodeCallLimit, CodeServiceTimeout:
			return nil, raw, &channel.Unavailable{Platform: Platform, Err: errors.New(first(env.Message, env.Code))}
		}
		return nil, raw, &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: first(env.Message, env.Code, "no code in the answer"), Body: channel.Truncate(raw)}
	}
}

// data makes the call and decodes its data (or, for the fulfilment APIs, result.data) into out.
func (a *Adapter) data(ctx context.Context, acc account, rq request, out any) error {
	env, _, err := a.do(ctx, acc, rq)
	if err != nil || out == nil {
		return err
	}
	d := env.Data
	if env.Result != nil {
		d = env.Result.Data
	}
	if len(d) == 0 {
		return &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: "the answer carries no data"}
	}
	if err := json.Unmarshal(d, out); err != nil {
		return &channel.Refusal{Platform: Platform, Status: http.StatusOK,
			Message: "the answer's data is not what was expected: " + err.Error(), Body: channel.Truncate(d)}
	}
	return nil
}

func (a *Adapter) api(acc account, method, path string, params url.Values) request {
	if params == nil {
		params = url.Values{}
	}
	return request{base: acc.apiBase, path: path, method: method, params: params, token: true}
}

func first(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// jsonParam is a structured parameter as Lazada takes it: JSON text in one field.
func jsonParam(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
