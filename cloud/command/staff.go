package command

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// runStaff is `pos-cloud staff add|list|remove`.
// The admin and --json are read after the flags are parsed.
func runStaff(cmd string, fs *flag.FlagSet, args []string, admin func() cloud.Admin, asJSON *bool, stdin io.Reader, stdout io.Writer) error {
	shop := fs.String("shop", "", "shop id")
	name := fs.String("name", "", "staff member's name")
	role := fs.String("role", "", "owner, cashier or packer")
	pin := fs.String("pin", "", "4 to 6 digits, or - to read it from standard input (kept out of the process list)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *pin == "-" {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && line == "" {
			return app.FieldError("pin", "could not be read from standard input")
		}
		*pin = strings.TrimSpace(line)
	}
	if *shop == "" {
		return app.FieldError("shop", "is required")
	}
	adm := admin()
	var (
		list []app.Staff
		err  error
	)
	switch cmd {
	case "staff add":
		list, err = adm.AddStaff(*shop, *name, app.Role(*role), *pin)
	case "staff remove":
		list, err = adm.RemoveStaff(*shop, *name)
	default:
		list, err = adm.ListStaff(*shop)
	}
	if err != nil {
		return err
	}
	type row struct {
		Name string   `json:"name"`
		Role app.Role `json:"role"`
	}
	rows := make([]row, len(list))
	for i, s := range list {
		rows[i] = row{s.Name, s.Role}
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(rows)
	}
	switch cmd {
	case "staff add":
		fmt.Fprintf(stdout, "%s added to %s; every terminal of the shop receives the list\n", strings.TrimSpace(*name), *shop)
	case "staff remove":
		fmt.Fprintf(stdout, "%s removed from %s\n", *name, *shop)
	}
	for _, r := range rows {
		fmt.Fprintf(stdout, "  %-24s %s\n", r.Name, r.Role)
	}
	return nil
}
