package shopee

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/channel"
)

const (
	pathItemList     = "/api/v2/product/get_item_list"
	pathItemBaseInfo = "/api/v2/product/get_item_base_info"
	pathModelList    = "/api/v2/product/get_model_list"
	pathUpdateStock  = "/api/v2/product/update_stock"
)

// indexLife is how long the shop's listings by SKU are trusted before they
// are read again; a SKU not found is looked for again after indexRetry.
const (
	indexLife  = 10 * time.Minute
	indexRetry = time.Minute
)

// itemPage is how many items get_item_list answers at once (its maximum),
// and baseInfoBatch how many get_item_base_info takes.
const (
	itemPage      = 100
	baseInfoBatch = 50
)

// modelIndex is the shop's listings, each model a listing, by seller SKU.
type modelIndex struct {
	at       time.Time
	listings []channel.RemoteListing
	bySKU    map[string][]ref
}

type ref struct{ item, model int64 }

// priceInfo and stockInfo are the price and stock of an item or model
// (get_item_base_info, get_model_list): price_info[].current_price and
// stock_info_v2.summary_info.total_available_stock.
type priceInfo struct {
	CurrentPrice  float64 `json:"current_price"`
	OriginalPrice float64 `json:"original_price"`
	Currency      string  `json:"currency"`
}

type stockInfo struct {
	Summary struct {
		Available int `json:"total_available_stock"`
	} `json:"summary_info"`
	SellerStock []struct {
		Stock int `json:"stock"`
	} `json:"seller_stock"`
}

func (s stockInfo) qty() int {
	if s.Summary.Available > 0 || len(s.SellerStock) == 0 {
		return s.Summary.Available
	}
	n := 0
	for _, l := range s.SellerStock {
		n += l.Stock
	}
	return n
}

// baseItem is one item of get_item_base_info's item_list
// (https://open.shopee.com/documents/v2/v2.product.get_item_base_info?module=89&type=1).
type baseItem struct {
	ItemID    int64       `json:"item_id"`
	ItemName  string      `json:"item_name"`
	ItemSKU   string      `json:"item_sku"`
	HasModel  bool        `json:"has_model"`
	PriceInfo []priceInfo `json:"price_info"`
	Stock     stockInfo   `json:"stock_info_v2"`
}

// modelList is get_model_list's response
// (https://open.shopee.com/documents/v2/v2.product.get_model_list?module=89&type=1):
// {"tier_variation":[{"name":"Warna","option_list":[{"option":"Hitam"}]}],
// "model":[{"model_id":N,"model_sku":"…","tier_index":[0],"price_info":[…],"stock_info_v2":{…}}]}.
type modelList struct {
	Tiers []struct {
		Name    string `json:"name"`
		Options []struct {
			Option string `json:"option"`
		} `json:"option_list"`
	} `json:"tier_variation"`
	Models []struct {
		ModelID   int64       `json:"model_id"`
		ModelSKU  string      `json:"model_sku"`
		TierIndex []int       `json:"tier_index"`
		PriceInfo []priceInfo `json:"price_info"`
		Stock     stockInfo   `json:"stock_info_v2"`
	} `json:"model"`
}

func price(cur app.Currency, p []priceInfo) app.Money {
	if len(p) == 0 {
		return 0
	}
	if c, err := app.ParseCurrency(p[0].Currency); err == nil {
		cur = c
	}
	m, err := amount("price_info.current_price", cur, p[0].CurrentPrice)
	if err != nil {
		return 0
	}
	return m
}

// readListings reads every listing of the shop: get_item_list (NORMAL and
// UNLIST items, page by page), get_item_base_info in batches, and
// get_model_list for each item with models.
func (a *Adapter) readListings(ctx context.Context, acc *account) (modelIndex, error) {
	idx := modelIndex{at: a.now(), bySKU: map[string][]ref{}}
	var ids []int64
	for offset := 0; ; {
		var page struct {
			Items []struct {
				ItemID int64 `json:"item_id"`
			} `json:"item"`
			HasNext    bool `json:"has_next_page"`
			NextOffset int  `json:"next_offset"`
		}
		q := url.Values{"offset": {strconv.Itoa(offset)}, "page_size": {strconv.Itoa(itemPage)}, "item_status": {"NORMAL", "UNLIST"}}
		if err := a.call(ctx, acc, http.MethodGet, pathItemList, q, nil, &page); err != nil {
			return idx, err
		}
		for _, it := range page.Items {
			ids = append(ids, it.ItemID)
		}
		if !page.HasNext || page.NextOffset <= offset {
			break
		}
		offset = page.NextOffset
	}
	add := func(l channel.RemoteListing, r ref) {
		idx.listings = append(idx.listings, l)
		if l.SKU != "" {
			idx.bySKU[l.SKU] = append(idx.bySKU[l.SKU], r)
		}
	}
	for start := 0; start < len(ids); start += baseInfoBatch {
		batch := ids[start:min(start+baseInfoBatch, len(ids))]
		list := make([]string, len(batch))
		for i, id := range batch {
			list[i] = strconv.FormatInt(id, 10)
		}
		var info struct {
			Items []baseItem `json:"item_list"`
		}
		if err := a.call(ctx, acc, http.MethodGet, pathItemBaseInfo, url.Values{"item_id_list": {strings.Join(list, ",")}}, nil, &info); err != nil {
			return idx, err
		}
		for _, it := range info.Items {
			page := "https://shopee.co.id/product/" + strconv.FormatInt(acc.shopID, 10) + "/" + strconv.FormatInt(it.ItemID, 10)
			if !it.HasModel {
				add(channel.RemoteListing{ID: LineID(it.ItemID, 0), SKU: strings.TrimSpace(it.ItemSKU), Name: it.ItemName,
					Price: price(app.IDR, it.PriceInfo), Qty: it.Stock.qty(), URL: page}, ref{it.ItemID, 0})
				continue
			}
			var ml modelList
			if err := a.call(ctx, acc, http.MethodGet, pathModelList, url.Values{"item_id": {strconv.FormatInt(it.ItemID, 10)}}, nil, &ml); err != nil {
				return idx, err
			}
			for _, m := range ml.Models {
				name := it.ItemName
				var opts []string
				for tier, opt := range m.TierIndex {
					if tier < len(ml.Tiers) && opt >= 0 && opt < len(ml.Tiers[tier].Options) {
						opts = append(opts, ml.Tiers[tier].Options[opt].Option)
					}
				}
				if len(opts) > 0 {
					name += " (" + strings.Join(opts, ", ") + ")"
				}
				add(channel.RemoteListing{ID: LineID(it.ItemID, m.ModelID), SKU: strings.TrimSpace(m.ModelSKU), Name: name,
					Price: price(app.IDR, m.PriceInfo), Qty: m.Stock.qty(), URL: page}, ref{it.ItemID, m.ModelID})
			}
		}
	}
	return idx, nil
}

