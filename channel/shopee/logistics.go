package shopee

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

const (
	pathShippingParameter = "/api/v2/logistics/get_shipping_parameter"
	pathShipOrder         = "/api/v2/logistics/ship_order"
	pathCreateDocument    = "/api/v2/logistics/create_shipping_document"
	pathDocumentResult    = "/api/v2/logistics/get_shipping_document_result"
	pathDownloadDocument  = "/api/v2/logistics/download_shipping_document"
)

// DocumentType is the airway bill the register prints: the thermal one,
// sized for a label printer (shipping_document_type of
// v2.logistics.create_shipping_document).
const DocumentType = "THERMAL_AIR_WAYBILL"

// ShippingParameter is get_shipping_parameter's response
// (https://open.shopee.com/documents/v2/v2.logistics.get_shipping_parameter?module=95&type=1):
//
//	{"info_needed":{"dropoff":["branch_id"],"pickup":["address_id","pickup_time_id"],"non_integrated":[]},
//	 "dropoff":{"branch_list":[{"branch_id":1,"region":"ID","city":"…","address":"…"}]},
//	 "pickup":{"address_list":[{"address_id":123,"region":"ID","city":"…","address":"…","zipcode":"12160",
//	   "address_flag":["default_address","pickup_address"],
//	   "time_slot_list":[{"date":1608103685,"time_text":"…","pickup_time_id":"1608103685","flags":["recommended"]}]}]}}
type ShippingParameter struct {
	InfoNeeded struct {
		Dropoff       []string `json:"dropoff"`
		Pickup        []string `json:"pickup"`
		NonIntegrated []string `json:"non_integrated"`
	} `json:"info_needed"`
	Dropoff *struct {
		BranchList []struct {
			BranchID int64  `json:"branch_id"`
			Address  string `json:"address"`
		} `json:"branch_list"`
	} `json:"dropoff"`
	Pickup *struct {
		AddressList []PickupAddress `json:"address_list"`
	} `json:"pickup"`
}

// PickupAddress is one of the shop's addresses a courier can come to.
type PickupAddress struct {
	AddressID   int64      `json:"address_id"`
	Address     string     `json:"address"`
	City        string     `json:"city"`
	AddressFlag []string   `json:"address_flag"`
	TimeSlots   []TimeSlot `json:"time_slot_list"`
}

// TimeSlot is one pickup window Shopee offers.
type TimeSlot struct {
	Date         int64    `json:"date"`
	TimeText     string   `json:"time_text"`
	PickupTimeID string   `json:"pickup_time_id"`
	Flags        []string `json:"flags"`
}

// needs reports whether Shopee asks for a field ("address_id",
// "pickup_time_id", "branch_id", "sender_real_name", "tracking_no").
func needs(list []string, field string) bool { return slices.Contains(list, field) }

// refused is a refusal in the register's words, for a shipment Shopee
// cannot be asked for as arranged.
func refused(msg app.Message) error {
	return &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: msg.String()}
}

// ship arranges the shipment at Shopee as the register arranged it:
// get_shipping_parameter says what Shopee needs, then ship_order with a
// pickup (the shop's pickup address and the time slot nearest the one
// chosen) or a drop-off (a branch, when Shopee names them).
func (a *Adapter) ship(ctx context.Context, acc *account, o *app.Order) error {
	var p ShippingParameter
	if err := a.call(ctx, acc, http.MethodGet, pathShippingParameter, url.Values{"order_sn": {o.ExternalID}}, nil, &p); err != nil {
		return err
	}
	body := map[string]any{"order_sn": o.ExternalID}
	switch o.Shipment.Method {
	case app.ShipDropoff:
		drop := map[string]any{}
		if needs(p.InfoNeeded.Dropoff, "branch_id") {
			if p.Dropoff == nil || len(p.Dropoff.BranchList) == 0 {
				return refused(app.Text("Shopee offers no drop-off branch for this order"))
			}
			drop["branch_id"] = p.Dropoff.BranchList[0].BranchID
		}
		if needs(p.InfoNeeded.Dropoff, "sender_real_name") {
			return refused(app.Text("Shopee needs the sender's real name for this drop-off; arrange it in Shopee Seller Centre"))
		}
		if needs(p.InfoNeeded.Dropoff, "tracking_no") {
			if o.Shipment.TrackingID == "" {
				return refused(app.Text("Shopee needs the courier's tracking ID for this drop-off"))
			}
			drop["tracking_number"] = o.Shipment.TrackingID
		}
		body["dropoff"] = drop
	default:
		if p.Pickup == nil && len(p.InfoNeeded.Pickup) == 0 {
			if p.Dropoff != nil || len(p.InfoNeeded.Dropoff) > 0 {
				return refused(app.Text("Shopee offers no pickup for this order: arrange a drop-off"))
			}
		}
		pick := map[string]any{}
		if needs(p.InfoNeeded.Pickup, "address_id") {
			addr := pickupAddress(p)
			if addr == nil {
				return refused(app.Text("pickup address is not set"))
			}
			pick["address_id"] = addr.AddressID
			if needs(p.InfoNeeded.Pickup, "pickup_time_id") {
				slot := chooseSlot(addr.TimeSlots, o.Shipment.PickupFrom)
				if slot == nil {
					return refused(app.Text("Shopee offers no pickup time at this address"))
				}
				pick["pickup_time_id"] = slot.PickupTimeID
			}
		}
		body["pickup"] = pick
	}
	err := a.call(ctx, acc, http.MethodPost, pathShipOrder, nil, body, nil)
	if r, ok := channel.IsRefusal(err); ok && strings.Contains(r.Message, "package_already_shipped") {
		return nil // arranged already: what the register asked for is so
	}
	return err
}

