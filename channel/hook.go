package channel

import (
	"context"
	"net/http"
	"time"

	"github.com/kasir/pos/app"
)

// Inbound is what one webhook delivery asks of a shop, verified and parsed.
type Inbound struct {
	// Orders are the pushes for app.Ingest, in the order the platform made them.
	Orders []app.Incoming
	// Delivery names the delivery for dedupe; empty means the body's hash.
	Delivery string
	// Ignore, when set, is why the delivery is acknowledged without writing.
	Ignore string
}

// Hook reads one platform's webhook deliveries. The cloud reads the body
// under its limits, verifies, then parses; nothing is parsed unverified.
type Hook interface {
	// Verify reports whether the delivery carries the platform's signature,
	// made with the keys of the account fields (docs/accounts.md), compared
	// in constant time.
	Verify(fields map[string]string, r *http.Request, body []byte) bool
	// Parse reads the delivery; a body that breaks app's rules is an
	// app.FieldError naming the platform's field.
	Parse(r *http.Request, body []byte) (*Inbound, error)
}

// Router is a platform that pushes every shop of one partner app to one
// URL (/v1/channels/{platform}/push): the cloud finds the account whose
// ShopField equals the shop id that PushShop reads from the body.
type Router interface {
	// ShopField is the account field holding the platform's shop id
	// ("shop_id", "seller_id").
	ShopField() string
	// PushShop reads the platform's shop id out of a push body, before it is
	// verified; the id only chooses whose keys verify it.
	PushShop(r *http.Request, body []byte) (string, error)
}

// Tokens is what an authorization or a refresh gives back. The cloud keeps
// them in the account, encrypted, under the field names of docs/accounts.md.
type Tokens struct {
	Access, Refresh string
	// AccessExpires and RefreshExpires are zero when the platform gives none.
	AccessExpires, RefreshExpires time.Time
	// Fields are other account fields the platform names in its answer
	// (TikTok's shop_cipher, Lazada's seller_id).
	Fields map[string]string
}

// Authorizer is a platform whose seller grants access by OAuth: the owner
// is sent to AuthorizeURL, the platform redirects to the cloud's
// /v1/oauth/{platform}/callback (or the owner pastes the code), and the
// cloud exchanges the code and refreshes the tokens before they expire.
type Authorizer interface {
	AuthorizeURL(fields map[string]string, redirect, state string) (string, error)
	// Exchange trades the code for tokens; query is the whole redirect query,
	// since some platforms name the shop there (Shopee's shop_id).
	Exchange(ctx context.Context, fields map[string]string, code string, query map[string]string) (Tokens, error)
	Refresh(ctx context.Context, fields map[string]string) (Tokens, error)
}

// Lister is a platform whose orders can be listed by update time, for
// reconciliation: pushes get lost, so the cloud asks what changed.
type Lister interface {
	// Updated returns the platform's ids of the orders updated in [from, to).
	Updated(ctx context.Context, fields map[string]string, from, to time.Time) ([]string, error)
}

// Waybill is a platform that issues its own airway bill for an order,
// which the label printer must print in place of the shop's label.
type Waybill interface {
	// AirwayBill returns the bill as the platform serves it (PDF or an image)
	// and its media type.
	AirwayBill(ctx context.Context, fields map[string]string, o *app.Order) (doc []byte, mediaType string, err error)
}

// RemoteListing is one product listing at a platform.
type RemoteListing struct {
	// ID is the platform's listing (or model/variant) id.
	ID string
	// SKU is the seller SKU; empty or unknown to the catalogue means "Not in POS".
	SKU   string
	Name  string
	Price app.Money
	Qty   int
	// URL is the listing's page at the platform, when it has one.
	URL string
}

// Catalogue is a platform whose listings can be read, so the shop sees the
// listings that are not in its catalogue and can link or import them.
type Catalogue interface {
	Listings(ctx context.Context, fields map[string]string) ([]RemoteListing, error)
}

// Acker is a Hook whose platform expects its own answer to a delivery the
// cloud took (Shopee: HTTP 200 with an empty body). Hooks without it get
// the cloud's JSON reply (docs/webhooks.md).
type Acker interface {
	// Ack is the body of the 200 answer, sent with contentType; an empty
	// body is sent as no body at all.
	Ack() (contentType string, body []byte)
}

// Pinger is a hook whose platform checks a new webhook URL with an
// unsigned ping that carries nothing to apply (WooCommerce's, when the
// webhook is saved): the cloud answers it without writing anything.
type Pinger interface {
	// Ping reports whether an unverified delivery is such a ping.
	Ping(r *http.Request, body []byte) bool
}

// StatusPusher is a hook whose pushes carry only an order id and a status,
// never a whole order, so the cloud reads at most 64 KiB of them.
type StatusPusher interface {
	// StatusOnly is true for such a platform.
	StatusOnly() bool
}

// Checker is an adapter that can try an account's credentials with one
// harmless call (a token or shop-info call), so `account set` and Settings
// refuse a wrong credential when it is set rather than at the first order.
type Checker interface {
	// Check returns nil when the platform accepts the fields, an
	// app.FieldError naming the field it refused, or *Unavailable when it
	// did not answer. Fields it cannot try yet (tokens not granted) pass.
	Check(ctx context.Context, fields map[string]string) error
}

// Renewer is an adapter that renews a shop's tokens itself when the
// platform answers that the access token expired in the middle of a call.
// The cloud hears each renewed pair and keeps it in the account: a
// platform whose refresh token is used once (Shopee) has made the stored
// one worthless.
type Renewer interface {
	OnRenew(keep func(fields map[string]string, t Tokens))
}

// Refetcher is an adapter whose platform's status pushes never carry what a
// status brings (TikTok Shop gives the courier and tracking number with the
// package once it is arranged): after a push into such a status the cloud
// fetches the order's details again, while the order has no tracking ID.
type Refetcher interface {
	// Refetch reports whether the platform's status code brings details.
	Refetch(code string) bool
}
