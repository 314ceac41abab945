package app

import "time"

// Connection is where an account's grant from the platform stands, as
// Settings and `pos-cloud account show` say it.
type Connection string

// Connections an account can be in.
const (
	// ConnNone is a kind that is not connected by authorization (keys only).
	ConnNone Connection = ""
	// ConnNotConnected is an account whose owner has not granted access yet.
	ConnNotConnected Connection = "not_connected"
	// ConnConnected holds a token that has not expired.
	ConnConnected Connection = "connected"
	// ConnExpired holds a token past its expiry that could not be refreshed.
	ConnExpired Connection = "expired"
	// ConnError is an account whose last call to the platform was refused.
	ConnError Connection = "error"
)

// AccountStatus is an account's connection in words and figures.
type AccountStatus struct {
	Connection Connection `json:"connection,omitempty"`
	// ExpiresAt is when the access token expires; zero when it does not.
	ExpiresAt time.Time `json:"expires_at,omitempty"`
	// Error is the platform's last refusal, in words.
	Error   string    `json:"error,omitempty"`
	ErrorAt time.Time `json:"error_at,omitempty"`
}

// tokenKinds are the kinds whose owner grants access by OAuth, so their
// accounts carry tokens that expire.
var tokenKinds = map[AccountKind]bool{AccountShopee: true, AccountLazada: true, AccountTikTok: true}

// GrantedByOAuth reports whether a kind's access is granted by OAuth.
func GrantedByOAuth(k AccountKind) bool { return tokenKinds[k] }

// StatusOf says where an account stands: the platform's last error first,
// then its token's expiry. lastError is empty when the last call succeeded.
func StatusOf(k AccountKind, fields map[string]string, lastError string, errorAt, now time.Time) AccountStatus {
	st := AccountStatus{}
	if tokenKinds[k] {
		st.Connection = ConnNotConnected
		if fields["access_token"] != "" {
			st.Connection = ConnConnected
			if t, err := time.Parse(time.RFC3339, fields["expires_at"]); err == nil {
				st.ExpiresAt = t.UTC()
				if !now.Before(t) {
					st.Connection = ConnExpired
				}
			}
		}
	}
	if lastError != "" {
		st.Connection, st.Error, st.ErrorAt = ConnError, lastError, errorAt.UTC()
	}
	return st
}

// Text is the status as staff read it.
func (s AccountStatus) Text() Message {
	switch s.Connection {
	case ConnConnected:
		if s.ExpiresAt.IsZero() {
			return Text("connected")
		}
		return Text("connected, token expires at %s", s.ExpiresAt.Local().Format("2006-01-02 15:04"))
	case ConnExpired:
		return Text("token expired at %s: connect again", s.ExpiresAt.Local().Format("2006-01-02 15:04"))
	case ConnNotConnected:
		return Text("not connected: press Connect")
	case ConnError:
		return Text("the platform refused: %s", s.Error)
	}
	return Message{}
}

// AccountView is an account as it leaves the cloud, for `account show`
// and an owner's Settings: every secret masked, never the values.
type AccountView struct {
	Shop string      `json:"shop"`
	Kind AccountKind `json:"kind"`
	// Store names a WooCommerce account's store (app.WooStoreKey): a shop
	// may keep several.
	Store     string            `json:"store,omitempty"`
	Fields    map[string]string `json:"fields"`
	UpdatedAt time.Time         `json:"updated_at"`
	// LastError is the platform's latest refusal still waiting for a
	// retry, or its answer to the last authorization that failed.
	LastError string `json:"last_error,omitempty"`
	// Status is where the account's grant stands: connected, token expires
	// at…, or the platform's last error.
	Status AccountStatus `json:"status"`
}

// ChannelSync is what one reconciliation of a shop's channel did.
type ChannelSync struct {
	Shop string      `json:"shop"`
	Kind AccountKind `json:"kind"`
	From time.Time   `json:"from"`
	To   time.Time   `json:"to"`
	// Listed is how many orders the platform says changed in [From, To).
	Listed int `json:"listed"`
	// Created were missing here; Updated were behind; Unchanged were in step.
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// Failed are the orders that could not be fetched or applied, in words.
	Failed []string `json:"failed,omitempty"`
}

// Text says what the reconciliation did.
func (c ChannelSync) Text() Message {
	if len(c.Failed) > 0 {
		return Text("%d orders listed: %d created, %d moved on, %d already in step, %d could not be synced", int64(c.Listed), int64(c.Created), int64(c.Updated), int64(c.Unchanged), int64(len(c.Failed)))
	}
	return Text("%d orders listed: %d created, %d moved on, %d already in step", int64(c.Listed), int64(c.Created), int64(c.Updated), int64(c.Unchanged))
}
