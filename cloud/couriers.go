package cloud

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
	"github.com/kasir/pos/courier"
	"github.com/kasir/pos/courier/biteship"
	"github.com/kasir/pos/courier/shipper"
)

// CouriersName is the courier bookings follower's cursor name.
const CouriersName = "couriers"

// courierHTTP calls the providers; courier.Call bounds each call as well.
var courierHTTP = &http.Client{Timeout: courier.Timeout}

// courierAccount is a shop's account with a provider, opened.
func (s *Server) courierAccount(shop string, p app.CourierProvider) (map[string]string, error) {
	if s.accounts == nil {
		return nil, fmt.Errorf("no accounts are open on this cloud")
	}
	list, err := s.accounts.List(shop)
	if err != nil {
		return nil, err
	}
	for _, acc := range list {
		if string(acc.Kind) == string(p) {
			return acc.Fields, nil
		}
	}
	return nil, app.Errorf(app.ENotFound, "the shop has no %s account (pos-cloud account set --kind %s)", p.Label(), string(p))
}

// CourierClient is the shop's provider client, from its account.
func (s *Server) CourierClient(shop string, p app.CourierProvider) (courier.Provider, error) {
	f, err := s.courierAccount(shop, p)
	if err != nil {
		return nil, err
	}
	switch p {
	case app.ProviderShipper:
		area, _ := strconv.Atoi(f["origin_area_id"])
		return &shipper.Client{Base: f["api_base"], APIKey: f["api_key"], OriginAreaID: area, LabelBase: f["label_base"], HTTP: courierHTTP}, nil
	case app.ProviderBiteship:
		lat, _ := strconv.ParseFloat(f["origin_latitude"], 64)
		lng, _ := strconv.ParseFloat(f["origin_longitude"], 64)
		return &biteship.Client{Base: f["api_base"], APIKey: f["api_key"], OriginPostalCode: f["origin_postal_code"],
			OriginLatitude: lat, OriginLongitude: lng, HTTP: courierHTTP}, nil
	}
	return nil, app.FieldError("Courier provider", "%q does not book couriers", string(p))
}

// nominalParcelGrams is the weight of a parcel nobody has weighed.
const nominalParcelGrams = 1000

// orderParcels is what a rate or a booking carries of an order.
func orderParcels(o *app.Order) ([]courier.Item, []courier.Parcel) {
	var items []courier.Item
	for _, l := range o.Lines {
		items = append(items, courier.Item{Name: l.Name, SKU: l.SKU, Value: int64(l.UnitPrice), Quantity: l.Qty})
	}
	var parcels []courier.Parcel
	for _, p := range o.Parcels {
		parcels = append(parcels, courier.Parcel{WeightGrams: p.WeightGrams, LengthCm: p.LengthCm, WidthCm: p.WidthCm, HeightCm: p.HeightCm})
	}
	if len(parcels) == 0 {
		parcels = []courier.Parcel{{}}
	}
	for i := range parcels {
		// Not weighed yet (Verify packed or the Arrange dialog sets it): a
		// nominal 1 kg box, so rates can still be shown and compared.
		if parcels[i].WeightGrams <= 0 {
			parcels[i].WeightGrams = nominalParcelGrams
		}
		if parcels[i].LengthCm <= 0 || parcels[i].WidthCm <= 0 || parcels[i].HeightCm <= 0 {
			parcels[i].LengthCm, parcels[i].WidthCm, parcels[i].HeightCm = 20, 15, 10
		}
	}
	return items, parcels
}

// typedParcel is the order's parcels as one box of the typed weight and
// size; a field staff left empty keeps what the parcels say.
func typedParcel(parcels []courier.Parcel, typed app.RateParcel) []courier.Parcel {
	var one courier.Parcel
	for _, p := range parcels {
		one.WeightGrams += p.WeightGrams
		one.LengthCm, one.WidthCm, one.HeightCm = max(one.LengthCm, p.LengthCm), max(one.WidthCm, p.WidthCm), max(one.HeightCm, p.HeightCm)
	}
	if typed.WeightGrams > 0 {
		one.WeightGrams = typed.WeightGrams
	}
	if typed.LengthCm > 0 && typed.WidthCm > 0 && typed.HeightCm > 0 {
		one.LengthCm, one.WidthCm, one.HeightCm = typed.LengthCm, typed.WidthCm, typed.HeightCm
	}
	return []courier.Parcel{one}
}

