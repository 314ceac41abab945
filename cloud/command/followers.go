package command

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/kasir/pos/cloud"
)

// printFollowers writes the followers' places as a table, with each pending change.
func printFollowers(w io.Writer, states []cloud.FollowerState) {
	if len(states) == 0 {
		fmt.Fprintln(w, "no followers")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FOLLOWER\tSHOP\tCURSOR\tHEAD\tLAG\tRETRYING\tPARKED")
	for _, st := range states {
		retrying, parked := 0, 0
		for _, p := range st.Pending {
			if p.Parked {
				parked++
			} else {
				retrying++
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\n", st.Follower, st.Shop, st.Cursor, st.Head, st.Lag, retrying, parked)
	}
	tw.Flush()
	for _, st := range states {
		for _, p := range st.Pending {
			state := "retrying, next " + p.NextAt.Local().Format(time.DateTime)
			if p.Parked {
				state = "parked"
			} else if p.Attempts == 0 {
				state = "waiting behind an earlier change of its order"
			}
			fmt.Fprintf(w, "%s %s seq %d order %s: %s after %d attempts", st.Follower, st.Shop, p.Seq, p.Order, state, p.Attempts)
			if p.Error != "" {
				fmt.Fprintf(w, ": %s", p.Error)
			}
			fmt.Fprintln(w)
		}
	}
}
