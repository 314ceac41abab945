package shipper_test

import (
	"context"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/kasir/pos/courier"
	"github.com/kasir/pos/courier/shipper"
	"github.com/kasir/pos/courier/shipper/shippertest"
)

func setup(t testing.TB) (*shippertest.Server, *shipper.Client) {
	fake := shippertest.New("key-123")
	t.Cleanup(fake.Close)
	return fake, &shipper.Client{Base: fake.URL, APIKey: "key-123", OriginAreaID: 4711, HTTP: &http.Client{Timeout: 2 * time.Second}}
}

func request(postal string, grams int) courier.RateRequest {
	return courier.RateRequest{Destination: courier.Place{PostalCode: postal},
		Items:   []courier.Item{{Name: "Kopi 250g", Value: 85000, Quantity: 2, WeightGrams: 250}},
		Parcels: []courier.Parcel{{WeightGrams: grams, LengthCm: 20, WidthCm: 15, HeightCm: 10}}}
}

func TestRatesMarkCheapestAndFastest(t *testing.T) {
	_, c := setup(t)
	rates, err := c.Rates(context.Background(), request("40115", 1200))
	if err != nil {
		t.Fatal(err)
	}
	if len(rates) != 4 {
		t.Fatalf("want 4 rates, got %d", len(rates))
	}
	var cheap, fast []string
	for _, r := range rates {
		if r.Price <= 0 || r.RateID == "" || r.CourierName == "" {
			t.Fatalf("incomplete rate %+v", r)
		}
		if r.Cheapest {
			cheap = append(cheap, r.Courier+"/"+r.ServiceName)
		}
		if r.Fastest {
			fast = append(fast, r.Courier+"/"+r.ServiceName)
		}
	}
	if len(cheap) != 1 || cheap[0] != "anteraja/Reguler" || len(fast) != 1 || fast[0] != "jne/YES" {
		t.Fatalf("cheapest %v fastest %v", cheap, fast)
	}
	// 1.2 kg is charged as 2 kg.
	sort.Slice(rates, func(i, j int) bool { return rates[i].Price < rates[j].Price })
	if rates[0].Price != 16000 {
		t.Fatalf("cheapest price %d, want 16000", rates[0].Price)
	}
}

