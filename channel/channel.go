// Package channel is what every marketplace and web-store adapter stands on:
// the interface the cloud calls, the outbound call that retries as the
// platforms ask, and the signature checks. Adapters live in channel/<platform>.
package channel

import (
	"context"

	"github.com/kasir/pos/app"
)

// Decision is one step of one order, with what the platform needs to hear it.
type Decision struct {
	Step app.ChannelStep
	// Order is the order as the register keeps it after the step.
	Order *app.Order
	// Reason is the staff's reason, for a reject or cancel.
	Reason string
	// Retold is set when an earlier attempt of this same decision was
	// interrupted: the platform may have heard it, so a call the platform
	// would double must read back first.
	Retold bool
}

// Listing is one product listing at a platform, found by its SKU, or by
// its id when the owner linked a listing whose seller SKU is not the product's.
type Listing struct {
	SKU string
	// ID, when set, is the one listing to set, as the platform's listings
	// are read (channel.RemoteListing.ID); an adapter that cannot set a
	// listing by id finds it by SKU, the platform's seller SKU.
	ID string
	// Qty is the available stock (on hand − allocated) to show the buyers.
	Qty int
}

// Adapter is one platform as the cloud sees it. Fields are the shop's
// account for that platform, under the platform's own names (docs/accounts.md).
type Adapter interface {
	// Channel is the platform the adapter talks to.
	Channel() app.Channel
	// Verify reports whether a webhook body carries the platform's signature
	// made with secret; sig is the header the platform sends it in.
	Verify(secret, sig string, body []byte) bool
	// Hears reports whether the platform has a call for the step of this
	// order; nothing is recorded of a step it does not hear, so the history
	// never claims a call that was not made.
	Hears(s app.ChannelStep, o *app.Order) bool
	// Push makes the platform hear a decision. Steps the platform has no
	// call for return nil.
	Push(ctx context.Context, fields map[string]string, d Decision) error
	// Details fetches the platform's whole order as the platform answers it,
	// when a push named only its id.
	Details(ctx context.Context, fields map[string]string, externalID string) ([]byte, error)
	// Stock sets the available quantity of a SKU's listing at the platform.
	Stock(ctx context.Context, fields map[string]string, l Listing) error
}

// DetailParser is an adapter whose platform pushes only an id and a status
// for some orders: it reads the whole order Details fetched, and the
// platform's status code.
type DetailParser interface {
	ParseDetails(raw []byte) (*app.Order, string, error)
}