// pickupAddress is the address flagged for pickups, else the default one, else the first.
func pickupAddress(p ShippingParameter) *PickupAddress {
	if p.Pickup == nil || len(p.Pickup.AddressList) == 0 {
		return nil
	}
	for _, flag := range []string{"pickup_address", "default_address"} {
		for i, addr := range p.Pickup.AddressList {
			if slices.Contains(addr.AddressFlag, flag) {
				return &p.Pickup.AddressList[i]
			}
		}
	}
	return &p.Pickup.AddressList[0]
}

// chooseSlot is the slot nearest the time staff chose, else the one Shopee
// recommends, else the first.
func chooseSlot(slots []TimeSlot, want time.Time) *TimeSlot {
	if len(slots) == 0 {
		return nil
	}
	if !want.IsZero() {
		best, gap := -1, time.Duration(0)
		for i, s := range slots {
			d := time.Unix(s.Date, 0).Sub(want)
			if d < 0 {
				d = -d
			}
			if best < 0 || d < gap {
				best, gap = i, d
			}
		}
		return &slots[best]
	}
	for i, s := range slots {
		if slices.Contains(s.Flags, "recommended") {
			return &slots[i]
		}
	}
	return &slots[0]
}

// docOrder names one order of the shipping document calls.
type docOrder struct {
	OrderSN              string `json:"order_sn"`
	PackageNumber        string `json:"package_number,omitempty"`
	TrackingNumber       string `json:"tracking_number,omitempty"`
	ShippingDocumentType string `json:"shipping_document_type,omitempty"`
}

// docResult is one entry of result_list of create_shipping_document and
// get_shipping_document_result
// (https://open.shopee.com/documents/v2/v2.logistics.create_shipping_document?module=95&type=1,
// .../v2.logistics.get_shipping_document_result?module=95&type=1):
// {"order_sn":"…","package_number":"…","status":"READY","fail_error":"","fail_message":""}.
type docResult struct {
	OrderSN     string `json:"order_sn"`
	Status      string `json:"status"`
	FailError   string `json:"fail_error"`
	FailMessage string `json:"fail_message"`
}

func (r docResult) err() error {
	if r.FailError == "" {
		return nil
	}
	msg := r.FailMessage
	if msg == "" {
		msg = r.FailError
	} else {
		msg += " (" + r.FailError + ")"
	}
	return &channel.Refusal{Platform: Platform, Status: http.StatusOK, Message: msg}
}

// documentPolls bounds how often the bill's readiness is asked, documentWait apart.
const (
	documentPolls = 10
	documentWait  = 300 * time.Millisecond
)

// AirwayBill is Shopee's thermal airway bill of the order, as Shopee
// serves it (a PDF): create_shipping_document with the parcel's tracking
// number, get_shipping_document_result until it is READY, then
// download_shipping_document.
func (a *Adapter) AirwayBill(ctx context.Context, f map[string]string, o *app.Order) ([]byte, string, error) {
	acc, err := forShop(f)
	if err != nil {
		return nil, "", err
	}
	if err := app.ValidateExternalID(app.ChannelShopee, "external_id", o.ExternalID); err != nil {
		return nil, "", err
	}
	tn := strings.TrimSpace(o.Shipment.TrackingID)
	if tn == "" {
		if tn, err = a.trackingNumber(ctx, acc, o.ExternalID, ""); err != nil {
			return nil, "", err
		}
	}
	if tn == "" {
		return nil, "", refused(app.Text("Shopee has not given the parcel a tracking number yet"))
	}
	var created struct {
		ResultList []docResult `json:"result_list"`
	}
	err = a.call(ctx, acc, http.MethodPost, pathCreateDocument, nil,
		map[string]any{"order_list": []docOrder{{OrderSN: o.ExternalID, TrackingNumber: tn, ShippingDocumentType: DocumentType}}}, &created)
	if err != nil {
		return nil, "", err
	}
	for _, r := range created.ResultList {
		if err := r.err(); err != nil {
			return nil, "", err
		}
	}
	ready := false
	for n := 0; n < documentPolls && !ready; n++ {
		if n > 0 {
			t := time.NewTimer(documentWait)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, "", &channel.Unavailable{Platform: Platform, Err: ctx.Err()}
			case <-t.C:
			}
		}
		var res struct {
			ResultList []docResult `json:"result_list"`
		}
		err := a.call(ctx, acc, http.MethodPost, pathDocumentResult, nil,
			map[string]any{"order_list": []docOrder{{OrderSN: o.ExternalID, ShippingDocumentType: DocumentType}}}, &res)
		if err != nil {
			return nil, "", err
		}
		for _, r := range res.ResultList {
			if err := r.err(); err != nil {
				return nil, "", err
			}
			ready = ready || strings.EqualFold(r.Status, "READY")
			if strings.EqualFold(r.Status, "FAILED") {
				return nil, "", refused(app.Text("Shopee could not make the airway bill"))
			}
		}
	}
	if !ready {
		return nil, "", &channel.Unavailable{Platform: Platform, Err: errors.New("the airway bill is still being made")}
	}
	var doc []byte
	err = a.call(ctx, acc, http.MethodPost, pathDownloadDocument, nil,
		map[string]any{"shipping_document_type": DocumentType, "order_list": []docOrder{{OrderSN: o.ExternalID}}}, &doc)
	if err != nil {
		return nil, "", err
	}
	if len(doc) == 0 {
		return nil, "", refused(app.Text("Shopee sent an empty airway bill"))
	}
	mt := http.DetectContentType(doc)
	if bytes.HasPrefix(doc, []byte("%PDF")) {
		mt = "application/pdf"
	}
	return doc, mt, nil
}
