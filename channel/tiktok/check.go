package tiktok

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

var _ channel.Checker = (*Adapter)(nil)

// Check tries the account with one harmless signed call, Get Authorized
// Shops, and names the field TikTok refused: app_secret for a wrong
// signature (106001), app_key or access_token for the credentials TikTok
// names (36009004), refresh_token when an expired token cannot be renewed,
// shop_id when the seller did not authorize that shop, and shop_cipher when
// TikTok gives the shop another. An account not authorized yet has nothing
// to try and passes.
func (a *Adapter) Check(ctx context.Context, f map[string]string) error {
	acc, err := accountOf(f)
	if err != nil {
		return err
	}
	if acc.access == "" && acc.refresh == "" {
		return nil
	}
	shops, err := a.shops(ctx, acc)
	if r, ok := channel.IsRefusal(err); ok {
		return refusedField(r)
	}
	if err != nil {
		return err
	}
	for _, s := range shops {
		if s.ID != acc.shopID {
			continue
		}
		if acc.cipher != "" && s.Cipher != acc.cipher {
			return app.FieldError("shop_cipher", "is not the cipher TikTok Shop gives shop %s", acc.shopID)
		}
		return nil
	}
	return app.FieldError("shop_id", "%s is not among the shops this seller authorized", acc.shopID)
}

// refusedField names the account field behind a refusal.
func refusedField(r *channel.Refusal) error {
	var e envelope
	_ = json.Unmarshal([]byte(r.Body), &e)
	switch {
	case e.Code == CodeInvalidSign:
		return app.FieldError("app_secret", "TikTok Shop refused the signature made with it: %s", r.Message)
	case strings.Contains(e.Message, "app_key"):
		return app.FieldError("app_key", "TikTok Shop refused it: %s", r.Message)
	case strings.Contains(e.Message, "access-token") || strings.Contains(e.Message, "access_token"):
		return app.FieldError("access_token", "TikTok Shop refused it: %s", r.Message)
	case e.Code == CodeExpiredToken || strings.Contains(r.Message, "refresh_token"):
		return app.FieldError("refresh_token", "TikTok Shop refused to renew the token: %s", r.Message)
	}
	return app.FieldError("app_key", "TikTok Shop refused the account: %s", r.Message)
}

// authorizedShop is a row of Get Authorized Shops
// (GET /authorization/202309/shops, https://partner.tiktokshop.com/docv2/page/6507ead7b99d5302be949ba9).
type authorizedShop struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Region string `json:"region"`
	Cipher string `json:"cipher"`
}

func (a *Adapter) shops(ctx context.Context, acc *account) ([]authorizedShop, error) {
	var ans struct {
		Shops []authorizedShop `json:"shops"`
	}
	err := a.call(ctx, acc, http.MethodGet, "/authorization/"+Version+"/shops", nil, nil, &ans)
	return ans.Shops, err
}
