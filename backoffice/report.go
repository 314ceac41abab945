package backoffice

import (
	"net/http"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// ShopReport is app's report over every order and product the cloud keeps
// for the shop, in the shop's zone: the same figures as `pos report`.
// orders and products read the shop's countable orders and its catalogue.
func ShopReport(b cloud.Backend, orders func(shop string) ([]*app.Order, error), products func(shop string) ([]*app.Product, error), shop string, from, to string, now time.Time) (*app.Report, error) {
	rng, cur, err := reportRange(b, shop, from, to, now)
	if err != nil {
		return nil, err
	}
	sold, err := orders(shop)
	if err != nil {
		return nil, err
	}
	ps, err := products(shop)
	if err != nil {
		return nil, err
	}
	return app.BuildReport(rng, cur, sold, ps), nil
}

// period turns the report form's choice into dates: a day, the week or the
// month that holds it, or the range typed.
func period(kind, day, from, to string, now time.Time, zone *time.Location) (string, string, error) {
	const layout = "2006-01-02"
	d := now.In(zone)
	if day != "" {
		t, err := time.ParseInLocation(layout, day, zone)
		if err != nil {
			return "", "", app.FieldError("day", "is not a date like 2026-11-30")
		}
		d = t
	}
	switch kind {
	case "", "day":
		return d.Format(layout), d.Format(layout), nil
	case "week":
		start := d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
		return start.Format(layout), start.AddDate(0, 0, 6).Format(layout), nil
	case "month":
		start := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, zone)
		return start.Format(layout), start.AddDate(0, 1, -1).Format(layout), nil
	case "range":
		if from == "" {
			return "", "", app.FieldError("from", "is required")
		}
		return from, to, nil
	}
	return "", "", app.FieldError("period", "must be day, week, month or range")
}

func (bo *BackOffice) report(r *http.Request, v *visit) (*app.Report, error) {
	q := r.URL.Query()
	from, to, err := period(q.Get("period"), q.Get("day"), q.Get("from"), q.Get("to"), bo.now(), zoneOf(bo, v))
	if err != nil {
		return nil, err
	}
	evs, err := bo.counted.reportEvents(bo.cloud.Store(), v.shop.ID)
	if err != nil {
		return nil, err
	}
	ps, err := bo.cloud.Products(v.shop.ID)
	if err != nil {
		return nil, err
	}
	rng, cur, err := reportRange(bo.cloud.Store(), v.shop.ID, from, to, bo.now())
	if err != nil {
		return nil, err
	}
	return app.ReportFrom(reportSource{events: evs, products: ps}, rng, cur)
}

func zoneOf(bo *BackOffice, v *visit) *time.Location {
	pol := v.shop.Policy()
	_ = bo.cloud.Store().View(v.shop.ID, func(tx cloud.ShopTx) error {
		if p, err := tx.Policy(); err == nil && p != nil {
			pol = *p
		}
		return nil
	})
	return pol.Zone()
}

// reportRow is one channel's line of the report table.
type reportRow struct {
	Name string
	app.Figures
}

func (bo *BackOffice) reportPage(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	data := map[string]any{"Period": q.Get("period"), "Day": q.Get("day"), "From": q.Get("from"), "To": q.Get("to"), "Query": r.URL.RawQuery}
	rep, err := bo.report(r, v)
	if err != nil {
		if app.ErrorCode(err) != app.EInvalid {
			bo.fail(w, r, v, err)
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		data["Error"] = app.ErrorMessageIn(err, v.lang)
		bo.render(w, r, "report", v, data)
		return
	}
	var rows []reportRow
	rows = append(rows, reportRow{Name: "In Store", Figures: figuresOr(rep.Channels[app.ChannelInStore])})
	for _, ch := range app.Channels {
		if ch == app.ChannelInStore {
			continue
		}
		if f := rep.Channels[ch]; f != nil {
			rows = append(rows, reportRow{Name: ch.Label(), Figures: *f})
		}
	}
	var top app.Money
	for _, d := range rep.Days {
		top = max(top, d.Sales)
	}
	data["Report"], data["Rows"], data["TopDay"] = rep, rows, top
	bo.render(w, r, "report", v, data)
}

func figuresOr(f *app.Figures) app.Figures {
	if f == nil {
		return app.Figures{}
	}
	return *f
}

func (bo *BackOffice) reportCSV(w http.ResponseWriter, r *http.Request, v *visit) {
	rep, err := bo.report(r, v)
	if err != nil {
		bo.fail(w, r, v, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="report-`+rep.From+`-`+rep.To+`.csv"`)
	_ = rep.WriteCSV(w)
}

// snapshotProducts reads a catalogue from the backend's snapshot, for the CLI without a server.
func snapshotProducts(b cloud.Backend) func(string) ([]*app.Product, error) {
	return func(shop string) ([]*app.Product, error) {
		snap, err := b.Snapshot(shop)
		if err != nil {
			return nil, err
		}
		return snap.Products, nil
	}
}

// storedCountable reads the orders a report can count straight from the store.
func storedCountable(b cloud.Backend) func(string) ([]*app.Order, error) {
	return func(shop string) ([]*app.Order, error) {
		page, err := b.FindOrders(shop, app.Filter{Statuses: countableStatuses()})
		return page.Orders, err
	}
}

// reportRange reads "2006-01-02" dates in the shop's zone (both empty is
// today) and the currency the shop's rules use.
func reportRange(b cloud.Backend, shop, from, to string, now time.Time) (app.ReportRange, app.Currency, error) {
	sh, err := b.Shop(shop)
	if err != nil {
		return app.ReportRange{}, "", err
	}
	pol := sh.Policy()
	err = b.View(shop, func(tx cloud.ShopTx) error {
		p, err := tx.Policy()
		if p != nil {
			pol = *p
		}
		return err
	})
	if err != nil {
		return app.ReportRange{}, "", err
	}
	if pol.Currency == "" {
		pol.Currency = sh.Policy().Currency
	}
	if from == "" && to == "" {
		return app.LastDays(1, now, pol.Zone()), pol.Currency, nil
	}
	if from == "" {
		from = to
	}
	rng, err := app.ParseReportRange(from, to, pol.Zone())
	return rng, pol.Currency, err
}
