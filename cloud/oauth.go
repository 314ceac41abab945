package cloud

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// grantTTL is how long a Connect link stays usable: long enough to sign in
// at the platform, short enough that a leaked link is soon worthless.
const grantTTL = 30 * time.Minute

// grant is what an OAuth state stands for: the shop and kind whose owner
// pressed Connect. Only the state's hash is stored, so the store cannot
// be read for a usable link.
type grant struct {
	Shop    string          `json:"shop"`
	Kind    app.AccountKind `json:"kind"`
	Expires time.Time       `json:"expires"`
}

// authorizer finds the platform's OAuth side: its channels adapter, or its hook.
func (s *Server) authorizer(kind app.AccountKind) (channel.Authorizer, bool) {
	if s.channels != nil {
		if a, ok := s.channels.adapters[app.Channel(kind)].(channel.Authorizer); ok {
			return a, true
		}
	}
	a, ok := s.opt.Hooks[string(kind)].(channel.Authorizer)
	return a, ok
}

// oauthRedirect is the callback URL the platform sends the owner back to;
// it must be registered in the platform's console exactly so.
func (s *Server) oauthRedirect(kind app.AccountKind) string {
	return strings.TrimRight(s.opt.PublicURL, "/") + "/v1/oauth/" + string(kind) + "/callback"
}

// oauthFields opens the account an authorization is for, refusing kinds
// that are not granted by OAuth and accounts without their app keys.
func (s *Server) oauthFields(shop string, kind app.AccountKind) (channel.Authorizer, *Account, error) {
	if s.accounts == nil {
		return nil, nil, errNoAccounts()
	}
	if _, err := s.store.Shop(shop); err != nil {
		return nil, nil, err
	}
	a, ok := s.authorizer(kind)
	if !ok {
		return nil, nil, app.FieldError("kind", "a %s account is not connected by authorization; set its keys instead", string(kind))
	}
	acc, err := s.accounts.Account(shop, kind)
	if err != nil {
		return nil, nil, err
	}
	if acc == nil {
		return nil, nil, app.FieldError("kind", "set the %s account's app keys first, then connect", string(kind))
	}
	return a, acc, nil
}

// Connect makes the link the owner opens to grant the shop's access at
// the platform. Its state names the shop, is unguessable, and is taken by
// the first callback that brings it back. Errors: EInvalid naming the field.
func (s *Server) Connect(shop string, kind app.AccountKind) (string, error) {
	a, acc, err := s.oauthFields(shop, kind)
	if err != nil {
		return "", err
	}
	if s.opt.PublicURL == "" {
		return "", app.FieldError("public-url", "is required to connect: the cloud's address the platform sends the owner back to (pos-cloud serve --public-url)")
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	state := base64.RawURLEncoding.EncodeToString(b)
	g, _ := json.Marshal(grant{Shop: shop, Kind: kind, Expires: s.now().Add(grantTTL)})
	if err := s.store.PutGrant(grantHash(state), g); err != nil {
		return "", err
	}
	return a.AuthorizeURL(acc.Fields, s.oauthRedirect(kind), state)
}

func grantHash(state string) string {
	sum := sha256.Sum256([]byte(state))
	return hex.EncodeToString(sum[:])
}

// takeGrant uses a state once; an unknown, used or expired one is refused.
func (s *Server) takeGrant(kind app.AccountKind, state string) (*grant, error) {
	refused := app.FieldError("state", "is not a Connect link of this cloud, was used already, or is older than 30 minutes: press Connect again")
	if state == "" {
		return nil, refused
	}
	raw, err := s.store.TakeGrant(grantHash(state))
	if err != nil {
		return nil, err
	}
	var g grant
	if raw == nil || json.Unmarshal(raw, &g) != nil || g.Kind != kind || !s.now().Before(g.Expires) {
		return nil, refused
	}
	return &g, nil
}

// TakeGrant uses a Connect link's state once, for the platform's callback,
// and returns the shop it was made for. An unknown, used or expired state
// is refused (EInvalid naming the field).
func (s *Server) TakeGrant(kind app.AccountKind, state string) (shop string, err error) {
	g, err := s.takeGrant(kind, state)
	if err != nil {
		return "", err
	}
	return g.Shop, nil
}

// ConnectCode exchanges an authorization code for tokens and keeps them in
// the account, encrypted, with their expiry: from the callback, or a code
// the owner pasted. The platform's refusal is kept as the account's last
// error and returned. Errors: EInvalid naming the field.
func (s *Server) ConnectCode(ctx context.Context, shop string, kind app.AccountKind, code string, query map[string]string) (*MaskedAccount, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return nil, app.FieldError("code", "is required")
	}
	a, acc, err := s.oauthFields(shop, kind)
	if err != nil {
		return nil, err
	}
	if query == nil {
		query = map[string]string{"code": code}
	}
	tok, err := a.Exchange(ctx, acc.Fields, code, query)
	if err != nil {
		return nil, s.grantFailed(shop, kind, "authorization", err)
	}
	if acc, err = s.keepTokens(shop, kind, tok); err != nil {
		return nil, s.grantFailed(shop, kind, "authorization", err)
	}
	s.log.Info("account connected", "shop", shop, "kind", kind)
	m := masked(shop, acc, "", s.now())
	return &m, nil
}

