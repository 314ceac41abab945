package cloud

import (
	"context"
	"errors"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// accountCheckTimeout bounds the one call `account set` makes to try a credential.
const accountCheckTimeout = 20 * time.Second

// accountCheck tries a kind's fields at the platform with the adapter's
// one harmless call, when the adapter has one (channel.Checker). A
// refusal names the field; a platform that does not answer refuses the
// set too, since nothing is known to work. Nothing is stored either way.
func accountCheck(adapters map[app.Channel]channel.Adapter, kind app.AccountKind) func(map[string]string) error {
	c, ok := adapters[app.Channel(kind)].(channel.Checker)
	if !ok {
		return nil
	}
	return func(f map[string]string) error {
		ctx, cancel := context.WithTimeout(context.Background(), accountCheckTimeout)
		defer cancel()
		err := c.Check(ctx, f)
		if err == nil || app.ErrorCode(err) == app.EInvalid {
			return err
		}
		var u *channel.Unavailable
		if errors.As(err, &u) {
			return app.Errorf(app.EInvalid, "%s did not answer the credential check; nothing was saved, try again: %s", string(kind), err.Error())
		}
		if r, ok := channel.IsRefusal(err); ok {
			return app.Errorf(app.EInvalid, "%s refused the credentials; nothing was saved: %s", string(kind), r.Message)
		}
		return err
	}
}

// SetAccount checks a shop's credentials at the platform and stores them,
// as `account set` and an owner's Settings ask. Errors: EInvalid naming the
// field, ENotFound.
func (s *Server) SetAccount(shop string, kind app.AccountKind, raw []byte) (*MaskedAccount, error) {
	if s.accounts == nil {
		return nil, errNoAccounts()
	}
	var adapters map[app.Channel]channel.Adapter
	if s.channels != nil {
		adapters = s.channels.adapters
	}
	acc, err := s.accounts.SetChecked(shop, kind, raw, s.now(), accountCheck(adapters, kind))
	if err != nil {
		return nil, err
	}
	s.log.Info("account set", "shop", shop, "kind", acc.Kind)
	m := masked(shop, acc, "", s.now())
	return &m, nil
}
