package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// arrangeForm is the Arrange pickup / drop-off dialog of one order: which
// way it goes, who books the courier (the shop's default, or another for
// this order), the parcel, and the provider's rates to choose from; staff
// choose a courier by hand when the tablet cannot ask for rates.
type arrangeForm struct {
	d      *orderDetail
	action app.Action
	order  *app.Order
	pol    app.Policy

	way      *widget.Label
	provider *widget.Select
	slot     *widget.Select
	place    *widget.Entry

	weight, length, width, height *widget.Entry
	ask                           *widget.Button
	status                        *widget.Label
	rates                         *widget.RadioGroup
	courier                       *widget.Select
	service                       *widget.Entry
	choice                        *fyne.Container

	providers []app.CourierProvider
	slots     []app.PickupSlot
	offers    []app.RateOffer
	// offline is set once the rates could not be asked: staff name the courier.
	offline bool
	// asked counts rate questions, so an older answer never replaces a newer one.
	asked int
}

// arrangeDraft is what staff chose in the dialog, kept when app refuses
// the command so the dialog comes back as it was.
type arrangeDraft struct {
	provider                                               app.CourierProvider
	slot                                                   int
	place, weight, length, width, height, courier, service string
	offline                                                bool
	offers                                                 []app.RateOffer
	rate                                                   string
}

// askArrange opens the Arrange dialog for a pickup or a drop-off.
func (d *orderDetail) askArrange(a app.Action) { d.askArrangeFrom(a, nil) }

// askArrangeFrom opens it again with a draft (nil: fresh).
func (d *orderDetail) askArrangeFrom(a app.Action, draft *arrangeDraft) {
	o := d.order
	if o == nil {
		return
	}
	f := &arrangeForm{d: d, action: a, order: o, pol: d.m.svc.CurrentPolicy()}
	d.m.arranging = f
	f.show(draft)
}

// draft keeps what was chosen.
func (f *arrangeForm) draft() *arrangeDraft {
	dr := &arrangeDraft{provider: f.chosen(), weight: f.weight.Text, length: f.length.Text, width: f.width.Text, height: f.height.Text,
		courier: f.courier.Selected, service: f.service.Text, offline: f.offline, offers: f.offers, rate: f.rates.Selected}
	if f.slot != nil {
		dr.slot, dr.place = f.slot.SelectedIndex(), f.place.Text
	}
	return dr
}

// apply puts a draft back into the dialog's fields.
func (f *arrangeForm) apply(dr *arrangeDraft) {
	for i, p := range f.providers {
		if p == dr.provider && f.provider != nil {
			f.provider.SetSelectedIndex(i)
		}
	}
	if f.slot != nil && dr.slot >= 0 && dr.slot < len(f.slots) {
		f.slot.SetSelectedIndex(dr.slot)
		f.place.SetText(dr.place)
	}
	f.weight.SetText(dr.weight)
	f.length.SetText(dr.length)
	f.width.SetText(dr.width)
	f.height.SetText(dr.height)
	f.courier.Selected = dr.courier
	f.service.SetText(dr.service)
	f.offline = dr.offline
}

func (f *arrangeForm) marketplace() bool { return f.order.Channel.Rule().Marketplace }

// chosen is the provider the dialog books with.
func (f *arrangeForm) chosen() app.CourierProvider {
	if f.marketplace() || f.provider == nil || f.provider.SelectedIndex() < 0 {
		return app.ProviderNone
	}
	return f.providers[f.provider.SelectedIndex()]
}

