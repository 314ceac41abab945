package backoffice

import (
	"fmt"
	"image/png"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/printout"
)

// tab is one of the orders page's tabs: the same as the register's Online tab.
type tab struct {
	Key      string
	Title    string
	Statuses []app.Status
}

// tabs are the register's Online sub-tabs; Delivered shows inside In Delivery.
var tabs = []tab{
	{"payment_review", "Payment Review", []app.Status{app.StatusPaymentReview}},
	{"new", "New", []app.Status{app.StatusNew}},
	{"ready_to_ship", "Ready to Ship", []app.Status{app.StatusReadyToShip}},
	{"in_delivery", "In Delivery", []app.Status{app.StatusInDelivery, app.StatusDelivered}},
	{"completed", "Completed", []app.Status{app.StatusCompleted}},
	{"cancelled", "Cancelled", []app.Status{app.StatusCancelled}},
	{"complained", "Complained", []app.Status{app.StatusComplained}},
	{"returns", "Returns", []app.Status{app.StatusReturned, app.StatusRefunded}},
}

// pageSize is how many orders one page of the list shows.
const pageSize = 50

// tabCount is a tab with how many orders it holds.
type tabCount struct {
	tab
	Count  int
	Active bool
}

// orderFilter is what the list's search form asked for, validated.
type orderFilter struct {
	Tab     string
	Text    string
	Channel string
	Courier string
	Page    int
}

func readOrderFilter(q url.Values) (orderFilter, app.Filter, error) {
	f := orderFilter{Tab: q.Get("tab"), Text: strings.TrimSpace(q.Get("q")), Channel: q.Get("channel"), Courier: q.Get("courier")}
	af := app.Filter{Text: f.Text, Courier: f.Courier, Limit: pageSize}
	if f.Tab == "" {
		f.Tab = "new"
	}
	found := false
	for _, t := range tabs {
		if t.Key == f.Tab {
			af.Statuses, found = t.Statuses, true
		}
	}
	if !found {
		return f, af, app.FieldError("tab", "is not one of the order tabs")
	}
	if f.Channel != "" {
		ch, err := app.ParseChannel(f.Channel)
		if err != nil {
			return f, af, err
		}
		af.Channels = []app.Channel{ch}
	}
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 100000 {
			return f, af, app.FieldError("page", "must be a whole number from 1")
		}
		f.Page = n - 1
	}
	af.Offset = f.Page * pageSize
	return f, af, af.Validate()
}

func (bo *BackOffice) ordersPage(w http.ResponseWriter, r *http.Request, v *visit) {
	f, af, err := readOrderFilter(r.URL.Query())
	data := map[string]any{"Filter": f, "Channels": app.Channels, "Couriers": app.CourierLabels(), "BulkActions": bulkActions}
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		data["Error"] = app.ErrorMessageIn(err, v.lang)
		data["Tabs"] = bo.tabCounts(v, f.Tab)
		bo.render(w, r, "orders", v, data)
		return
	}
	var page app.Page
	if f.Text == "" && f.Channel == "" && f.Courier == "" {
		// The common case reads the indexes and the stored counts only.
		if page, err = bo.cloud.Store().FindOrders(v.shop.ID, af); err != nil {
			bo.fail(w, r, v, err)
			return
		}
		data["Tabs"] = bo.tabCounts(v, f.Tab)
	} else {
		var counts []tabCount
		if page, counts, err = bo.search(v, f, af); err != nil {
			bo.fail(w, r, v, err)
			return
		}
		data["Tabs"] = counts
	}
	data["Orders"] = page.Orders
	data["Total"] = page.Total
	if (f.Page+1)*pageSize < page.Total {
		data["NextPage"] = f.Page + 2
	}
	if f.Page > 0 {
		data["PrevPage"] = f.Page
	}
	data["Head"] = bo.cloud.HeadOf(v.shop.ID)
	bo.render(w, r, "orders", v, data)
}

// tabCounts are the stored counts of each tab's statuses, as the register's badges.
func (bo *BackOffice) tabCounts(v *visit, active string) []tabCount {
	out := make([]tabCount, 0, len(tabs))
	// A backend across the network answers every status's count in one query.
	var all map[app.Status]int
	if sc, ok := bo.cloud.Store().(statusCounter); ok {
		all, _ = sc.StatusCounts(v.shop.ID)
	}
	for _, t := range tabs {
		n := 0
		if all != nil {
			for _, s := range t.Statuses {
				n += all[s]
			}
		} else if p, err := bo.cloud.Store().FindOrders(v.shop.ID, app.Filter{Statuses: t.Statuses, Limit: 1}); err == nil {
			n = p.Total
		}
		out = append(out, tabCount{tab: t, Count: n, Active: t.Key == active})
	}
	return out
}

// statusCounter is a backend that counts every status in one question.
type statusCounter interface {
	StatusCounts(shop string) (map[app.Status]int, error)
}

