package cloud_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/store"
	"github.com/kasir/pos/sync/wire"
)

// The property: whatever the cloud's edge accepts, a real terminal store
// can store. Values are drawn near every limit, a few just past it, with
// now and then a character no id may hold.

// oddChars are what a hostile or broken sender slips into text.
var oddChars = []string{"\x00", "\x1b", "\u200b", " ", "\n", "é", "\t", "\x7f", "\xff"}

// gen draws values near the limits. One value in a spoiled draw is pushed
// past its limit or given an odd character; the rest stay within.
type gen struct {
	rnd *rand.Rand
	// spoil is the draw to spoil, counting from 0; -1 spoils none.
	spoil, k int
}

func newGen(rnd *rand.Rand, draws int) *gen {
	g := &gen{rnd: rnd, spoil: -1}
	if rnd.IntN(3) == 0 {
		g.spoil = rnd.IntN(draws)
	}
	return g
}

// bad reports whether this draw is the spoiled one.
func (g *gen) bad() bool {
	g.k++
	return g.k-1 == g.spoil
}

// text draws a string of 1..max bytes from alphabet, often exactly max.
func (g *gen) text(max int, alphabet string) string {
	rnd := g.rnd
	n := []int{max, max, 1 + rnd.IntN(8), 1 + rnd.IntN(max)}[rnd.IntN(4)]
	spoiled := g.bad()
	if spoiled && rnd.IntN(2) == 0 {
		n = max + 1 + rnd.IntN(3*max)
		spoiled = false
	}
	var b strings.Builder
	for b.Len() < n {
		b.WriteByte(alphabet[rnd.IntN(len(alphabet))])
	}
	s := b.String()[:n]
	if spoiled {
		at := rnd.IntN(len(s))
		s = s[:at] + oddChars[rnd.IntN(len(oddChars))] + s[at:]
	}
	return s
}

// count draws a whole number in 1..max, often max, or past it when spoiled.
func (g *gen) count(max int64) int64 {
	if g.bad() {
		return []int64{0, -1, max + 1, max * 1000}[g.rnd.IntN(4)]
	}
	return []int64{1, max, 1 + g.rnd.Int64N(max)}[g.rnd.IntN(3)]
}

// priceRoom keeps the lines' sum far enough below MaxAmount that shipping
// and tax still fit in the total.
const priceRoom = int64(app.MaxAmount) - 1_000_000

// email draws an address of up to MaxEmailLen bytes.
func (g *gen) email() string {
	const domain = "@example.id"
	return g.text(app.MaxEmailLen-len(domain), "abcdefghijklmnopqrstuvwxyz0123456789") + domain
}

const (
	idChars   = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-_."
	textChars = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ0123456789.,-/"
)

// randomStoreOrder is a web store delivery with values near the limits.
func randomStoreOrder(rnd *rand.Rand) []byte {
	nLines := []int{1, 2, 1 + rnd.IntN(app.MaxLinesPerOrder), app.MaxLinesPerOrder}[rnd.IntN(4)]
	g := newGen(rnd, 14+5*nLines+1)
	if g.bad() {
		nLines = app.MaxLinesPerOrder + 1
	}
	var lines []map[string]any
	var sum int64
	for i := 0; i < nLines; i++ {
		qty := g.count(app.MaxQty)
		// Prices go up to what keeps each line, and the order, within MaxAmount.
		price := g.count(priceRoom/max(qty, 1)/int64(nLines)) - 1
		sum += qty * price
		lines = append(lines, map[string]any{"id": g.text(app.MaxIDLen, idChars), "sku": g.text(app.MaxSKULen, idChars),
			"name": g.text(app.MaxNameLen, textChars), "qty": qty, "unit_price": price})
	}
	ship, disc, tax := rnd.Int64N(100_000), rnd.Int64N(1_000), rnd.Int64N(10_000)
	total := sum + ship + tax - disc
	if g.bad() {
		total++
	}
	return mustJSON(map[string]any{"event": "order.created", "order": map[string]any{
		"id": g.text(app.MaxIDLen, idChars), "number": g.text(app.MaxNumberLen, idChars), "currency": "IDR",
		"buyer": map[string]any{"name": g.text(app.MaxNameLen, textChars), "phone": g.text(app.MaxPhoneLen, "+0123456789"),
			"email": g.email(), "address": map[string]any{
				"street": g.text(app.MaxAddressLen, textChars), "district": g.text(app.MaxPlaceLen, textChars),
				"city": g.text(app.MaxPlaceLen, textChars), "province": g.text(app.MaxPlaceLen, textChars),
				"postal_code": g.text(app.MaxPlaceLen, "0123456789"), "country": g.text(app.MaxPlaceLen, textChars)}},
		"lines": lines, "shipping_fee": ship, "discount": disc, "tax": tax, "total": total,
		"note": g.text(app.MaxNoteLen, textChars), "payment_method": "ewallet", "paid": rnd.IntN(2) == 0}})
}

