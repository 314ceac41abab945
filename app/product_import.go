package app

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
)

// productColumns are the columns a product CSV may have; sku and name are required.
var productColumns = []string{"sku", "name", "barcode", "category", "price", "cost", "on_hand", "reorder_level", "weight_grams"}

// ParseProducts reads a product CSV (header row first, UTF-8, comma or
// semicolon separated) into validated products. Any bad row fails the whole
// file with its line number, so an import never half-happens.
func ParseProducts(r io.Reader, cur Currency) ([]*Product, error) {
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); len(bom) == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, Errorf(EInvalid, "The CSV file is empty")
	}
	if err != nil {
		return nil, Errorf(EInvalid, "CSV line %d: %s", 1, err)
	}
	if len(header) == 1 && strings.Contains(header[0], ";") {
		return nil, Errorf(EInvalid, "CSV line 1: use commas between columns (this file uses semicolons)")
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		known := false
		for _, c := range productColumns {
			if c == h {
				known = true
			}
		}
		if !known {
			return nil, Errorf(EInvalid, "CSV line 1: unknown column %q (columns are %s)", h, strings.Join(productColumns, ", "))
		}
		col[h] = i
	}
	for _, req := range []string{"sku", "name"} {
		if _, ok := col[req]; !ok {
			return nil, Errorf(EInvalid, "CSV line 1: the %q column is missing", req)
		}
	}
	var out []*Product
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// FieldPos panics on a record that failed to parse; the error knows its line.
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, Errorf(EInvalid, "CSV line %d: %s", line, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		p := &Product{SKU: get("sku"), Name: get("name"), Barcode: get("barcode"), Category: get("category"), Currency: cur}
		fail := func(column string, why Message) error {
			return Errorf(EInvalid, "CSV line %d, column %s: %s", line, column, why)
		}
		for _, m := range []struct {
			name string
			dst  *Money
		}{{"price", &p.Price}, {"cost", &p.Cost}} {
			if v := get(m.name); v != "" {
				amt, err := cur.ParseMoney(v)
				if err != nil {
					return nil, fail(m.name, MessageOf(err))
				}
				*m.dst = amt
			}
		}
		for _, n := range []struct {
			name string
			dst  *int
		}{{"on_hand", &p.OnHand}, {"reorder_level", &p.ReorderLevel}, {"weight_grams", &p.WeightGrams}} {
			if v := get(n.name); v != "" {
				i, err := strconv.Atoi(v)
				if err != nil {
					return nil, fail(n.name, Text("%q is not a whole number", v))
				}
				*n.dst = i
			}
		}
		if err := p.Validate(); err != nil {
			var ae *Error
			if errors.As(err, &ae) && ae.Field != "" && codeLike(string(ae.Field)) {
				// The field is the CSV column staff typed; name it as they wrote it.
				return nil, fail(string(ae.Field), ae.Msg)
			}
			return nil, Errorf(EInvalid, "CSV line %d: %s", line, err)
		}
		if len(out) >= MaxImportRows {
			return nil, Errorf(EInvalid, "CSV line %d: a file may carry at most %d products", line, MaxImportRows)
		}
		if prev, dup := seen[p.SKU]; dup {
			return nil, fail("sku", Text("%s is already on line %d", p.SKU, prev))
		}
		seen[p.SKU] = line
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, Errorf(EInvalid, "The CSV file has no product rows after the header")
	}
	return out, nil
}

// ImportProducts adds or updates products from a CSV, all in one local
// transaction, as import commands the cloud replays: the catalogue is the
// same wherever stock is allocated.
func (s *Service) ImportProducts(r io.Reader, actor Actor) (int, error) {
	ps, err := ParseProducts(r, s.CurrentPolicy().Currency)
	if err != nil {
		return 0, err
	}
	if err := Permit(actor.Role, ActionImportProducts); err != nil {
		return 0, err
	}
	pol, now := s.CurrentPolicy(), s.now()
	var results []*Result
	err = s.Store.Update(func(tx Tx) error {
		for start := 0; start < len(ps); start += maxImportBatch {
			cmd := Command{Action: ActionImportProducts, Args: Args{Products: ps[start:min(start+maxImportBatch, len(ps))]}}
			res, err := s.apply(tx, pol, cmd, actor, now)
			if err != nil {
				return err
			}
			results = append(results, res)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, res := range results {
		s.changed(res)
	}
	return len(ps), nil
}

// importProducts writes catalogue rows. Allocation is the shop's promises
// to accepted orders, so an import keeps it and sets only the rest.
func importProducts(tx Tx, ps []*Product) (*Result, error) {
	res := &Result{}
	for _, in := range ps {
		p := *in
		if old, err := tx.Product(p.SKU); err == nil {
			p.Allocated = old.Allocated
		} else if ErrorCode(err) != ENotFound {
			return nil, err
		}
		if err := tx.PutProduct(&p); err != nil {
			return nil, err
		}
		res.Products = append(res.Products, &p)
	}
	return res, nil
}
