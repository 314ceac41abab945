package command

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/kasir/pos/app"
)

// printJSON indents as `pos orders --json` does, so both print the same bytes.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printOrders writes a page of orders as a table.
func printOrders(w io.Writer, page app.Page, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMBER\tCHANNEL\tSTATUS\tBUYER\tITEMS\tTOTAL\tTRACKING\tDEADLINE")
	for _, o := range page.Orders {
		deadline := ""
		if o.Status == app.StatusNew && !o.AcceptBy.IsZero() {
			deadline = o.AcceptBy.Local().Format("2006-01-02 15:04")
			if o.Overdue(now) {
				deadline = "overdue"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", o.Number, o.Channel, o.Status, o.Buyer.Name, o.ItemCount(),
			o.Currency.Format(o.Total), o.Shipment.TrackingID, deadline)
	}
	tw.Flush()
	fmt.Fprintf(w, "%d of %d orders\n", len(page.Orders), page.Total)
}

// printOrder writes one order and its history.
func printOrder(w io.Writer, o *app.Order) {
	fmt.Fprintf(w, "%s  (%s, id %s)\n", o.Number, o.Channel.Label(), o.ID)
	fmt.Fprintf(w, "Status:   %s\n", o.Status.Label())
	fmt.Fprintf(w, "Buyer:    %s  %s\n", o.Buyer.Name, o.Buyer.Phone)
	for _, l := range o.Lines {
		fmt.Fprintf(w, "  %3d × %-30s %-10s %s\n", l.Qty, l.Name, l.SKU, o.Currency.Format(l.Amount()))
	}
	fmt.Fprintf(w, "Total:    %s\n", o.Currency.Format(o.Total))
	if o.Shipment.TrackingID != "" {
		fmt.Fprintf(w, "Tracking: %s %s\n", o.Shipment.Courier, o.Shipment.TrackingID)
	}
	fmt.Fprintln(w, "History:")
	for _, e := range o.History {
		fmt.Fprintf(w, "  %s  %-14s %s → %s  %s\n", e.At.Local().Format("2006-01-02 15:04"), e.Actor.Staff, e.From, e.To, e.Note)
	}
}
