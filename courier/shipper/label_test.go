package shipper_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/courier"
	"github.com/kasir/pos/courier/shipper"
	"github.com/kasir/pos/courier/shipper/shippertest"
)

var _ courier.Labeler = (*shipper.Client)(nil)

func bookOne(t *testing.T, fake *shippertest.Server, c *shipper.Client) string {
	t.Helper()
	got, err := c.Book(context.Background(), courier.Booking{ExternalID: "W-2001",
		Origin:      courier.Place{Name: "Toko Kopi", Phone: "0812-1111-2222", Address: "Jl. Braga 1, Bandung"},
		Destination: courier.Place{Name: "Siti", Phone: "0813 3333 4444", Address: "Jl. Melati 2", PostalCode: "40115"},
		Items:       []courier.Item{{Name: "Kopi", Value: 85000, Quantity: 1}}, Parcels: []courier.Parcel{{WeightGrams: 600}},
		RateID: "11"})
	if err != nil {
		t.Fatal(err)
	}
	fake.SetAWB(got.OrderID, "JT0011223344")
	return got.OrderID
}

func TestLabelIsShippersStickerForTheOrder(t *testing.T) {
	fake, c := setup(t)
	c.LabelBase = fake.URL
	id := bookOne(t, fake, c)
	d, err := c.Detail(context.Background(), id)
	if err != nil || d.LabelCheckSum != shippertest.LabelCheckSum(id) || d.AWBNumber != "JT0011223344" {
		t.Fatalf("detail: %+v, %v", d, err)
	}
	l, err := c.Label(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(l.MediaType, "text/html") || !strings.Contains(string(l.Doc), "JT0011223344") {
		t.Errorf("label %s: %.200s", l.MediaType, l.Doc)
	}
	u, _ := url.Parse(l.URL)
	if u.Path != "/label/sticker.php" || u.Query().Get("oid[]") != id || u.Query().Get("uid") != d.LabelCheckSum {
		t.Errorf("label URL %s", l.URL)
	}
	if fake.Labels != 1 {
		t.Errorf("the fake served %d stickers", fake.Labels)
	}
}

func TestLabelRefusals(t *testing.T) {
	fake, c := setup(t)
	c.LabelBase = fake.URL
	id := bookOne(t, fake, c)
	// A wrong checksum is refused by the label page itself.
	resp, err := http.Get(fake.URL + "/label/sticker.php?" + url.Values{"oid[]": {id}, "uid": {"0000"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a wrong checksum: HTTP %d", resp.StatusCode)
	}
	// An unknown order, and a wrong API key, are Shipper's refusals.
	if _, err := c.Label(context.Background(), "26000999SHP"); err == nil || !errors.Is(err, courier.ErrNotFound) && courier.Refusal(err) == nil {
		t.Errorf("unknown order: %v", err)
	}
	wrong := &shipper.Client{Base: fake.URL, APIKey: "nope", LabelBase: fake.URL, HTTP: &http.Client{Timeout: 2 * time.Second}}
	if _, err := wrong.Label(context.Background(), id); courier.Refusal(err) == nil {
		t.Errorf("wrong key: %v", err)
	}
	fake.Fail500(1)
	if _, err := c.Label(context.Background(), id); !courier.IsUnreachable(err) {
		t.Errorf("a 500: %v", err)
	}
}

func TestLabelHostFollowsTheAPI(t *testing.T) {
	for base, want := range map[string]string{
		"":                  shipper.DefaultLabelBase,
		shipper.DefaultBase: shipper.DefaultLabelBase,
		"https://merchant-api-sandbox.shipper.id": shipper.SandboxLabelBase,
	} {
		if got := (&shipper.Client{Base: base}).LabelHost(); got != want {
			t.Errorf("API %q: labels at %q, want %q", base, got, want)
		}
	}
	if got := (&shipper.Client{LabelBase: "http://127.0.0.1:9/"}).LabelHost(); got != "http://127.0.0.1:9" {
		t.Errorf("a set label_base: %q", got)
	}
}
