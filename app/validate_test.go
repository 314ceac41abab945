package app

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
)

// refused checks err is an EInvalid naming field; an empty field wants nil.
func refused(t *testing.T, name string, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Errorf("%s: refused: %v", name, err)
		}
		return
	}
	if err == nil {
		t.Errorf("%s: accepted, want %s refused", name, field)
		return
	}
	var ae *Error
	if ErrorCode(err) != EInvalid || !errors.As(err, &ae) || string(ae.Field) != field {
		t.Errorf("%s: got %q (%s), want an invalid %s", name, err, ErrorCode(err), field)
	}
}

func TestOrderRules(t *testing.T) {
	manyLines := func(n int) []Line {
		ls := make([]Line, n)
		for i := range ls {
			ls[i] = Line{SKU: "SKU-" + itoa(i), Name: "Item", Qty: 1, UnitPrice: 1000}
		}
		return ls
	}
	long := func(n int) string { return strings.Repeat("a", n) }
	cases := []struct {
		name  string
		edit  func(o *Order)
		field string
	}{
		{"sample", func(o *Order) {}, ""},
		{"500 lines", func(o *Order) { o.Lines, o.Total = manyLines(MaxLinesPerOrder), 500_000 }, ""},
		{"501 lines", func(o *Order) { o.Lines = manyLines(MaxLinesPerOrder + 1) }, "lines"},
		{"no lines", func(o *Order) { o.Lines = nil }, "lines"},
		{"unknown channel", func(o *Order) { o.Channel = "myspace" }, "channel"},
		{"unknown status", func(o *Order) { o.Status = "teleported" }, "status"},
		{"unknown currency", func(o *Order) { o.Currency = "XXX" }, "currency"},
		{"NUL in id", func(o *Order) { o.ID = "store:W\x001" }, "id"},
		{"space in external id", func(o *Order) { o.ExternalID = "W 1" }, "external_id"},
		{"zero-width in external id", func(o *Order) { o.ExternalID = "W\u200b1" }, "external_id"},
		{"long external id", func(o *Order) { o.ExternalID = long(MaxIDLen + 1) }, "external_id"},
		{"longest external id", func(o *Order) { o.ExternalID = long(MaxIDLen) }, ""},
		{"long id", func(o *Order) { o.ID = long(MaxOrderIDLen + 1) }, "id"},
		{"control in SKU", func(o *Order) { o.Lines[0].SKU = "SKU\x07" }, "lines[0].sku"},
		{"space inside SKU", func(o *Order) { o.Lines[0].SKU = "KAOS HITAM L" }, ""},
		{"long SKU", func(o *Order) { o.Lines[1].SKU = long(MaxSKULen + 1) }, "lines[1].sku"},
		{"line without SKU or name", func(o *Order) { o.Lines[0].SKU, o.Lines[0].Name = "", " " }, "lines[0].sku"},
		{"long line name", func(o *Order) { o.Lines[0].Name = long(MaxNameLen + 1) }, "lines[0].name"},
		{"newline in line name", func(o *Order) { o.Lines[0].Name = "Kopi\nGayo" }, "lines[0].name"},
		{"invalid UTF-8 in name", func(o *Order) { o.Lines[0].Name = "Kopi \xff" }, "lines[0].name"},
		{"NUL in line id", func(o *Order) { o.Lines[0].ExternalID = "L\x00" }, "lines[0].external_id"},
		{"quantity 0", func(o *Order) { o.Lines[0].Qty = 0 }, "lines[0].qty"},
		{"quantity 10^12", func(o *Order) { o.Lines[0].Qty = 1_000_000_000_000 }, "lines[0].qty"},
		{"largest quantity", func(o *Order) { o.Lines[0].Qty, o.Lines[0].UnitPrice, o.Total = MaxQty, 1, 0 }, ""},
		{"negative price", func(o *Order) { o.Lines[0].UnitPrice = -1 }, "lines[0].unit_price"},
		{"price MaxInt64", func(o *Order) { o.Lines[0].UnitPrice = math.MaxInt64 }, "lines[0].unit_price"},
		{"line amount past the limit", func(o *Order) { o.Lines[0].Qty, o.Lines[0].UnitPrice, o.Total = 2, MaxAmount, 0 }, "lines[0].qty"},
		{"negative cost", func(o *Order) { o.Lines[0].UnitCost = -5 }, "lines[0].unit_cost"},
		{"negative shipping", func(o *Order) { o.ShippingFee = -1 }, "shipping_fee"},
		{"huge discount", func(o *Order) { o.Discount = MaxAmount + 1 }, "discount"},
		{"discount above everything", func(o *Order) { o.Discount = 200000; o.Total = 0 }, "discount"},
		{"total that does not add up", func(o *Order) { o.Total = 999 }, "total"},
		{"total that adds up", func(o *Order) { o.ShippingFee, o.Discount, o.Tax, o.Total = 9000, 1000, 500, 171000+8500 }, ""},
		{"total off by one", func(o *Order) { o.Total = 171001 }, "total"},
		{"total left to compute", func(o *Order) { o.Total = 0 }, ""},
		{"lines adding up past the limit", func(o *Order) {
			o.Lines, o.Total = []Line{{SKU: "A", Qty: 1, UnitPrice: MaxAmount}, {SKU: "B", Qty: 1, UnitPrice: MaxAmount}}, 0
		}, "total"},
		{"details pending keeps its total", func(o *Order) { o.DetailsPending, o.Total = true, 5 }, ""},
		{"unknown payment method", func(o *Order) { o.PaymentMethod = "barter" }, "payment_method"},
		{"long number", func(o *Order) { o.Number = long(MaxNumberLen + 1) }, "number"},
		{"NUL in number", func(o *Order) { o.Number = "INV\x00" }, "number"},
		{"long buyer name", func(o *Order) { o.Buyer.Name = long(MaxNameLen + 1) }, "buyer.name"},
		{"long phone", func(o *Order) { o.Buyer.Phone = long(MaxPhoneLen + 1) }, "buyer.phone"},
		{"long email", func(o *Order) { o.Buyer.Email = long(MaxEmailLen + 1) }, "buyer.email"},
		{"street on two lines", func(o *Order) { o.Buyer.Address.Street = "Jl. Braga 5\nRT 02" }, ""},
		{"escape in street", func(o *Order) { o.Buyer.Address.Street = "Jl. \x1b[31mBraga" }, "buyer.address.street"},
		{"long city", func(o *Order) { o.Buyer.Address.City = long(MaxPlaceLen + 1) }, "buyer.address.city"},
		{"long note", func(o *Order) { o.Note = long(MaxNoteLen + 1) }, "note"},
		{"40,000-character courier", func(o *Order) { o.Shipment.Courier = long(40000) }, "shipment.courier"},
		{"tracking id with a space", func(o *Order) { o.Shipment.TrackingID = "JNE 1" }, "tracking_id"},
		{"long receipt URL", func(o *Order) { o.PaymentReceipt = &PaymentReceipt{ImageURL: long(MaxURLLen + 1)} }, "payment_receipt.image_url"},
		{"long complaint", func(o *Order) { o.Complaint = &Complaint{Reason: long(MaxReasonLen + 1)} }, "complaint.reason"},
		{"long cancel request", func(o *Order) { o.CancelRequest = &CancelRequest{Reason: long(MaxReasonLen + 1)} }, "cancel_request.reason"},
		{"NUL in channel status", func(o *Order) { o.ChannelStatus = "220\x00" }, "channel_status"},
		{"too many parcels", func(o *Order) { o.Parcels = make([]Parcel, MaxLinesPerOrder+1) }, "parcels"},
		{"heavy parcel", func(o *Order) { o.Parcels = []Parcel{{WeightGrams: MaxWeightGrams + 1}} }, "parcels[0].weight_grams"},
		{"negative parcel item", func(o *Order) { o.Parcels = []Parcel{{Items: []ParcelItem{{Line: 0, Qty: -1}}}} }, "parcels[0].items[0].qty"},
	}
	for _, c := range cases {
		o := sampleOrder(ChannelStore)
		o.Total = 171000
		c.edit(o)
		refused(t, c.name, o.Validate(), c.field)
	}
}

