package biteship_test

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/courier"
	"github.com/kasir/pos/courier/biteship"
	"github.com/kasir/pos/courier/biteship/biteshiptest"
)

func setup(t testing.TB) (*biteshiptest.Server, *biteship.Client) {
	fake := biteshiptest.New("biteship_test.key")
	t.Cleanup(fake.Close)
	return fake, &biteship.Client{Base: fake.URL, APIKey: "biteship_test.key", OriginPostalCode: "12440", HTTP: &http.Client{Timeout: 2 * time.Second}}
}

func request(postal string, grams int, cod bool) courier.RateRequest {
	return courier.RateRequest{Destination: courier.Place{PostalCode: postal}, COD: cod,
		Items:   []courier.Item{{Name: "Kopi 250g", Value: 85000, Quantity: 2, WeightGrams: 250}},
		Parcels: []courier.Parcel{{WeightGrams: grams, LengthCm: 20, WidthCm: 15, HeightCm: 10}}}
}

func TestRates(t *testing.T) {
	_, c := setup(t)
	rates, err := c.Rates(context.Background(), request("40115", 1500, false))
	if err != nil {
		t.Fatal(err)
	}
	if len(rates) != 3 {
		t.Fatalf("rates %+v", rates)
	}
	for _, r := range rates {
		switch {
		case r.Courier == "anteraja" && (!r.Cheapest || r.Fastest || r.Price != 16000 || r.MaxDays != 5):
			t.Fatalf("anteraja %+v", r)
		case r.Courier == "sicepat" && (!r.Fastest || r.Cheapest || r.MaxDays != 1):
			t.Fatalf("sicepat %+v", r)
		}
	}
	cod, err := c.Rates(context.Background(), request("40115", 1500, true))
	if err != nil || len(cod) != 2 {
		t.Fatalf("COD rates %+v %v", cod, err)
	}
}

func TestRefusals(t *testing.T) {
	fake, c := setup(t)
	ctx := context.Background()
	wrong := &biteship.Client{Base: fake.URL, APIKey: "other", OriginPostalCode: "12440"}
	for name, tc := range map[string]struct {
		c    *biteship.Client
		req  courier.RateRequest
		code string
		msg  string
	}{
		"wrong key":       {wrong, request("40115", 500, false), "40101001", "invalid API key"},
		"out of coverage": {c, request("99999", 500, false), "40001020", "No courier available"},
		"over the limit":  {c, request("40115", 60000, false), "40001010", "exceeds the maximum weight"},
		"no destination":  {c, request("", 500, false), "40001004", "destination_postal_code"},
	} {
		_, err := tc.c.Rates(ctx, tc.req)
		ref := courier.Refusal(err)
		if ref == nil || ref.Code != tc.code || !strings.Contains(ref.Message, tc.msg) {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

func TestUnreachable(t *testing.T) {
	fake, c := setup(t)
	fake.Fail500(1)
	if _, err := c.Rates(context.Background(), request("40115", 500, false)); !courier.IsUnreachable(err) {
		t.Fatalf("500: %v", err)
	}
	fake.SetDelay(time.Second)
	c.HTTP = &http.Client{Timeout: 100 * time.Millisecond}
	if _, err := c.Rates(context.Background(), request("40115", 500, false)); !courier.IsUnreachable(err) {
		t.Fatalf("timeout: %v", err)
	}
}

func TestBookRetrieveCancel(t *testing.T) {
	fake, c := setup(t)
	ctx := context.Background()
	from := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	b := courier.Booking{ExternalID: "W-2001",
		Origin:      courier.Place{Name: "Toko Kopi", Phone: "081211112222", Address: "Jl. Braga 1"},
		Destination: courier.Place{Name: "Siti", Phone: "081333334444", Address: "Jl. Melati 2", PostalCode: "40115"},
		Items:       []courier.Item{{Name: "Kopi", Value: 85000, Quantity: 2, WeightGrams: 250}},
		CODAmount:   170000, Courier: "jne", Service: "reg", Pickup: true, PickupFrom: from, PickupTo: from.Add(2 * time.Hour)}
	got, err := c.Book(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if got.OrderID == "" || got.TrackingID == "" || got.Status != "confirmed" {
		t.Fatalf("booked %+v", got)
	}
	if read, err := c.Order(ctx, got.OrderID); err != nil || read.ReferenceID != "W-2001" || read.ID != got.OrderID {
		t.Fatalf("retrieve %+v %v", read, err)
	}
	if _, err := c.Order(ctx, "no-such-order"); err == nil {
		t.Fatal("an unknown order was read")
	}
	if err := c.Cancel(ctx, got.OrderID, "buyer cancelled"); err != nil || len(fake.Cancels) != 1 {
		t.Fatalf("cancel %v", err)
	}
	b.Destination.Phone = ""
	if _, err := c.Book(ctx, b); courier.Refusal(err) == nil || !strings.Contains(err.Error(), "destination_contact_phone") {
		t.Fatalf("missing phone: %v", err)
	}
}

func BenchmarkRates(b *testing.B) {
	_, c := setup(b)
	ctx := context.Background()
	var ds []time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := c.Rates(ctx, request("40115", 800, false)); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t0))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds())/1000, "ms/p99")
}
