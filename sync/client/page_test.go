package client

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/kasir/pos/app"
)

// splitPage must read exactly what the general decoder reads, or give up.
func FuzzSplitPage(f *testing.F) {
	for _, s := range []string{
		`{"type":"changes","from":1,"to":2,"head":2,"items":[{"seq":1,"order":{"id":"a","number":"1","lines":[{"sku":"x"}]},"events":[{"version":1,"note":"}\"]"}],"at":"2026-11-20T07:30:00Z"},{"seq":2,"order":null,"products":[{"sku":"s","name":"{["}]}]}`,
		`{"type":"changes","from":1,"to":1,"head":1,"items":[]}`,
		`{"type":"changes", "from" : 1 , "to":1,"head":1,"items":[ {"seq":1 , "order" : {"id":"a\"b"} } ]}`,
		`{"type":"changes","from":1,"to":1,"head":1,"items":[{"seq":1,"order":{"id":"a"},"order":{"id":"b"}}]}`,
		`{"type":"changes","from":-1,"to":1,"head":1,"items":[{"seq":"1"}]}`,
		`{"items":[{"seq":1,"order":{]}]}`,
		`{"from":1,"items":[1,2]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := splitPage(data)
		if !ok {
			return
		}
		var want wirePage
		if err := json.Unmarshal(data, &want); err != nil {
			// The order of a change may be malformed: it is decoded (and
			// refused) later, on its own. Everything else must have read.
			return
		}
		if got.From != want.From || got.To != want.To || got.Head != want.Head || len(got.Items) != len(want.Items) {
			t.Fatalf("frame %d..%d/%d %d items, decoder %d..%d/%d %d items", got.From, got.To, got.Head, len(got.Items), want.From, want.To, want.Head, len(want.Items))
		}
		for i := range got.Items {
			g, w := got.Items[i], want.Items[i]
			if string(g.Order) != string(w.Order) {
				t.Fatalf("item %d order %q, decoder %q", i, g.Order, w.Order)
			}
			for k, raw := range g.eventsJSON {
				var e app.Event
				if err := json.Unmarshal(raw, &e); err != nil || !reflect.DeepEqual(e, w.Events[k]) {
					t.Fatalf("item %d event %d as sent %q reads %+v (%v), decoder %+v", i, k, raw, e, err, w.Events[k])
				}
			}
			g.Order, w.Order, g.eventsJSON = nil, nil, nil
			if !reflect.DeepEqual(g, w) {
				t.Fatalf("item %d: %+v, decoder %+v", i, g, w)
			}
		}
	})
}
