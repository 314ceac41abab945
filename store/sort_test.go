package store

import (
	"testing"

	"github.com/kasir/pos/app"
)

// TestFindSorted lists the same matches newest first, oldest first and by
// accept deadline, page by page.
func TestFindSorted(t *testing.T) {
	db := openTest(t)
	orders := fakeOrders(11, 300, testBase)
	if err := db.InsertOrders(orders); err != nil {
		t.Fatal(err)
	}
	all := func(f app.Filter) []*app.Order {
		t.Helper()
		var out []*app.Order
		for off := 0; ; off += 7 {
			f.Offset, f.Limit = off, 7
			p, err := db.FindOrders(f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, p.Orders...)
			if off+7 >= p.Total {
				if len(out) != p.Total {
					t.Fatalf("%d orders for a total of %d", len(out), p.Total)
				}
				return out
			}
		}
	}
	for _, f := range []app.Filter{{Online: true}, {Statuses: []app.Status{app.StatusNew}}, {Text: "kopi"}} {
		newest := all(f)
		if len(newest) < 3 {
			t.Fatalf("%+v: only %d orders", f, len(newest))
		}
		f.Sort = app.SortOldest
		oldest := all(f)
		for i := range newest {
			if oldest[i].ID != newest[len(newest)-1-i].ID {
				t.Fatalf("%+v: oldest first is not newest first reversed at %d", f, i)
			}
		}
		f.Sort = app.SortDeadline
		byDeadline := all(f)
		for i := 1; i < len(byDeadline); i++ {
			a, b := byDeadline[i-1], byDeadline[i]
			switch {
			case a.AcceptBy.IsZero() && !b.AcceptBy.IsZero():
				t.Fatalf("%+v: an order without a deadline before one with", f)
			case !a.AcceptBy.IsZero() && !b.AcceptBy.IsZero() && a.AcceptBy.After(b.AcceptBy):
				t.Fatalf("%+v: deadline %s before %s", f, a.AcceptBy, b.AcceptBy)
			case a.AcceptBy.Equal(b.AcceptBy) && a.CreatedAt.Before(b.CreatedAt):
				t.Fatalf("%+v: same deadline not newest first", f)
			}
		}
	}
	if _, err := db.FindOrders(app.Filter{Sort: "cheapest"}); app.ErrorCode(err) != app.EInvalid {
		t.Errorf("unknown sort: %v, want invalid", err)
	}
}

// TestFindUnlinked keeps exactly the orders with a line not linked to a
// product, with and without other filters and text.
func TestFindUnlinked(t *testing.T) {
	db := openTest(t)
	orders := fakeOrders(12, 200, testBase)
	for i, o := range orders {
		for j := range o.Lines {
			o.Lines[j].Linked = i%5 != 0 || j > 0
		}
	}
	if err := db.InsertOrders(orders); err != nil {
		t.Fatal(err)
	}
	for _, f := range []app.Filter{{Unlinked: true}, {Unlinked: true, Statuses: []app.Status{app.StatusNew, app.StatusCompleted}}, {Unlinked: true, Text: "kopi"}} {
		want := map[string]bool{}
		base := f
		base.Unlinked = false
		p, err := db.FindOrders(base)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range p.Orders {
			if o.UnlinkedLines() > 0 {
				want[o.ID] = true
			}
		}
		got, err := db.FindOrders(f)
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != len(want) || len(got.Orders) != len(want) || len(want) == 0 {
			t.Fatalf("%+v: %d orders (total %d), want %d", f, len(got.Orders), got.Total, len(want))
		}
		for _, o := range got.Orders {
			if !want[o.ID] {
				t.Errorf("%+v: %s has no unlinked line", f, o.Number)
			}
		}
	}
}
