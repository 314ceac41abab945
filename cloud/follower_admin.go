package cloud

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kasir/pos/app"
)

// retryRequest asks for parked changes to be tried again.
type retryRequest struct {
	Follower string `json:"follower"`
	Shop     string `json:"shop"`
	Seq      uint64 `json:"seq,omitempty"`
}

// retryReply says how many parked changes were released.
type retryReply struct {
	Released int `json:"released"`
}

// followerRoutes adds the followers' admin endpoints.
func (s *Server) followerRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /admin/followers", func(w http.ResponseWriter, _ *http.Request) {
		states, err := FollowerStates(s.store, s.FollowerNames())
		if err != nil {
			s.writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, states)
	})
	mux.HandleFunc("POST /admin/followers/retry", func(w http.ResponseWriter, r *http.Request) {
		var req retryRequest
		if err := decodeJSON(readSmall(r), &req); err != nil {
			s.writeError(w, err)
			return
		}
		if err := req.validate(); err != nil {
			s.writeError(w, err)
			return
		}
		n, err := s.RetryParked(req.Follower, req.Shop, req.Seq)
		if err != nil {
			s.writeError(w, err)
			return
		}
		s.log.Info("parked changes released", "follower", req.Follower, "shop", req.Shop, "seq", req.Seq, "released", n)
		writeJSON(w, http.StatusOK, retryReply{Released: n})
	})
}

func (r retryRequest) validate() error {
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
	req := retryRequest{Follower: follower, Shop: shop, Seq: seq}
	if err := req.validate(); err != nil {
		return 0, err
	}
	var out retryReply
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
