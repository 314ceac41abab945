// Package wire is the sync protocol's messages, as the cloud and the
// terminal's client both speak them over one websocket: the terminal pushes
// its outbox, the cloud answers each mutation and streams every committed
// change of the shop. docs/sync-protocol.md is the reference for every
// message and error code defined here. It stands on app/ alone, so the
// cloud links neither the terminal's store nor its printer.
package wire

import (
	"time"

	"github.com/kasir/pos/app"
)

// Proto is the protocol version a hello must carry; a server refuses others.
const Proto = 1

// Path is where the cloud serves the websocket.
const Path = "/v1/sync"

// Message types, spelled as on the wire.
const (
	TypeHello   = "hello"
	TypeWelcome = "welcome"
	TypePush    = "push"
	TypeResult  = "result"
	TypeChanges = "changes"
	TypePull    = "pull"
	TypeReset   = "reset"
	TypeError   = "error"
	// TypeQuarantine reports the changes a terminal could not store.
	TypeQuarantine = "quarantine"
	// TypeResend tells a terminal to apply the log again from a cursor.
	TypeResend = "resend"
)

// CloseRevoked is the websocket close code the cloud ends a revoked terminal's socket with.
const CloseRevoked = 4001

// Result statuses. A rejected mutation is done: the terminal never resends it.
const (
	StatusApplied  = "applied"
	StatusRejected = "rejected"
)

// Protocol error codes sent in an error message; application codes
// (ALREADY_ACCEPTED, INVALID_TRANSITION, OUT_OF_STOCK…) travel in results.
const (
	ECodeBadMessage  = "BAD_MESSAGE"
	ECodeProto       = "PROTO_UNSUPPORTED"
	ECodeWrongShop   = "WRONG_SHOP"
	ECodeNoHello     = "HELLO_REQUIRED"
	ECodeMidGap      = "MID_GAP"
	ECodeInternal    = "INTERNAL"
	ECodeUnavailable = "UNAVAILABLE"
)

// Envelope is decoded first to learn a message's type.
type Envelope struct {
	Type string `json:"type"`
}

// Hello opens a session: who the terminal is and how far it has got.
// LastAckedMid is the last mid whose verdict the terminal has handled and
// recorded; the welcome carries the verdicts above it.
type Hello struct {
	Type         string `json:"type"`
	Terminal     string `json:"terminal"`
	Shop         string `json:"shop"`
	Proto        int    `json:"proto"`
	Cursor       uint64 `json:"cursor"`
	LastAckedMid uint64 `json:"last_acked_mid"`
}

// Welcome answers a hello: the shop's head sequence and the last mid the
// cloud applied for this terminal; the terminal resends everything above it.
// Results are the verdicts on the mids after the hello's last_acked_mid up
// to LastMid, in mid order, so a verdict lost with a connection still arrives.
type Welcome struct {
	Type      string   `json:"type"`
	Terminal  string   `json:"terminal"`
	Shop      string   `json:"shop"`
	ServerSeq uint64   `json:"server_seq"`
	LastMid   uint64   `json:"last_mid"`
	Results   []Result `json:"results,omitempty"`
}

// Mutation is one command a terminal applied optimistically; it marshals as
// the command's own fields plus mid, actor and the time staff acted.
type Mutation struct {
	Mid uint64 `json:"mid"`
	app.Command
	Actor app.Actor `json:"actor"`
	At    time.Time `json:"at"`
	// Proof is the signed-in member's signature; without it the cloud
	// treats the mutation as a cashier's (see staff.go).
	Proof *app.StaffProof `json:"proof,omitempty"`
	// Approval is the signature of the owner the command names as having
	// allowed it (an in-store sale's override); see staff.go.
	Approval *app.StaffProof `json:"approval,omitempty"`
}

// Push carries outbox entries in mid order.
type Push struct {
	Type      string     `json:"type"`
	Mutations []Mutation `json:"mutations"`
}

