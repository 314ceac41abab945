package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kasir/pos/app"
)

// orderJSON is the stable shape scripts read (docs/cli.md); app owns it so
// `pos-cloud orders` prints the same.
type orderJSON = app.OrderView

func toOrderJSON(o *app.Order) orderJSON { return app.NewOrderView(o) }

func toHistoryJSON(evs []app.Event) []app.HistoryView { return app.NewHistoryView(evs) }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// countdown says how long a New order has before it is auto-rejected.
func countdown(o *app.Order, now time.Time) string {
	if o.Status != app.StatusNew || o.AcceptBy.IsZero() {
		return ""
	}
	if o.Overdue(now) {
		return "overdue"
	}
	d := o.AcceptBy.Sub(now)
	return fmt.Sprintf("%dh%02dm left", int(d.Hours()), int(d.Minutes())%60)
}

func printOrderTable(w io.Writer, page app.Page, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMBER\tCHANNEL\tSTATUS\tBUYER\tITEMS\tTOTAL\tCOURIER\tTRACKING\tLABEL\tDEADLINE")
	for _, o := range page.Orders {
		label := ""
		if o.Shipment.TrackingID != "" {
			label = "no"
			if o.LabelPrinted() {
				label = "printed"
			}
		}
		buyer, total := truncate(o.Buyer.Name, 24), o.Currency.Format(o.Total)
		if o.DetailsPending && buyer == "" {
			buyer = "(details pending)"
		}
		if o.DetailsPending && o.Total == 0 {
			total = "—"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", o.Number, o.Channel, o.Status, buyer,
			o.ItemCount(), total, app.CourierName(o.Shipment.Courier), o.Shipment.TrackingID, label, countdown(o, now))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d of %d orders\n", len(page.Orders), page.Total)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func printOrderDetail(w io.Writer, o *app.Order, lang app.Lang) {
	cur := o.Currency
	fmt.Fprintf(w, "%s  (%s, id %s)\n", o.Number, app.Text("%s", o.Channel).In(lang), o.ID)
	fmt.Fprintf(w, "Status:   %s", app.Text("%s", o.Status).In(lang))
	if o.ChannelStatus != "" {
		fmt.Fprintf(w, "  (channel: %s)", o.ChannelStatus)
	}
	fmt.Fprintln(w)
	if c := countdown(o, time.Now()); c != "" {
		fmt.Fprintf(w, "Deadline: %s (%s)\n", o.AcceptBy.Local().Format("2006-01-02 15:04"), c)
	}
	if o.DetailsPending {
		fmt.Fprintln(w, "Details:  pending from the channel")
	}
	fmt.Fprintf(w, "Buyer:    %s  %s  %s\n", o.Buyer.Name, o.Buyer.Phone, o.Buyer.Email)
	if a := o.Buyer.Address.String(); a != "" {
		fmt.Fprintf(w, "Ship to:  %s\n", a)
	}
	fmt.Fprintln(w, "Items:")
	for _, l := range o.Lines {
		flag := ""
		if !l.Linked {
			flag = "  [unlinked: moves no stock]"
		}
		fmt.Fprintf(w, "  %3d × %-30s %-10s %14s%s\n", l.Qty, truncate(l.Name, 30), l.SKU, cur.Format(l.Amount()), flag)
	}
	fmt.Fprintf(w, "Shipping %s  Discount %s  Tax %s  Total %s\n", cur.Format(o.ShippingFee), cur.Format(o.Discount), cur.Format(o.Tax), cur.Format(o.Total))
	fmt.Fprintf(w, "Payment:  %s, %s", o.PaymentMethod.Label(), o.PaymentStatus)
	if o.Invoice.Status != app.InvoiceNone {
		fmt.Fprintf(w, "; invoice %s %s", o.Invoice.Number, o.Invoice.Status)
	}
	fmt.Fprintln(w)
	if r := o.PaymentReceipt; r != nil {
		fmt.Fprintf(w, "Receipt:  %s", r.ImageURL)
		if r.Message != "" {
			fmt.Fprintf(w, " (denied: %s)", r.Message)
		}
		fmt.Fprintln(w)
	}
	if s := o.Shipment; s.Method != "" {
		fmt.Fprintf(w, "Shipment: %s, %s", s.Method, strings.ReplaceAll(string(s.State), "_", " "))
		if s.Courier != "" {
			fmt.Fprintf(w, ", %s %s", app.CourierName(s.Courier), s.Service)
		}
		if s.TrackingID != "" {
			fmt.Fprintf(w, ", tracking %s", s.TrackingID)
		}
		fmt.Fprintln(w)
		if n := app.BookingNotice(s); !n.IsZero() {
			fmt.Fprintf(w, "Booking:  %s\n", n.In(lang))
		}
	}
	for i, p := range o.Parcels {
		state := "not packed"
		if p.Packed {
			state = "packed by " + p.PackedBy
		}
		fmt.Fprintf(w, "Parcel %d of %d (%s, %d g):", i+1, len(o.Parcels), state, p.WeightGrams)
		for _, it := range p.Items {
			fmt.Fprintf(w, " %d × %s", it.Qty, it.SKU)
		}
		fmt.Fprintln(w)
	}
	if o.CancelRequest != nil {
		fmt.Fprintf(w, "Cancel request: %s\n", o.CancelRequest.Reason)
	}
	if o.Status == app.StatusCancelled {
		fmt.Fprintf(w, "Cancelled: %s %s\n", o.CancelReason, o.CancelNote)
	}
	fmt.Fprintf(w, "Printed:  label %d×, receipt %d×, slip %d×\n", o.Prints.LabelCount, o.Prints.ReceiptCount, o.Prints.SlipCount)
	fmt.Fprintln(w, "History:")
	printHistory(w, o.History, lang)
}

func printHistory(w io.Writer, evs []app.Event, lang app.Lang) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, e := range evs {
		move := string(e.To)
		if e.From != e.To {
			move = string(e.From) + " → " + string(e.To)
			if e.From == "" {
				move = "→ " + string(e.To)
			}
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", e.At.Local().Format("2006-01-02 15:04"), e.Actor, e.Action, move, e.NoteIn(lang))
	}
	tw.Flush()
}

type outcomeOut struct {
	Order  string `json:"order"`
	ID     string `json:"id"`
	Number string `json:"number,omitempty"`
	Done   bool   `json:"done"`
	Status string `json:"status,omitempty"`
	Code   string `json:"code,omitempty"`
	Error  string `json:"error,omitempty"`
}

func outcomeJSON(o app.Outcome, asked string) outcomeOut {
	out := outcomeOut{Order: asked, ID: o.OrderID, Number: o.Number, Done: o.Done, Code: o.Code, Error: o.Error}
	if o.Result != nil {
		out.Status = string(o.Result.Order.Status)
	}
	return out
}

func printOutcome(w io.Writer, o app.Outcome, asked string, lang app.Lang) {
	name := o.Number
	if name == "" {
		name = asked
	}
	if !o.Done {
		why := o.Error
		if !o.Why.IsZero() {
			why = o.Why.In(lang)
		}
		fmt.Fprintf(w, "FAILED  %s: %s\n", name, why)
		return
	}
	ev := o.Result.Events[len(o.Result.Events)-1]
	line := fmt.Sprintf("ok      %s: %s → %s", name, app.Text("%s", ev.Action).In(lang), app.Text("%s", o.Result.Order.Status).In(lang))
	if note := ev.NoteIn(lang); note != "" {
		line += " (" + note + ")"
	}
	fmt.Fprintln(w, line)
}
