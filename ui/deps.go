// Package ui is the terminal's Fyne tablet UI: the In Store cashier screen,
// the Online order screens, settings and staff sign-in. It calls app.Service
// for every rule and never talks to the network or a printer itself.
package ui

import (
	"image"
	"time"

	"github.com/kasir/pos/app"
)

// Deps is everything the UI needs from the rest of the terminal. Only
// Service is required; any other nil field degrades gracefully (no printer,
// no sync indicator, settings kept in memory).
type Deps struct {
	Service  *app.Service
	Settings Settings
	Printing Printing
	Sync     Sync
	// Terminal names this tablet in every Actor it records.
	Terminal string
	// ExportDir is the folder exports are written to; empty means the
	// "Kasir exports" folder in the user's Documents (or home) folder.
	ExportDir string
	// CheckSignIn asks the cloud to confirm a sign-in the tablet accepted
	// (the member holds the key their PIN unlocked). It returns the cloud's
	// refusal, or nil when the cloud agreed or could not be asked. It may
	// block for a few seconds; the UI calls it off its goroutine.
	CheckSignIn func(member app.Staff) error
	// Accounts reaches the shop's accounts in the cloud for the owner
	// (Settings, Sync now); nil hides them (no cloud to ask).
	Accounts Accounts
	// Rates asks the cloud for the courier provider's rates for an order and
	// the parcel staff weighed (zero fields: the order's own). It blocks;
	// the UI calls it off its goroutine. An app.EUnreachable error means the
	// tablet cannot ask now: staff then name the courier themselves. Nil
	// means this tablet never asks (no cloud).
	Rates func(orderID string, p app.CourierProvider, parcel app.RateParcel) ([]app.RateOffer, error)
}

// Settings is where the terminal keeps its settings (*store.DB); the
// screens read and write each through its app type (app.LoadSetting,
// app.SaveSetting).
type Settings = app.Settings

// Printing renders and queues documents (printer.Station behind a thin
// adapter). The implementation records the print on the order
// (app.ActionRecordPrint) once the printer confirms it; the UI does not.
type Printing interface {
	// Preview renders the document as it will print, for the preview dialog.
	Preview(doc app.Document, o *app.Order) (image.Image, error)
	// Print queues the document on the printer configured for it and returns a
	// message for staff such as "Queued on Counter printer". It returns an
	// error when no printer is configured for doc or the job cannot be queued.
	Print(doc app.Document, o *app.Order, actor app.Actor) (string, error)
	// TestPage prints a test page on the printer at url with the given profile.
	TestPage(url, profile string) error
	// Status asks the printer at url how it is ("ready", "paper out", …).
	Status(url string) (string, error)
	// Profiles names the printer profiles staff may choose from.
	Profiles() []string
}

// BillPrinting is what a Printing offers for an order whose parcel carries
// a platform's airway bill (app.BillSource): its label (Print, Preview of
// app.DocLabel) is that bill, and the register's own label is a second
// action, a packing aid. A Printing without it prints our label for every order.
type BillPrinting interface {
	// PreviewOwnLabel renders the register's own label of o.
	PreviewOwnLabel(o *app.Order) (image.Image, error)
	// PrintOwnLabel queues the register's own label of o and returns a message for staff.
	PrintOwnLabel(o *app.Order, actor app.Actor) (string, error)
	// BillWait says why o's queued bill has not printed yet ("Waiting for
	// Shopee's airway bill: cloud unreachable"); nil when it is not waiting.
	// It must return at once.
	BillWait(orderID string) error
}

// Sync reports the state of the link to the cloud for the sync indicator.
// State is called on the UI goroutine every 2 s: it must return at once.
type Sync interface {
	State() SyncState
}

// SyncState is one reading of the sync link.
type SyncState struct {
	// Status is "online", "syncing" or "offline".
	Status string
	// Pending is how many local changes wait to be sent.
	Pending int
	// OfflineSince is when the link went down (Status "offline").
	OfflineSince time.Time
	// LastError is the last connection error, for the indicator's tooltip.
	LastError string
}

// Sync statuses.
const (
	SyncOnline  = "online"
	SyncSyncing = "syncing"
	SyncOffline = "offline"
)
