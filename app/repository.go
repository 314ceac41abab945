package app

import "time"

// Tx is one atomic unit of work over a shop's orders, stock and history.
// Execute reads through it, decides, and only then writes, so an error
// leaves nothing half-written; the implementation commits or rolls back.
type Tx interface {
	// Order returns the order or an ENotFound error.
	Order(id string) (*Order, error)
	// OrderByExternalID finds a channel's order, or returns ENotFound.
	OrderByExternalID(ch Channel, externalID string) (*Order, error)
	PutOrder(o *Order) error
	// Product returns the product or an ENotFound error.
	Product(sku string) (*Product, error)
	PutProduct(p *Product) error
	AppendEvent(orderID string, e Event) error
}

// Filter selects orders for a list, a count, a bulk action or an export.
type Filter struct {
	Statuses []Status  `json:"statuses,omitempty"`
	Channels []Channel `json:"channels,omitempty"`
	Courier  string    `json:"courier,omitempty"`
	// LabelPrinted, when set, keeps orders whose label was (or was not) printed.
	LabelPrinted *bool `json:"label_printed,omitempty"`
	// From and To bound the creation time; zero means open.
	From time.Time `json:"from,omitempty"`
	To   time.Time `json:"to,omitempty"`
	// DeadlineWithin keeps New orders that auto-reject within this long of Now.
	DeadlineWithin time.Duration `json:"deadline_within,omitempty"`
	Now            time.Time     `json:"-"`
	// Text matches order number, external id, buyer name or phone, SKU or product name.
	Text   string `json:"text,omitempty"`
	Offset int    `json:"offset,omitempty"`
	Limit  int    `json:"limit,omitempty"`
	// Online leaves out in-store sales.
	Online bool `json:"online,omitempty"`
	// Unlinked keeps orders with a line not linked to a product.
	Unlinked bool `json:"unlinked,omitempty"`
	// Sort is the order of the list: newest first when empty.
	Sort SortOrder `json:"sort,omitempty"`
}

// Validate refuses a filter that can only be a mistake.
func (f Filter) Validate() error {
	if !f.From.IsZero() && !f.To.IsZero() && f.From.After(f.To) {
		return Errorf(EInvalid, "The start date %s is after the end date %s", f.From, f.To)
	}
	for _, s := range f.Statuses {
		if !s.Valid() {
			return FieldError("Status", "%q is unknown", string(s))
		}
	}
	for _, c := range f.Channels {
		if !c.Valid() {
			return FieldError("Channel", "%q is unknown", string(c))
		}
	}
	if !f.Sort.Valid() {
		return FieldError("sort", "unknown sort order %q", string(f.Sort))
	}
	if f.Limit < 0 || f.Offset < 0 {
		return Errorf(EInvalid, "Limit and offset cannot be negative")
	}
	return nil
}

// Page is one page of a list, in the filter's sort order, with the total that matched.
type Page struct {
	Orders []*Order `json:"orders"`
	Total  int      `json:"total"`
}

// Badges are the counts the tab badges show.
type Badges struct {
	// New is orders waiting for acceptance (New and Payment Review).
	New int `json:"new"`
	// Expiring is New orders within the policy's window of auto-reject.
	Expiring int `json:"expiring"`
	// AwaitingLabel is orders with a tracking ID and no printed label.
	AwaitingLabel int `json:"awaiting_label"`
	// ByStatus counts online orders per status.
	ByStatus map[Status]int `json:"by_status"`
	// CancelRequests is accepted orders whose buyer asked to cancel and that
	// wait for staff to approve or decline (see OpenCancelRequest).
	CancelRequests int `json:"cancel_requests"`
}

// Store is what the use cases need from persistence beyond a transaction.
type Store interface {
	// Update runs fn in one read-write transaction; fn's error rolls it back.
	Update(fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(fn func(Tx) error) error
	// FindOrders lists orders matching f, newest first.
	FindOrders(f Filter) (Page, error)
	// OrderWithHistory returns an order with its full history, or ENotFound.
	OrderWithHistory(id string) (*Order, error)
	// Products lists every product by SKU.
	Products() ([]*Product, error)
	// Badges counts what the tab badges show, as of now.
	Badges(now time.Time, expiringWithin time.Duration) (Badges, error)
	// DueForAutoReject lists New orders whose accept deadline is at or before now.
	DueForAutoReject(now time.Time, limit int) ([]string, error)
	// ScanCreated calls fn for each order created in [from, to), oldest first.
	ScanCreated(from, to time.Time, fn func(*Order) error) error
	// ScanExportRows calls fn with the export row of each order created in
	// [from, to), oldest first, reusing one row: fn must not keep it.
	ScanExportRows(from, to time.Time, fn func(*ExportRow) error) error
}
