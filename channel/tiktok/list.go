package tiktok

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// Updated lists the ids of the orders updated in [from, to) (Get Order List,
// POST /order/202309/orders/search?page_size=100&sort_field=update_time,
// https://partner.tiktokshop.com/docv2/page/650aa8094a0bb702c06df242):
// {"update_time_ge":…,"update_time_lt":…} → {"orders":[{"id":"…"}],"next_page_token":"…","total_count":N}.
func (a *Adapter) Updated(ctx context.Context, f map[string]string, from, to time.Time) ([]string, error) {
	acc, err := forShop(f)
	if err != nil {
		return nil, err
	}
	var ids []string
	seen := map[string]bool{}
	token := ""
	for range maxPages {
		q := url.Values{"page_size": {"100"}, "sort_field": {"update_time"}, "sort_order": {"ASC"}}
		if token != "" {
			q.Set("page_token", token)
		}
		var page struct {
			Orders []struct {
				ID string `json:"id"`
			} `json:"orders"`
			NextPageToken string `json:"next_page_token"`
		}
		err := a.call(ctx, acc, http.MethodPost, "/order/"+Version+"/orders/search", q,
			map[string]int64{"update_time_ge": from.Unix(), "update_time_lt": to.Unix()}, &page)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Orders {
			if o.ID != "" && !seen[o.ID] {
				seen[o.ID] = true
				ids = append(ids, o.ID)
			}
		}
		if page.NextPageToken == "" || len(page.Orders) == 0 {
			break
		}
		token = page.NextPageToken
	}
	return ids, nil
}