func TestTotalToleranceFollowsTheChannel(t *testing.T) {
	for _, c := range []struct {
		ch    Channel
		total Money
		field string
	}{
		{ChannelWooCommerce, 171003, ""}, // two lines and the shipping may each round by one
		{ChannelWooCommerce, 171004, "total"},
		{ChannelWooCommerce, 170997, ""},
		{ChannelTokopedia, 171001, "total"},
		{ChannelManual, 170999, "total"},
	} {
		o := sampleOrder(c.ch)
		o.Total = c.total
		refused(t, string(c.ch), o.Validate(), c.field)
	}
}

func TestExternalIDsAreWhatTheirChannelSays(t *testing.T) {
	for _, c := range []struct {
		ch    Channel
		id    string
		field string
	}{
		{ChannelWooCommerce, "727", ""},
		{ChannelWooCommerce, "9223372036854775807", ""},
		{ChannelWooCommerce, "9223372036854775808", "id"},
		{ChannelWooCommerce, "1.5", "id"},
		{ChannelWooCommerce, "1e400", "id"},
		{ChannelWooCommerce, "0", "id"},
		{ChannelWooCommerce, "-3", "id"},
		{ChannelWooCommerce, "007", "id"},
		{ChannelWooCommerce, "", "id"},
		{ChannelTokopedia, "166295305", ""},
		{ChannelTokopedia, "INV/1", "id"},
		{ChannelShopee, "220810ABCDEF", ""},
		{ChannelShopee, "220810abc", "id"},
		{ChannelLazada, "260422900198", ""},
		{ChannelTikTok, "576462320221111111", ""},
		{ChannelStore, "W-1001", ""},
		{ChannelStore, "W\x001", "id"},
		{ChannelStore, "W 1", "id"},
		{ChannelStore, strings.Repeat("9", MaxIDLen+1), "id"},
	} {
		refused(t, string(c.ch)+" "+c.id, ValidateExternalID(c.ch, "id", c.id), c.field)
	}
}