func buyerPlace(o *app.Order) courier.Place {
	return courier.Place{Name: o.Buyer.Name, Phone: o.Buyer.Phone, Email: o.Buyer.Email,
		Address: o.Buyer.Address.String(), PostalCode: o.Buyer.Address.PostalCode}
}

// Rates asks the provider for every courier and service for an order; the
// shop's default provider when p is empty. Cheapest and fastest are marked.
func (s *Server) Rates(ctx context.Context, shop, orderID string, p app.CourierProvider) ([]courier.Rate, error) {
	return s.RatesFor(ctx, shop, orderID, p, app.RateParcel{})
}

// RatesFor is Rates for the parcel staff weighed or typed in the Arrange
// dialog: its weight and size, where given, stand for the order's parcels.
func (s *Server) RatesFor(ctx context.Context, shop, orderID string, p app.CourierProvider, typed app.RateParcel) ([]courier.Rate, error) {
	var o *app.Order
	var pol app.Policy
	sh, err := s.store.Shop(shop)
	if err != nil {
		return nil, err
	}
	err = s.store.View(shop, func(tx ShopTx) error {
		if o, err = tx.Order(orderID); err != nil {
			return err
		}
		pol, err = shopPolicy(tx, sh)
		return err
	})
	if err != nil {
		return nil, err
	}
	if p == app.ProviderNone {
		p = pol.CourierProvider
	}
	client, err := s.CourierClient(shop, p)
	if err != nil {
		return nil, err
	}
	items, parcels := orderParcels(o)
	if !typed.IsZero() {
		parcels = typedParcel(parcels, typed)
	}
	return client.Rates(ctx, courier.RateRequest{Origin: courier.Place{Address: pol.ShopAddress}, Destination: buyerPlace(o),
		Items: items, Parcels: parcels, COD: o.PaymentMethod == app.PayCOD})
}

// Couriers books couriers for shipments arranged with Shipper or Biteship.
// It follows the change log, so a pickup confirmed on a tablet that was
// offline is booked once the change reaches the cloud. A booking is made at
// most once, by documented behaviour only: neither provider documents a
// look-up by our reference or a refusal of a repeated one (docs/couriers.md),
// so the follower records "sending" on the order before every create, and a
// create whose answer was lost — a timeout after the request left, a broken
// connection, a 5xx, a cloud killed mid-call — is recorded "may have been
// made" and never sent again by itself. The provider's push carrying our
// reference then attaches it; staff may book again after checking.
type Couriers struct {
	srv *Server
	// pending remembers references whose "pending" was already recorded, so
	// retries do not fill the history.
	mu      sync.Mutex
	pending map[string]bool
}

// NewCouriers returns the follower; Options.Followers attaches it.
func NewCouriers() *Couriers { return &Couriers{pending: map[string]bool{}} }

// Name is the follower's cursor name.
func (c *Couriers) Name() string { return CouriersName }

func (c *Couriers) attach(s *Server) { c.srv = s }

// Backoff retries a booking for as long as the provider is down, doubling to five minutes.
func (c *Couriers) Backoff(attempts int) (time.Duration, bool) { return followBackoff(attempts), false }

