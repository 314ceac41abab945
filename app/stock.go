package app

import (
	"errors"
	"sort"
)

// stock is the products one command touches, loaded once and written back
// together at the end, so a failing rule leaves them untouched.
type stock struct {
	tx       Tx
	products map[string]*Product
	touched  map[string]bool
	notes    []Message
}

func newStock(tx Tx) *stock {
	return &stock{tx: tx, products: map[string]*Product{}, touched: map[string]bool{}}
}

// product returns a working copy, or nil when the SKU is not in the product list.
func (s *stock) product(sku string) (*Product, error) {
	if p, ok := s.products[sku]; ok {
		return p, nil
	}
	p, err := s.tx.Product(sku)
	if err != nil {
		if ErrorCode(err) == ENotFound {
			s.products[sku] = nil
			return nil, nil
		}
		return nil, err
	}
	cp := *p
	s.products[sku] = &cp
	return &cp, nil
}

// linkedQty sums the linked quantity per SKU; a cancelled line holds none.
func linkedQty(o *Order) map[string]int {
	q := map[string]int{}
	for _, l := range o.Lines {
		if l.Linked && !l.Cancelled {
			q[l.SKU] += l.Qty
		}
	}
	return q
}

func sortedSKUs(q map[string]int) []string {
	skus := make([]string, 0, len(q))
	for sku := range q {
		skus = append(skus, sku)
	}
	sort.Strings(skus)
	return skus
}

// allocate promises the order's linked lines. Short stock fails with a
// StockError naming every short SKU, unless force is set.
func (s *stock) allocate(o *Order, force bool) error {
	q := linkedQty(o)
	var short []Shortage
	for _, sku := range sortedSKUs(q) {
		p, err := s.product(sku)
		if err != nil {
			return err
		}
		if p == nil {
			continue
		}
		if avail := p.Available(); avail < q[sku] {
			short = append(short, Shortage{SKU: sku, Wanted: q[sku], Available: max(avail, 0)})
		}
	}
	if len(short) > 0 && !force {
		return &StockError{OrderID: o.ID, Shortages: short}
	}
	if len(short) > 0 {
		s.notes = append(s.notes, Text("%s (accepted anyway)", (&StockError{Shortages: short}).Text()))
	}
	for _, sku := range sortedSKUs(q) {
		if p, _ := s.product(sku); p != nil {
			p.Allocated += q[sku]
			s.touched[sku] = true
		}
	}
	return nil
}

// eachLinked runs move on the working copy of every product the order's
// linked lines name, with the order's quantity of it; SKUs no longer in the
// product list are skipped (their lines moved no stock on the way in either).
func (s *stock) eachLinked(o *Order, move func(p *Product, qty int)) error {
	q := linkedQty(o)
	for _, sku := range sortedSKUs(q) {
		p, err := s.product(sku)
		if err != nil {
			return err
		}
		if p == nil {
			continue
		}
		move(p, q[sku])
		s.touched[sku] = true
	}
	return nil
}

// release gives back what allocate promised.
func (s *stock) release(o *Order) error {
	return s.eachLinked(o, func(p *Product, qty int) { p.Allocated = max(p.Allocated-qty, 0) })
}

// deduct takes the goods off the shelf. A shelf that holds less than the
// order is emptied and the gap noted: a parcel that left cannot be unsent.
func (s *stock) deduct(o *Order) error {
	return s.eachLinked(o, func(p *Product, qty int) {
		if p.OnHand < qty {
			s.notes = append(s.notes, Text("Stock of %s was short by %d; set to 0", p.SKU, qty-p.OnHand))
			p.OnHand = 0
			return
		}
		p.OnHand -= qty
	})
}

// restock puts returned goods back on the shelf.
func (s *stock) restock(o *Order) error {
	return s.eachLinked(o, func(p *Product, qty int) { p.OnHand += qty })
}

func (s *stock) changed() []*Product {
	var out []*Product
	for _, sku := range sortedSKUs(boolKeys(s.touched)) {
		out = append(out, s.products[sku])
	}
	return out
}

func boolKeys(m map[string]bool) map[string]int {
	out := make(map[string]int, len(m))
	for k := range m {
		out[k] = 1
	}
	return out
}

// shipped reports whether an order in this status has left the shelf.
func shipped(s Status) bool {
	return s == StatusInDelivery || s == StatusDelivered || s == StatusCompleted || s == StatusComplained ||
		s == StatusReturned || s == StatusRefunded
}

var errNoTx = errors.New("no transaction")