func TestIncomingIsValidatedWhole(t *testing.T) {
	good := func() Incoming {
		return Incoming{Channel: ChannelStore, ExternalID: "W1", Order: &Order{Buyer: Buyer{Name: "Budi"},
			Lines: []Line{{SKU: "SKU-1", Name: "Kopi", Qty: 1, UnitPrice: 85000}}, Total: 85000}}
	}
	cases := []struct {
		name  string
		edit  func(in *Incoming)
		field string
	}{
		{"good", func(in *Incoming) {}, ""},
		{"no currency yet", func(in *Incoming) { in.Order.Currency = "" }, ""},
		{"WooCommerce id 1.5", func(in *Incoming) { in.Channel, in.ExternalID = ChannelWooCommerce, "1.5" }, "external_id"},
		{"NUL in web store id", func(in *Incoming) { in.ExternalID = "W\x001" }, "external_id"},
		{"quantity 10^12", func(in *Incoming) { in.Order.Lines[0].Qty = 1_000_000_000_000 }, "lines[0].qty"},
		{"total that does not add up", func(in *Incoming) { in.Order.Total = 1 }, "total"},
		{"status push", func(in *Incoming) { in.Order, in.ChannelStatus = nil, "ready_to_ship" }, ""},
		{"NUL in status", func(in *Incoming) { in.ChannelStatus = "new\x00" }, "channel_status"},
		{"Lazada line", func(in *Incoming) {
			in.Channel, in.ExternalID, in.Order = ChannelLazada, "2604", nil
			in.Line = &Line{ExternalID: "260401", Name: "Lazada item", Qty: 1}
		}, ""},
		{"Lazada line with a NUL", func(in *Incoming) {
			in.Channel, in.ExternalID, in.Order = ChannelLazada, "2604", nil
			in.Line = &Line{ExternalID: "26\x0001", Name: "Lazada item", Qty: 1}
		}, "line.external_id"},
	}
	for _, c := range cases {
		in := good()
		c.edit(&in)
		refused(t, c.name, in.Validate(), c.field)
	}
}

