package cloud

import (
	"errors"
	"strings"
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
