package shopee

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

var _ channel.Checker = (*Adapter)(nil)

// Check tries the account with one harmless signed call (the first page of
// one listing, get_item_list), so a wrong partner_key, partner_id, shop_id
// or access_token is refused when it is set. An account without tokens
// yet, or whose access token has expired, passes: trying it would spend
// the single-use refresh token of an account not yet stored.
func (a *Adapter) Check(ctx context.Context, f map[string]string) error {
	acc, err := accountOf(f)
	if err != nil {
		return err
	}
	if acc.shopID == 0 {
		return app.FieldError("shop_id", "is required for a %s account", "shopee")
	}
	if acc.access == "" || (!acc.expires.IsZero() && !a.now().Before(acc.expires)) {
		return nil
	}
	probe := *acc
	probe.refresh = "" // never renew here: see above
	q := url.Values{"offset": {"0"}, "page_size": {"1"}, "item_status": {"NORMAL"}}
	err = a.call(ctx, &probe, http.MethodGet, pathItemList, q, nil, nil)
	r, ok := channel.IsRefusal(err)
	if !ok {
		return err
	}
	words := r.Message + " " + r.Body
	switch {
	case strings.Contains(words, ErrSign):
		return app.FieldError("partner_key", "Shopee refused the signature made with it: %s", r.Message)
	case strings.Contains(words, "invalid_partner_id"):
		return app.FieldError("partner_id", "Shopee does not know this partner: %s", r.Message)
	case strings.Contains(words, "partner_shop_no_link"), strings.Contains(words, "shop_no_linked"), strings.Contains(words, "error_shop"):
		return app.FieldError("shop_id", "Shopee does not link this shop to the partner: %s", r.Message)
	case strings.Contains(words, "access token expired"), strings.Contains(words, "access_token"):
		return app.FieldError("access_token", "Shopee refused it: %s", r.Message)
	}
	return err
}