func TestLinePushesStopAtTheLineLimit(t *testing.T) {
	tx := newMemTx()
	pol := DefaultPolicy()
	push := func(i int) error {
		l := Line{ExternalID: "L" + itoa(i), Name: "item", Qty: 1}
		_, err := Ingest(tx, pol, Incoming{Channel: ChannelLazada, ExternalID: "2604", ChannelStatus: "pending", Line: &l}, t0)
		return err
	}
	for i := 0; i < MaxLinesPerOrder; i++ {
		if err := push(i); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
	}
	refused(t, "line 501", push(MaxLinesPerOrder), "lines")
	o, err := tx.Order(ChannelOrderID(ChannelLazada, "2604"))
	if err != nil || len(o.Lines) != MaxLinesPerOrder {
		t.Fatalf("order after the refused line: %v, %d lines", err, len(o.Lines))
	}
}

func TestCommandRules(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	cases := []struct {
		name  string
		cmd   Command
		field string
	}{
		{"accept", Command{Action: ActionAccept, OrderID: "store:W1"}, ""},
		{"unknown action", Command{Action: "explode", OrderID: "store:W1"}, "name"},
		{"NUL in order id", Command{Action: ActionAccept, OrderID: "store:W\x001"}, "order_id"},
		{"long order id", Command{Action: ActionAccept, OrderID: long(MaxOrderIDLen + 1)}, "order_id"},
		{"no order id", Command{Action: ActionAccept}, "order_id"},
		{"long reason", Command{Action: ActionReject, OrderID: "o1", Args: Args{Reason: long(MaxReasonLen + 1)}}, "args.reason"},
		{"bell in reason", Command{Action: ActionReject, OrderID: "o1", Args: Args{Reason: "habis\a"}}, "args.reason"},
		{"long note", Command{Action: ActionAddNote, OrderID: "o1", Args: Args{Note: long(MaxNoteLen + 1)}}, "args.note"},
		{"40,000-character courier", Command{Action: ActionAssignCourier, OrderID: "o1", Args: Args{Courier: long(40000), TrackingID: "JNE1"}}, "args.courier"},
		{"tracking id with NUL", Command{Action: ActionShip, OrderID: "o1", Args: Args{TrackingID: "JNE\x001"}}, "tracking_id"},
		{"quantity 10^12", Command{Action: ActionSplitParcel, OrderID: "o1", Args: Args{Qty: 1_000_000_000_000}}, "args.qty"},
		{"negative weight", Command{Action: ActionSetParcel, OrderID: "o1", Args: Args{WeightGrams: -1}}, "args.weight_grams"},
		{"huge side", Command{Action: ActionSetParcel, OrderID: "o1", Args: Args{LengthCm: MaxDimensionCm + 1}}, "args.length_cm"},
		{"NUL in SKU", Command{Action: ActionSplitParcel, OrderID: "o1", Args: Args{SKU: "A\x00"}}, "args.sku"},
		{"place without order", Command{Action: ActionPlace}, "args.order"},
		{"import a bad product", Command{Action: ActionImportProducts, Args: Args{Products: []*Product{{SKU: "A\x00", Name: "x", Currency: IDR}}}}, "args.products"},
	}
	for _, c := range cases {
		refused(t, c.name, c.cmd.Validate(), c.field)
	}
}

func TestPlaceRefusesWhatNoTerminalCouldStore(t *testing.T) {
	tx := newMemTx()
	o := sampleOrder(ChannelManual)
	o.Shipment.Courier = strings.Repeat("J", 40000)
	_, err := Execute(tx, DefaultPolicy(), Command{Action: ActionPlace, Args: Args{Order: o}}, owner, t0)
	refused(t, "placed with a 40,000-character courier", err, "shipment.courier")
	_, err = Execute(tx, DefaultPolicy(), Command{Action: ActionPlace, Args: Args{Order: sampleOrder(ChannelManual)}},
		Actor{Staff: "Ayu\x00", Role: RoleOwner}, t0)
	refused(t, "staff name with a NUL", err, "actor.staff")
	if len(tx.orders) != 0 {
		t.Fatalf("a refused order was stored: %d orders", len(tx.orders))
	}
}

