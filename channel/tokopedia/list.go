package tokopedia

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

var (
	_ channel.Lister    = (*Adapter)(nil)
	_ channel.Waybill   = (*Adapter)(nil)
	_ channel.Catalogue = (*Adapter)(nil)
)

// ListWindow is the longest from_date–to_date span one Get All Orders call
// is asked for. The 3 days are as remembered from Tokopedia's page, not
// confirmed by any copy of it: a longer reconciliation is asked in spans.
const ListWindow = 72 * time.Hour

// listPage is how many orders or products one page asks for.
const listPage = 50

// listedOrder is the part of Get All Orders' rows the reconciliation reads
// (GET /v2/order/list?fs_id=…&shop_id=…&from_date=…&to_date=…&page=…&per_page=…,
// https://developer.tokopedia.com/openapi/guide/#/apis/order/getallorder;
// shapes as github.com/plvhx/tokopedia-php-sdk src/Service/Order.php calls it
// and tests/data-fixtures/order/get-all-orders-ok.json records its answer).
type listedOrder struct {
	OrderID int64 `json:"order_id"`
}

// Updated lists the shop's orders in [from, to). Tokopedia filters the list
// by the order's creation time, not its update time, so an order created
// before from that changed since is only found by its push or by a longer
// window; the cloud's default window covers an order's whole life.
func (a *Adapter) Updated(ctx context.Context, f map[string]string, from, to time.Time) ([]string, error) {
	acc, err := accountOf(f)
	if err != nil {
		return nil, err
	}
	var ids []string
	for start := from; start.Before(to); start = start.Add(ListWindow) {
		end := start.Add(ListWindow)
		if end.After(to) {
			end = to
		}
		for page := 1; ; page++ {
			q := url.Values{"fs_id": {acc.fsID}, "shop_id": {acc.shopID}, "from_date": {strconv.FormatInt(start.Unix(), 10)},
				"to_date": {strconv.FormatInt(end.Unix(), 10)}, "page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(listPage)}}
			var rows []listedOrder
			if err := a.call(ctx, acc, http.MethodGet, "/v2/order/list?"+q.Encode(), nil, &rows); err != nil {
				return nil, err
			}
			for _, o := range rows {
				if o.OrderID > 0 {
					ids = append(ids, strconv.FormatInt(o.OrderID, 10))
				}
			}
			if len(rows) < listPage {
				break
			}
		}
	}
	return ids, nil
}

// AirwayBill downloads the order's shipping label
// (GET /v1/order/{order_id}/fs/{fs_id}/shipping-label?printed=0,
// https://developer.tokopedia.com/openapi/guide/#/apis/order/getshippinglabel;
// path as github.com/plvhx/tokopedia-php-sdk src/Service/Order.php calls it).
// The label's format is not confirmed (it is remembered as an HTML page),
// so its media type is read from the bytes themselves. printed=0 leaves the
// label unmarked, so printing it again later is not refused.
func (a *Adapter) AirwayBill(ctx context.Context, f map[string]string, o *app.Order) ([]byte, string, error) {
	acc, err := accountOf(f)
	if err != nil {
		return nil, "", err
	}
	id, err := strconv.ParseInt(o.ExternalID, 10, 64)
	if err != nil {
		return nil, "", app.FieldError("external_id", "is not a Tokopedia order id: %q", o.ExternalID)
	}
	var doc []byte
	path := fmt.Sprintf("/v1/order/%d/fs/%s/shipping-label?printed=0", id, url.PathEscape(acc.fsID))
	if err := a.raw(ctx, acc, path, &doc); err != nil {
		return nil, "", err
	}
	if len(doc) == 0 {
		return nil, "", &channel.Refusal{Platform: Platform, Status: 200, Message: "the shipping label is empty"}
	}
	return doc, http.DetectContentType(doc), nil
}

// raw is a GET whose answer is a document, not Tokopedia's JSON envelope.
func (a *Adapter) raw(ctx context.Context, acc account, path string, doc *[]byte) error {
	return a.Caller.Do(ctx, channel.Request{Platform: Platform, Method: http.MethodGet, URL: acc.apiBase + path,
		Auth: func(ctx context.Context, r *http.Request) error {
			tok, err := a.token(ctx, acc, false)
			if err != nil {
				return err
			}
			r.Header.Set("Authorization", "Bearer "+tok)
			return nil
		},
		Expired: func(status int, _ []byte) bool { return status == http.StatusUnauthorized },
		Renew: func(ctx context.Context) error {
			_, err := a.token(ctx, acc, true)
			return err
		},
		Message: message,
	}, doc)
}

// product is the part of Get Product Info's rows a listing needs
// (GET /inventory/v1/fs/{fs_id}/product/info?shop_id=…&page=…&per_page=…&sort=1,
// https://developer.tokopedia.com/openapi/guide/#/apis/product/getproductinfo;
// answer as github.com/plvhx/tokopedia-php-sdk
// tests/data-fixtures/product/get-product-info-ok-3.json records it).
type product struct {
	Basic struct {
		ProductID int64  `json:"productID"`
		Name      string `json:"name"`
	} `json:"basic"`
	Price struct {
		Value float64 `json:"value"`
	} `json:"price"`
	Stock struct {
		Value int `json:"value"`
	} `json:"stock"`
	Other struct {
		SKU string `json:"sku"`
		URL string `json:"url"`
	} `json:"other"`
}

// Listings reads every product of the shop, page by page.
func (a *Adapter) Listings(ctx context.Context, f map[string]string) ([]channel.RemoteListing, error) {
	acc, err := accountOf(f)
	if err != nil {
		return nil, err
	}
	var out []channel.RemoteListing
	for page := 1; ; page++ {
		q := url.Values{"shop_id": {acc.shopID}, "page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(listPage)}, "sort": {"1"}}
		var rows []product
		if err := a.call(ctx, acc, http.MethodGet, "/inventory/v1/fs/"+url.PathEscape(acc.fsID)+"/product/info?"+q.Encode(), nil, &rows); err != nil {
			return nil, err
		}
		for i, p := range rows {
			if p.Basic.ProductID <= 0 {
				return nil, app.FieldError("data["+strconv.Itoa(i)+"].basic.productID", "is required")
			}
			price, err := rupiah("data["+strconv.Itoa(i)+"].price.value", p.Price.Value)
			if err != nil {
				return nil, err
			}
			out = append(out, channel.RemoteListing{ID: strconv.FormatInt(p.Basic.ProductID, 10), SKU: p.Other.SKU,
				Name: p.Basic.Name, Price: price, Qty: max(p.Stock.Value, 0), URL: p.Other.URL})
		}
		if len(rows) < listPage {
			return out, nil
		}
	}
}
