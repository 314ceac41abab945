package printer

import (
	"slices"
	"sync"

	"github.com/kasir/pos/app"
)

// AutoPrint watches orders as they change and prints, once, each label the
// moment its order gets a tracking ID, and each in-store receipt of the
// staff who asked for automatic receipts.
type AutoPrint struct {
	Station *Station
	// OnQueued reports each automatic job, and OnFailed a document that could not be queued.
	OnQueued func(o *app.Order, kind app.Document)
	OnFailed func(o *app.Order, kind app.Document, err error)

	mu     sync.Mutex
	queued map[string]bool
}

// NewAutoPrint starts with the orders that already have a job waiting in
// the queue, so a restart does not print them twice.
func NewAutoPrint(st *Station) *AutoPrint {
	a := &AutoPrint{Station: st, queued: map[string]bool{}}
	for _, j := range st.Queue.Pending() {
		a.queued[j.OrderID+"/"+string(j.Kind)] = true
	}
	return a
}

// Consider prints what o needs now, if the shop turned automatic printing on.
func (a *AutoPrint) Consider(o *app.Order) {
	if o == nil {
		return
	}
	cfg, err := a.Station.Config()
	if err != nil {
		return
	}
	if cfg.AutoPrintLabels && o.AwaitingLabel() {
		a.print(o, app.DocLabel)
	}
	if o.Channel == app.ChannelInStore && o.Prints.ReceiptCount == 0 && o.Status == app.StatusCompleted &&
		slices.Contains(cfg.AutoPrintReceiptsFor, o.CreatedBy) {
		a.print(o, app.DocReceipt)
	}
}

func (a *AutoPrint) print(o *app.Order, kind app.Document) {
	key := o.ID + "/" + string(kind)
	a.mu.Lock()
	if a.queued[key] {
		a.mu.Unlock()
		return
	}
	a.queued[key] = true
	a.mu.Unlock()
	actor := app.Actor{Staff: "auto-print", Role: app.RoleSystem}
	if _, _, err := a.Station.Print(kind, o, "", "", actor); err != nil {
		a.mu.Lock()
		delete(a.queued, key)
		a.mu.Unlock()
		if a.OnFailed != nil {
			a.OnFailed(o, kind, err)
		}
		return
	}
	if a.OnQueued != nil {
		a.OnQueued(o, kind)
	}
}
