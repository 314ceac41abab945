package app

import (
	"context"
	"strings"
)

// Outcome is what a bulk action did to one order.
type Outcome struct {
	OrderID string `json:"order_id"`
	Number  string `json:"number,omitempty"`
	Done    bool   `json:"done"`
	Code    string `json:"code,omitempty"`
	Error   string `json:"error,omitempty"`
	// Why is Error as a message, so staff read it in their language.
	Why    Message `json:"why,omitzero"`
	Result *Result `json:"-"`
}

// bulkChunk is how many orders share one transaction: few enough that
// progress is reported as it goes, many enough that fsync is amortised.
const bulkChunk = 25

// Bulk applies the same command to each order, each with its own outcome:
// one bad order never blocks the others. A selection over the shop's limit
// is refused before any order is touched. progress is called after each order.
func (s *Service) Bulk(ctx context.Context, ids []string, tmpl Command, actor Actor, progress func(done, total int, o Outcome)) ([]Outcome, error) {
	pol := s.CurrentPolicy()
	if len(ids) == 0 {
		return nil, Errorf(EInvalid, "Select at least one order")
	}
	if len(ids) > pol.bulkLimit() {
		return nil, Errorf(EInvalid, "%d orders selected; a bulk action takes at most %d", len(ids), pol.bulkLimit())
	}
	if tmpl.Action == ActionPlace {
		return nil, Errorf(EInvalid, "Orders cannot be placed in bulk")
	}
	if err := Permit(actor.Role, tmpl.Action); err != nil {
		return nil, err
	}
	out := make([]Outcome, len(ids))
	seen := map[string]bool{}
	for start := 0; start < len(ids); start += bulkChunk {
		if err := ctx.Err(); err != nil {
			return out[:start], err
		}
		end := min(start+bulkChunk, len(ids))
		now := s.now()
		chunk := make([]Outcome, end-start)
		err := s.Store.Update(func(tx Tx) error {
			// Update may run fn again, so the ids seen in this chunk start afresh each time.
			inChunk := map[string]bool{}
			for i := range chunk {
				id := strings.TrimSpace(ids[start+i])
				chunk[i] = Outcome{OrderID: id}
				if seen[id] || inChunk[id] {
					twice := Errorf(EInvalid, "Order %s is selected more than once", id)
					chunk[i].Code, chunk[i].Error, chunk[i].Why = ErrorCode(twice), ErrorMessage(twice), twice.Text()
					continue
				}
				inChunk[id] = true
				cmd := tmpl
				cmd.OrderID = id
				res, err := s.apply(tx, pol, cmd, actor, now)
				if err != nil {
					if ErrorCode(err) == EInternal {
						return err
					}
					chunk[i].Code, chunk[i].Error, chunk[i].Why = ErrorCode(err), ErrorMessage(err), MessageOf(err)
					if o, e := tx.Order(id); e == nil {
						chunk[i].Number = o.Number
					}
					continue
				}
				chunk[i].Done, chunk[i].Result, chunk[i].Number = true, res, res.Order.Number
			}
			return nil
		})
		if err != nil {
			return out[:start], err
		}
		for i, o := range chunk {
			seen[o.OrderID] = true
			out[start+i] = o
			if o.Done {
				s.changed(o.Result)
			}
			if progress != nil {
				progress(start+i+1, len(ids), o)
			}
		}
	}
	return out, nil
}
