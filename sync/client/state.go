package client

import (
	"time"

	"github.com/kasir/pos/app"
)

// Status is the sync badge the UI shows.
type Status string

// Statuses. Online means connected and caught up: every change the cloud
// had at connect time is applied here and the outbox was resent.
const (
	Online  Status = "online"
	Syncing Status = "syncing"
	Offline Status = "offline"
)

// State is what the UI shows about sync.
type State struct {
	Status Status `json:"status"`
	// Pending counts local changes the cloud has not yet answered.
	Pending int `json:"pending"`
	// OfflineSince is when the connection was lost; zero while connected.
	OfflineSince time.Time `json:"offline_since,omitempty"`
	// LastError is why the last connection failed, in words.
	LastError string `json:"last_error,omitempty"`
	// Cursor is the last change of the shop's log applied here.
	Cursor uint64 `json:"cursor"`
	// Quarantined counts the changes from the cloud this terminal could not store.
	Quarantined int `json:"quarantined,omitempty"`
}

// Rejection tells staff the cloud refused one of their offline or
// concurrent changes, and why; the order already shows the cloud's version.
type Rejection struct {
	OrderID string `json:"order_id"`
	Number  string `json:"number"`
	Action  string `json:"action"`
	Code    string `json:"code"`
	// Message is the cloud's reason in English.
	Message string `json:"message"`
	// Text is the reason as key and arguments; zero from a cloud that sends text only.
	Text app.Message `json:"text,omitempty"`
	// Staff is who made the change ("system" for the auto-reject sweep).
	Staff string `json:"staff,omitempty"`
}

// Reason is the cloud's reason as a message to render in the staff's
// language; an older cloud's English text is shown as sent.
func (r Rejection) Reason() app.Message {
	if !r.Text.IsZero() {
		return r.Text
	}
	return app.Verbatim(r.Message)
}