func (f *arrangeForm) show(dr *arrangeDraft) {
	m := f.d.m
	f.way = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}}
	items := []*widget.FormItem{{Text: "", Widget: f.way}}
	if !f.marketplace() {
		def := f.pol.CourierProvider
		if def == app.ProviderNone {
			def = app.ProviderLogistics
		}
		var names []string
		for _, p := range app.CourierProviders {
			f.providers = append(f.providers, p)
			name := app.Word(p.Label()).In(staffLang)
			if p == def {
				name += " · " + lang.L("shop default")
			}
			names = append(names, name)
		}
		f.provider = &widget.Select{Options: names}
		for i, p := range f.providers {
			if p == def {
				f.provider.SetSelectedIndex(i)
			}
		}
		items = append(items, &widget.FormItem{Text: lang.L("Booked by"), Widget: f.provider})
	}
	if f.action == app.ActionArrangePickup {
		f.slots = app.NextPickupSlots(m.now(), f.pol.Zone(), 10)
		var labels []string
		for _, sl := range f.slots {
			labels = append(labels, sl.From.Format("Mon 02 Jan 15:04")+"–"+sl.To.Format("15:04"))
		}
		f.slot = &widget.Select{Options: labels}
		if len(labels) > 0 {
			f.slot.SetSelectedIndex(0)
		}
		f.place = &widget.Entry{Text: f.pol.ShopAddress, PlaceHolder: lang.L("Pickup address")}
		items = append(items, &widget.FormItem{Text: lang.L("Time"), Widget: f.slot}, &widget.FormItem{Text: lang.L("Place"), Widget: f.place})
	}
	packed := app.OrderParcel(f.order)
	num := func(n int, hint string) *widget.Entry {
		e := &widget.Entry{PlaceHolder: hint}
		if n > 0 {
			e.SetText(strconv.Itoa(n))
		}
		return e
	}
	f.weight = num(packed.WeightGrams, lang.L("grams"))
	f.length, f.width, f.height = num(packed.LengthCm, "L"), num(packed.WidthCm, "W"), num(packed.HeightCm, "H")
	f.ask = &widget.Button{Text: lang.L("Show rates"), OnTapped: func() { f.askRates() }}
	f.status = &widget.Label{Wrapping: fyne.TextWrapWord}
	f.rates = &widget.RadioGroup{}
	f.courier = &widget.Select{Options: couriers, PlaceHolder: lang.L("Courier")}
	if f.order.Shipment.Courier != "" {
		f.courier.SetSelected(app.CourierName(f.order.Shipment.Courier))
	}
	f.service = &widget.Entry{PlaceHolder: lang.L("Service (REG, YES…)")}
	f.choice = container.NewVBox()
	items = append(items, &widget.FormItem{Text: lang.L("Courier"), Widget: f.choice})
	title := lang.L("Arrange pickup")
	if f.action == app.ActionArrangeDropoff {
		title = lang.L("Drop off at the courier")
	}
	if dr == nil {
		f.refresh(true)
	} else {
		f.apply(dr)
		f.refresh(false)
		if len(dr.offers) > 0 {
			f.showRates(dr.offers, nil)
			f.rates.Selected = dr.rate
			f.rates.Refresh()
		}
	}
	if f.provider != nil {
		f.provider.OnChanged = func(string) { f.offline = false; f.refresh(true) }
	}
	askForm(title, lang.L("Arrange"), items, fyne.NewSize(560, 560), f.decide, m.win)
}

// refresh lays the courier part out for the chosen provider; ask asks for
// rates at once when the provider books and the tablet can ask.
func (f *arrangeForm) refresh(ask bool) {
	p := f.chosen()
	f.way.SetText(say(app.ShippingWay(f.order, p)))
	var rows []fyne.CanvasObject
	switch {
	case !p.Books():
		rows = []fyne.CanvasObject{f.courier}
		if f.action == app.ActionArrangeDropoff {
			rows = append(rows, f.service)
		}
	case f.offline:
		rows = []fyne.CanvasObject{f.status, f.courier, f.service}
	default:
		size := container.NewGridWithColumns(3, f.length, f.width, f.height)
		rows = []fyne.CanvasObject{
			container.NewBorder(nil, nil, widget.NewLabel(lang.L("Weight (g)")), nil, f.weight),
			container.NewBorder(nil, nil, widget.NewLabel(lang.L("Size (cm)")), nil, size),
			f.ask, f.status, f.rates,
		}
	}
	f.choice.Objects = rows
	f.choice.Refresh()
	if ask && p.Books() && !f.offline {
		f.askRates()
	}
}

// askRates asks the cloud for the provider's rates for the parcel typed.
func (f *arrangeForm) askRates() {
	m, p := f.d.m, f.chosen()
	parcel, err := app.ParseRateParcel(f.weight.Text, f.length.Text, f.width.Text, f.height.Text)
	if err != nil {
		f.status.SetText(errorText(err))
		return
	}
	if m.d.Rates == nil || (m.d.Sync != nil && m.d.Sync.State().Status == SyncOffline) {
		f.goOffline(say(app.Text("The tablet is offline: rates cannot be asked now")))
		return
	}
	f.asked++
	n, id := f.asked, f.order.ID
	f.status.SetText(lang.L("Asking {{.P}} for rates…", map[string]any{"P": app.Word(p.Label()).In(staffLang)}))
	f.offers = nil
	f.rates.Options = nil
	f.rates.Selected = ""
	f.rates.Refresh()
	load(func() ([]app.RateOffer, error) { return m.d.Rates(id, p, parcel) }, func(offers []app.RateOffer, err error) {
		if n != f.asked || p != f.chosen() {
			return
		}
		f.showRates(offers, err)
	})
}

