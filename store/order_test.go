package store

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	bolt "go.etcd.io/bbolt"
)

// fullOrder sets every field of an order to a non-zero value.
func fullOrder() *app.Order {
	t0 := time.Date(2025, 3, 4, 5, 6, 7, 8000, time.UTC)
	return &app.Order{
		ID: "tokopedia:98765", Shop: "toko-siti", Channel: app.ChannelTokopedia, ExternalID: "98765", Number: "TKP-98765",
		Status: app.StatusReadyToShip, ChannelStatus: "400", DetailsPending: true,
		Buyer: app.Buyer{Name: "Siti Rahayu", Phone: "+62 812-3456-7890", Email: "siti@example.id",
			Address: app.Address{Street: "Jl. Merdeka 1", District: "Menteng", City: "Jakarta Pusat", Province: "DKI Jakarta", PostalCode: "10310", Country: "ID"}, Lang: app.English},
		Lines: []app.Line{{SKU: "KOPI-GAYO-250", Name: "Kopi Arabika Gayo 250g", Qty: 2, UnitPrice: 85000, UnitCost: 50000, Discount: 1000, Linked: true, ExternalID: "L1", ChannelStatus: "canceled", Cancelled: true, Listing: "item:3301:model:7"}},
		Note:  "bungkus kado", Currency: app.IDR, ShippingFee: 9000, Discount: 5000, Tax: 1000, Total: 175000,
		PaymentMethod: app.PayTransfer, PaymentStatus: app.PaymentPaid, Paid: 175000, TaxIncluded: true,
		Payments: []app.Payment{{Method: app.PayQRIS, Amount: 175000, Ref: "QR-1"}},
		Sale:     &app.SaleInfo{ShiftID: "S1", Terminal: "T1", Change: 500, ApprovedBy: "Ayu", VoidedAt: t0},
		Refunds: []app.Refund{{At: t0, By: "Ayu", Reason: "rusak", Lines: []app.RefundLine{{Line: 1, SKU: "KOPI-GAYO-250", Qty: 1, Amount: 80000, Cost: 50000}},
			Amount: 80000, Restock: app.RestockShelf, Method: app.PayCash, ShiftID: "S1"}},
		PaymentReceipt: &app.PaymentReceipt{ImageURL: "https://x/r.jpg", UploadedAt: t0, Message: "buram"},
		Invoice:        app.Invoice{Number: "INV-TKP-98765", Status: app.InvoiceUnpaid, CreatedAt: t0},
		DeliveryStatus: app.DeliveryUnsent,
		Parcels: []app.Parcel{{Items: []app.ParcelItem{{Line: 1, SKU: "KOPI-GAYO-250", Qty: 2}}, WeightGrams: 600, LengthCm: 20, WidthCm: 10,
			HeightCm: 5, Packed: true, PackedAt: t0, PackedBy: "Budi"}},
		Shipment: app.Shipment{Method: app.ShipPickup, State: app.ShipmentAssigned, PickupFrom: t0, PickupTo: t0.Add(time.Hour),
			PickupAddress: "Toko Siti", Courier: "JNE", Service: "REG", TrackingID: "JNE123456", PickupDeadline: t0, ArrangedAt: t0,
			PickedUpAt: t0, DeliveredAt: t0, FailReason: "hujan", Remark: "Dua kotak",
			Provider: app.ProviderShipper, Reference: "TKP-98765", ProviderOrderID: "26SHP1", AWB: "JNE123456",
			Rate:   &app.ShipmentRate{Courier: "jne", CourierName: "JNE", Service: "reg", ServiceName: "REG", Price: 9000, MinDays: 2, MaxDays: 3, RateID: "11"},
			Driver: &app.Driver{Name: "Agus", Phone: "0812", Plate: "D 1 AB"}, Booking: app.BookingBooked, Bookings: 1,
			Withdrawn: []app.BookingRef{{Provider: app.ProviderShipper, Reference: "TKP-98765-0", OrderID: "26SHP0", MayExist: true}}},
		Notices: []app.Notice{{Key: "shipped@5", Event: app.NoticeShipped, Via: app.ViaEmail, State: app.NoticeSent, To: "s***@example.id",
			Reply: "250 OK", Attempts: 1, FirstAt: t0, At: t0, By: "notices"}},
		PageToken:    "abcdefghijklmnopqrstuvwxyz012345",
		CancelReason: app.CancelByBuyer, CancelNote: "salah ukuran",
		CancelRequest: &app.CancelRequest{Reason: "salah ukuran", At: t0},
		Complaint:     &app.Complaint{Reason: "rusak", At: t0, Resolution: app.ResolveRefund, ResolvedAt: t0},
		Prints:        app.Prints{LabelAt: t0, LabelCount: 1, ReceiptAt: t0, ReceiptCount: 2, SlipAt: t0, SlipCount: 3},
		AcceptBy:      t0.Add(24 * time.Hour), ShipBy: t0.Add(48 * time.Hour), ChannelUpdatedAt: t0.Add(2 * time.Minute), CreatedAt: t0, UpdatedAt: t0.Add(time.Minute), CompletedAt: t0, Version: 7, CreatedBy: "Budi",
		ChannelCalls: []app.ChannelCall{{Key: "accept@2", Step: app.StepAccept, State: app.CallRefused, Attempts: 2, Reply: "status 700", Body: "{}", At: t0}},
	}
}

