package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/courier"
)

// The couriers' pushes, and what terminals ask of the couriers and
// platforms through the cloud: rates and airway bills.

// serveCourierPush is POST /v1/couriers/{shipper,biteship}/push: the edge
// limits and reads the push; the core finds whose account it is and
// applies it.
func serveCourierPush(core *cloud.Server, e *edge, p app.CourierProvider) http.HandlerFunc {
	name := string(p)
	return func(w http.ResponseWriter, r *http.Request) {
		if !e.webhookIP.allow(clientIP(r), time.Now()) {
			core.CountWebhook(name, "rate_limited")
			tooMany(w, "webhooks")
			return
		}
		body, ok := readBody(core, e, w, r, name, cloud.StatusPushBody)
		if !ok {
			return
		}
		reply, err := core.CourierPush(p, r, body, e.admit)
		if err != nil {
			writeDeliveryError(core, w, r, err)
			return
		}
		cloud.WriteJSON(w, http.StatusOK, reply)
	}
}

// terminal is the terminal whose token the request bears, or nil after
// answering 401.
func terminal(core *cloud.Server, w http.ResponseWriter, r *http.Request) *cloud.Terminal {
	tok := cloud.Bearer(r)
	term, err := core.Store().TerminalByToken(cloud.HashToken(tok))
	if tok == "" || err != nil || term.Revoked {
		cloud.WriteJSON(w, http.StatusUnauthorized, apiError{Code: "unauthorized", Message: "Authorization: Bearer <terminal token> is required"})
		return nil
	}
	return term
}

// serveRates is GET /v1/orders/{id}/rates?provider=…: a terminal (its
// token names the shop) asks for the couriers and services of an order.
// A provider's refusal is 422 with its message and code; a provider that
// is down is 502.
func serveRates(core *cloud.Server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		term := terminal(core, w, r)
		if term == nil {
			return
		}
		q := r.URL.Query()
		p, err := app.ParseCourierProvider(q.Get("provider"))
		if err != nil {
			core.WriteError(w, err)
			return
		}
		typed, err := app.ParseRateParcel(q.Get("weight_g"), q.Get("length_cm"), q.Get("width_cm"), q.Get("height_cm"))
		if err != nil {
			core.WriteError(w, err)
			return
		}
		reply, err := core.TerminalRates(r.Context(), term, r.PathValue("id"), p, typed)
		if ref := courier.Refusal(err); ref != nil {
			cloud.WriteJSON(w, http.StatusUnprocessableEntity, apiError{Code: "provider_refused", Message: fmt.Sprintf("%s: %s (code %s)", ref.Provider, ref.Message, ref.Code)})
			return
		}
		var provErr *courier.Error
		if errors.As(err, &provErr) && provErr.Unreachable {
			cloud.WriteJSON(w, http.StatusBadGateway, apiError{Code: "provider_unreachable", Message: err.Error()})
			return
		}
		if err != nil {
			core.WriteError(w, err)
			return
		}
		cloud.WriteJSON(w, http.StatusOK, reply)
	}
}

// serveBill is GET /v1/orders/{id}/bill?dots=N (wire.BillPath): a terminal
// (its token names the shop) asks for the order's mandatory airway bill,
// drawn for its label printer. 200 is a wire.Bill; 404 when the register's
// own label is the parcel's label; 409 while it is not ready; 422 with the
// platform's words when it refused or its document cannot be drawn; 502
// when the platform did not answer.
func serveBill(core *cloud.Server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		term := terminal(core, w, r)
		if term == nil {
			return
		}
		dots, err := strconv.Atoi(r.URL.Query().Get("dots"))
		if err != nil {
			dots = 0
		}
		bill, err := core.Bill(r.Context(), term, r.PathValue("id"), dots)
		var f *cloud.BillFailure
		switch {
		case errors.As(err, &f):
			cloud.WriteJSON(w, f.Status, apiError{Code: f.Err.Code, Message: f.Err.Message})
		case err != nil:
			core.WriteError(w, err)
		default:
			cloud.WriteJSON(w, http.StatusOK, bill)
		}
	}
}
