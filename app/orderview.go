package app

import "time"

// OrderView is the stable JSON shape scripts read from `pos orders …` and
// `pos-cloud orders …` (docs/cli.md): the order as stored, plus the fields
// scripts asked for at the top level.
type OrderView struct {
	*Order
	Courier      string        `json:"courier"`
	TrackingID   string        `json:"tracking_id"`
	ItemCount    int           `json:"item_count"`
	LabelPrinted bool          `json:"label_printed"`
	History      []HistoryView `json:"history,omitempty"`
}

// HistoryView is one history entry with the actor flattened for scripts.
type HistoryView struct {
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Role     Role      `json:"role,omitempty"`
	Terminal string    `json:"terminal,omitempty"`
	Action   Action    `json:"action"`
	From     Status    `json:"from"`
	To       Status    `json:"to"`
	Note     string    `json:"note,omitempty"`
	Kind     EventKind `json:"kind"`
}

// OrderPageView is a list of orders in the same shape, with the total that matched.
type OrderPageView struct {
	Orders []OrderView `json:"orders"`
	Total  int         `json:"total"`
}

// NewOrderView is o in the scripts' shape.
func NewOrderView(o *Order) OrderView {
	return OrderView{Order: o, Courier: o.Shipment.Courier, TrackingID: o.Shipment.TrackingID,
		ItemCount: o.ItemCount(), LabelPrinted: o.LabelPrinted(), History: NewHistoryView(o.History)}
}

// NewHistoryView is a history in the scripts' shape.
func NewHistoryView(evs []Event) []HistoryView {
	out := make([]HistoryView, 0, len(evs))
	for _, e := range evs {
		out = append(out, HistoryView{At: e.At, Actor: e.Actor.Staff, Role: e.Actor.Role, Terminal: e.Actor.Terminal,
			Action: e.Action, From: e.From, To: e.To, Note: e.Note, Kind: e.Kind})
	}
	return out
}

// NewOrderPageView is a page in the scripts' shape.
func NewOrderPageView(p Page) OrderPageView {
	out := OrderPageView{Orders: make([]OrderView, 0, len(p.Orders)), Total: p.Total}
	for _, o := range p.Orders {
		out.Orders = append(out.Orders, NewOrderView(o))
	}
	return out
}
