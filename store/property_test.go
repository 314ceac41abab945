package store

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// The property test drives app.Execute with thousands of random commands
// over a small shop and checks, after every step, that the store holds
// exactly what Execute returned and that the stock invariants hold.
// Reproduce a failure with: go test ./store -run Property -property.seed=N

var (
	propertySeed  = flag.Int64("property.seed", 0, "seed of TestProperty (0: time-based, printed)")
	propertySteps = flag.Int("property.steps", 3000, "commands TestProperty runs")
)

type model struct {
	orders   map[string]*app.Order
	ids      []string
	products map[string]*app.Product
	events   map[string]map[int64]app.Event
}

func TestProperty(t *testing.T) {
	seed := *propertySeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("seed %d (rerun with -property.seed=%d)", seed, seed)
	r := rand.New(rand.NewSource(seed))
	db := openTest(t)
	db.bolt.NoSync = true // durability is not under test here; thousands of fsyncs would be
	pol := app.DefaultPolicy()
	pol.ShopAddress = "Jl. Malioboro 10, Yogyakarta"
	m := &model{orders: map[string]*app.Order{}, products: map[string]*app.Product{}, events: map[string]map[int64]app.Event{}}
	var prods []*app.Product
	for _, p := range fakeProducts()[:10] {
		p.OnHand = 3 + r.Intn(10)
		prods = append(prods, p)
		m.products[p.SKU] = p
	}
	if err := db.PutProducts(prods); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	applied := map[app.Action]int{}
	reached := map[app.Status]bool{}
	for step := 0; step < *propertySteps; step++ {
		now = now.Add(time.Duration(r.Intn(90)) * time.Minute)
		cmd, actor := randomCommand(r, m, prods, now)
		var res *app.Result
		err := db.Update(func(tx app.Tx) error {
			var err error
			res, err = app.Execute(tx, pol, cmd, actor, now)
			return err
		})
		if err != nil {
			if app.ErrorCode(err) == app.EInternal {
				t.Fatalf("step %d %s: internal error: %v", step, cmd.Action, err)
			}
		} else {
			applied[cmd.Action]++
			reached[res.Order.Status] = true
			m.apply(res)
		}
		touched := m.ids
		switch {
		case step%50 == 0:
		case res != nil:
			touched = []string{res.Order.ID}
		case cmd.OrderID != "":
			touched = []string{cmd.OrderID} // refused: it must be unchanged
		}
		m.check(t, db, touched, fmt.Sprintf("step %d (%s on %s)", step, cmd.Action, cmd.OrderID))
		if step%100 == 0 {
			mustConsistent(t, db)
		}
	}
	mustConsistent(t, db)
	cancelRequests := 0
	for _, o := range m.orders {
		if o.Channel.Online() && app.OpenCancelRequest(o) {
			cancelRequests++
		}
	}
	if !reached[app.StatusReturned] && !reached[app.StatusRefunded] {
		t.Errorf("no order was ever returned or refunded: %v", reached)
	}
	if bg, err := db.Badges(now, time.Hour); err != nil || bg.CancelRequests != cancelRequests {
		t.Errorf("cancel request badge %d, want %d (%v)", bg.CancelRequests, cancelRequests, err)
	}
	if len(applied) < 15 {
		t.Errorf("only %d kinds of action ever applied: %v", len(applied), applied)
	}
	t.Logf("applied: %v", applied)
}

func (m *model) apply(res *app.Result) {
	o := res.Order.Clone()
	if _, ok := m.orders[o.ID]; !ok {
		m.ids = append(m.ids, o.ID)
	}
	m.orders[o.ID] = o
	for _, p := range res.Products {
		cp := *p
		m.products[p.SKU] = &cp
	}
	if m.events[o.ID] == nil {
		m.events[o.ID] = map[int64]app.Event{}
	}
	for _, e := range res.Events {
		m.events[o.ID][e.Version] = e
	}
}

