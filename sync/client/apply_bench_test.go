package client

import (
	"encoding/json"
	"fmt"
	"github.com/kasir/pos/sync/wire"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/store"
)

// BenchmarkApplyPage measures the terminal's side of catch-up alone, with
// no network and no cloud on the same cores: decode a page of 1,000
// changes (100 orders, each placed then noted nine times) and apply it in
// one transaction.
func BenchmarkApplyPage(b *testing.B) {
	const perPage, pages = 1000, 10
	msgs := make([][]byte, pages)
	at := time.Now().UTC()
	for p := range msgs {
		items := make([]json.RawMessage, perPage)
		for i := range items {
			seq := uint64(p*perPage + i + 1)
			n := (p*perPage+i)/10 + 1
			o := &app.Order{ID: fmt.Sprintf("tokopedia:%d", n), Channel: app.ChannelTokopedia, ExternalID: fmt.Sprint(n), Number: fmt.Sprintf("TOK-%d", n),
				Status: app.StatusNew, Version: int64(i%10 + 1), CreatedAt: at, UpdatedAt: at, Currency: app.IDR,
				Buyer: app.Buyer{Name: "Dewi Lestari", Phone: "0812"}, Lines: []app.Line{{SKU: "SKU-001", Name: "Kaos", Qty: 1, UnitPrice: 75000, ExternalID: "1"}}}
			ch := wire.Change{Seq: seq, Order: o, Events: []app.Event{{Version: o.Version, At: at, Action: app.ActionAddNote, Note: "catatan", Actor: app.Actor{Staff: "owner", Role: app.RoleOwner}}}, At: at}
			items[i], _ = json.Marshal(ch)
		}
		msgs[p], _ = json.Marshal(map[string]any{"type": wire.TypeChanges, "from": p*perPage + 1, "to": (p + 1) * perPage, "head": pages * perPage, "items": items})
	}
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := store.Open(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		cursor := uint64(0)
		for _, m := range msgs {
			wp, raws, bad, err := decodePage(m, cursor)
			if err != nil {
				b.Fatal(err)
			}
			page, _, _ := buildPage(wp, raws, bad, cursor)
			if q, err := db.ApplyPage(page); err != nil || len(q) > 0 {
				b.Fatal(q, err)
			}
			cursor = wp.To
		}
		total += time.Since(start)
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(perPage*pages*b.N)/total.Seconds(), "changes/s")
}