// Follow books the shipment the change arranged, if it still waits for a booking.
func (c *Couriers) Follow(ctx context.Context, e LogEntry) error {
	if c.srv == nil {
		return errors.New("couriers: not attached to a server")
	}
	if e.Order == "" {
		return nil
	}
	ch, err := e.Change()
	if err != nil {
		return Unprocessable(err)
	}
	if ch.Order == nil {
		return nil
	}
	if cs := ch.Order.Shipment; len(cs.Withdrawn) == 0 && !(cs.Provider.Books() &&
		(cs.Booking == app.BookingPending || cs.Booking == app.BookingSending || ch.Order.Status == app.StatusCancelled)) {
		return nil
	}
	// The change may be old: book what the order says now.
	var o *app.Order
	if err := c.srv.store.View(e.Shop, func(tx ShopTx) error {
		o, err = tx.Order(e.Order)
		return err
	}); err != nil {
		return err
	}
	for _, w := range o.Shipment.Withdrawn {
		if err := c.cancel(ctx, e.Shop, o, w); err != nil {
			return err
		}
	}
	sh := o.Shipment
	if o.Status == app.StatusCancelled && sh.Provider.Books() && sh.Booking == app.BookingBooked {
		return c.cancel(ctx, e.Shop, o, app.BookingRef{Provider: sh.Provider, Reference: sh.Reference, OrderID: sh.ProviderOrderID})
	}
	if sh.Provider.Books() && sh.Booking == app.BookingSending && sh.ProviderOrderID == "" {
		// "Sending" was recorded and no answer followed: this cloud stopped
		// during the create. The order may exist; it is not sent again.
		return c.record(e.Shop, o, app.BookingRecord{State: app.BookingUncertain,
			Message: "the cloud stopped while the order was being sent"})
	}
	if !sh.Provider.Books() || sh.Booking != app.BookingPending || sh.ProviderOrderID != "" || o.Status != app.StatusReadyToShip {
		return nil
	}
	return c.book(ctx, e.Shop, o)
}

// cancel cancels a booking the shop withdrew (cancelled, rescheduled, or
// the order cancelled) at its provider, then records it on the order.
func (c *Couriers) cancel(ctx context.Context, shop string, o *app.Order, w app.BookingRef) error {
	client, err := c.srv.CourierClient(shop, w.Provider)
	if err != nil {
		return Unprocessable(err)
	}
	id := w.OrderID
	if id == "" && w.MayExist {
		// Its create's answer was lost and no provider documents a look-up
		// by our reference: it is cancelled once a push or a late answer
		// names its order (app's recordReplaced and recogniseReplaced).
		return nil
	}
	if id != "" {
		if err := client.Cancel(ctx, id, "cancelled by the shop"); err != nil && courier.Refusal(err) == nil {
			return err
		} else if err != nil {
			c.srv.log.Warn("couriers: the provider refused the cancel", "shop", shop, "order", o.ID, "provider_order", id, "err", err)
		}
	}
	r := app.BookingRecord{Provider: w.Provider, Reference: w.Reference, State: app.BookingCancelled, OrderID: id}
	_, err = c.srv.Execute(shop, app.Command{Action: app.ActionRecordBooking, OrderID: o.ID, Args: app.Args{Booking: &r}},
		app.ChannelActor(string(w.Provider)), c.srv.now())
	if err != nil && app.ErrorCode(err) == app.EInvalid {
		return Unprocessable(err)
	}
	return err
}

