package app

import "testing"

func TestBuyerCancelFromAChannelAlertsInWords(t *testing.T) {
	tx := newMemTx()
	seedProducts(t, tx)
	o := mustPlace(t, tx, sampleOrder(ChannelTokopedia))
	if !BuyerCancelAlert(o).IsZero() {
		t.Fatal("a new order alerts")
	}
	p := mustPlace(t, tx, sampleOrder(ChannelShopee))
	p = run(t, tx, p.ID, ActionRequestCancel, Args{Reason: "salah ukuran"}, t0)
	if got := BuyerCancelAlert(p).In(Indonesian); got != "Pembeli minta batal pesanan "+p.Number+" di Shopee: setujui atau tolak" {
		t.Fatalf("request alert: %q", got)
	}
	q := mustPlace(t, tx, sampleOrder(ChannelTokopedia))
	q = run(t, tx, q.ID, ActionChannelUpdate, Args{ChannelStatus: "15"}, t0)
	if got := BuyerCancelAlert(q).String(); got != "The buyer cancelled order "+q.Number+" on Tokopedia: do not ship it" {
		t.Fatalf("cancel alert: %q (status %s, reason %s)", got, q.Status, q.CancelReason)
	}
}
