package backoffice

import (
	"net/http"
	"strings"

	"github.com/kasir/pos/app"
)

// bulkActions are what the list's bulk form offers: those that need no input.
var bulkActions = []app.Action{app.ActionAccept, app.ActionCreatePackage, app.ActionAcceptPayment, app.ActionComplete}

// bulkAction applies one action to each selected order through the cloud's
// apply-and-log path; one refused order never blocks the others, and each
// refusal is shown with the rule's message.
func (bo *BackOffice) bulkAction(w http.ResponseWriter, r *http.Request, v *visit) {
	a := app.Action(r.PostFormValue("action"))
	ids := r.PostForm["id"]
	var err error
	switch {
	case !allowedBulk(a):
		err = app.FieldError("action", "is not an action for several orders")
	case len(ids) == 0:
		err = app.FieldError("id", "choose at least one order")
	case len(ids) > v.shop.Policy().BulkLimit:
		err = app.FieldError("id", "at most %d orders at once", v.shop.Policy().BulkLimit)
	}
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		bo.render(w, r, "bulk", v, map[string]any{"Error": app.ErrorMessageIn(err, v.lang), "Tab": r.PostFormValue("tab")})
		return
	}
	var outcomes []app.Outcome
	for _, id := range ids {
		out := app.Outcome{OrderID: id}
		o, err := bo.cloud.Store().OrderByRef(v.shop.ID, id)
		if err == nil {
			out.Number = o.Number
			_, err = bo.cloud.Execute(v.shop.ID, app.Command{Action: a, OrderID: o.ID}, v.actor(), bo.now())
		}
		if err != nil {
			out.Code, out.Error = app.ErrorCode(err), app.ErrorMessageIn(err, v.lang)
		} else {
			out.Done = true
		}
		outcomes = append(outcomes, out)
	}
	bo.render(w, r, "bulk", v, map[string]any{"Outcomes": outcomes, "Action": a, "Tab": strings.TrimSpace(r.PostFormValue("tab"))})
}

func allowedBulk(a app.Action) bool {
	for _, b := range bulkActions {
		if a == b {
			return true
		}
	}
	return false
}
