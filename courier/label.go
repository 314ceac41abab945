package courier

import "context"

// Label is a provider's own label for one of its orders, as it serves it.
type Label struct {
	Doc []byte
	// MediaType is the document's type ("text/html; charset=utf-8").
	MediaType string
	// URL is where the label was served, so an HTML label's relative links
	// (its barcode images) resolve against it, and only there.
	URL string
}

// Labeler is a provider whose own label is mandatory on the parcel
// (Shipper's "Get Shipping Label"), which the label printer prints in place
// of the shop's label, like a marketplace's channel.Waybill.
type Labeler interface {
	// Label fetches the label of the provider's order orderID. Errors are
	// *Error: refused in the provider's words, or Unreachable.
	Label(ctx context.Context, orderID string) (*Label, error)
}
