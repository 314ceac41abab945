package tiktok

import (
	"context"
	"net/http"
	"net/url"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// Package is the part of Get Package Detail the register reads
// (GET /fulfillment/202309/packages/{package_id},
// https://partner.tiktokshop.com/docv2/page/650aa39fbace3e02b75d8617):
//
//	{"package_id":"5433567853345","package_status":"PROCESSING","shipping_provider_name":"J&T Express",
//	 "shipping_provider_id":"6617675021119438849","tracking_number":"JX12345","handover_method":"PICKUP",
//	 "pickup_slot":{"start_time":1635338186,"end_time":1635345386},"orders":[{"id":"576461413038785752"}]}
type Package struct {
	PackageID            string `json:"package_id"`
	PackageStatus        string `json:"package_status"`
	ShippingProviderName string `json:"shipping_provider_name"`
	ShippingProviderID   string `json:"shipping_provider_id"`
	TrackingNumber       string `json:"tracking_number"`
	HandoverMethod       string `json:"handover_method"`
	PickupSlot           *Slot  `json:"pickup_slot,omitempty"`
}

// Slot is a pickup window, in Unix seconds.
type Slot struct {
	StartTime int64 `json:"start_time"`
	EndTime   int64 `json:"end_time"`
	// Available is spelled "avaliable" in TikTok's answer
	// (Get Package Handover Time Slots' sample and field list).
	Available *bool `json:"avaliable,omitempty"`
}

// handover is Get Package Handover Time Slots' data
// (GET /fulfillment/202309/packages/{package_id}/handover_time_slots,
// https://partner.tiktokshop.com/docv2/page/650aa5360fcef602bf324492):
// {"can_pickup":true,"can_drop_off":true,"pickup_slots":[{"start_time":…,"end_time":…,"avaliable":true}]}.
type handover struct {
	CanPickup   bool   `json:"can_pickup"`
	CanDropOff  bool   `json:"can_drop_off"`
	PickupSlots []Slot `json:"pickup_slots"`
}

func (a *Adapter) pkg(ctx context.Context, acc *account, id string) (*Package, error) {
	var p Package
	if err := a.call(ctx, acc, http.MethodGet, "/fulfillment/"+Version+"/packages/"+url.PathEscape(id), nil, nil, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// packageOf is the order's first package: TikTok makes one when the order
// is paid, and the register ships an order as one parcel.
func (a *Adapter) packageOf(ctx context.Context, acc *account, orderID string) (string, *Order, error) {
	_, o, err := a.order(ctx, acc, orderID)
	if err != nil {
		return "", nil, err
	}
	for _, p := range o.Packages {
		if p.ID != "" {
			return p.ID, o, nil
		}
	}
	for _, li := range o.LineItems {
		if li.PackageID != "" {
			return li.PackageID, o, nil
		}
	}
	return "", o, &channel.Refusal{Platform: Platform, Status: http.StatusOK,
		Message: app.Text("TikTok Shop has no package for order %s yet", orderID).String()}
}

// packageToShip is the order's package for Ship Package, which may not be
// made twice: a retold call reads the package back first, and shipped says
// the interrupted call got through (the package left TO_FULFILL).
func (a *Adapter) packageToShip(ctx context.Context, acc *account, orderID string, retold bool) (id string, o *Order, shipped bool, err error) {
	id, o, err = a.packageOf(ctx, acc, orderID)
	if err != nil || !retold {
		return id, o, false, err
	}
	p, err := a.pkg(ctx, acc, id)
	if err != nil {
		return "", nil, false, err
	}
	return id, o, p.PackageStatus != "" && p.PackageStatus != "TO_FULFILL", nil
}

// ship arranges the package's handover (Ship Package,
// POST /fulfillment/202309/packages/{package_id}/ship,
// https://partner.tiktokshop.com/docv2/page/650aa4f1defece02be6e7cb1):
// {"handover_method":"PICKUP","pickup_slot":{"start_time":…,"end_time":…}} or {"handover_method":"DROP_OFF"}.
// A pickup takes the slot the staff chose when TikTok offers it, else TikTok's first available one.
func (a *Adapter) ship(ctx context.Context, acc *account, o *app.Order, retold bool) error {
	id, _, shipped, err := a.packageToShip(ctx, acc, o.ExternalID, retold)
	if err != nil || shipped {
		return err
	}
	path := "/fulfillment/" + Version + "/packages/" + url.PathEscape(id)
	if o.Shipment.Method == app.ShipDropoff {
		return a.call(ctx, acc, http.MethodPost, path+"/ship", nil, map[string]any{"handover_method": "DROP_OFF"}, nil)
	}
	var h handover
	if err := a.call(ctx, acc, http.MethodGet, path+"/handover_time_slots", nil, nil, &h); err != nil {
		return err
	}
	slot := chooseSlot(h.PickupSlots, o.Shipment.PickupFrom.Unix(), !o.Shipment.PickupFrom.IsZero())
	if !h.CanPickup || slot == nil {
		return &channel.Refusal{Platform: Platform, Status: http.StatusOK,
			Message: app.Text("TikTok Shop offers no pickup for this package: arrange a drop-off").String()}
	}
	return a.call(ctx, acc, http.MethodPost, path+"/ship", nil,
		map[string]any{"handover_method": "PICKUP", "pickup_slot": map[string]int64{"start_time": slot.StartTime, "end_time": slot.EndTime}}, nil)
}

// chooseSlot is the available slot that holds the chosen window's start,
// else the first available one.
func chooseSlot(slots []Slot, from int64, chosen bool) *Slot {
	var first *Slot
	for i := range slots {
		s := &slots[i]
		if s.Available != nil && !*s.Available {
			continue
		}
		if first == nil {
			first = s
		}
		if chosen && s.StartTime <= from && from < s.EndTime {
			return s
		}
	}
	return first
}

// document is Get Package Shipping Document's data
// (GET /fulfillment/202309/packages/{package_id}/shipping_documents?document_type=SHIPPING_LABEL,
// https://partner.tiktokshop.com/docv2/page/650aa5fac16ffe02b8f112ca):
// {"doc_url":"https://…","tracking_number":"752455325694"}; the URL is valid for 24 hours.
type document struct {
	DocURL         string `json:"doc_url"`
	TrackingNumber string `json:"tracking_number"`
}

// AirwayBill fetches TikTok's shipping label for the order's package and
// downloads it from doc_url (a PDF by default).
func (a *Adapter) AirwayBill(ctx context.Context, f map[string]string, o *app.Order) ([]byte, string, error) {
	acc, err := forShop(f)
	if err != nil {
		return nil, "", err
	}
	id, _, err := a.packageOf(ctx, acc, o.ExternalID)
	if err != nil {
		return nil, "", err
	}
	var d document
	err = a.call(ctx, acc, http.MethodGet, "/fulfillment/"+Version+"/packages/"+url.PathEscape(id)+"/shipping_documents",
		url.Values{"document_type": {"SHIPPING_LABEL"}}, nil, &d)
	if err != nil {
		return nil, "", err
	}
	if d.DocURL == "" {
		return nil, "", &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: app.Text("TikTok Shop gave no shipping label for package %s", id).String()}
	}
	return a.get(ctx, d.DocURL)
}