func (c *Couriers) book(ctx context.Context, shop string, o *app.Order) error {
	sh := o.Shipment
	client, err := c.srv.CourierClient(shop, sh.Provider)
	if err != nil {
		return c.record(shop, o, app.BookingRecord{State: app.BookingRefused, Message: app.MessageOf(err).String(), Code: "account"})
	}
	var pol app.Policy
	if s, serr := c.srv.store.Shop(shop); serr == nil {
		_ = c.srv.store.View(shop, func(tx ShopTx) error { pol, _ = shopPolicy(tx, s); return nil })
	}
	acc, _ := c.srv.courierAccount(shop, sh.Provider)
	items, parcels := orderParcels(o)
	b := courier.Booking{ExternalID: sh.Reference, Origin: courier.Place{Name: channel.FirstNonEmpty(acc["contact_name"], shopName(c.srv, shop)),
		Phone: acc["contact_phone"], Address: channel.FirstNonEmpty(sh.PickupAddress, pol.ShopAddress)},
		Destination: buyerPlace(o), Items: items, Parcels: parcels, Pickup: sh.Method == app.ShipPickup,
		PickupFrom: sh.PickupFrom, PickupTo: sh.PickupTo}
	if o.PaymentMethod == app.PayCOD {
		b.CODAmount = int64(o.Total)
	}
	if sh.Rate != nil {
		b.Courier, b.Service, b.RateID = sh.Rate.Courier, sh.Rate.Service, sh.Rate.RateID
	}
	if sh.Rate == nil || sh.Rate.Price == 0 {
		// Arranged offline: staff named a courier (and maybe a service)
		// without a quote; the provider's offer for it is booked.
		var rate *courier.Rate
		if rate, err = quotedRate(ctx, client, pol, o, sh.Rate); err != nil {
			return c.bookingFailed(shop, o, courier.Unsent(err), false)
		}
		if rate == nil {
			var want app.ShipmentRate
			if sh.Rate != nil {
				want = *sh.Rate
			}
			why := app.Text("%s offers no %s service for this parcel", sh.Provider.Label(), want.Courier)
			if want.Service != "" {
				why = app.Text("%s offers no %s %s service for this parcel", sh.Provider.Label(), want.Courier, want.Service)
			}
			return c.record(shop, o, app.BookingRecord{State: app.BookingRefused, Code: "rate", Message: why.String()})
		}
		b.Courier, b.Service, b.RateID = rate.Courier, rate.Service, rate.RateID
	}
	// The claim: "sending" is on the order before the create leaves, so
	// a cloud restarted mid-call finds it and never sends it twice.
	claimed, err := c.claim(shop, o)
	if err != nil || !claimed {
		return err
	}
	found, err := client.Book(ctx, b)
	if err != nil && found != nil && found.OrderID != "" {
		// Created, but the pickup request failed: keep the order, report the pickup's answer.
		c.srv.log.Warn("couriers: booked but the pickup request failed", "shop", shop, "order", o.ID, "err", err)
		err = nil
	}
	if err != nil && courier.MayHaveActed(err) {
		c.srv.log.Warn("couriers: the create's answer was lost; waiting for the provider's push or staff", "shop", shop, "order", o.ID, "reference", sh.Reference, "err", err)
		return c.record(shop, o, app.BookingRecord{State: app.BookingUncertain, Message: clip(err.Error(), 200)})
	}
	if err != nil {
		return c.bookingFailed(shop, o, err, claimed)
	}
	return c.record(shop, o, app.BookingRecord{State: app.BookingBooked, OrderID: found.OrderID, TrackingID: found.TrackingID, AWB: found.AWB, Price: app.Money(found.Price)})
}

// claim records that the booking is being sent; false when the order's
// booking is no longer waiting to be sent (changed or claimed since).
func (c *Couriers) claim(shop string, o *app.Order) (bool, error) {
	r := app.BookingRecord{Provider: o.Shipment.Provider, Reference: o.Shipment.Reference, State: app.BookingSending}
	res, err := c.srv.Execute(shop, app.Command{Action: app.ActionRecordBooking, OrderID: o.ID, Args: app.Args{Booking: &r}},
		app.ChannelActor(string(r.Provider)), c.srv.now())
	switch {
	case app.ErrorCode(err) == app.EConflict:
		return false, nil
	case err != nil && app.ErrorCode(err) == app.EInvalid:
		return false, Unprocessable(err)
	case err != nil:
		return false, err
	}
	s := res.Order.Shipment
	return s.Reference == r.Reference && s.Booking == app.BookingSending, nil
}

// quotedRate is the provider's offer for the courier and service staff
// named without a quote: the cheapest offer of that courier (of that
// service, when one was named), or nil when the provider has none.
func quotedRate(ctx context.Context, client courier.Provider, pol app.Policy, o *app.Order, want *app.ShipmentRate) (*courier.Rate, error) {
	items, parcels := orderParcels(o)
	rates, err := client.Rates(ctx, courier.RateRequest{Origin: courier.Place{Address: pol.ShopAddress}, Destination: buyerPlace(o),
		Items: items, Parcels: parcels, COD: o.PaymentMethod == app.PayCOD})
	if err != nil {
		return nil, err
	}
	var best *courier.Rate
	for i, r := range rates {
		if want != nil && want.Courier != "" && app.CourierCode(r.Courier) != app.CourierCode(want.Courier) && app.CourierCode(r.CourierName) != app.CourierCode(want.Courier) {
			continue
		}
		if want != nil && want.Service != "" && !strings.EqualFold(r.Service, want.Service) && !strings.EqualFold(r.ServiceName, want.Service) {
			continue
		}
		if best == nil || r.Price < best.Price {
			best = &rates[i]
		}
	}
	return best, nil
}