// index is the shop's listings, read again once older than indexLife, or
// than indexRetry when sku is not among them.
func (a *Adapter) index(ctx context.Context, acc *account, sku string) (modelIndex, error) {
	a.mu.Lock()
	idx, ok := a.models[acc.key()]
	a.mu.Unlock()
	age := a.now().Sub(idx.at)
	if ok && age < indexLife && (sku == "" || len(idx.bySKU[sku]) > 0 || age < indexRetry) {
		return idx, nil
	}
	idx, err := a.readListings(ctx, acc)
	if err != nil {
		return idx, err
	}
	a.mu.Lock()
	if a.models == nil {
		a.models = map[string]modelIndex{}
	}
	a.models[acc.key()] = idx
	a.mu.Unlock()
	return idx, nil
}

// Listings reads the shop's listings, one per model (channel.Catalogue).
func (a *Adapter) Listings(ctx context.Context, f map[string]string) ([]channel.RemoteListing, error) {
	acc, err := forShop(f)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	delete(a.models, acc.key())
	a.mu.Unlock()
	idx, err := a.index(ctx, acc, "")
	if err != nil {
		return nil, err
	}
	return append([]channel.RemoteListing(nil), idx.listings...), nil
}

// Stock sets the SKU's available stock on every Shopee listing with that
// seller SKU: POST /api/v2/product/update_stock
// {"item_id":N,"stock_list":[{"model_id":M,"seller_stock":[{"stock":N}]}]}
// (https://open.shopee.com/documents/v2/v2.product.update_stock?module=89&type=1;
// model_id 0 for an item without models). A SKU with no listing at Shopee
// has nothing to set. Setting a figure twice is harmless.
func (a *Adapter) Stock(ctx context.Context, f map[string]string, l channel.Listing) error {
	acc, err := forShop(f)
	if err != nil {
		return err
	}
	sku := strings.TrimSpace(l.SKU)
	var refs []ref
	if l.ID != "" {
		// A listing the owner linked is set by its own ids, whatever its seller SKU.
		item, model, ok := ParseLineID(l.ID)
		if !ok {
			return app.FieldError("listing", "%s is not a Shopee item:model id", l.ID)
		}
		refs = []ref{{item, model}}
	} else {
		if sku == "" {
			return app.FieldError("sku", "is required")
		}
		idx, err := a.index(ctx, acc, sku)
		if err != nil {
			return err
		}
		refs = idx.bySKU[sku]
	}
	byItem := map[int64][]int64{}
	var items []int64
	for _, r := range refs {
		if _, ok := byItem[r.item]; !ok {
			items = append(items, r.item)
		}
		byItem[r.item] = append(byItem[r.item], r.model)
	}
	for _, item := range items {
		var list []map[string]any
		for _, m := range byItem[item] {
			list = append(list, map[string]any{"model_id": m, "seller_stock": []map[string]int{{"stock": max(l.Qty, 0)}}})
		}
		var resp struct {
			Failures []struct {
				ModelID int64  `json:"model_id"`
				Reason  string `json:"failed_reason"`
			} `json:"failure_list"`
		}
		if err := a.call(ctx, acc, http.MethodPost, pathUpdateStock, nil, map[string]any{"item_id": item, "stock_list": list}, &resp); err != nil {
			return err
		}
		if len(resp.Failures) > 0 {
			return &channel.Refusal{Platform: Platform, Status: http.StatusOK,
				Message: app.Text("stock of %s not set: %s", LineID(item, resp.Failures[0].ModelID), resp.Failures[0].Reason).String()}
		}
	}
	return nil
}
