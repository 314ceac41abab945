package app_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/kasir/pos/app"
)

// TestSweepRejectsEveryOverdueOrder sweeps more overdue orders than one
// batch holds: each is auto-rejected once, the others are left alone, and a
// second sweep finds nothing.
func TestSweepRejectsEveryOverdueOrder(t *testing.T) {
	svc, db, now := newService(t)
	var orders []*app.Order
	overdue := map[string]bool{}
	for i := 0; i < 4500; i++ {
		o := &app.Order{ID: fmt.Sprintf("web-%05d", i), Channel: app.ChannelStore, ExternalID: fmt.Sprint(i + 1), Number: fmt.Sprintf("WEB-%05d", i),
			Currency: app.IDR, Status: app.StatusNew, CreatedAt: *now, UpdatedAt: *now, Version: 1, PaymentStatus: app.PaymentUnpaid,
			AcceptBy: now.Add(time.Hour)}
		if i%2 == 0 {
			o.AcceptBy = now.Add(-time.Duration(i) * time.Second)
			overdue[o.ID] = true
		}
		orders = append(orders, o)
	}
	if err := db.InsertOrders(orders); err != nil {
		t.Fatal(err)
	}
	n, err := svc.SweepOverdue(*now)
	if err != nil || n != len(overdue) {
		t.Fatalf("swept %d, %v; want %d", n, err, len(overdue))
	}
	if n, err := svc.SweepOverdue(*now); err != nil || n != 0 {
		t.Fatalf("second sweep: %d, %v", n, err)
	}
	for _, o := range orders {
		got, err := svc.Order(o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]app.Status{true: app.StatusCancelled, false: app.StatusNew}[overdue[o.ID]]; got.Status != want {
			t.Fatalf("%s is %s, want %s", o.ID, got.Status, want)
		}
	}
	if err := db.CheckConsistency(); err != nil {
		t.Fatal(err)
	}
}