// bookingFailed records a refusal in the provider's words, or that the
// booking is pending and returns the error so it is retried. Pending is
// recorded once, unless the create was claimed ("sending"): a create that
// did not leave puts the booking back to pending every time.
func (c *Couriers) bookingFailed(shop string, o *app.Order, err error, claimed bool) error {
	sh := o.Shipment
	if ref := courier.Refusal(err); ref != nil {
		return c.record(shop, o, app.BookingRecord{State: app.BookingRefused, Message: ref.Message, Code: ref.Code})
	}
	c.mu.Lock()
	first := !c.pending[shop+"\x00"+sh.Reference]
	c.pending[shop+"\x00"+sh.Reference] = true
	c.mu.Unlock()
	if first || claimed {
		if rerr := c.record(shop, o, app.BookingRecord{State: app.BookingPending, Message: clip(err.Error(), 200)}); rerr != nil {
			return rerr
		}
	}
	return fmt.Errorf("booking %s with %s: %w", sh.Reference, sh.Provider.Label(), err)
}

// record writes what the provider answered onto the order, through app's rules.
func (c *Couriers) record(shop string, o *app.Order, r app.BookingRecord) error {
	r.Provider, r.Reference = o.Shipment.Provider, o.Shipment.Reference
	_, err := c.srv.Execute(shop, app.Command{Action: app.ActionRecordBooking, OrderID: o.ID, Args: app.Args{Booking: &r}},
		app.ChannelActor(string(r.Provider)), c.srv.now())
	if app.ErrorCode(err) == app.EConflict {
		return nil // the booking moved on meanwhile (re-arranged, recognised): nothing to record
	}
	if err != nil && app.ErrorCode(err) == app.EInvalid {
		return Unprocessable(err)
	}
	return err
}

// clip keeps a provider's error short enough for the order's history.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func shopName(s *Server, shop string) string {
	if sh, err := s.store.Shop(shop); err == nil && sh.Name != "" {
		return sh.Name
	}
	return shop
}

// pushMatch names a shipment the way a provider's push does.
type pushMatch struct {
	provider                        app.CourierProvider
	orderID, trackingID, externalID string
	// altOrderID is another id the push gives the order (Shipper's object id).
	altOrderID string
}

// findShipment finds the order whose shipment the push is about: by the
// provider's order id, the tracking id or AWB, or our external id, through
// the shipment index, and only when the order's shipment still carries it.
func (s *Server) findShipment(shop string, m pushMatch) (*app.Order, error) {
	for _, k := range []struct {
		kind ShipmentKey
		id   string
	}{{ShipmentByOrderID, m.orderID}, {ShipmentByOrderID, m.altOrderID}, {ShipmentByTracking, m.trackingID}, {ShipmentByReference, m.externalID}} {
		if k.id == "" {
			continue
		}
		id, err := s.store.ShipmentOrder(shop, m.provider, k.kind, k.id)
		if err != nil || id == "" {
			if err != nil {
				return nil, err
			}
			continue
		}
		var o *app.Order
		if err := s.store.View(shop, func(tx ShopTx) error {
			var err error
			o, err = tx.Order(id)
			return err
		}); err != nil {
			if app.ErrorCode(err) == app.ENotFound {
				continue
			}
			return nil, err
		}
		sh := o.Shipment
		if sh.Provider == m.provider && ((m.orderID != "" && sh.ProviderOrderID == m.orderID) || (m.altOrderID != "" && sh.ProviderOrderID == m.altOrderID) ||
			(m.externalID != "" && sh.Reference == m.externalID) ||
			(m.trackingID != "" && (sh.AWB == m.trackingID || sh.TrackingID == m.trackingID))) {
			return o, nil
		}
		for _, w := range sh.Withdrawn {
			// A replaced booking that may still exist: the push names its order.
			if w.Provider == m.provider && m.externalID != "" && w.Reference == m.externalID {
				return o, nil
			}
		}
	}
	return nil, nil
}

// CourierPushReply is the answer to a courier provider's push.
type CourierPushReply struct {
	Status string `json:"status"`
	Order  string `json:"order,omitempty"`
}

