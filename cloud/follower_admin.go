package cloud

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kasir/pos/app"
)

// RetryRequest asks for parked changes to be tried again (POST /admin/followers/retry).
type RetryRequest struct {
	Follower string `json:"follower"`
	Shop     string `json:"shop"`
	Seq      uint64 `json:"seq,omitempty"`
}

// RetryReply says how many parked changes were released.
type RetryReply struct {
	Released int `json:"released"`
}

// Validate names a missing follower or shop.
func (r RetryRequest) Validate() error {
	if strings.TrimSpace(r.Follower) == "" {
		return app.FieldError("follower", "is required")
	}
	if strings.TrimSpace(r.Shop) == "" {
		return app.FieldError("shop", "is required")
	}
	return nil
}

// Followers reads every follower's place: from the running server, which
// also names followers with nothing pending, else from the store.
func (a Admin) Followers() ([]FollowerState, error) {
	var out []FollowerState
	err := a.call("/admin/followers", struct{}{}, &out)
	if errors.Is(err, errNoServer) {
		err = a.direct(func(b Backend) error {
			var err error
			out, err = FollowerStates(b, nil)
			return err
		})
	}
	return out, err
}

// RetryParked releases a follower's parked changes of a shop (all when seq is 0).
func (a Admin) RetryParked(follower, shop string, seq uint64) (int, error) {
	req := RetryRequest{Follower: follower, Shop: shop, Seq: seq}
	if err := req.Validate(); err != nil {
		return 0, err
	}
	var out RetryReply
	err := a.call("/admin/followers/retry", req, &out)
	if errors.Is(err, errNoServer) {
		err = a.direct(func(b Backend) error {
			if _, err := b.Shop(shop); err != nil {
				return err
			}
			var err error
			out.Released, err = RetryParked(b, follower, shop, seq, time.Now())
			return err
		})
	}
	return out.Released, err
}

// printFollowers writes the followers' places as a table, with each pending change.
func printFollowers(w io.Writer, states []FollowerState) {
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
