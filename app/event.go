package app

import "time"

// Event is one entry in an order's history: who did what, when, and what it changed.
type Event struct {
	// Version is the order version this event produced; with the order id it
	// names the event, so the cloud's copy replaces a terminal's optimistic one.
	Version int64     `json:"version"`
	At      time.Time `json:"at"`
	Actor   Actor     `json:"actor"`
	Action  Action    `json:"action"`
	From    Status    `json:"from"`
	To      Status    `json:"to"`
	// Note is the English text of NoteText, for readers that keep only text.
	Note string `json:"note,omitempty"`
	// NoteText is the note as a message key and arguments; zero in events
	// stored before notes were translated.
	NoteText Message   `json:"note_text,omitzero"`
	Kind     EventKind `json:"kind"`
}

// NoteIn is the note in lang. An older event kept only English text; a
// note without arguments still reads in lang, since its text is its key.
func (e Event) NoteIn(lang Lang) string {
	if !e.NoteText.IsZero() {
		return e.NoteText.In(lang)
	}
	return Translate(lang, e.Note)
}

// EventKind separates the general history from the pick-and-pack history.
type EventKind string

// Event kinds.
const (
	KindStatus   EventKind = "status"
	KindPayment  EventKind = "payment"
	KindPack     EventKind = "pack"
	KindShipment EventKind = "shipment"
	KindPrint    EventKind = "print"
	KindNote     EventKind = "note"
)

// Role decides what a staff member may do.
type Role string

// Roles. System and channel actors come from the scheduler and from webhooks.
const (
	RoleOwner   Role = "owner"
	RoleCashier Role = "cashier"
	RolePacker  Role = "packer"
	RoleSystem  Role = "system"
	RoleChannel Role = "channel"
)

// Actor is who caused a change: a staff member at a terminal, the scheduler, or a channel.
type Actor struct {
	Staff    string `json:"staff"`
	Role     Role   `json:"role,omitempty"`
	Terminal string `json:"terminal,omitempty"`
}

// String is how the history shows the actor.
func (a Actor) String() string {
	s := a.Staff
	if s == "" {
		s = string(a.Role)
	}
	if a.Terminal != "" {
		s += " @ " + a.Terminal
	}
	return s
}

// SystemActor is the scheduler acting on the shop's behalf.
var SystemActor = Actor{Staff: "system", Role: RoleSystem}

// ChannelActor is a marketplace or courier acting through a webhook.
func ChannelActor(name string) Actor { return Actor{Staff: name, Role: RoleChannel} }