// search answers a text that names no order, without channel or courier,
// from the index tab by tab (searchByTab). Otherwise it reads the shop's
// orders matching the text once, then counts each tab and keeps the active
// tab's page; channel and courier are checked here because the cloud's
// stores answer statuses and text only.
func (bo *BackOffice) search(v *visit, f orderFilter, af app.Filter) (app.Page, []tabCount, error) {
	var all []app.Status
	for _, t := range tabs {
		all = append(all, t.Statuses...)
	}
	o, refErr := bo.cloud.Store().OrderByRef(v.shop.ID, f.Text)
	if refErr != nil && f.Channel == "" && f.Courier == "" {
		return bo.searchByTab(v, f, af)
	}
	var found app.Page
	var err error
	// An order's own number or id finds that order from its index, without
	// reading every order for a buyer or product that might also match.
	if refErr == nil && (strings.EqualFold(o.Number, f.Text) || o.ID == f.Text) {
		found.Orders = []*app.Order{o}
	} else if found, err = bo.cloud.Store().FindOrders(v.shop.ID, app.Filter{Statuses: all, Text: f.Text}); err != nil {
		return app.Page{}, nil, err
	}
	tabOf := map[app.Status]string{}
	for _, t := range tabs {
		for _, s := range t.Statuses {
			tabOf[s] = t.Key
		}
	}
	count := map[string]int{}
	page := app.Page{Orders: []*app.Order{}}
	for _, o := range found.Orders {
		if f.Channel != "" && string(o.Channel) != f.Channel {
			continue
		}
		if f.Courier != "" && !strings.EqualFold(o.Shipment.Courier, f.Courier) {
			continue
		}
		count[tabOf[o.Status]]++
		if tabOf[o.Status] != f.Tab {
			continue
		}
		if page.Total >= af.Offset && len(page.Orders) < pageSize {
			page.Orders = append(page.Orders, o)
		}
		page.Total++
	}
	out := make([]tabCount, 0, len(tabs))
	for _, t := range tabs {
		out = append(out, tabCount{tab: t, Count: count[t.Key], Active: t.Key == f.Tab})
	}
	return page, out, nil
}

// searchByTab asks the store's search index each tab's count and the
// active tab's page, so only the page's orders are read, however many match.
func (bo *BackOffice) searchByTab(v *visit, f orderFilter, af app.Filter) (app.Page, []tabCount, error) {
	page := app.Page{Orders: []*app.Order{}}
	out := make([]tabCount, 0, len(tabs))
	for _, t := range tabs {
		tf := app.Filter{Statuses: t.Statuses, Text: f.Text, Limit: 1}
		if t.Key == f.Tab {
			tf.Offset, tf.Limit = af.Offset, pageSize
		}
		p, err := bo.cloud.Store().FindOrders(v.shop.ID, tf)
		if err != nil {
			return app.Page{}, nil, err
		}
		if t.Key == f.Tab {
			page = p
		}
		out = append(out, tabCount{tab: t, Count: p.Total, Active: t.Key == f.Tab})
	}
	return page, out, nil
}

// actionForm is one action the order's status allows, with the inputs it takes.
type actionForm struct {
	Action  app.Action
	Label   string
	Reason  bool
	Ship    bool
	Danger  bool
	Primary bool
}

func actionForms(o *app.Order) []actionForm {
	var out []actionForm
	for _, a := range app.StaffActions(o) {
		f := actionForm{Action: a, Label: a.Label()}
		switch a {
		case app.ActionReject, app.ActionCancel, app.ActionDenyPayment, app.ActionDeclineCancel, app.ActionComplain:
			f.Reason, f.Danger = true, true
		case app.ActionShip:
			f.Ship = true
		case app.ActionAccept, app.ActionCreatePackage, app.ActionAcceptPayment, app.ActionComplete:
			f.Primary = true
		}
		out = append(out, f)
	}
	return out
}

func (bo *BackOffice) orderPage(w http.ResponseWriter, r *http.Request, v *visit) {
	bo.showOrder(w, r, v, "", nil, http.StatusOK)
}

func (bo *BackOffice) showOrder(w http.ResponseWriter, r *http.Request, v *visit, done string, formErr error, status int) {
	o, err := bo.cloud.Store().OrderByRef(v.shop.ID, r.PathValue("id"))
	if err != nil {
		bo.fail(w, r, v, err)
		return
	}
	data := map[string]any{"Order": o, "Actions": actionForms(o), "History": app.NewHistoryView(o.History),
		"Couriers": app.CourierLabels(), "Done": done != "" || r.URL.Query().Get("done") != "", "Form": r.PostForm,
		"HasLabel": o.Shipment.TrackingID != ""}
	if formErr != nil {
		data["Error"] = app.ErrorMessageIn(formErr, v.lang)
	}
	w.WriteHeader(status)
	bo.render(w, r, "order", v, data)
}