// check compares the given orders and every product with the model, and
// checks the stock invariants (the model's orders equal the store's: every
// step compares the order it changed, and every 50th compares them all).
func (m *model) check(t *testing.T, db *DB, ids []string, where string) {
	t.Helper()
	ps, err := db.Products()
	if err != nil {
		t.Fatal(err)
	}
	allocated := map[string]int{}
	stored := map[string]*app.Order{}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		for _, id := range ids {
			o, err := getOrder(tx, id)
			if err != nil {
				return err
			}
			if o.History, err = orderHistory(tx, id); err != nil {
				return err
			}
			stored[id] = o
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	for _, id := range ids {
		got := stored[id]
		hist := got.History
		got.History = nil
		if a, b := mustJSON(got), mustJSON(m.orders[id]); a != b {
			t.Fatalf("%s: order %s differs\nstore %s\nmodel %s", where, id, a, b)
		}
		if len(hist) != len(m.events[id]) {
			t.Fatalf("%s: order %s has %d events in the store, %d returned", where, id, len(hist), len(m.events[id]))
		}
		for _, e := range hist {
			if mustJSON(e) != mustJSON(m.events[id][e.Version]) {
				t.Fatalf("%s: event %d of %s differs", where, e.Version, id)
			}
		}
	}
	for _, o := range m.orders {
		if o.Status == app.StatusReadyToShip {
			for _, l := range o.Lines {
				if l.Linked {
					allocated[l.SKU] += l.Qty
				}
			}
		}
	}
	for _, p := range ps {
		if p.OnHand < 0 {
			t.Fatalf("%s: %s on_hand %d", where, p.SKU, p.OnHand)
		}
		if p.Allocated != allocated[p.SKU] {
			t.Fatalf("%s: %s allocated %d, ready-to-ship orders hold %d", where, p.SKU, p.Allocated, allocated[p.SKU])
		}
		if mustJSON(p) != mustJSON(m.products[p.SKU]) {
			t.Fatalf("%s: product %s differs: store %s model %s", where, p.SKU, mustJSON(p), mustJSON(m.products[p.SKU]))
		}
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

var propertyActions = []app.Action{
	app.ActionAcceptPayment, app.ActionDenyPayment, app.ActionAccept, app.ActionAccept, app.ActionAccept, app.ActionCreatePackage,
	app.ActionReject, app.ActionAutoReject, app.ActionBuyerCancel, app.ActionCancel, app.ActionRequestCancel, app.ActionApproveCancel,
	app.ActionDeclineCancel, app.ActionSplitParcel, app.ActionSetParcel, app.ActionVerifyPacked, app.ActionArrangePickup,
	app.ActionArrangeDropoff, app.ActionAssignCourier, app.ActionAssignCourier, app.ActionCourierHeading, app.ActionPickedUp,
	app.ActionPickedUp, app.ActionDeliveryFailed, app.ActionShip, app.ActionShip, app.ActionDeliver, app.ActionDeliver,
	app.ActionComplete, app.ActionComplain, app.ActionResolve, app.ActionRecordPrint, app.ActionChannelUpdate, app.ActionAddNote,
}

// live counts orders that can still move (not cancelled, completed, returned or refunded).
func (m *model) live() int {
	n := 0
	for _, o := range m.orders {
		switch o.Status {
		case app.StatusCancelled, app.StatusCompleted, app.StatusReturned, app.StatusRefunded:
			continue
		}
		if true {
			n++
		}
	}
	return n
}

func randomCommand(r *rand.Rand, m *model, prods []*app.Product, now time.Time) (app.Command, app.Actor) {
	owner := app.Actor{Staff: "Siti", Role: app.RoleOwner, Terminal: "kasir-1"}
	if len(m.ids) == 0 || (m.live() < 30 && len(m.ids) < 90 && r.Intn(4) == 0) {
		ch := app.Channels[r.Intn(len(app.Channels))]
		o := &app.Order{Channel: ch, Currency: app.IDR, Buyer: app.Buyer{Name: firstNames[r.Intn(len(firstNames))] + " " + lastNames[r.Intn(len(lastNames))], Phone: "0812" + fmt.Sprint(r.Intn(1e8))}}
		if ch != app.ChannelInStore && ch != app.ChannelManual && r.Intn(2) == 0 {
			o.ExternalID = fmt.Sprint(1000 + r.Intn(100000))
		}
		if r.Intn(4) == 0 {
			o.PaymentMethod = app.PayTransfer
		}
		for n := 1 + r.Intn(3); n > 0; n-- {
			p := prods[r.Intn(len(prods))]
			sku := p.SKU
			if r.Intn(10) == 0 {
				sku = "UNLINKED-" + fmt.Sprint(r.Intn(3))
			}
			o.Lines = append(o.Lines, app.Line{SKU: sku, Name: p.Name, Qty: 1 + r.Intn(3), UnitPrice: p.Price})
		}
		actor := owner
		if o.ExternalID != "" {
			actor = app.ChannelActor(string(ch))
		}
		return app.Command{Action: app.ActionPlace, Args: app.Args{Order: o}}, actor
	}
	o := m.orders[m.ids[r.Intn(len(m.ids))]]
	a := propertyActions[r.Intn(len(propertyActions))]
	cmd := app.Command{Action: a, OrderID: o.ID}
	args := &cmd.Args
	actor := owner
	switch a {
	case app.ActionDenyPayment, app.ActionReject, app.ActionCancel, app.ActionComplain, app.ActionRequestCancel, app.ActionDeliveryFailed:
		args.Reason = []string{"stok habis", "pembeli minta batal", "barang rusak", ""}[r.Intn(4)]
	case app.ActionAccept:
		args.Force = r.Intn(4) == 0
	case app.ActionAutoReject:
		actor = app.SystemActor
	case app.ActionSplitParcel:
		if len(o.Lines) > 0 {
			args.SKU, args.Qty, args.Parcel = o.Lines[r.Intn(len(o.Lines))].SKU, 1, 1+r.Intn(len(o.Parcels)+1)
		}
	case app.ActionSetParcel:
		args.Parcel, args.WeightGrams, args.LengthCm = 1, 100+r.Intn(900), 10+r.Intn(20)
	case app.ActionVerifyPacked:
		args.Parcel = r.Intn(len(o.Parcels) + 1)
	case app.ActionArrangePickup:
		args.PickupFrom = now.Add(time.Hour)
	case app.ActionArrangeDropoff:
		args.Courier = couriers[r.Intn(len(couriers))]
	case app.ActionAssignCourier, app.ActionShip:
		args.Courier, args.TrackingID = couriers[r.Intn(len(couriers))], fmt.Sprintf("TRK%08d", r.Intn(1e8))
	case app.ActionComplete:
		if r.Intn(3) == 0 {
			actor = app.SystemActor
		}
	case app.ActionResolve:
		args.Resolution = []app.Resolution{app.ResolveReturn, app.ResolveRefund, app.ResolveReject, "bogus"}[r.Intn(4)]
	case app.ActionRecordPrint:
		args.Document = []app.Document{app.DocLabel, app.DocReceipt, app.DocSlip}[r.Intn(3)]
	case app.ActionChannelUpdate:
		actor = app.ChannelActor(string(o.Channel))
		if codes := app.ChannelCodes(o.Channel); len(codes) > 0 {
			args.ChannelStatus = codes[r.Intn(len(codes))]
		} else {
			args.ChannelStatus = string(app.Statuses[r.Intn(len(app.Statuses))])
		}
	case app.ActionAddNote:
		args.Note = "tolong dibungkus rapi"
	}
	return cmd, actor
}