func TestRefusalsCarryShippersMessageAndCode(t *testing.T) {
	fake, c := setup(t)
	ctx := context.Background()
	for name, tc := range map[string]struct {
		c        *shipper.Client
		req      courier.RateRequest
		code     string
		contains string
	}{
		"wrong key":       {&shipper.Client{Base: fake.URL, APIKey: "nope", OriginAreaID: 4711}, request("40115", 500), "40100", "invalid API key"},
		"out of coverage": {c, request("99999", 500), "42220", "out of coverage"},
		"over the limit":  {c, request("40115", 60000), "42210", "over the 50 kg limit"},
	} {
		_, err := tc.c.Rates(ctx, tc.req)
		ref := courier.Refusal(err)
		if ref == nil || ref.Code != tc.code || !contains(ref.Message, tc.contains) || courier.IsUnreachable(err) {
			t.Fatalf("%s: got %v", name, err)
		}
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestServerErrorAndTimeoutAreUnreachable(t *testing.T) {
	fake, c := setup(t)
	fake.Fail500(1)
	if _, err := c.Rates(context.Background(), request("40115", 500)); !courier.IsUnreachable(err) {
		t.Fatalf("500: want unreachable, got %v", err)
	}
	fake.SetDelay(time.Second)
	c.HTTP = &http.Client{Timeout: 100 * time.Millisecond}
	if _, err := c.Rates(context.Background(), request("40115", 500)); !courier.IsUnreachable(err) {
		t.Fatalf("timeout: want unreachable, got %v", err)
	}
}

func TestBookPickupAndCancel(t *testing.T) {
	fake, c := setup(t)
	ctx := context.Background()
	from := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	b := courier.Booking{ExternalID: "W-1001",
		Origin:      courier.Place{Name: "Toko Kopi", Phone: "0812-1111-2222", Address: "Jl. Braga 1, Bandung"},
		Destination: courier.Place{Name: "Siti", Phone: "+62 813 3333 4444", Address: "Jl. Melati 2", PostalCode: "40115"},
		Items:       []courier.Item{{Name: "Kopi", Value: 85000, Quantity: 2}}, Parcels: []courier.Parcel{{WeightGrams: 600, LengthCm: 20, WidthCm: 15, HeightCm: 10}},
		CODAmount: 170000, Courier: "jne", Service: "Regular", RateID: "11", Pickup: true, PickupFrom: from, PickupTo: from.Add(2 * time.Hour)}
	got, err := c.Book(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if got.OrderID == "" || got.PickupCode == "" {
		t.Fatalf("booked %+v", got)
	}
	if len(fake.Pickups) != 1 || fake.Pickups[0].Data.OrderActivation.StartTime != "2026-12-01T10:00:00+07:00" {
		t.Fatalf("pickups %+v", fake.Pickups)
	}
	if err := c.Cancel(ctx, got.OrderID, "buyer cancelled"); err != nil {
		t.Fatal(err)
	}
	if len(fake.Cancels) != 1 {
		t.Fatal("no cancel reached Shipper")
	}
	// COD without an amount, or no rate, is refused by Shipper's rules.
	b.RateID = ""
	if _, err := c.Book(ctx, b); courier.Refusal(err) == nil {
		t.Fatalf("want a refusal without a rate, got %v", err)
	}
}

// TestCreateFailureSaysWhetherItMayHaveActed: a create answered 500 after
// Shipper made the order, or one that timed out, may have acted; a 503, a
// 429, a refusal or no connection did not; a failed area look-up before the
// create never acted.
func TestCreateFailureSaysWhetherItMayHaveActed(t *testing.T) {
	fake, c := setup(t)
	ctx := context.Background()
	b := courier.Booking{ExternalID: "W-1002",
		Origin:      courier.Place{Name: "Toko Kopi", Phone: "081211112222", Address: "Jl. Braga 1, Bandung"},
		Destination: courier.Place{Name: "Siti", Phone: "081333334444", Address: "Jl. Melati 2", PostalCode: "40115"},
		Items:       []courier.Item{{Name: "Kopi", Value: 85000, Quantity: 1}}, Parcels: []courier.Parcel{{WeightGrams: 600}}, RateID: "11"}
	fake.FailCreate(500, true)
	if _, err := c.Book(ctx, b); !courier.MayHaveActed(err) {
		t.Fatalf("500 after the order was made: %v", err)
	}
	fake.FailCreate(503, false)
	if _, err := c.Book(ctx, b); err == nil || courier.MayHaveActed(err) || !courier.IsUnreachable(err) {
		t.Fatalf("503: %v", err)
	}
	fake.Fail500(1) // the area look-up
	if _, err := c.Book(ctx, b); err == nil || courier.MayHaveActed(err) {
		t.Fatalf("500 on the look-up before the create: %v", err)
	}
	b.RateID = "0"
	if _, err := c.Book(ctx, b); courier.MayHaveActed(err) {
		t.Fatalf("a refusal: %v", err)
	}
	b.RateID = "11"
	fake.HangAfterCreate(time.Second)
	c.HTTP = &http.Client{Timeout: 200 * time.Millisecond}
	if _, err := c.Book(ctx, b); !courier.MayHaveActed(err) {
		t.Fatalf("a timeout after the request left: %v", err)
	}
	fake.Close()
	if _, err := c.Rates(ctx, courier.RateRequest{Origin: courier.Place{AreaID: 4711}, Destination: courier.Place{AreaID: 4812}}); courier.MayHaveActed(err) || !courier.IsUnreachable(err) {
		t.Fatalf("no connection: %v", err)
	}
	if n := fake.CreateCount(); n != 2 {
		t.Fatalf("creates %d, want 2 (the 500 after acting and the timeout)", n)
	}
}

func TestPushAuth(t *testing.T) {
	// md5("k" + "https://x/y" + "json")
	if got := shipper.PushAuth("k", "https://x/y"); got != "e5d06eea4287895ef0650228932edd91" {
		t.Fatalf("auth %q", got)
	}
}

func BenchmarkRates(b *testing.B) {
	_, c := setup(b)
	ctx := context.Background()
	var ds []time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := c.Rates(ctx, request("40115", 800)); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t0))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds())/1000, "ms/p99")
}
