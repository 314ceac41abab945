package cloud

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/wire"
)

// AccountRequest carries credentials to the running server's admin socket.
type AccountRequest struct {
	Kind        app.AccountKind `json:"kind"`
	Credentials json.RawMessage `json:"credentials"`
}

// errNoAccounts says the server holds no secrets key.
func errNoAccounts() error {
	return app.Errorf(app.EInvalid, "this cloud was started without a secrets key, so it keeps no accounts")
}

// directAccounts opens the accounts with the key file when no server runs.
func (a Admin) directAccounts(fn func(*Accounts) error) error {
	return a.direct(func(b Backend) error {
		key, err := LoadSecretsKey(a.SecretsKeyFile, a.Dir, nil)
		if err != nil {
			return err
		}
		acc, err := OpenAccounts(b, key)
		if err != nil {
			return err
		}
		return fn(acc)
	})
}

// SetAccount validates and stores a shop's credentials for one kind,
// through the running server when there is one. Errors: EInvalid naming the field, ENotFound.
func (a Admin) SetAccount(shop string, kind app.AccountKind, raw []byte) (*MaskedAccount, error) {
	if strings.TrimSpace(shop) == "" {
		return nil, app.FieldError("shop", "is required")
	}
	// Checked here too, so a malformed file is refused before it travels anywhere.
	if _, err := app.ParseAccount(kind, raw); err != nil {
		return nil, err
	}
	var out MaskedAccount
	err := a.call("/admin/shops/"+shop+"/accounts", AccountRequest{Kind: kind, Credentials: raw}, &out)
	if errors.Is(err, errNoServer) {
		err = a.directAccounts(func(acc *Accounts) error {
			set, err := acc.SetChecked(shop, kind, raw, time.Now(), accountCheck(NewChannels().adapters, kind))
			if err == nil {
				out = masked(shop, set, "", time.Now())
			}
			return err
		})
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Accounts lists a shop's accounts, masked.
func (a Admin) Accounts(shop string) ([]MaskedAccount, error) {
	if strings.TrimSpace(shop) == "" {
		return nil, app.FieldError("shop", "is required")
	}
	var out []MaskedAccount
	err := a.call("/admin/shops/"+shop+"/accounts/show", struct{}{}, &out)
	if errors.Is(err, errNoServer) {
		err = a.directAccounts(func(acc *Accounts) error {
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

// ConnectCodeRequest asks for the Connect link, or, with a code the owner
// pasted, exchanges it.
type ConnectCodeRequest struct {
	Code string `json:"code,omitempty"`
}

// ConnectReply is the Connect link to open, or the account once connected.
type ConnectReply = wire.ConnectReply

// ConnectRequest answers an owner's Connect: the link to open, or, with a code
// the owner pasted, the account it connected.
func (s *Server) ConnectRequest(ctx context.Context, shop string, kind app.AccountKind, code string) (*ConnectReply, error) {
	if code == "" {
		u, err := s.Connect(shop, kind)
		if err != nil {
			return nil, err
		}
		return &ConnectReply{URL: u}, nil
	}
	acc, err := s.ConnectCode(ctx, shop, kind, code, nil)
	if err != nil {
		return nil, err
	}
	return &ConnectReply{Account: acc}, nil
}

// SyncRequest asks for a reconciliation over the last Days days.
type SyncRequest struct {
	Days int `json:"days"`
}

// errNeedsServer says a command talks to platforms through the running cloud.
func errNeedsServer(what string) error {
	return app.Errorf(app.EInvalid, "%s needs the running cloud (pos-cloud serve with the same --data)", what)
}

// Connect asks the running server for a shop's Connect link, or exchanges
// the code the owner pasted. Errors: EInvalid naming the field.
func (a Admin) Connect(shop string, kind app.AccountKind, code string) (*ConnectReply, error) {
	if strings.TrimSpace(shop) == "" {
		return nil, app.FieldError("shop", "is required")
	}
	var out ConnectReply
	err := a.call("/admin/shops/"+shop+"/accounts/"+string(kind)+"/connect", ConnectCodeRequest{Code: code}, &out)
	if errors.Is(err, errNoServer) {
		return nil, errNeedsServer("account connect")
	}
	return &out, err
}

// SyncChannel asks the running server to reconcile a shop's channel.
func (a Admin) SyncChannel(shop string, kind app.AccountKind, days int) (*SyncReport, error) {
	if strings.TrimSpace(shop) == "" {
		return nil, app.FieldError("shop", "is required")
	}
	var out SyncReport
	err := a.call("/admin/shops/"+shop+"/channels/"+string(kind)+"/sync", SyncRequest{Days: days}, &out)
	if errors.Is(err, errNoServer) {
		return nil, errNeedsServer("channel sync")
	}
	return &out, err
}
