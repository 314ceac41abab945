package cloud

import (
	"errors"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/wire"
)

// RemoveAccount removes one of a shop's WooCommerce stores (the only
// account that is removed rather than replaced: a shop keeps several) and
// returns the shop's accounts left, masked. Its webhooks get 401 and it
// hears no stock figures from then on; its orders stay. Errors: EInvalid
// naming kind or store_url, ENotFound (shop).
func (s *Server) RemoveAccount(shop string, kind app.AccountKind, storeURL string) ([]MaskedAccount, error) {
	if s.accounts == nil {
		return nil, errNoAccounts()
	}
	if err := removable(kind, storeURL); err != nil {
		return nil, err
	}
	if err := s.accounts.RemoveWooStore(shop, storeURL, s.now()); err != nil {
		return nil, err
	}
	s.log.Info("account removed", "shop", shop, "kind", kind, "store", storeURL)
	return s.accounts.Masked(shop)
}

// removable refuses a removal other than of a WooCommerce store.
func removable(kind app.AccountKind, storeURL string) error {
	if kind != app.AccountWooCommerce {
		return app.FieldError("kind", "only a WooCommerce store can be removed; set the %s account again to change it", string(kind))
	}
	if strings.TrimSpace(storeURL) == "" {
		return app.FieldError("store_url", "is required: the address of the WooCommerce store to remove")
	}
	return nil
}

// RemoveAccount removes a shop's WooCommerce store, through the running
// server when there is one, and returns the accounts left.
func (a Admin) RemoveAccount(shop string, kind app.AccountKind, storeURL string) ([]MaskedAccount, error) {
	if strings.TrimSpace(shop) == "" {
		return nil, app.FieldError("shop", "is required")
	}
	if err := removable(kind, storeURL); err != nil {
		return nil, err
	}
	var out []MaskedAccount
	err := a.call("/admin/shops/"+shop+"/accounts/remove", wire.AccountRemove{Kind: kind, StoreURL: storeURL}, &out)
	if errors.Is(err, errNoServer) {
		err = a.directAccounts(func(acc *Accounts) error {
			if err := acc.RemoveWooStore(shop, storeURL, time.Now()); err != nil {
				return err
			}
			var err error
			out, err = acc.Masked(shop)
			return err
		})
	}
	if out == nil {
		out = []MaskedAccount{}
	}
	return out, err
}
