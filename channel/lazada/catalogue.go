package lazada

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

// Product is one entry of GetProducts' data.products
// (GET /products/get, https://open.lazada.com/apps/doc/api?path=%2Fproducts%2Fget):
//
//	{"total_products":1,"products":[{"item_id":6718170187,"attributes":{"name":"Kaos Polos"},
//	  "skus":[{"SkuId":12761620980,"SellerSku":"SKU-001","ShopSku":"6718170187_ID-12761620980",
//	           "quantity":20,"price":75000.00,"Url":"https://www.lazada.co.id/…","Status":"active"}]}]}
type Product struct {
	ItemID     ID `json:"item_id"`
	Attributes struct {
		Name string `json:"name"`
	} `json:"attributes"`
	SKUs []struct {
		SkuID     ID     `json:"SkuId"`
		SellerSku string `json:"SellerSku"`
		ShopSku   string `json:"ShopSku"`
		Quantity  int    `json:"quantity"`
		Price     Amount `json:"price"`
		URL       string `json:"Url"`
		Status    string `json:"Status"`
	} `json:"skus"`
}

type productsAnswer struct {
	TotalProducts int       `json:"total_products"`
	Products      []Product `json:"products"`
}

// pageSize is GetProducts' and GetOrders' largest page.
const pageSize = 50

