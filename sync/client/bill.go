package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/wire"
)

// billTimeout bounds the wait for a bill: the cloud may poll the platform
// until the document is made (Shopee) and then render it.
const billTimeout = 90 * time.Second

// billMax bounds the cloud's answer; the cloud's own limits keep a bill far below it.
const billMax = 64 << 20

// Bill asks the cloud (GET /v1/orders/{id}/bill?dots=N) for the order's
// mandatory airway bill, rasterized to the label printer's width in dots.
// Errors: app.EUnreachable when the tablet is offline or the cloud or the
// platform did not answer; EInternal, in the cloud's words, when the cloud
// cannot draw it (poppler or Chromium missing); ENotFound when the order
// has no platform bill (print the register's own label); EConflict when it
// is not ready yet; app.ERefused with the platform's words when it refused.
func (c *Client) Bill(ctx context.Context, orderID string, dots int) (*wire.Bill, error) {
	if c.State().Status == Offline {
		return nil, app.Errorf(app.EUnreachable, "The tablet is offline: the airway bill cannot be fetched now")
	}
	return AskBill(ctx, c.cfg.BaseURL, c.cfg.Token, orderID, dots)
}

// AskBill is Bill's question to the cloud at baseURL with a terminal's token.
func AskBill(ctx context.Context, baseURL, token, orderID string, dots int) (*wire.Bill, error) {
	if err := app.ValidateBillDots(dots); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, billTimeout)
	defer cancel()
	path := strings.Replace(wire.BillPath, "{id}", url.PathEscape(orderID), 1)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(baseURL, "/")+path+"?dots="+strconv.Itoa(dots), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, app.Errorf(app.EUnreachable, "The cloud did not answer: the airway bill cannot be fetched now")
	}
	defer resp.Body.Close()
	body := io.LimitReader(resp.Body, billMax)
	if resp.StatusCode != http.StatusOK {
		var e struct{ Code, Message string }
		_ = json.NewDecoder(body).Decode(&e)
		if e.Message == "" {
			e.Message = http.StatusText(resp.StatusCode)
		}
		return nil, app.Errorf(billCode(resp.StatusCode, e.Code), "%s", e.Message)
	}
	var b wire.Bill
	if err := json.NewDecoder(body).Decode(&b); err != nil {
		return nil, app.Errorf(app.EUnreachable, "The cloud's airway bill could not be read: %s", err.Error())
	}
	if b.Dots != dots || len(b.Pages) == 0 {
		return nil, app.Errorf(app.EInternal, "The cloud's airway bill has no page at the printer's width")
	}
	return &b, nil
}

// billCode is the app code of the cloud's error answer: its own code when
// it is one the terminal tells apart, else the HTTP status's meaning.
func billCode(status int, code string) string {
	switch code {
	case app.ENotFound, app.EConflict, app.EInvalid, app.EUnreachable, app.ERefused, app.EForbidden:
		return code
	case app.EInternal:
		// The cloud answered but cannot draw (a tool it needs is missing):
		// its words say so; it is not "unreachable".
		return code
	}
	switch {
	case status == http.StatusNotFound:
		return app.ENotFound
	case status == http.StatusConflict:
		return app.EConflict
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return app.EForbidden
	case status == http.StatusUnprocessableEntity:
		return app.ERefused
	case status >= 500:
		return app.EUnreachable
	}
	return app.EInvalid
}
