package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

func (c *command) export(args []string) error {
	if len(args) == 0 || args[0] != "csv" {
		return usagef("export takes: csv [--days 90 | --from DATE --to DATE] FILE")
	}
	fs := c.flags("export csv")
	days := fs.Int("days", 90, "export the last N days")
	fromS := fs.String("from", "", "first day, e.g. 2026-09-01 (instead of --days)")
	toS := fs.String("to", "", "last day, inclusive, e.g. 2026-11-30")
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("export csv takes one output FILE")
	}
	to := time.Now().UTC()
	from := to.AddDate(0, 0, -*days)
	if *days <= 0 {
		return usagef("--days must be positive")
	}
	if *fromS != "" {
		if from, err = time.ParseInLocation("2006-01-02", *fromS, time.Local); err != nil {
			return usagef("--from: %q is not a date like 2026-09-01", *fromS)
		}
	}
	if *toS != "" {
		if to, err = time.ParseInLocation("2006-01-02", *toS, time.Local); err != nil {
			return usagef("--to: %q is not a date like 2026-11-30", *toS)
		}
		if to.Before(from) {
			return usagef("--from %s is after --to %s", *fromS, *toS)
		}
		to = to.AddDate(0, 0, 1)
	}
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	// Write beside the target and rename, so a failed export never leaves half a file.
	tmp, err := os.CreateTemp(filepath.Dir(pos[0]), ".export-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	n, err := t.Service.ExportCSV(tmp, from, to)
	if err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(c.env.Stdout, "exported %d orders (%s to %s) to %s\n", n, from.Local().Format("2006-01-02"), to.Add(-time.Second).Local().Format("2006-01-02"), pos[0])
	return nil
}