// applyCourierPush applies a provider's status to the matched order; an unknown
// shipment is answered "ignored" so the provider stops retrying.
func (s *Server) applyCourierPush(shop string, m pushMatch, st app.ProviderStatus) (*CourierPushReply, error) {
	if err := st.Validate(); err != nil {
		return nil, err
	}
	o, err := s.findShipment(shop, m)
	if err != nil {
		return nil, err
	}
	if o == nil {
		s.log.Info("couriers: push for an unknown shipment ignored", "provider", string(m.provider), "shop", shop,
			"order_id", m.orderID, "tracking_id", m.trackingID, "external_id", m.externalID, "code", st.Code)
		return &CourierPushReply{Status: "ignored"}, nil
	}
	st.OrderID, st.Reference = m.orderID, m.externalID
	if _, err := s.Execute(shop, app.Command{Action: app.ActionProviderStatus, OrderID: o.ID, Args: app.Args{ProviderStatus: &st}},
		app.ChannelActor(string(m.provider)), s.now()); err != nil {
		return nil, err
	}
	return &CourierPushReply{Status: "ok", Order: o.ID}, nil
}

// CourierPush applies a courier provider's status push (Shipper's or
// Biteship's; body at most StatusPushBody bytes) to the order whose
// shipment it names, once one shop's account verifies it and admit (that
// shop's allowance) agrees. Errors: Unauthorized, ErrRateLimited, app's codes.
func (s *Server) CourierPush(p app.CourierProvider, r *http.Request, body []byte, admit func(shop string) bool) (*CourierPushReply, error) {
	switch p {
	case app.ProviderShipper:
		return s.shipperPush(body, admit)
	case app.ProviderBiteship:
		return s.biteshipPush(r, body, admit)
	}
	return nil, app.Errorf(app.ENotFound, "courier provider: no push route for %s", strconvQuote(string(p)))
}

// shipperPush is Shipper's push: the body's auth is
// md5(api_key + webhook_url + "json") of one shop's Shipper account.
func (s *Server) shipperPush(body []byte, admit func(shop string) bool) (*CourierPushReply, error) {
	if len(strings.TrimSpace(string(body))) == 0 {
		return &CourierPushReply{Status: "ok"}, nil
	}
	var p shipper.Push
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, app.FieldError("body", "is not Shipper's push: %s", err.Error())
	}
	shop := s.courierShop(app.ProviderShipper, func(f map[string]string) bool {
		want := shipper.PushAuth(f["api_key"], f["webhook_url"])
		return p.Auth != "" && subtle.ConstantTimeCompare([]byte(strings.ToLower(p.Auth)), []byte(want)) == 1
	})
	if shop == "" {
		return nil, Unauthorized("auth: matches no Shipper account")
	}
	if !admit(shop) {
		s.metrics.webhook("shipper", "rate_limited")
		return nil, ErrRateLimited
	}
	st := p.ExternalStatus
	code := strconv.Itoa(st.Code)
	// Shipper's payload (https://logistics-docs.shipper.id/docs/payload)
	// names its order id tracking_id ("Shipper Order ID", what create order
	// answers as order_id) and its own object id order_id; external_id is
	// ours, and recognises a booking whose create answer was lost.
	return s.applyCourierPush(shop, pushMatch{provider: app.ProviderShipper, orderID: channel.FirstNonEmpty(p.TrackingID, p.OrderID), altOrderID: p.OrderID,
		trackingID: channel.FirstNonEmpty(p.AWB, p.TrackingID), externalID: p.ExternalID},
		app.ProviderStatus{Provider: app.ProviderShipper, Code: code, Text: channel.FirstNonEmpty(st.Name, st.Description), Stage: app.ShipperStage(st.Code), AWB: strings.TrimSpace(p.AWB)})
}