// orderAction applies one action through the cloud's apply-and-log path, so
// the terminals receive it like any other change.
func (bo *BackOffice) orderAction(w http.ResponseWriter, r *http.Request, v *visit) {
	o, err := bo.cloud.Store().OrderByRef(v.shop.ID, r.PathValue("id"))
	if err != nil {
		bo.fail(w, r, v, err)
		return
	}
	a := app.Action(r.PostFormValue("action"))
	cmd := app.Command{Action: a, OrderID: o.ID, Args: app.Args{
		Reason: strings.TrimSpace(r.PostFormValue("reason")),
		Note:   strings.TrimSpace(r.PostFormValue("note")),
	}}
	if a == app.ActionShip {
		cmd.Args.Courier = strings.TrimSpace(r.PostFormValue("courier"))
		cmd.Args.TrackingID = strings.TrimSpace(r.PostFormValue("tracking_id"))
		if cmd.Args.Courier == "" {
			bo.showOrder(w, r, v, "", app.FieldError("courier", "is required"), http.StatusBadRequest)
			return
		}
		if err := app.ValidateTrackingID(cmd.Args.TrackingID); err != nil {
			bo.showOrder(w, r, v, "", err, http.StatusBadRequest)
			return
		}
	}
	if _, err := bo.cloud.Execute(v.shop.ID, cmd, v.actor(), bo.now()); err != nil {
		status := http.StatusConflict
		if app.ErrorCode(err) == app.EInvalid {
			status = http.StatusBadRequest
		}
		bo.showOrder(w, r, v, "", err, status)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/backoffice/shops/%s/orders/%s?done=%s", v.shop.ID, url.PathEscape(o.ID), url.QueryEscape(string(a))), http.StatusSeeOther)
}

// actor is who the history records for a change made in the back office.
func (v *visit) actor() app.Actor {
	return app.Actor{Staff: v.owner.Email, Role: app.RoleOwner, Terminal: "backoffice"}
}

// document is an order's label or packing slip, built by the printer's
// own document model, with the profile it is laid out for.
type document func(bo *BackOffice, o *app.Order, v *visit) (*printout.Document, printout.Profile, error)

func labelDocument(_ *BackOffice, o *app.Order, v *visit) (*printout.Document, printout.Profile, error) {
	d, err := printout.LabelFromOrder(o, 0, printout.Party{Name: v.shop.Name})
	if err != nil {
		return nil, printout.Profile{}, err
	}
	p, _ := printout.Preset("label-4in")
	doc, err := printout.Label(d, p)
	return doc, p, err
}

func slipDocument(_ *BackOffice, o *app.Order, v *visit) (*printout.Document, printout.Profile, error) {
	p, _ := printout.Preset("generic-80")
	doc, err := printout.Slip(printout.SlipFromOrder(o, v.shop.Name), p)
	return doc, p, err
}

// download serves an order's document as PNG or PDF: both are the raster
// printout.Render draws for the thermal printer.
func (bo *BackOffice) download(kind string, build document, pdf bool) func(http.ResponseWriter, *http.Request, *visit) {
	return func(w http.ResponseWriter, r *http.Request, v *visit) {
		o, err := bo.cloud.Store().OrderByRef(v.shop.ID, r.PathValue("id"))
		if err != nil {
			bo.fail(w, r, v, err)
			return
		}
		doc, p, err := build(bo, o, v)
		if err != nil {
			http.Error(w, app.ErrorMessageIn(err, v.lang), http.StatusConflict)
			return
		}
		if pdf {
			writePDF(w, doc, p, kind+"-"+o.Number+".pdf")
			return
		}
		writePNG(w, doc, p, kind+"-"+o.Number+".png")
	}
}

func writePNG(w http.ResponseWriter, doc *printout.Document, p printout.Profile, name string) {
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Disposition", `attachment; filename="`+strings.NewReplacer(`"`, "", "\\", "").Replace(name)+`"`)
	_ = png.Encode(w, printout.Render(doc, p))
}

// events streams the shop's change-log head as server-sent events; the page
// reloads its list when it moves.
func (bo *BackOffice) events(w http.ResponseWriter, r *http.Request, v *visit) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	ch, stop := bo.cloud.WatchHead(v.shop.ID)
	defer stop()
	last, _ := strconv.ParseUint(r.URL.Query().Get("head"), 10, 64)
	keep := time.NewTicker(20 * time.Second)
	defer keep.Stop()
	send := func(head uint64) {
		fmt.Fprintf(w, "event: change\ndata: %d\n\n", head)
		fl.Flush()
	}
	if h := bo.cloud.HeadOf(v.shop.ID); h > last {
		last = h
		send(h)
	} else {
		fmt.Fprint(w, ": open\n\n")
		fl.Flush()
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-keep.C:
			fmt.Fprint(w, ": keep-alive\n\n")
			fl.Flush()
		case h := <-ch:
			if h > last {
				last = h
				send(h)
			}
		}
	}
}