// products reads one page of the seller's products, all of them or those
// of the given seller SKUs.
func (a *Adapter) products(ctx context.Context, acc account, offset int, skus ...string) (productsAnswer, error) {
	p := url.Values{"filter": {"all"}, "offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(pageSize)}}
	if len(skus) > 0 {
		p.Set("sku_seller_list", jsonParam(skus))
	}
	var ans productsAnswer
	err := a.data(ctx, acc, a.api(acc, http.MethodGet, "/products/get", p), &ans)
	return ans, err
}

// Listings reads every listing of the seller (channel.Catalogue), one
// per SKU, so the shop sees those that are not in its catalogue.
func (a *Adapter) Listings(ctx context.Context, f map[string]string) ([]channel.RemoteListing, error) {
	acc, err := accountOf(f)
	if err != nil {
		return nil, err
	}
	var out []channel.RemoteListing
	for offset := 0; ; offset += pageSize {
		ans, err := a.products(ctx, acc, offset)
		if err != nil {
			return nil, err
		}
		for _, p := range ans.Products {
			for i, s := range p.SKUs {
				price, err := s.Price.rupiah("products.skus[" + strconv.Itoa(i) + "].price")
				if err != nil {
					return nil, err
				}
				out = append(out, channel.RemoteListing{ID: string(p.ItemID) + ":" + string(s.SkuID), SKU: strings.TrimSpace(s.SellerSku),
					Name: p.Attributes.Name, Price: price, Qty: s.Quantity, URL: s.URL})
			}
		}
		if len(ans.Products) < pageSize || offset+pageSize >= ans.TotalProducts {
			return out, nil
		}
	}
}

// where finds the item and SKU ids of a seller SKU, once per seller.
func (a *Adapter) where(ctx context.Context, acc account, sku string) (skuRef, bool, error) {
	key := acc.key() + "\x00" + sku
	a.mu.Lock()
	ref, ok := a.skus[key]
	a.mu.Unlock()
	if ok {
		return ref, true, nil
	}
	ans, err := a.products(ctx, acc, 0, sku)
	if err != nil {
		return skuRef{}, false, err
	}
	for _, p := range ans.Products {
		for _, s := range p.SKUs {
			if s.SellerSku == sku {
				ref = skuRef{itemID: string(p.ItemID), skuID: string(s.SkuID)}
				a.mu.Lock()
				if a.skus == nil {
					a.skus = map[string]skuRef{}
				}
				a.skus[key] = ref
				a.mu.Unlock()
				return ref, true, nil
			}
		}
	}
	return skuRef{}, false, nil
}

// stockRequest is UpdatePriceQuantity's payload
// (POST /product/price_quantity/update, https://open.lazada.com/apps/doc/api?path=%2Fproduct%2Fprice_quantity%2Fupdate;
// the single-warehouse format of the "Inventory management API" guide):
// <Request><Product><Skus><Sku><ItemId>…</ItemId><SkuId>…</SkuId><SellerSku>…</SellerSku><Quantity>20</Quantity></Sku></Skus></Product></Request>.
type stockRequest struct {
	XMLName xml.Name `xml:"Request"`
	SKUs    []struct {
		ItemID    string `xml:"ItemId"`
		SkuID     string `xml:"SkuId"`
		SellerSku string `xml:"SellerSku"`
		Quantity  int    `xml:"Quantity"`
	} `xml:"Product>Skus>Sku"`
}

// Stock sets the quantity of a SKU's listing. A SKU Lazada does not list
// is not an error: the shop sells it elsewhere. Setting a figure twice is harmless.
func (a *Adapter) Stock(ctx context.Context, f map[string]string, l channel.Listing) error {
	acc, err := accountOf(f)
	if err != nil {
		return err
	}
	if strings.TrimSpace(l.SKU) == "" {
		// An empty sku_seller_list would list every product, not this one.
		return app.FieldError("sku", "is required")
	}
	ref, ok, err := a.where(ctx, acc, l.SKU)
	if err != nil || !ok {
		return err
	}
	var req stockRequest
	req.SKUs = append(req.SKUs, struct {
		ItemID    string `xml:"ItemId"`
		SkuID     string `xml:"SkuId"`
		SellerSku string `xml:"SellerSku"`
		Quantity  int    `xml:"Quantity"`
	}{ref.itemID, ref.skuID, l.SKU, max(l.Qty, 0)})
	payload, err := xml.Marshal(req)
	if err != nil {
		return err
	}
	_, _, err = a.do(ctx, acc, a.api(acc, http.MethodPost, "/product/price_quantity/update", url.Values{"payload": {string(payload)}}))
	return err
}

// ordersAnswer is GetOrders' data
// (GET /orders/get, https://open.lazada.com/apps/doc/api?path=%2Forders%2Fget):
// {"count":1,"countTotal":1,"orders":[{"order_id":260422900198363,"statuses":["pending"],"updated_at":"…"}]}.
type ordersAnswer struct {
	Count      int `json:"count"`
	CountTotal int `json:"countTotal"`
	Orders     []struct {
		OrderID ID `json:"order_id"`
	} `json:"orders"`
}

// maxOffset is the largest offset GetOrders takes ("Get Order" tutorial:
// offset maximum value 5000); past it the window restarts from the last order's time.
const maxOffset = 5000

// Updated lists the ids of the seller's orders updated in [from, to)
// (channel.Lister), oldest first, through update_after and update_before.
func (a *Adapter) Updated(ctx context.Context, f map[string]string, from, to time.Time) ([]string, error) {
	acc, err := accountOf(f)
	if err != nil {
		return nil, err
	}
	if !from.Before(to) {
		return nil, app.FieldError("from", "must be before to")
	}
	// Lazada takes whole seconds: the window widens to them rather than
	// lose an order updated in the last fraction of a second.
	from = from.Truncate(time.Second)
	if t := to.Truncate(time.Second); !t.Equal(to) {
		to = t.Add(time.Second)
	}
	seen := map[string]bool{}
	var ids []string
	for offset := 0; offset <= maxOffset; offset += pageSize {
		p := url.Values{"update_after": {from.Format(time.RFC3339)}, "update_before": {to.Format(time.RFC3339)},
			"status": {"all"}, "sort_by": {"updated_at"}, "sort_direction": {"ASC"},
			"offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(pageSize)}}
		var ans ordersAnswer
		if err := a.data(ctx, acc, a.api(acc, http.MethodGet, "/orders/get", p), &ans); err != nil {
			return nil, err
		}
		for _, o := range ans.Orders {
			if id := string(o.OrderID); id != "" && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		if len(ans.Orders) < pageSize || offset+pageSize >= ans.CountTotal {
			return ids, nil
		}
	}
	return ids, &channel.Unavailable{Platform: Platform, Err: errors.New("more orders changed than one listing reaches; list a shorter window")}
}

// documentAnswer is PrintAWB's result.data
// (POST /order/package/document/get, https://open.lazada.com/apps/doc/api?path=%2Forder%2Fpackage%2Fdocument%2Fget):
// {"doc_type":"PDF","pdf_url":"https://…","file":""}.
type documentAnswer struct {
	DocType string `json:"doc_type"`
	PDFURL  string `json:"pdf_url"`
	File    string `json:"file"`
}

// AirwayBill fetches the order's airway bill as Lazada prints it: the
// packages' PDF (PrintAWB with doc_type PDF), downloaded from the pdf_url
// Lazada answers.
func (a *Adapter) AirwayBill(ctx context.Context, f map[string]string, o *app.Order) ([]byte, string, error) {
	acc, err := accountOf(f)
	if err != nil {
		return nil, "", err
	}
	if err := app.ValidateExternalID(app.ChannelLazada, "external_id", o.ExternalID); err != nil {
		return nil, "", err
	}
	items, _, err := a.items(ctx, acc, o.ExternalID)
	if err != nil {
		return nil, "", err
	}
	pkgs := map[string]bool{}
	for _, it := range items {
		if it.PackageID != "" && status(it) != Cancelled {
			pkgs[it.PackageID] = true
		}
	}
	if len(pkgs) == 0 {
		return nil, "", refuse("the order has no package yet; create the package first")
	}
	var list []map[string]string
	for _, p := range sortedKeys(pkgs) {
		list = append(list, map[string]string{"package_id": p})
	}
	var doc documentAnswer
	if err := a.data(ctx, acc, a.api(acc, http.MethodPost, "/order/package/document/get",
		url.Values{"getDocumentReq": {jsonParam(map[string]any{"doc_type": "PDF", "packages": list})}}), &doc); err != nil {
		return nil, "", err
	}
	if doc.PDFURL == "" {
		return nil, "", refuse("the airway bill answer carries no pdf_url")
	}
	return a.download(ctx, doc.PDFURL)
}

// download fetches the bill's file; a failure to reach it is Unavailable, so the printer asks again later.
func (a *Adapter) download(ctx context.Context, u string) ([]byte, string, error) {
	hc := a.Caller.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, "", refuse("the airway bill's pdf_url is not a URL: " + err.Error())
	}
	resp, err := hc.Do(r)
	if err != nil {
		return nil, "", &channel.Unavailable{Platform: Platform, Err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, "", &channel.Unavailable{Platform: Platform, Err: err}
	}
	if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
		return nil, "", &channel.Unavailable{Platform: Platform, Err: errors.New(resp.Status)}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, "", &channel.Refusal{Platform: Platform, Status: resp.StatusCode, Message: "the airway bill could not be downloaded", Body: channel.Truncate(b)}
	}
	mt := resp.Header.Get("Content-Type")
	if mt == "" || strings.HasPrefix(mt, "application/octet-stream") {
		mt = http.DetectContentType(b)
	}
	return b, mt, nil
}
