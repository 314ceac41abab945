package command

import (
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// printAccounts writes masked accounts, one field a line.
func printAccounts(w io.Writer, list []cloud.MaskedAccount) {
	if len(list) == 0 {
		fmt.Fprintln(w, "no accounts")
		return
	}
	for _, acc := range list {
		name := string(acc.Kind)
		if acc.Store != "" {
			name += " " + acc.Store
		}
		fmt.Fprintf(w, "%s (updated %s)\n", name, acc.UpdatedAt.Local().Format(time.DateTime))
		names := make([]string, 0, len(acc.Fields))
		for n := range acc.Fields {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(w, "  %-20s %s\n", n, acc.Fields[n])
		}
		if acc.Status.Connection != app.ConnNone && acc.Status.Connection != app.ConnError {
			fmt.Fprintf(w, "  %-20s %s\n", "state", acc.Status.Text())
		}
		if acc.LastError != "" {
			fmt.Fprintf(w, "  %-20s %s\n", "last error", acc.LastError)
		}
	}
}

// printSync writes a reconciliation's outcome.
func printSync(w io.Writer, r *cloud.SyncReport) {
	fmt.Fprintf(w, "%s of %s, %s to %s: %d listed, %d created, %d moved on, %d already in step\n", r.Kind, r.Shop,
		r.From.Local().Format(time.DateTime), r.To.Local().Format(time.DateTime), r.Listed, r.Created, r.Updated, r.Unchanged)
	for _, f := range r.Failed {
		fmt.Fprintf(w, "  not synced: %s\n", f)
	}
}
