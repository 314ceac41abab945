// Command benchsummary reads `go test -bench` output (run with -count N)
// and prints, for each benchmark and each metric it reported, the median
// of the runs with their minimum and maximum, so that one noisy run can
// neither pass nor fail a target.
//
//	go test -run '^$' -bench . -benchtime 1x -count 5 ./... | go run ./cmd/benchsummary
//
// Every input line is echoed to stderr as it arrives, so a long run shows
// progress. The exit status is 1 when the input held a failure.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
)

func main() {
	results, failed, err := read(os.Stdin, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchsummary:", err)
		os.Exit(2)
	}
	write(os.Stdout, results)
	if failed {
		fmt.Fprintln(os.Stdout, "\nsome benchmarks or packages FAILED: see the output above")
		os.Exit(1)
	}
}

// series is every value one metric of one benchmark took, in run order.
type series struct {
	pkg, bench, unit string
	values           []float64
}

// read parses benchmark lines, grouping values by package, benchmark and
// unit in the order they first appear; echo gets every line.
func read(r io.Reader, echo io.Writer) ([]*series, bool, error) {
	var out []*series
	index := map[string]*series{}
	pkg := ""
	failed := false
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		line := sc.Text()
		if echo != nil {
			fmt.Fprintln(echo, line)
		}
		switch {
		case strings.HasPrefix(line, "pkg: "):
			pkg = strings.TrimSpace(strings.TrimPrefix(line, "pkg: "))
			continue
		case strings.HasPrefix(line, "FAIL"), strings.HasPrefix(line, "--- FAIL"), strings.HasPrefix(line, "panic:"):
			failed = true
			continue
		case !strings.HasPrefix(line, "Benchmark"):
			continue
		}
		name, metrics, ok := parseLine(line)
		if !ok {
			continue
		}
		for _, m := range metrics {
			key := pkg + "\x00" + name + "\x00" + m.unit
			s := index[key]
			if s == nil {
				s = &series{pkg: pkg, bench: name, unit: m.unit}
				index[key] = s
				out = append(out, s)
			}
			s.values = append(s.values, m.value)
		}
	}
	return out, failed, sc.Err()
}

type metric struct {
	value float64
	unit  string
}

// parseLine reads "BenchmarkName-2  1  123 ns/op  4.5 orders/s ...": the
// name without its GOMAXPROCS suffix and each value with its unit.
func parseLine(line string) (string, []metric, bool) {
	f := strings.Fields(line)
	if len(f) < 4 || len(f)%2 != 0 {
		return "", nil, false
	}
	if _, err := strconv.Atoi(f[1]); err != nil {
		return "", nil, false
	}
	name := f[0]
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			name = name[:i]
		}
	}
	var ms []metric
	for i := 2; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return "", nil, false
		}
		ms = append(ms, metric{v, f[i+1]})
	}
	return name, ms, true
}

// median of the values; the mean of the middle two for an even count.
func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// write prints one row per benchmark metric. A metric reported as 0 in
// every run (benchmarks zero ns/op when it means nothing) is left out.
func write(w io.Writer, all []*series) {
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "package\tbenchmark\tmetric\tmedian\tmin\tmax\truns\t")
	for _, s := range all {
		v := append([]float64(nil), s.values...)
		sort.Float64s(v)
		if v[0] == 0 && v[len(v)-1] == 0 {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t\n", short(s.pkg), strings.TrimPrefix(s.bench, "Benchmark"), s.unit,
			num(median(v)), num(v[0]), num(v[len(v)-1]), len(v))
	}
	tw.Flush()
}

// short drops the module path from a package name.
func short(pkg string) string {
	if i := strings.LastIndexByte(pkg, '/'); i >= 0 {
		return pkg[i+1:]
	}
	return pkg
}

// num prints three significant digits, without exponent for everyday sizes.
func num(v float64) string {
	switch a := abs(v); {
	case a >= 1000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
