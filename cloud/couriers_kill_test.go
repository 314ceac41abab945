package cloud

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/courier/shipper/shippertest"
)

const courierChildEnv = "POS_CLOUD_COURIER_CHILD"

type courierChild struct {
	Dir  string `json:"dir"`
	Addr string `json:"addr"`
}

// runCourierChild is a cloud with the couriers follower, in a re-exec of
// the test binary so SIGKILL is a real crash.
func runCourierChild(raw string) int {
	var cfg courierChild
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	st, err := OpenBolt(cfg.Dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	acc, err := OpenAccounts(st, noticeKey)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	s := NewServer(st, Options{Logger: quiet(), Followers: []Follower{NewCouriers()}, Accounts: acc})
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	if err := s.Serve(ctx, cfg.Addr, "", "", nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	st.Close()
	return 0
}

func startCourierChild(t *testing.T, dir string) *exec.Cmd {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	raw, _ := json.Marshal(courierChild{Dir: dir, Addr: addr})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), courierChildEnv+"="+string(raw))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// TestCloudKilledMidBookingBooksOnce: the cloud is SIGKILLed after Shipper
// created the order but before its answer arrived. The next cloud finds
// "sending" on the order, records that the booking may have been made and
// does not create it again (no provider documents a look-up by our
// reference); Shipper's first push, carrying our external_id, then attaches
// the order. Exactly one booking is made.
func TestCloudKilledMidBookingBooksOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("re-execs the test binary")
	}
	fake := shippertest.New("shp-key-1")
	defer fake.Close()
	dir := t.TempDir()
	cc := startCourierCloud(t, dir, app.ProviderShipper, fake.URL)
	o := readyOrder(t, cc, false)
	// Shipper is down while the pickup is confirmed: the booking waits.
	arrange(t, cc, o, func() { fake.Fail500(1 << 20) })
	waitFor(t, "the pending booking", func() bool {
		return strings.Contains(history(t, cc.st, cc.shop.ID, o.ID), "Booking with Shipper pending")
	})
	shop := cc.shop.ID
	cc.stop()

	fake.Fail500(0)
	fake.HangAfterCreate(time.Minute)
	first := startCourierChild(t, dir)
	defer func() { _ = first.Process.Kill(); _ = first.Wait() }()
	waitFor(t, "the order created at Shipper", func() bool { return fake.CreateCount() == 1 })
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()

	// The next cloud: it holds the store while it runs, so it is stopped
	// and the store read until it has decided.
	var got *app.Order
	for try := 0; try < 10; try++ {
		second := startCourierChild(t, dir)
		time.Sleep(time.Second)
		_ = second.Process.Signal(syscall.SIGTERM)
		_ = second.Wait()
		st, err := OpenBolt(dir)
		if err != nil {
			t.Fatal(err)
		}
		got, err = st.OrderByRef(shop, o.ID)
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got.Shipment.Booking != app.BookingSending {
			break
		}
	}
	if n := fake.CreateCount(); n != 1 || got.Shipment.Booking != app.BookingUncertain || got.Shipment.ProviderOrderID != "" {
		t.Fatalf("creates %d, shipment %+v", n, got.Shipment)
	}
	var notes strings.Builder
	for _, e := range got.History {
		notes.WriteString(e.NoteIn(app.English) + "\n")
	}
	if !strings.Contains(notes.String(), "Booking with Shipper may have been made: the answer was lost. Check Shipper's dashboard, then Book again or wait") {
		t.Fatalf("history:\n%s", notes.String())
	}

	// Shipper's first push carries our external_id: the booking is recognised.
	cc = startCourierCloud(t, dir, app.ProviderShipper, fake.URL)
	orders := fake.Orders()
	p := shipperPush(orders[0].OrderID, "", 1000, "Paket sedang dipersiapkan")
	p.ExternalID = got.Shipment.Reference
	if code, body := post(t, cc.api.URL+"/v1/couriers/shipper/push", nil, p); code != 200 || !strings.Contains(body, o.ID) {
		t.Fatalf("push: %d %s", code, body)
	}
	got = order(t, cc, o.ID)
	time.Sleep(300 * time.Millisecond) // a second create would have time to leave
	if n := fake.CreateCount(); n != 1 || got.Shipment.Booking != app.BookingBooked || got.Shipment.ProviderOrderID != orders[0].OrderID {
		t.Fatalf("creates %d, shipment %+v", n, got.Shipment)
	}
}
