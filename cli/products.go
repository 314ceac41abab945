package cli

import (
	"fmt"

	"github.com/kasir/pos/app"
	"os"
	"text/tabwriter"
)

func (c *command) products(args []string) error {
	if len(args) == 0 {
		return usagef("products needs a subcommand: list, import or adjust")
	}
	switch args[0] {
	case "list":
		fs := c.flags("products list")
		asJSON := fs.Bool("json", false, "print JSON")
		if _, err := parseInterspersed(fs, args[1:]); err != nil {
			return err
		}
		t, err := c.open()
		if err != nil {
			return err
		}
		defer t.Close()
		ps, err := t.DB.Products()
		if err != nil {
			return err
		}
		if *asJSON {
			type productJSON struct {
				SKU       string `json:"sku"`
				Name      string `json:"name"`
				Barcode   string `json:"barcode,omitempty"`
				Currency  string `json:"currency"`
				Price     int64  `json:"price"`
				Cost      int64  `json:"cost"`
				OnHand    int    `json:"on_hand"`
				Allocated int    `json:"allocated"`
				Available int    `json:"available"`
			}
			out := make([]productJSON, 0, len(ps))
			for _, p := range ps {
				out = append(out, productJSON{p.SKU, p.Name, p.Barcode, string(p.Currency), int64(p.Price), int64(p.Cost), p.OnHand, p.Allocated, p.Available()})
			}
			return writeJSON(c.env.Stdout, out)
		}
		tw := tabwriter.NewWriter(c.env.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SKU\tNAME\tPRICE\tON HAND\tALLOCATED\tAVAILABLE")
		for _, p := range ps {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\n", p.SKU, truncate(p.Name, 32), p.Currency.Format(p.Price), p.OnHand, p.Allocated, p.Available())
		}
		tw.Flush()
		fmt.Fprintf(c.env.Stdout, "%d products\n", len(ps))
		return nil
	case "adjust":
		return c.adjustStock(args[1:])
	case "import":
		fs := c.flags("products import")
		pos, err := parseInterspersed(fs, args[1:])
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return usagef("products import takes one CSV file")
		}
		f, err := os.Open(pos[0])
		if err != nil {
			return err
		}
		defer f.Close()
		t, err := c.open()
		if err != nil {
			return err
		}
		defer t.Close()
		n, err := t.Service.ImportProducts(f, cliActor(t, ""))
		if err != nil {
			return fmt.Errorf("%s: %s", pos[0], describe(err, c.words()))
		}
		fmt.Fprintf(c.env.Stdout, "imported %d products from %s\n", n, pos[0])
		return nil
	}
	return usagef("unknown products subcommand %q", args[0])
}

// adjustStock counts, writes off or receives one product's stock at this
// terminal through app's adjust_stock rule; the change syncs to the cloud,
// which keeps the product's stock history line.
func (c *command) adjustStock(args []string) error {
	fs := c.flags("products adjust")
	reason := fs.String("reason", "", "stock_take (qty is the count found), damage or received")
	qty := fs.Int("qty", -1, "the count found, or the pieces damaged or received")
	note := fs.String("note", "", "why, in a few words")
	staff := fs.String("staff", "", "who counted (recorded in the history)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("products adjust takes one SKU: products adjust SKU --reason received --qty 6")
	}
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	cmd := app.Command{Action: app.ActionAdjustStock, Args: app.Args{Stock: &app.StockAdjustment{SKU: pos[0], Reason: app.StockReason(*reason), Qty: *qty, Note: *note}}}
	res, err := t.Service.Do(cmd, cliActor(t, *staff))
	if err != nil {
		return fmt.Errorf("%s", describe(err, c.words()))
	}
	m := res.StockMoves[0]
	fmt.Fprintf(c.env.Stdout, "%s: %d → %d (%s)\n", m.SKU, m.Before, m.After, app.Translate(c.words(), m.Reason.Label()))
	for _, w := range res.Warnings {
		fmt.Fprintln(c.env.Stdout, w.In(c.words()))
	}
	return nil
}
