package shopee

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/kasir/pos/app"
)

const pathOrderList = "/api/v2/order/get_order_list"

// listSpan is the widest window get_order_list takes: "Start time must be
// earlier than end time and diff in 15days" (order.order_list_invalid_time).
const listSpan = 15 * 24 * time.Hour

// listPage is the page size asked of get_order_list (its maximum is 100).
const listPage = 100

// Updated lists the orders updated in [from, to): GET
// /api/v2/order/get_order_list?time_range_field=update_time&time_from=&time_to=&page_size=&cursor=
// (https://open.shopee.com/documents/v2/v2.order.get_order_list?module=94&type=1),
// in windows of at most 15 days, following next_cursor while more is true:
// {"response":{"more":true,"next_cursor":"20","order_list":[{"order_sn":"…"}]}}.
func (a *Adapter) Updated(ctx context.Context, f map[string]string, from, to time.Time) ([]string, error) {
	acc, err := forShop(f)
	if err != nil {
		return nil, err
	}
	if !from.Before(to) {
		return nil, app.FieldError("from", "must be before to")
	}
	seen := map[string]bool{}
	var out []string
	for start := from; start.Before(to); start = start.Add(listSpan) {
		end := start.Add(listSpan)
		if end.After(to) {
			end = to
		}
		// Shopee's window includes time_to, so windows share their edge
		// second; an order listed twice is fetched once.
		last := end
		cursor := ""
		for {
			var page struct {
				More       bool   `json:"more"`
				NextCursor string `json:"next_cursor"`
				OrderList  []struct {
					OrderSN string `json:"order_sn"`
				} `json:"order_list"`
			}
			q := url.Values{"time_range_field": {"update_time"}, "time_from": {strconv.FormatInt(start.Unix(), 10)},
				"time_to": {strconv.FormatInt(last.Unix(), 10)}, "page_size": {strconv.Itoa(listPage)}, "cursor": {cursor}}
			if err := a.call(ctx, acc, http.MethodGet, pathOrderList, q, nil, &page); err != nil {
				return out, err
			}
			for _, o := range page.OrderList {
				if o.OrderSN != "" && !seen[o.OrderSN] {
					seen[o.OrderSN] = true
					out = append(out, o.OrderSN)
				}
			}
			if !page.More || page.NextCursor == "" || page.NextCursor == cursor {
				break
			}
			cursor = page.NextCursor
		}
	}
	return out, nil
}
