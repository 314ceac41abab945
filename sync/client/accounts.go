package client

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/wire"
)

// accountsTimeout bounds one owner's request; a reconciliation of many
// orders is the slowest.
const accountsTimeout = 2 * time.Minute

// Accounts lists the shop's channel and courier accounts as the cloud
// keeps them, masked. Only the owner signed in here may.
func (c *Client) Accounts(ctx context.Context, owner app.Actor) ([]app.AccountView, error) {
	var out []app.AccountView
	err := c.ownerRequest(ctx, owner, "/list", struct{}{}, &out)
	return out, err
}

// SetAccount sets or replaces one account; the cloud checks it at the
// platform and answers it masked.
func (c *Client) SetAccount(ctx context.Context, owner app.Actor, kind app.AccountKind, fields map[string]string) (*app.AccountView, error) {
	raw, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	var out app.AccountView
	if err := c.ownerRequest(ctx, owner, "/set", wire.AccountSet{Kind: kind, Credentials: raw}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ConnectLink asks the cloud for the link at which the owner grants the
// shop's access at the platform.
func (c *Client) ConnectLink(ctx context.Context, owner app.Actor, kind app.AccountKind) (string, error) {
	var out wire.ConnectReply
	err := c.ownerRequest(ctx, owner, "/connect", wire.AccountConnect{Kind: kind}, &out)
	return out.URL, err
}

// SyncChannel asks the cloud to reconcile a channel over the last days.
func (c *Client) SyncChannel(ctx context.Context, owner app.Actor, kind app.AccountKind, days int) (*app.ChannelSync, error) {
	var out app.ChannelSync
	if err := c.ownerRequest(ctx, owner, "/sync", wire.ChannelSyncRequest{Kind: kind, Days: days}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RemoveAccount removes one of the shop's WooCommerce stores, named by its
// store_url; the cloud answers the accounts left, masked.
func (c *Client) RemoveAccount(ctx context.Context, owner app.Actor, kind app.AccountKind, storeURL string) ([]app.AccountView, error) {
	var out []app.AccountView
	err := c.ownerRequest(ctx, owner, "/remove", wire.AccountRemove{Kind: kind, StoreURL: storeURL}, &out)
	return out, err
}

// ownerRequest posts req, signed by the owner's key that their PIN
// unlocked at this terminal, and decodes the answer or the cloud's error.
func (c *Client) ownerRequest(ctx context.Context, owner app.Actor, op string, req, out any) error {
	if c.cfg.BaseURL == "" {
		return app.Errorf(app.EInvalid, "this terminal is not connected to a cloud")
	}
	key, ok := c.svc.Keys.Key(owner.Staff)
	if !ok {
		return app.Errorf(app.EForbidden, "sign in again: %s's key is not unlocked at this terminal", owner.Staff)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	path := wire.AccountsPath + op
	at := time.Now().UTC()
	ctx, cancel := context.WithTimeout(ctx, accountsTimeout)
	defer cancel()
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(c.cfg.BaseURL, "/")+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	r.Header.Set(wire.HeaderStaff, owner.Staff)
	r.Header.Set(wire.HeaderStaffAt, at.Format(time.RFC3339Nano))
	r.Header.Set(wire.HeaderStaffProof, app.SignRequest(key, app.TerminalBinding(c.cfg.Token), owner.Staff, at, path, body))
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		return app.Errorf(app.EInvalid, "the cloud cannot be reached: %s", err.Error())
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		if json.Unmarshal(raw, &e) != nil || e.Message == "" {
			return app.Errorf(app.EInternal, "the cloud answered %s", resp.Status)
		}
		return &app.Error{Code: e.Code, Message: e.Message}
	}
	return json.Unmarshal(raw, out)
}