// wooID draws a WooCommerce id: a positive integer up to int64, or when
// spoiled a number that is not one (1.5, 1e400, 0, 007).
func (g *gen) wooID() json.Number {
	if g.bad() {
		return json.Number([]string{"1.5", "1e400", "0", "-3", "9223372036854775808"}[g.rnd.IntN(5)])
	}
	return json.Number(fmt.Sprint([]int64{1, 9223372036854775807, 1 + g.rnd.Int64N(1<<40)}[g.rnd.IntN(3)]))
}

// randomWooOrder is a WooCommerce order.created delivery with values near the limits.
func randomWooOrder(rnd *rand.Rand) []byte {
	nLines := []int{1, 2, 1 + rnd.IntN(app.MaxLinesPerOrder), app.MaxLinesPerOrder}[rnd.IntN(4)]
	g := newGen(rnd, 20+5*nLines+1)
	var items []map[string]any
	var sum int64
	for i := 0; i < nLines; i++ {
		qty := g.count(app.MaxQty)
		price := g.count(priceRoom/max(qty, 1)/int64(nLines)) - 1
		sum += qty * price
		items = append(items, map[string]any{"id": g.wooID(), "name": g.text(app.MaxNameLen, textChars), "product_id": 1,
			"quantity": qty, "sku": g.text(app.MaxSKULen, idChars), "price": json.Number(fmt.Sprint(price))})
	}
	ship, tax := rnd.Int64N(100_000), rnd.Int64N(10_000)
	total := sum + ship + tax
	if g.bad() {
		total += 1000
	}
	addr := map[string]any{"first_name": g.text(app.MaxNameLen/2-1, textChars), "last_name": g.text(app.MaxNameLen/2-1, textChars),
		"address_1": g.text(app.MaxAddressLen/2-1, textChars), "address_2": g.text(app.MaxAddressLen/2-1, textChars),
		"city": g.text(app.MaxPlaceLen, textChars), "state": g.text(app.MaxPlaceLen, textChars),
		"postcode": g.text(app.MaxPlaceLen, "0123456789"), "country": "ID",
		"email": g.email(), "phone": g.text(app.MaxPhoneLen, "+0123456789")}
	return mustJSON(map[string]any{"id": g.wooID(), "number": g.text(app.MaxNumberLen-len("WC-"), idChars), "status": "processing",
		"currency": "IDR", "total": fmt.Sprintf("%d.00", total), "shipping_total": fmt.Sprintf("%d.00", ship), "discount_total": "0.00",
		"total_tax": fmt.Sprintf("%d.00", tax), "customer_note": g.text(app.MaxNoteLen, textChars), "payment_method": "bacs",
		"billing": addr, "shipping": addr, "line_items": items})
}