// biteshipPush is Biteship's push: the request carries the static header
// a shop's Biteship account names; an empty body is Biteship's probe when
// the webhook is saved.
func (s *Server) biteshipPush(r *http.Request, body []byte, admit func(shop string) bool) (*CourierPushReply, error) {
	if len(strings.TrimSpace(string(body))) == 0 || strings.TrimSpace(string(body)) == "{}" {
		return &CourierPushReply{Status: "ok"}, nil
	}
	shop := s.courierShop(app.ProviderBiteship, func(f map[string]string) bool {
		got := r.Header.Get(f["webhook_header"])
		return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(f["webhook_secret"])) == 1
	})
	if shop == "" {
		return nil, Unauthorized("header: matches no Biteship account")
	}
	if !admit(shop) {
		s.metrics.webhook("biteship", "rate_limited")
		return nil, ErrRateLimited
	}
	var p biteship.Push
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, app.FieldError("body", "is not Biteship's push: %s", err.Error())
	}
	if p.Event != "" && p.Event != "order.status" && p.Event != "order.waybill_id" {
		return &CourierPushReply{Status: "ignored"}, nil
	}
	stage := app.BiteshipStage(p.Status)
	if p.Event == "order.waybill_id" {
		stage = app.StageInfo
	}
	m := pushMatch{provider: app.ProviderBiteship, orderID: p.OrderID, trackingID: channel.FirstNonEmpty(p.CourierWaybillID, p.CourierTrackingID), externalID: p.ReferenceID}
	if m.externalID == "" && m.orderID != "" {
		if o, err := s.findShipment(shop, m); err == nil && o == nil {
			m.externalID = s.biteshipReference(r.Context(), shop, m.orderID)
		}
	}
	return s.applyCourierPush(shop, m,
		app.ProviderStatus{Provider: app.ProviderBiteship, Code: channel.FirstNonEmpty(p.Status, p.Event), Text: p.Event, Stage: stage,
			AWB: strings.TrimSpace(p.CourierWaybillID), TrackingID: strings.TrimSpace(p.CourierTrackingID), Courier: p.CourierCompany,
			Driver: app.Driver{Name: p.CourierDriverName, Phone: p.CourierDriverPhone, Plate: p.CourierDriverPlateNumber}})
}

// biteshipReference is our reference of a Biteship order we hold no id of
// (a create whose answer was lost): Biteship's order.status push names the
// order by its id, and GET /v1/orders/:id (documented) answers its
// reference_id. "" when Biteship does not answer.
func (s *Server) biteshipReference(ctx context.Context, shop, orderID string) string {
	client, err := s.CourierClient(shop, app.ProviderBiteship)
	if err != nil {
		return ""
	}
	bc, ok := client.(*biteship.Client)
	if !ok {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	o, err := bc.Order(ctx, orderID)
	if err != nil {
		s.log.Info("couriers: reading a Biteship order a push named failed", "shop", shop, "order_id", orderID, "err", err)
		return ""
	}
	return o.ReferenceID
}

// courierShop is the shop whose provider account ok accepts, "" for none.
func (s *Server) courierShop(p app.CourierProvider, ok func(fields map[string]string) bool) string {
	if s.accounts == nil {
		return ""
	}
	shops, err := s.store.Shops()
	if err != nil {
		return ""
	}
	for _, sh := range shops {
		f, err := s.courierAccount(sh.ID, p)
		if err == nil && ok(f) {
			return sh.ID
		}
	}
	return ""
}

// RatesReply is what GET /v1/orders/{id}/rates answers a terminal.
type RatesReply struct {
	Order    string              `json:"order"`
	Provider app.CourierProvider `json:"provider"`
	Rates    []courier.Rate      `json:"rates"`
}

// TerminalRates are the couriers and services a provider offers for an
// order of the terminal's shop (ref is its id or number); provider none
// means the shop's own provider. A provider's refusal is a
// courier.Refusal; one that is down a courier.Error that is Unreachable.
func (s *Server) TerminalRates(ctx context.Context, term *Terminal, ref string, p app.CourierProvider, typed app.RateParcel) (*RatesReply, error) {
	o, err := s.store.OrderByRef(term.Shop, ref)
	if err != nil {
		return nil, err
	}
	if p == app.ProviderNone {
		if sh, err := s.store.Shop(term.Shop); err == nil {
			_ = s.store.View(term.Shop, func(tx ShopTx) error {
				if pol, err := shopPolicy(tx, sh); err == nil {
					p = pol.CourierProvider
				}
				return nil
			})
		}
	}
	if !p.Books() {
		return nil, app.FieldError("Courier provider", "%q does not book couriers", string(p))
	}
	rates, err := s.RatesFor(ctx, term.Shop, o.ID, p, typed)
	if err != nil {
		return nil, err
	}
	return &RatesReply{Order: o.ID, Provider: p, Rates: rates}, nil
}
