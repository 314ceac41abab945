package cloud

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

// checkOrderQuestions asks a backend the questions `pos-cloud orders` asks,
// over a shop holding orders placed through the apply-and-log path.
func checkOrderQuestions(t *testing.T, b Backend) {
	t.Helper()
	s := NewServer(b, Options{Logger: quiet()})
	shop, err := AddShop(b, "Toko", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 30 {
		ids = append(ids, placeOrder(t, s, shop.ID, fmt.Sprint("Q", i)))
		time.Sleep(time.Millisecond) // distinct creation times: newest first is well defined
	}
	// Rina Q7 is accepted, Q3 is rejected: three statuses in the shop.
	if _, err := s.Execute(shop.ID, app.Command{Action: app.ActionAccept, OrderID: ids[7]}, cloudOwner, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Execute(shop.ID, app.Command{Action: app.ActionReject, OrderID: ids[3], Args: app.Args{Reason: "out_of_stock"}}, cloudOwner, time.Now()); err != nil {
		t.Fatal(err)
	}

	page, err := b.FindOrders(shop.ID, app.Filter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 30 || len(page.Orders) != 10 || page.Orders[0].ID != ids[29] || page.Orders[9].ID != ids[20] {
		t.Fatalf("first page: total %d, %d orders, first %s", page.Total, len(page.Orders), page.Orders[0].ID)
	}
	page, _ = b.FindOrders(shop.ID, app.Filter{Limit: 10, Offset: 25})
	if len(page.Orders) != 5 || page.Orders[4].ID != ids[0] {
		t.Fatalf("last page: %d orders", len(page.Orders))
	}
	page, _ = b.FindOrders(shop.ID, app.Filter{Statuses: []app.Status{app.StatusNew}, Limit: 50})
	if page.Total != 28 || len(page.Orders) != 28 {
		t.Fatalf("new orders: total %d, %d listed", page.Total, len(page.Orders))
	}
	for _, o := range page.Orders {
		if o.Status != app.StatusNew {
			t.Fatalf("status filter let %s through", o.Status)
		}
	}
	page, _ = b.FindOrders(shop.ID, app.Filter{Statuses: []app.Status{app.StatusReadyToShip, app.StatusCancelled}})
	if page.Total != 2 || len(page.Orders) != 2 || page.Orders[0].ID != ids[7] || page.Orders[1].ID != ids[3] {
		t.Fatalf("two statuses: %+v", page)
	}
	page, _ = b.FindOrders(shop.ID, app.Filter{Text: "rina q7"})
	if page.Total != 1 || page.Orders[0].ID != ids[7] {
		t.Fatalf("text search: %+v", page)
	}
	page, _ = b.FindOrders(shop.ID, app.Filter{Text: "+62812345678", Statuses: []app.Status{app.StatusCancelled}})
	if page.Total != 1 || page.Orders[0].ID != ids[3] {
		t.Fatalf("phone in international form with a status: %+v", page)
	}
	if _, err := b.FindOrders(shop.ID, app.Filter{Statuses: []app.Status{"lost"}}); app.ErrorCode(err) != app.EInvalid {
		t.Fatalf("unknown status: %v", err)
	}
	o, err := b.OrderByRef(shop.ID, ids[7])
	if err != nil || len(o.History) != 2 || o.History[1].Action != app.ActionAccept {
		t.Fatalf("by id: %+v %v", o, err)
	}
	byNumber, err := b.OrderByRef(shop.ID, o.Number)
	if err != nil || byNumber.ID != ids[7] {
		t.Fatalf("by number %q: %v", o.Number, err)
	}
	if _, err := b.OrderByRef(shop.ID, "nope"); app.ErrorCode(err) != app.ENotFound {
		t.Fatalf("unknown order: %v", err)
	}
	// The deadline index holds New orders only, oldest deadline first.
	due, err := b.DueForAutoReject(shop.ID, time.Now().Add(30*24*time.Hour), 100)
	if err != nil || len(due) != 28 || due[0] != ids[0] {
		t.Fatalf("due: %d %v", len(due), err)
	}
	if due, _ := b.DueForAutoReject(shop.ID, time.Now(), 100); len(due) != 0 {
		t.Fatalf("nothing is due yet: %v", due)
	}
}

func TestBoltAnswersOrderQuestions(t *testing.T) {
	st, err := OpenBolt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	checkOrderQuestions(t, st)
}

func TestOrdersListAndShowFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenBolt(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer(st, Options{Logger: quiet()})
	shop, _ := AddShop(st, "Toko", time.Now())
	id := placeOrder(t, s, shop.ID, "CLI1")
	placeOrder(t, s, shop.ID, "CLI2")
	want, _ := st.FindOrders(shop.ID, app.Filter{Limit: 50})
	one, _ := st.OrderByRef(shop.ID, id)
	st.Close()
	run := func(args ...string) string {
		t.Helper()
		var out, errb strings.Builder
		if code := Main(context.Background(), append(args, "--data", dir), &out, &errb); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errb.String())
		}
		return out.String()
	}
	// `pos orders list --json` indents by two spaces.
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetIndent("", "  ")
	_ = enc.Encode(app.NewOrderPageView(want))
	if got := run("orders", "list", "--shop", shop.ID, "--json"); got != sb.String() {
		t.Fatalf("list --json differs from the shape `pos orders list --json` prints:\n%s\nwant\n%s", got, sb.String())
	}
	var view map[string]any
	if err := json.Unmarshal([]byte(run("orders", "show", "--shop", shop.ID, id, "--json")), &view); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "number", "status", "courier", "tracking_id", "item_count", "label_printed", "history"} {
		if _, ok := view[k]; !ok {
			t.Fatalf("show --json lacks %q: %v", k, view)
		}
	}
	if view["id"] != id || len(view["history"].([]any)) != len(one.History) {
		t.Fatalf("show --json: %v", view)
	}
	if text := run("orders", "list", "--shop", shop.ID, "--status", "new"); !strings.Contains(text, "2 of 2 orders") {
		t.Fatalf("table:\n%s", text)
	}
	var errb strings.Builder
	if code := Main(context.Background(), []string{"orders", "list", "--data", dir, "--shop", shop.ID, "--status", "lost"}, &sb, &errb); code == 0 || !strings.Contains(strings.ToLower(errb.String()), "status") {
		t.Fatalf("bad status: %d %s", code, errb.String())
	}
}
