package wire

// BillPath is the route a terminal asks an order's airway bill at
// (GET BillPath with {id} the order's id or number and ?dots=N the label
// printer's width), with its token as a bearer, as for rates.
const BillPath = "/v1/orders/{id}/bill"

// Bill is an order's mandatory airway bill (app.BillSource), fetched from
// its issuer by the cloud and rasterized for a label printer.
type Bill struct {
	// Order is the order's id.
	Order string `json:"order"`
	// Source is who issued it: "shopee", "lazada", "tiktok", "tokopedia" or "shipper".
	Source string `json:"source"`
	// Media is the document's original media type ("application/pdf", "text/html").
	Media string `json:"media"`
	// Dots is the width every page was rasterized to.
	Dots int `json:"dots"`
	// Pages are PNG images, each exactly Dots pixels wide, black on white.
	Pages [][]byte `json:"pages"`
}
