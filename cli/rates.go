package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/terminal"
)

// ordersRates is `pos orders rates ID [--provider P] [--json]`: the cloud
// asks the shop's courier provider for every courier and service.
func (c *command) ordersRates(args []string) error {
	fs := c.flags("orders rates")
	provider := fs.String("provider", "", "courier provider: shipper or biteship (default: the shop's)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("orders rates takes one order ID or number")
	}
	prov, err := app.ParseCourierProvider(*provider)
	if err != nil {
		return err
	}
	var reply cloud.RatesReply
	if err := c.withOrder(pos[0], func(t *terminal.Terminal, o *app.Order) error {
		reply, err = terminal.AskRates(c.env.Ctx, t, o.ID, prov)
		return err
	}); err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(c.env.Stdout, reply)
	}
	tw := tabwriter.NewWriter(c.env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "COURIER\tSERVICE\tPRICE\tETA\t\n")
	for _, r := range reply.Rates {
		var marks []string
		if r.Cheapest {
			marks = append(marks, "cheapest")
		}
		if r.Fastest {
			marks = append(marks, "fastest")
		}
		eta := fmt.Sprintf("%d-%d days", r.MinDays, r.MaxDays)
		switch {
		case r.MaxDays <= 1:
			eta = "same or next day"
		case r.MinDays == r.MaxDays:
			eta = fmt.Sprintf("%d days", r.MaxDays)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.CourierName, firstNonBlank(r.ServiceName, r.Service), app.IDR.Format(app.Money(r.Price)), eta, strings.Join(marks, ", "))
	}
	return tw.Flush()
}

func firstNonBlank(v ...string) string {
	for _, s := range v {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