func TestProductRules(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(p *Product)
		field string
	}{
		{"good", func(p *Product) {}, ""},
		{"no SKU", func(p *Product) { p.SKU = " " }, "sku"},
		{"NUL in SKU", func(p *Product) { p.SKU = "SKU\x00" }, "sku"},
		{"long SKU", func(p *Product) { p.SKU = strings.Repeat("S", MaxSKULen+1) }, "sku"},
		{"no name", func(p *Product) { p.Name = "" }, "name"},
		{"long name", func(p *Product) { p.Name = strings.Repeat("n", MaxNameLen+1) }, "name"},
		{"space in barcode", func(p *Product) { p.Barcode = "899 1" }, "barcode"},
		{"price past the limit", func(p *Product) { p.Price = MaxAmount + 1 }, "price"},
		{"negative cost", func(p *Product) { p.Cost = -1 }, "cost"},
		{"stock past the limit", func(p *Product) { p.OnHand = MaxStock + 1 }, "on_hand"},
		{"negative allocation", func(p *Product) { p.Allocated = -1 }, "allocated"},
		{"heavy", func(p *Product) { p.WeightGrams = MaxWeightGrams + 1 }, "weight_grams"},
	}
	for _, c := range cases {
		p := &Product{SKU: "SKU-1", Name: "Kopi", Currency: IDR, Price: 85000, OnHand: 3}
		c.edit(p)
		refused(t, c.name, p.Validate(), c.field)
	}
}

func TestProductCSVUsesTheSameRules(t *testing.T) {
	for _, c := range []struct {
		name, csv, want string
	}{
		{"good", "sku,name,price\nSKU-1,Kopi,85000\n", ""},
		{"price past the limit", "sku,name,price\nSKU-1,Kopi,99999999999999999\n", "price"},
		{"stock 10^12", "sku,name,on_hand\nSKU-1,Kopi,1000000000000\n", "on_hand"},
		{"control character in SKU", "sku,name\n\"SKU\x01\",Kopi\n", "sku"},
		{"long name", "sku,name\nSKU-1," + strings.Repeat("n", MaxNameLen+1) + "\n", "name"},
	} {
		_, err := ParseProducts(strings.NewReader(c.csv), IDR)
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if ErrorCode(err) != EInvalid || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want the %s refused", c.name, err, c.want)
		}
	}
}

func TestCourierUpdateRules(t *testing.T) {
	for _, c := range []struct {
		name  string
		id    string
		u     CourierUpdate
		field string
	}{
		{"good", "store:W1", CourierUpdate{Kind: CourierAssigned, TrackingID: "JNE1", Courier: "JNE"}, ""},
		{"40,000-character courier", "store:W1", CourierUpdate{Kind: CourierAssigned, TrackingID: "JNE1", Courier: strings.Repeat("J", 40000)}, "courier"},
		{"NUL in order id", "store:W\x001", CourierUpdate{Kind: CourierPickedUp}, "order_id"},
		{"long reason", "store:W1", CourierUpdate{Kind: CourierFailed, Reason: strings.Repeat("r", MaxReasonLen+1)}, "reason"},
		{"tracking id with a tab", "store:W1", CourierUpdate{Kind: CourierAssigned, TrackingID: "JNE\t1"}, "tracking_id"},
		{"unknown event", "store:W1", CourierUpdate{Kind: "teleported"}, "event"},
	} {
		_, err := CourierCommand(c.id, c.u)
		refused(t, c.name, err, c.field)
	}
}

