package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/kasir/pos/terminal"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/cloud/web"
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
	if _, err := app.ParseCourierProvider(*provider); err != nil {
		return err
	}
	var id string
	var p app.CloudSetting
	if err := c.withOrder(pos[0], func(t *terminal.Terminal, o *app.Order) error {
		id = o.ID
		_, err := app.LoadSetting(t.DB, &p)
		return err
	}); err != nil {
		return err
	}
	base, token := p.Remote(), p.Token
	if base == "" {
		// The embedded cloud: started here for the question, stopped after.
		ctx, cancel := context.WithCancel(context.Background())
		e, err := web.StartEmbedded(ctx, bolt.OpenBackend, c.dataDir, "")
		if err != nil {
			cancel()
			return err
		}
		defer func() { cancel(); _ = e.Wait() }()
		base, token = e.BaseURL, e.Token
	}
	req, err := http.NewRequest(http.MethodGet, strings.TrimRight(base, "/")+"/v1/orders/"+url.PathEscape(id)+"/rates?provider="+url.QueryEscape(*provider), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return fmt.Errorf("asking the cloud for rates: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct{ Code, Message string }
		_ = json.NewDecoder(resp.Body).Decode(&e)
		return fmt.Errorf("rates: %s (HTTP %d)", e.Message, resp.StatusCode)
	}
	var reply cloud.RatesReply
	if err := json.NewDecoder(resp.Body).Decode(&reply); err != nil {
		return fmt.Errorf("rates: the cloud's answer: %w", err)
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
