package cloud

import (
	"errors"
	"strings"

	"github.com/kasir/pos/app"
)

// OrderShowRequest names one order by id or number.
type OrderShowRequest struct {
	Ref string `json:"ref"`
}

// FindOrders lists a shop's orders from the cloud's own store.
// Errors: EInvalid naming the field, ENotFound for an unknown shop.
func (a Admin) FindOrders(shop string, f app.Filter) (app.Page, error) {
	if strings.TrimSpace(shop) == "" {
		return app.Page{}, app.FieldError("shop", "is required")
	}
	if err := f.Validate(); err != nil {
		return app.Page{}, err
	}
	var page app.Page
	err := a.call("/admin/shops/"+shop+"/orders/find", f, &page)
	if errors.Is(err, errNoServer) {
		err = a.direct(func(b Backend) error {
			var err error
			page, err = b.FindOrders(shop, f)
			return err
		})
	}
	if page.Orders == nil {
		page.Orders = []*app.Order{}
	}
	return page, err
}

// OrderByRef returns one order of a shop, by id or number, with its history.
// Errors: EInvalid, ENotFound.
func (a Admin) OrderByRef(shop, ref string) (*app.Order, error) {
	if strings.TrimSpace(shop) == "" {
		return nil, app.FieldError("shop", "is required")
	}
	if strings.TrimSpace(ref) == "" {
		return nil, app.FieldError("order", "give one order id or number")
	}
	var o app.Order
	err := a.call("/admin/shops/"+shop+"/orders/show", OrderShowRequest{Ref: ref}, &o)
	if errors.Is(err, errNoServer) {
		err = a.direct(func(b Backend) error {
			found, err := b.OrderByRef(shop, ref)
			if err == nil {
				o = *found
			}
			return err
		})
	}
	if err != nil {
		return nil, err
	}
	return &o, nil
}