func TestMoneyArithmeticIsChecked(t *testing.T) {
	if _, ok := Money(math.MaxInt64).Times(2); ok {
		t.Error("MaxInt64 × 2 did not overflow")
	}
	if _, ok := Money(math.MinInt64).Times(-1); ok {
		t.Error("MinInt64 × -1 did not overflow")
	}
	if m, ok := MaxAmount.Times(MaxQty); !ok || m != MaxAmount*MaxQty {
		t.Errorf("MaxAmount × MaxQty = %d, %v", m, ok)
	}
	if _, ok := Money(math.MaxInt64).Plus(1); ok {
		t.Error("MaxInt64 + 1 did not overflow")
	}
	if _, ok := Money(math.MinInt64).Plus(-1); ok {
		t.Error("MinInt64 - 1 did not overflow")
	}
	if m, ok := Money(5).Plus(-7); !ok || m != -2 {
		t.Errorf("5 + -7 = %d, %v", m, ok)
	}
	o := &Order{Lines: []Line{{Qty: 2, UnitPrice: math.MaxInt64}}}
	if _, err := o.CheckedTotal(); ErrorCode(err) != EInvalid {
		t.Errorf("price MaxInt64 × 2: %v", err)
	}
	o = &Order{Lines: []Line{{Qty: 1, UnitPrice: math.MaxInt64}, {Qty: 1, UnitPrice: 1}}}
	if _, err := o.CheckedTotal(); ErrorCode(err) != EInvalid {
		t.Errorf("two lines past MaxInt64: %v", err)
	}
	if got := IDR.Format(math.MinInt64); got != "-Rp 9.223.372.036.854.775.808" {
		t.Errorf("the most negative amount prints %q", got)
	}
}

func TestWhatPlaceFillsInKeepsTheLimits(t *testing.T) {
	for _, ch := range []Channel{ChannelWooCommerce, ChannelTokopedia, ChannelStore, ChannelLazada, ChannelManual} {
		tx := newMemTx()
		o := sampleOrder(ch)
		o.ExternalID = strings.Repeat("9", MaxIDLen)
		res, err := Execute(tx, DefaultPolicy(), Command{Action: ActionPlace, Args: Args{Order: o}}, owner, t0)
		if err != nil {
			t.Fatalf("%s: %v", ch, err)
		}
		if err := res.Order.Validate(); err != nil {
			t.Errorf("%s: the number and invoice place made break the limits: %v", ch, err)
		}
	}
}

func TestPushedLinesStayWithinTheTotalLimit(t *testing.T) {
	tx := newMemTx()
	push := func(lineID string) error {
		in := Incoming{Channel: ChannelWooCommerce, ExternalID: "77", ChannelStatus: "processing", Order: &Order{
			Buyer: Buyer{Name: "Budi"}, Lines: []Line{{SKU: "SKU-" + lineID, Name: "Emas", Qty: 1, UnitPrice: MaxAmount - 10, ExternalID: lineID}}}}
		_, err := Ingest(tx, DefaultPolicy(), in, t0)
		return err
	}
	if err := push("1"); err != nil {
		t.Fatal(err)
	}
	refused(t, "a second line past the limit", push("2"), "total")
	o, err := tx.Order(ChannelOrderID(ChannelWooCommerce, "77"))
	if err != nil || len(o.Lines) != 1 || o.Validate() != nil {
		t.Fatalf("after the refused push: %v, %d lines, %v", err, len(o.Lines), o.Validate())
	}
}

// Plain is what a form field or a platform takes back: ParseMoney reads it
// exactly, and a discount written by Typed is the discount ParseDiscount reads.
func TestPlainAmountsReadBackExactly(t *testing.T) {
	for _, c := range []struct {
		cur  Currency
		m    Money
		want string
	}{
		{IDR, 125000, "125000"}, {IDR, -5000, "-5000"}, {IDR, 0, "0"},
		{SGD, 1250, "12.50"}, {SGD, 5, "0.05"}, {USD, -1, "-0.01"}, {MYR, 123456789, "1234567.89"},
		{IDR, MaxAmount, strconv.FormatInt(int64(MaxAmount), 10)},
	} {
		got := c.cur.Plain(c.m)
		if got != c.want {
			t.Errorf("%s.Plain(%d) = %q, want %q", c.cur, c.m, got, c.want)
		}
		if back, err := c.cur.ParseMoney(got); err != nil || back != c.m {
			t.Errorf("%s.ParseMoney(%q) = %d, %v; want %d", c.cur, got, back, err, c.m)
		}
	}
	for _, d := range []Discount{{PercentBP: 1000}, {PercentBP: 1250}, {Amount: 5000}, {}} {
		back, err := ParseDiscount(IDR, d.Typed(IDR))
		if err != nil || back != d {
			t.Errorf("discount %+v typed %q read back %+v, %v", d, d.Typed(IDR), back, err)
		}
	}
}
