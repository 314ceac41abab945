package app

import (
	"encoding/json"
	"sort"
	"testing"
	"time"
)

// memTx is an in-memory Tx for rule tests. It stores JSON copies, so a rule
// that mutates what it read without Put is caught.
type memTx struct {
	orders   map[string][]byte
	products map[string][]byte
	history  map[string][]Event
}

func newMemTx() *memTx {
	return &memTx{orders: map[string][]byte{}, products: map[string][]byte{}, history: map[string][]Event{}}
}

func (m *memTx) Order(id string) (*Order, error) {
	b, ok := m.orders[id]
	if !ok {
		return nil, Errorf(ENotFound, "order %s not found", id)
	}
	var o Order
	return &o, json.Unmarshal(b, &o)
}

func (m *memTx) OrderByExternalID(ch Channel, ext string) (*Order, error) {
	for _, b := range m.orders {
		var o Order
		if err := json.Unmarshal(b, &o); err != nil {
			return nil, err
		}
		if o.Channel == ch && o.ExternalID == ext {
			return &o, nil
		}
	}
	return nil, Errorf(ENotFound, "not found")
}

func (m *memTx) PutOrder(o *Order) error {
	b, err := json.Marshal(o)
	m.orders[o.ID] = b
	return err
}

func (m *memTx) Product(sku string) (*Product, error) {
	b, ok := m.products[sku]
	if !ok {
		return nil, Errorf(ENotFound, "product %s not found", sku)
	}
	var p Product
	return &p, json.Unmarshal(b, &p)
}

func (m *memTx) PutProduct(p *Product) error {
	b, err := json.Marshal(p)
	m.products[p.SKU] = b
	return err
}

func (m *memTx) AppendEvent(id string, e Event) error {
	m.history[id] = append(m.history[id], e)
	return nil
}

// clone copies the whole state, so a test can check that a failed command changed nothing.
func (m *memTx) snapshot() string {
	keys := func(mm map[string][]byte) []string {
		var k []string
		for x := range mm {
			k = append(k, x)
		}
		sort.Strings(k)
		return k
	}
	s := ""
	for _, k := range keys(m.orders) {
		s += string(m.orders[k])
	}
	for _, k := range keys(m.products) {
		s += string(m.products[k])
	}
	n := 0
	for _, h := range m.history {
		n += len(h)
	}
	return s + itoa(n)
}

var (
	t0    = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	owner = Actor{Staff: "Ayu", Role: RoleOwner, Terminal: "T1"}
)

func seedProducts(t *testing.T, tx *memTx) {
	t.Helper()
	for _, p := range []*Product{
		{SKU: "SKU-1", Name: "Kopi Gayo 250g", Currency: IDR, Price: 85000, Cost: 50000, OnHand: 10},
		{SKU: "SKU-2", Name: "Teh Tarik", Currency: IDR, Price: 25000, Cost: 10000, OnHand: 3},
	} {
		if err := tx.PutProduct(p); err != nil {
			t.Fatal(err)
		}
	}
}

func mustPlace(t *testing.T, tx *memTx, o *Order) *Order {
	t.Helper()
	res, err := Execute(tx, DefaultPolicy(), Command{Action: ActionPlace, Args: Args{Order: o}}, owner, t0)
	if err != nil {
		t.Fatalf("place: %v", err)
	}
	return res.Order
}

func sampleOrder(ch Channel) *Order {
	return &Order{Channel: ch, Currency: IDR, Buyer: Buyer{Name: "Budi Santoso", Phone: "0812345678",
		Address: Address{Street: "Jl. Merdeka 1", City: "Bandung"}},
		Lines:         []Line{{SKU: "SKU-1", Name: "Kopi Gayo 250g", Qty: 2, UnitPrice: 85000}, {SKU: "X-404", Name: "Mystery", Qty: 1, UnitPrice: 1000}},
		PaymentMethod: PayMarketplace}
}

func stockOf(t *testing.T, tx *memTx, sku string) *Product {
	t.Helper()
	p, err := tx.Product(sku)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