// zeroFields lists the zero-valued fields under v, so the round trip test
// notices when app.Order grows a field fullOrder does not set.
func zeroFields(v reflect.Value, path string, out *[]string) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			*out = append(*out, path)
			return
		}
		zeroFields(v.Elem(), path, out)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			if v.Interface().(time.Time).IsZero() {
				*out = append(*out, path)
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			zeroFields(v.Field(i), path+"."+v.Type().Field(i).Name, out)
		}
	case reflect.Slice:
		if v.Len() == 0 {
			*out = append(*out, path)
		}
		for i := 0; i < v.Len(); i++ {
			zeroFields(v.Index(i), path+"[]", out)
		}
	default:
		if v.IsZero() {
			*out = append(*out, path)
		}
	}
}

func asJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestOrderRoundTripEveryField(t *testing.T) {
	o := fullOrder()
	var zero []string
	zeroFields(reflect.ValueOf(o), "order", &zero)
	// History is not part of the record; Parcel item line 0 is a legal zero elsewhere.
	for _, z := range zero {
		if z != "order.History" {
			t.Errorf("fullOrder leaves %s zero; set it so the round trip covers it", z)
		}
	}
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	withHistory := o.Clone()
	withHistory.History = []app.Event{{Version: 1}}
	if err := db.Update(func(tx app.Tx) error { return tx.PutOrder(withHistory) }); err != nil {
		t.Fatal(err)
	}
	check := func(db *DB) {
		var got *app.Order
		if err := db.View(func(tx app.Tx) error {
			var err error
			got, err = tx.Order(o.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, o) {
			t.Fatalf("round trip differs:\n got %s\nwant %s", asJSON(t, got), asJSON(t, o))
		}
		byExt, err := viewOrderByExternal(db, o.Channel, o.ExternalID)
		if err != nil || byExt.ID != o.ID {
			t.Fatalf("OrderByExternalID = %v, %v", byExt, err)
		}
	}
	check(db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	check(db)
	mustConsistent(t, db)
}

func viewOrderByExternal(db *DB, ch app.Channel, ext string) (*app.Order, error) {
	var o *app.Order
	err := db.View(func(tx app.Tx) error {
		var err error
		o, err = tx.OrderByExternalID(ch, ext)
		return err
	})
	return o, err
}

func TestNotFoundCodes(t *testing.T) {
	db := openTest(t)
	err := db.View(func(tx app.Tx) error {
		if _, err := tx.Order("nope"); app.ErrorCode(err) != app.ENotFound {
			t.Errorf("Order: %v", err)
		}
		if _, err := tx.OrderByExternalID(app.ChannelShopee, "nope"); app.ErrorCode(err) != app.ENotFound {
			t.Errorf("OrderByExternalID: %v", err)
		}
		if _, err := tx.Product("nope"); app.ErrorCode(err) != app.ENotFound {
			t.Errorf("Product: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.OrderWithHistory("nope"); app.ErrorCode(err) != app.ENotFound {
		t.Errorf("OrderWithHistory: %v", err)
	}
}

func TestProductsRoundTrip(t *testing.T) {
	db := openTest(t)
	ps := fakeProducts()
	ps[0].Barcode, ps[0].Allocated = "8991234567890", 3
	if err := db.PutProducts(ps); err != nil {
		t.Fatal(err)
	}
	got, err := db.Products()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ps) {
		t.Fatalf("got %d products, want %d", len(got), len(ps))
	}
	for i := 1; i < len(got); i++ {
		if got[i-1].SKU >= got[i].SKU {
			t.Fatalf("products not in SKU order: %s before %s", got[i-1].SKU, got[i].SKU)
		}
	}
	var p *app.Product
	db.View(func(tx app.Tx) error { p, err = tx.Product(ps[0].SKU); return err })
	if !reflect.DeepEqual(p, ps[0]) {
		t.Fatalf("product differs: %+v vs %+v", p, ps[0])
	}
}

func TestHistoryReplaceAndOrder(t *testing.T) {
	db := openTest(t)
	o := fullOrder()
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	err := db.Update(func(tx app.Tx) error {
		if err := tx.PutOrder(o); err != nil {
			return err
		}
		for _, v := range []int64{3, 1, 2, 256} {
			if err := tx.AppendEvent(o.ID, app.Event{Version: v, At: at, Action: app.ActionAddNote, Note: "local"}); err != nil {
				return err
			}
		}
		return tx.AppendEvent(o.ID, app.Event{Version: 2, At: at, Action: app.ActionAddNote, Note: "cloud"})
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.OrderWithHistory(o.ID)
	if err != nil {
		t.Fatal(err)
	}
	var vs []int64
	for _, e := range got.History {
		vs = append(vs, e.Version)
	}
	if !reflect.DeepEqual(vs, []int64{1, 2, 3, 256}) || got.History[1].Note != "cloud" {
		t.Fatalf("history = %+v", got.History)
	}
}

func TestDamagedRecordNamesKey(t *testing.T) {
	db := openTest(t)
	o := fullOrder()
	if err := db.Update(func(tx app.Tx) error { return tx.PutOrder(o) }); err != nil {
		t.Fatal(err)
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketOrders).Put([]byte(o.ID), []byte("{not json")) })
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.OrderWithHistory(o.ID)
	if err == nil || !strings.Contains(err.Error(), o.ID) {
		t.Fatalf("want an error naming %s, got %v", o.ID, err)
	}
	if _, err := db.FindOrders(app.Filter{}); err == nil || !strings.Contains(err.Error(), o.ID) {
		t.Fatalf("FindOrders: want an error naming %s, got %v", o.ID, err)
	}
	if err := db.CheckConsistency(); err == nil || !strings.Contains(err.Error(), o.ID) {
		t.Fatalf("CheckConsistency: want an error naming %s, got %v", o.ID, err)
	}
}

func TestPutOrderRefusesWhatIndexesCannotHold(t *testing.T) {
	db := openTest(t)
	for _, mut := range []func(o *app.Order){
		func(o *app.Order) { o.ID = "" },
		func(o *app.Order) { o.ID = "a\x00b" },
		func(o *app.Order) { o.Status = "lost" },
		func(o *app.Order) { o.Channel = "bukalapak" },
	} {
		o := fullOrder()
		mut(o)
		err := db.Update(func(tx app.Tx) error { return tx.PutOrder(o) })
		if app.ErrorCode(err) != app.EInvalid {
			t.Errorf("want EInvalid, got %v", err)
		}
	}
}
