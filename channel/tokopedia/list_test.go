package tokopedia_test

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/channel/tokopedia/tokotest"
)

func TestTokopediaListsOrdersInSpansAndPages(t *testing.T) {
	s := tokotest.New("13000", "479573", "cid", "csecret")
	defer s.Close()
	to := time.Now().Truncate(time.Second)
	from := to.Add(-7 * 24 * time.Hour)
	var want []string
	// 120 orders over the week: more than a page in a span, and every span used.
	for i := int64(1); i <= 120; i++ {
		s.AddOrder(i, 220)
		s.Created(i, from.Add(time.Duration(i)*83*time.Minute))
		want = append(want, strconv.FormatInt(i, 10))
	}
	s.AddOrder(999, 700)
	s.Created(999, from.Add(-time.Hour)) // before the window
	s.Expire()                           // a token that expired mid-reconciliation is renewed
	got, err := adapter().Updated(context.Background(), fields(s), from, to)
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(got, func(i, j int) bool { a, _ := strconv.Atoi(got[i]); b, _ := strconv.Atoi(got[j]); return a < b })
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("listed %d orders: %v", len(got), got)
	}
	if n := s.Calls("GET /v2/order/list"); n < 4 {
		t.Fatalf("%d list calls for a week in 3-day spans with 50 a page", n)
	}
}

func TestTokopediaListFaults(t *testing.T) {
	s := tokotest.New("13000", "479573", "cid", "csecret")
	defer s.Close()
	s.AddOrder(7, 220)
	s.Fail("1", http.StatusInternalServerError, http.StatusTooManyRequests)
	got, err := adapter().Updated(context.Background(), fields(s), time.Now().Add(-time.Hour), time.Now().Add(time.Minute))
	if err != nil || len(got) != 1 || got[0] != "7" {
		t.Fatalf("after a 500 and a 429: %v %v", got, err)
	}
}

func TestTokopediaShippingLabel(t *testing.T) {
	s := tokotest.New("13000", "479573", "cid", "csecret")
	defer s.Close()
	s.AddOrder(166295305, 220)
	a, f, ctx := adapter(), fields(s), context.Background()
	// Not accepted yet: Tokopedia has no label, and says why.
	_, _, err := a.AirwayBill(ctx, f, order("166295305"))
	if r, ok := channel.IsRefusal(err); !ok || !strings.Contains(r.Message, "no shipping label") {
		t.Fatalf("label before accept: %v", err)
	}
	if err := a.Push(ctx, f, channel.Decision{Step: app.StepAccept, Order: order("166295305")}); err != nil {
		t.Fatal(err)
	}
	doc, mt, err := a.AirwayBill(ctx, f, order("166295305"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(mt, "text/html") || !strings.Contains(string(doc), "AWB 166295305") {
		t.Fatalf("label %q as %s", doc, mt)
	}
	if _, _, err := a.AirwayBill(ctx, f, order("INV/1")); err == nil {
		t.Fatal("a label for an id that is not Tokopedia's")
	}
}

func TestTokopediaListings(t *testing.T) {
	s := tokotest.New("13000", "479573", "cid", "csecret")
	defer s.Close()
	for i := int64(1); i <= 55; i++ {
		s.AddProduct(tokotest.Product{ID: 15157500 + i, SKU: "SKU-" + strconv.FormatInt(i, 10), Name: "Kaos", Price: 75000, Stock: int(i)})
	}
	s.AddProduct(tokotest.Product{ID: 1, Name: "Tanpa SKU", Price: 1000, Stock: -2})
	ls, err := adapter().Listings(context.Background(), fields(s))
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 56 || ls[0].ID != "15157501" || ls[0].SKU != "SKU-1" || ls[0].Price != 75000 || ls[0].Qty != 1 || ls[0].URL == "" {
		t.Fatalf("%d listings, first %+v", len(ls), ls[0])
	}
	if last := ls[55]; last.SKU != "" || last.Qty != 0 {
		t.Fatalf("a listing with no SKU and negative stock: %+v", last)
	}
}