func TestEveryOrderTheCloudAcceptsATerminalStores(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rnd := rand.New(rand.NewPCG(seed, 1))
	tc := startCloud(t)
	shop := tc.addShop(t, "A")
	db, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 60
	if testing.Short() {
		n = 20
	}
	var cursor uint64
	accepted, refused := 0, 0
	for i := 0; i < n; i++ {
		channel, body := "store", randomStoreOrder(rnd)
		if i%2 == 1 {
			channel, body = "woocommerce", randomWooOrder(rnd)
		}
		code, reply := tc.postSigned(t, shop, channel, body)
		switch code {
		case http.StatusOK:
			accepted++
		case http.StatusBadRequest, http.StatusConflict:
			refused++
			if i < 6 {
				t.Logf("%s delivery %d refused: %.200s", channel, i, reply)
			}
			if h := tc.head(t, shop.ID); h != cursor {
				t.Fatalf("%s delivery %d was refused (%s) but wrote changes %d..%d", channel, i, reply, cursor+1, h)
			}
			continue
		default:
			t.Fatalf("%s delivery %d: %d %s", channel, i, code, reply)
		}
		items, head, _, err := tc.store.ChangesAfter(shop.ID, cursor, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, raw := range items {
			var ch wire.Change
			if err := json.Unmarshal(raw, &ch); err != nil {
				t.Fatal(err)
			}
			r := store.Remote{Orders: []*app.Order{ch.Order}, Products: ch.Products,
				Events: map[string][]app.Event{ch.Order.ID: ch.Events}, Cursor: ch.Seq}
			if err := db.ApplyRemote(r); err != nil {
				t.Fatalf("delivery %d: the cloud took order %.60q, the terminal cannot store it: %v", i, ch.Order.ID, err)
			}
			got, err := db.OrderWithHistory(ch.Order.ID)
			if err != nil {
				t.Fatalf("delivery %d: stored order %.60q does not read back: %v", i, ch.Order.ID, err)
			}
			if len(got.Lines) != len(ch.Order.Lines) || got.Total != ch.Order.Total || got.Buyer != ch.Order.Buyer || got.Note != ch.Order.Note {
				t.Fatalf("delivery %d: order %.60q reads back different", i, ch.Order.ID)
			}
			if err := got.Validate(); err != nil {
				t.Fatalf("delivery %d: order %.60q reads back as something the rules refuse: %v", i, ch.Order.ID, err)
			}
		}
		cursor = head
	}
	t.Logf("%d accepted and stored, %d refused", accepted, refused)
	if accepted < n/5 || refused < n/20 {
		t.Fatalf("the generator is off: %d accepted, %d refused of %d", accepted, refused, n)
	}
}

// TestEveryShipmentATerminalAcceptsItStores drives the courier's values
// (courier, service, tracking id, reasons, notes) through app's rules on a
// terminal store: whatever the rules let through, the store keeps.
func TestEveryShipmentATerminalAcceptsItStores(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rnd := rand.New(rand.NewPCG(seed, 2))
	db, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pol := app.DefaultPolicy()
	owner := app.Actor{Staff: "Ayu", Role: app.RoleOwner, Terminal: "T1"}
	courier := app.ChannelActor("logistics")
	now := time.Now().UTC()
	exec := func(cmd app.Command, actor app.Actor) (*app.Result, error) {
		var res *app.Result
		err := db.Update(func(tx app.Tx) error {
			var err error
			res, err = app.Execute(tx, pol, cmd, actor, now)
			return err
		})
		return res, err
	}
	// isRefusal tells a rule's answer from a store that could not write.
	isRefusal := func(err error) bool { return err == nil || app.ErrorCode(err) != app.EInternal }
	n := 60
	if testing.Short() {
		n = 15
	}
	stored := 0
	for i := 0; i < n; i++ {
		g := newGen(rnd, 9)
		near := func(_ *rand.Rand, max int, alphabet string) string { return g.text(max, alphabet) }
		o := &app.Order{Channel: app.ChannelManual, Currency: app.IDR, Buyer: app.Buyer{Name: near(rnd, app.MaxNameLen, textChars)},
			Number: near(rnd, app.MaxNumberLen, idChars), Note: near(rnd, app.MaxNoteLen, textChars),
			Lines: []app.Line{{SKU: near(rnd, app.MaxSKULen, idChars), Name: "Kaos", Qty: 1, UnitPrice: 75000}}}
		res, err := exec(app.Command{Action: app.ActionPlace, Args: app.Args{Order: o}}, owner)
		if !isRefusal(err) {
			t.Fatalf("order %d: the rules took it, the store did not: %v", i, err)
		}
		if err != nil {
			continue
		}
		id := res.Order.ID
		steps := []struct {
			cmd   app.Command
			actor app.Actor
		}{
			{app.Command{Action: app.ActionArrangePickup, OrderID: id, Args: app.Args{PickupFrom: now.Add(time.Hour), PickupTo: now.Add(3 * time.Hour),
				PickupAddress: near(rnd, app.MaxAddressLen, textChars)}}, owner},
			{app.Command{Action: app.ActionAssignCourier, OrderID: id, Args: app.Args{Courier: near(rnd, app.MaxCodeLen, textChars),
				Service: near(rnd, app.MaxCodeLen, textChars), TrackingID: near(rnd, app.MaxCodeLen, idChars)}}, courier},
			{app.Command{Action: app.ActionAddNote, OrderID: id, Args: app.Args{Note: near(rnd, app.MaxNoteLen, textChars)}}, owner},
			{app.Command{Action: app.ActionDeliveryFailed, OrderID: id, Args: app.Args{Reason: near(rnd, app.MaxReasonLen, textChars)}}, courier},
		}
		for _, s := range steps {
			if _, err := exec(s.cmd, s.actor); !isRefusal(err) {
				t.Fatalf("order %d, %s: the rules took it, the store did not: %v", i, s.cmd.Action, err)
			}
		}
		got, err := db.OrderWithHistory(id)
		if err != nil {
			t.Fatalf("order %d does not read back: %v", i, err)
		}
		if err := got.Validate(); err != nil {
			t.Fatalf("order %d reads back as something the rules refuse: %v", i, err)
		}
		stored++
	}
	if stored < n/4 {
		t.Fatalf("the generator is off: %d of %d stored", stored, n)
	}
}