// Result is the cloud's verdict on one mutation. Seq is the change that
// carried an applied mutation, or the shop's head when one was rejected;
// Order, on a rejection, is the authoritative order as of Seq.
type Result struct {
	Type    string `json:"type"`
	Mid     uint64 `json:"mid"`
	Status  string `json:"status"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
	// Text is Message as key and arguments, so each terminal says it in its
	// staff's language; clouds before it send Message alone.
	Text  *app.Message `json:"text,omitempty"`
	Order *app.Order   `json:"order,omitempty"`
	Seq   uint64       `json:"seq"`
}

// Change is one committed change of a shop: the order after it, the products
// whose stock moved, and the history it added (each event names its version).
type Change struct {
	Seq      uint64         `json:"seq"`
	Order    *app.Order     `json:"order"`
	Products []*app.Product `json:"products,omitempty"`
	Events   []app.Event    `json:"events,omitempty"`
	// Policy is the shop's new rules, when the change set them.
	Policy *app.Policy `json:"policy,omitempty"`
	// Staff is the shop's whole staff list (no keys), when the change set it.
	Staff []app.Staff `json:"staff,omitempty"`
	// Terminal and Mid name the mutation that caused the change, if any.
	Terminal string    `json:"terminal,omitempty"`
	Mid      uint64    `json:"mid,omitempty"`
	At       time.Time `json:"at"`
}

// Changes carries the shop's changes From..To inclusive; Head is the shop's
// newest sequence when the page was read, so To == Head means caught up.
type Changes struct {
	Type  string   `json:"type"`
	From  uint64   `json:"from"`
	To    uint64   `json:"to"`
	Head  uint64   `json:"head"`
	Items []Change `json:"items"`
}

// Pull asks for the changes after Cursor.
type Pull struct {
	Type   string `json:"type"`
	Cursor uint64 `json:"cursor"`
}

// Snapshot is a shop's whole state at sequence Seq.
type Snapshot struct {
	Seq      uint64         `json:"seq"`
	Orders   []*app.Order   `json:"orders"`
	Products []*app.Product `json:"products"`
	// Policy is the shop's rules, when its owner set any.
	Policy *app.Policy `json:"policy,omitempty"`
	// Staff is the shop's staff list (no keys), when it has one.
	Staff []app.Staff `json:"staff,omitempty"`
}

// Reset replaces a terminal's state when its cursor is older than retention.
type Reset struct {
	Type     string   `json:"type"`
	Snapshot Snapshot `json:"snapshot"`
}

// Quarantined is one change a terminal could not store: its sequence, the
// order it carried, and why. Resend is the cloud's own mark that an admin
// asked for it to be sent again; a terminal never sets it.
type Quarantined struct {
	Seq     uint64    `json:"seq"`
	OrderID string    `json:"order_id,omitempty"`
	Number  string    `json:"number,omitempty"`
	Error   string    `json:"error"`
	At      time.Time `json:"at"`
	Resend  bool      `json:"resend,omitempty"`
}

// Quarantine is the whole list of changes a terminal holds in quarantine;
// it replaces the list the cloud kept for that terminal.
type Quarantine struct {
	Type  string        `json:"type"`
	Items []Quarantined `json:"items"`
}

// Resend tells a terminal to set its cursor back to Cursor and apply the
// log again from there, so changes it quarantined are tried once more.
type Resend struct {
	Type   string `json:"type"`
	Cursor uint64 `json:"cursor"`
}

// Error reports a protocol failure; Expected is the next mid the cloud wants after MID_GAP.
type Error struct {
	Type     string `json:"type"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	Expected uint64 `json:"expected,omitempty"`
}

// Error lets a protocol error end a session with its code in the message.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Staff sign-in messages: a terminal asks the cloud to confirm a sign-in,
// so a PIN is checked in the cloud and not only on the tablet.
const (
	TypeStaffCheck   = "staff_check"
	TypeStaffChecked = "staff_checked"
)

// StaffCheck asks whether Staff signed in here with their real PIN: Proof
// is app.SignInProof under the key the typed PIN unlocked, for Nonce.
type StaffCheck struct {
	Type  string `json:"type"`
	Staff string `json:"staff"`
	Nonce string `json:"nonce"`
	Proof string `json:"proof"`
}

// StaffChecked is the cloud's answer; Code and Message say why not when OK is false.
type StaffChecked struct {
	Type    string `json:"type"`
	Staff   string `json:"staff"`
	Nonce   string `json:"nonce"`
	OK      bool   `json:"ok"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}
