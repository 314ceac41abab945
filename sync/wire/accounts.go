package wire

import (
	"encoding/json"

	"github.com/kasir/pos/app"
)

// An owner's requests about the shop's accounts are not changes of the
// log: the terminal POSTs them over HTTP to AccountsPath+"/list", "/set",
// "/connect", "/sync" and "/remove" with its token as a bearer, signed by the member
// (app.SignRequest over the path and body) in these headers. The cloud
// answers only the shop's owner, and only with masked values.
const (
	AccountsPath     = "/v1/accounts"
	HeaderStaff      = "X-Staff"
	HeaderStaffAt    = "X-Staff-At"
	HeaderStaffProof = "X-Staff-Proof"
)

// AccountSet sets or replaces one account, with the platform's field names.
type AccountSet struct {
	Kind        app.AccountKind `json:"kind"`
	Credentials json.RawMessage `json:"credentials"`
}

// AccountConnect asks for the Connect link, or exchanges a pasted code.
type AccountConnect struct {
	Kind app.AccountKind `json:"kind"`
	Code string          `json:"code,omitempty"`
}

// ConnectReply is the Connect link to open, or the account once connected.
type ConnectReply struct {
	URL     string           `json:"url,omitempty"`
	Account *app.AccountView `json:"account,omitempty"`
}

// ChannelSyncRequest asks for a reconciliation of a channel over Days days.
type ChannelSyncRequest struct {
	Kind app.AccountKind `json:"kind"`
	Days int             `json:"days"`
}

// AccountRemove removes one of the shop's WooCommerce stores, named by its
// store_url (or its store, as listed); its orders stay.
type AccountRemove struct {
	Kind     app.AccountKind `json:"kind"`
	StoreURL string          `json:"store_url"`
}
