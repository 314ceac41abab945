package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/wire"
)

// billCloud answers the bill route as the cloud's contract says, for the
// token "tok": a bill for order "o1", and the cloud's error reply otherwise.
func billCloud(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+wire.BillPath, func(w http.ResponseWriter, r *http.Request) {
		fail := func(status int, code, msg string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(map[string]string{"code": code, "message": msg})
		}
		if r.Header.Get("Authorization") != "Bearer tok" {
			fail(http.StatusUnauthorized, "unauthorized", "Authorization: Bearer <terminal token> is required")
			return
		}
		dots := r.URL.Query().Get("dots")
		switch r.PathValue("id") {
		case "o1":
			_ = json.NewEncoder(w).Encode(wire.Bill{Order: "o1", Source: "shopee", Media: "application/pdf", Dots: 384, Pages: [][]byte{[]byte("png")}})
			if dots != "384" {
				t.Errorf("dots = %q", dots)
			}
		case "wide":
			_ = json.NewEncoder(w).Encode(wire.Bill{Order: "wide", Dots: 576, Pages: [][]byte{[]byte("png")}})
		case "own":
			fail(http.StatusNotFound, app.ENotFound, "This order has no airway bill from a platform: the register's own label is its label")
		case "early":
			fail(http.StatusConflict, app.EConflict, "Shopee's airway bill is not ready: the order has no tracking number yet")
		case "refused":
			fail(http.StatusUnprocessableEntity, app.ERefused, "Shopee refused the airway bill: package not found")
		case "notools":
			fail(http.StatusInternalServerError, app.EInternal, "Tokopedia's airway bill could not be printed: this cloud cannot draw HTML documents: chromium is not installed")
		case "down":
			fail(http.StatusBadGateway, app.EUnreachable, "Shopee did not answer: the airway bill cannot be fetched now; try again")
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestAskBillReadsTheBillAndTheCloudsErrors(t *testing.T) {
	srv := billCloud(t)
	ctx := context.Background()
	b, err := AskBill(ctx, srv.URL, "tok", "o1", 384)
	if err != nil || b.Source != "shopee" || b.Dots != 384 || len(b.Pages) != 1 || string(b.Pages[0]) != "png" {
		t.Fatalf("AskBill = %+v, %v", b, err)
	}
	for id, want := range map[string]string{"own": app.ENotFound, "early": app.EConflict, "refused": app.ERefused, "down": app.EUnreachable, "wide": app.EInternal, "notools": app.EInternal} {
		_, err := AskBill(ctx, srv.URL, "tok", id, 384)
		if app.ErrorCode(err) != want {
			t.Errorf("%s: %v (code %q), want code %q", id, err, app.ErrorCode(err), want)
		}
	}
	if _, err := AskBill(ctx, srv.URL, "tok", "refused", 384); err == nil || err.Error() != "Shopee refused the airway bill: package not found" {
		t.Errorf("the platform's words are lost: %v", err)
	}
	if _, err := AskBill(ctx, srv.URL, "wrong", "o1", 384); app.ErrorCode(err) != app.EForbidden {
		t.Errorf("wrong token: %v (code %q)", err, app.ErrorCode(err))
	}
	if _, err := AskBill(ctx, srv.URL, "tok", "o1", 5); app.ErrorCode(err) != app.EInvalid {
		t.Errorf("5 dots: %v", err)
	}
	srv.Close()
	if _, err := AskBill(ctx, srv.URL, "tok", "o1", 384); app.ErrorCode(err) != app.EUnreachable {
		t.Errorf("cloud down: %v (code %q)", err, app.ErrorCode(err))
	}
}
