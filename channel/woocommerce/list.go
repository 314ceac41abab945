package woocommerce

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// listPage is how many orders one page of the order list asks for: the
// REST API's most (per_page 1–100).
const ordersPage = 100

// listPagesMax bounds one reconciliation's pages, so a store that answers
// full pages for ever cannot hold the round.
const listPagesMax = 200

// Updated lists the ids of the orders the store modified in [from, to):
// List all orders, GET /orders?modified_after&modified_before&dates_are_gmt=true
// &orderby=modified&order=asc&per_page=100&page=N
// (https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-orders;
// modified_after, modified_before and dates_are_gmt since WooCommerce 5.8),
// page by page until a page is not full.
func (a *Adapter) Updated(ctx context.Context, f map[string]string, from, to time.Time) ([]string, error) {
	s, err := a.store(f)
	if err != nil {
		return nil, err
	}
	// WooCommerce keeps whole seconds: the window is widened to them, never narrowed.
	if t := to.Truncate(time.Second); !t.Equal(to) {
		to = t.Add(time.Second)
	}
	q := url.Values{
		"modified_after":  {from.UTC().Truncate(time.Second).Add(-time.Second).Format("2006-01-02T15:04:05")},
		"modified_before": {to.UTC().Format("2006-01-02T15:04:05")},
		"dates_are_gmt":   {"true"},
		"orderby":         {"modified"},
		"order":           {"asc"},
		"per_page":        {strconv.Itoa(ordersPage)},
	}
	var ids []string
	for page := 1; page <= listPagesMax; page++ {
		q.Set("page", strconv.Itoa(page))
		var orders []struct {
			ID       json.Number `json:"id"`
			Modified string      `json:"date_modified_gmt"`
		}
		if err := s.call(ctx, http.MethodGet, "/orders?"+q.Encode(), nil, &orders); err != nil {
			return nil, err
		}
		for _, o := range orders {
			// A store older than 5.8 ignores the window and lists every
			// order: its own dates keep the details fetched to the window.
			if t, err := time.Parse("2006-01-02T15:04:05", o.Modified); err == nil && (t.Before(from.Add(-time.Second)) || !t.Before(to.Add(time.Second))) {
				continue
			}
			ids = append(ids, o.ID.String())
		}
		if len(orders) < ordersPage {
			break
		}
	}
	return ids, nil
}

// ParseDetails reads an order Details fetched (Retrieve an order, the same
// order properties a webhook carries) and its status.
func (a *Adapter) ParseDetails(raw []byte) (*app.Order, string, error) {
	push, err := parseOrder(raw)
	if err != nil {
		return nil, "", err
	}
	return push.Order, push.ChannelStatus, nil
}

var (
	_ channel.Lister       = (*Adapter)(nil)
	_ channel.DetailParser = (*Adapter)(nil)
)