// keepTokens merges what the platform granted into the shop's account as
// it is now and stores it; fields the kind does not keep are left out, the
// rest checked as any account is.
func (s *Server) keepTokens(shop string, kind app.AccountKind, tok channel.Tokens) (*Account, error) {
	if tok.Access == "" {
		return nil, app.FieldError("access_token", "the platform granted no access token")
	}
	var kept *Account
	err := s.accounts.update(shop, kind, func(acc *Account) (*Account, error) {
		if acc == nil {
			return nil, app.FieldError("kind", "set the %s account's app keys first, then connect", string(kind))
		}
		f := map[string]string{}
		for k, v := range acc.Fields {
			f[k] = v
		}
		known := map[string]bool{}
		for _, spec := range app.AccountFields(kind) {
			known[spec.Name] = true
		}
		for k, v := range tok.Fields {
			if known[k] && v != "" {
				f[k] = v
			}
		}
		f["access_token"] = tok.Access
		if tok.Refresh != "" {
			f["refresh_token"] = tok.Refresh
		}
		delete(f, "expires_at")
		if !tok.AccessExpires.IsZero() {
			f["expires_at"] = tok.AccessExpires.UTC().Format(time.RFC3339)
		}
		delete(f, "refresh_expires_at")
		if !tok.RefreshExpires.IsZero() {
			f["refresh_expires_at"] = tok.RefreshExpires.UTC().Format(time.RFC3339)
		}
		raw, _ := json.Marshal(f)
		checked, err := app.ParseAccount(kind, raw)
		if err != nil {
			return nil, err
		}
		acc.Fields, acc.UpdatedAt, acc.LastError, acc.LastErrorAt = checked, s.now(), "", time.Time{}
		kept = acc
		return acc, nil
	})
	return kept, err
}

// grantFailed keeps the platform's refusal on the account, so Settings and
// `account show` say it, and returns it in words naming what failed.
func (s *Server) grantFailed(shop string, kind app.AccountKind, what string, err error) error {
	words := err.Error()
	if r, ok := channel.IsRefusal(err); ok {
		words = r.Message
	}
	perr := s.accounts.update(shop, kind, func(acc *Account) (*Account, error) {
		if acc != nil {
			acc.LastError, acc.LastErrorAt, acc.UpdatedAt = words, s.now(), s.now()
		}
		return acc, nil
	})
	if perr != nil {
		s.log.Error("keeping the account's last error", "shop", shop, "kind", kind, "err", perr)
	}
	var u *channel.Unavailable
	if errors.As(err, &u) {
		return app.Errorf(app.EInvalid, "%s did not answer the %s; try again: %s", string(kind), app.Word(what), words)
	}
	return app.Errorf(app.EInvalid, "%s refused the %s: %s", string(kind), app.Word(what), words)
}