// showRates lists each courier and service with its price and ETA, the
// cheapest and the fastest marked, the cheapest chosen.
func (f *arrangeForm) showRates(offers []app.RateOffer, err error) {
	if app.ErrorCode(err) == app.EUnreachable {
		f.goOffline(errorText(err))
		return
	}
	if err != nil {
		f.status.SetText(errorText(err))
		return
	}
	if len(offers) == 0 {
		f.status.SetText(say(app.Text("%s has no courier for this parcel", f.chosen().Label())))
		return
	}
	f.offers = offers
	cur := f.pol.Currency
	if cur == "" {
		cur = app.IDR
	}
	options := make([]string, len(offers))
	pick := -1
	for i, r := range offers {
		var marks []string
		if r.Cheapest {
			marks = append(marks, lang.L("cheapest"))
			if pick < 0 {
				pick = i
			}
		}
		if r.Fastest {
			marks = append(marks, lang.L("fastest"))
		}
		line := rateLine(r, cur)
		if len(marks) > 0 {
			line += "  ★ " + strings.Join(marks, ", ")
		}
		options[i] = line
	}
	f.rates.Options = options
	if pick < 0 {
		pick = 0
	}
	f.rates.Selected = options[pick]
	f.rates.Refresh()
	f.status.SetText(lang.L("{{.N}} services; choose one", map[string]any{"N": len(offers)}))
}

// rateLine is one offer as the dialog lists it: courier, service, price, ETA.
func rateLine(r app.RateOffer, cur app.Currency) string {
	name := r.CourierName
	if name == "" {
		name = app.CourierName(r.Courier)
	}
	service := r.ServiceName
	if service == "" {
		service = r.Service
	}
	return name + " " + service + " · " + cur.Format(r.Price) + " · " + say(r.ETA())
}

// goOffline says why rates cannot be shown and lets staff name the courier:
// the booking waits for the cloud, which asks the provider for that courier.
func (f *arrangeForm) goOffline(why string) {
	f.offline = true
	f.status.SetText(why + "\n" + say(app.Text("Choose the courier yourself: the booking is queued and sent with the provider's price when the tablet is back online")))
	f.refresh(false)
}

// decide turns what was chosen into the arrange command; a parcel weighed
// or measured here is recorded on the order first, so the booking carries it.
func (f *arrangeForm) decide() (func(), error) {
	var args app.Args
	if f.action == app.ActionArrangePickup {
		if f.slot.SelectedIndex() < 0 {
			return nil, app.FieldError("Time", "choose a pickup time")
		}
		sl := f.slots[f.slot.SelectedIndex()]
		args.PickupFrom, args.PickupTo, args.PickupAddress = sl.From, sl.To, strings.TrimSpace(f.place.Text)
	}
	p := f.chosen()
	if !f.marketplace() {
		args.Provider = p
	}
	switch {
	case !p.Books():
		args.Courier = f.courier.Selected
		if f.action == app.ActionArrangeDropoff {
			args.Service = strings.TrimSpace(f.service.Text)
		}
	case f.offline:
		if f.courier.Selected == "" {
			return nil, app.FieldError("Courier", "choose the courier: rates cannot be asked now")
		}
		args.Rate = &app.ShipmentRate{Courier: f.courier.Selected, Service: strings.TrimSpace(f.service.Text)}
	default:
		i := -1
		for j, o := range f.rates.Options {
			if o == f.rates.Selected {
				i = j
			}
		}
		if i < 0 || i >= len(f.offers) {
			return nil, app.FieldError("Rate", "choose a courier and service from %s's rates", p.Label())
		}
		r := f.offers[i].ShipmentRate
		args.Rate = &r
	}
	setParcel, err := f.parcelCommand()
	if err != nil {
		return nil, err
	}
	d, a, dr := f.d, f.action, f.draft()
	again := func() { d.askArrangeFrom(a, dr) }
	arrange := func() { d.runOr(a, args, again) }
	if setParcel == nil {
		return arrange, nil
	}
	return func() { d.m.do(*setParcel, again, func(*app.Result) { arrange() }, nil) }, nil
}

// parcelCommand records the weight and size typed here on the order's one
// parcel when they differ from what it holds; nil when nothing changed.
func (f *arrangeForm) parcelCommand() (*app.Command, error) {
	if !f.chosen().Books() || f.offline || len(f.order.Parcels) != 1 {
		return nil, nil
	}
	typed, err := app.ParseRateParcel(f.weight.Text, f.length.Text, f.width.Text, f.height.Text)
	if err != nil {
		return nil, err
	}
	if typed.IsZero() || typed == app.OrderParcel(f.order) {
		return nil, nil
	}
	args := app.Args{Parcel: 1, WeightGrams: typed.WeightGrams}
	if typed.LengthCm > 0 && typed.WidthCm > 0 && typed.HeightCm > 0 {
		args.LengthCm, args.WidthCm, args.HeightCm = typed.LengthCm, typed.WidthCm, typed.HeightCm
	}
	return &app.Command{Action: app.ActionSetParcel, OrderID: f.order.ID, Args: args}, nil
}
