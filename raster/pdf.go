package raster

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/kasir/pos/app"
)

// maxAspect is the longest page, as a multiple of its width, that poppler
// draws whole; longer pages are refused before any is drawn.
const maxAspect = 12

var (
	pagesLine = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)
	sizeLine  = regexp.MustCompile(`(?m)^Page\s+(\d+)\s+size:\s+([0-9.]+) x ([0-9.]+) pts`)
	rotLine   = regexp.MustCompile(`(?m)^Page\s+(\d+)\s+rot:\s+(\d+)`)
)

// pdf draws each page of doc width pixels wide with poppler and hands it to
// keep, in order. pdfinfo reads the page count and sizes first, so a PDF
// of too many or absurd pages costs nothing to refuse.
func (r *Rasterizer) pdf(ctx context.Context, doc []byte, width int, lim Limits, keep func(image.Image) error) error {
	tool := r.PDFToPPM
	if tool == "" {
		tool = "pdftoppm"
	}
	info := filepath.Join(filepath.Dir(tool), "pdfinfo")
	if !strings.ContainsRune(tool, os.PathSeparator) {
		info = "pdfinfo"
	}
	dir, err := os.MkdirTemp("", "bill-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "bill.pdf")
	if err := os.WriteFile(in, doc, 0o600); err != nil {
		return err
	}
	out, err := run(ctx, info, "-f", "1", "-l", strconv.Itoa(lim.MaxPages+1), in)
	if err != nil {
		return err
	}
	m := pagesLine.FindSubmatch(out)
	if m == nil {
		return app.Errorf(app.EInvalid, "the PDF is damaged: %s", "no page count")
	}
	n, _ := strconv.Atoi(string(m[1]))
	switch {
	case n == 0:
		return app.Errorf(app.EInvalid, "the document has nothing to print: every page is blank")
	case n > lim.MaxPages:
		return app.Errorf(app.EInvalid, "the document has more than %d pages", lim.MaxPages)
	}
	rot := map[string]int{}
	for _, m := range rotLine.FindAllSubmatch(out, -1) {
		rot[string(m[1])], _ = strconv.Atoi(string(m[2]))
	}
	for _, m := range sizeLine.FindAllSubmatch(out, -1) {
		w, _ := strconv.ParseFloat(string(m[2]), 64)
		h, _ := strconv.ParseFloat(string(m[3]), 64)
		if rot[string(m[1])]%180 == 90 {
			w, h = h, w
		}
		if w <= 0 || h <= 0 || h > maxAspect*w || w > maxAspect*h {
			return app.Errorf(app.EInvalid, "page %s of the PDF is %.0f×%.0f points: not a label's shape", string(m[1]), w, h)
		}
	}
	// -W/-H bound the bitmap poppler allocates whatever the PDF claims.
	_, err = run(ctx, tool, "-gray", "-forcenum", "-scale-to-x", strconv.Itoa(width), "-scale-to-y", "-1",
		"-W", strconv.Itoa(width), "-H", strconv.Itoa(maxAspect*width), "-f", "1", "-l", strconv.Itoa(n), in, filepath.Join(dir, "p"))
	if err != nil {
		return err
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "p-*.pgm"))
	sort.Slice(pages, func(i, j int) bool { return pageNumber(pages[i]) < pageNumber(pages[j]) })
	if len(pages) == 0 {
		return app.Errorf(app.EInvalid, "the PDF is damaged: %s", "poppler drew no page")
	}
	for _, p := range pages {
		img, err := readPGM(p)
		if err != nil {
			return err
		}
		if err := keep(img); err != nil {
			return err
		}
	}
	return nil
}

func pageNumber(path string) int {
	base := strings.TrimSuffix(filepath.Base(path), ".pgm")
	n, _ := strconv.Atoi(base[strings.LastIndexByte(base, '-')+1:])
	return n
}

// run runs a poppler tool; its complaint about a damaged file is the error.
func run(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var notFound *exec.Error
	if errors.As(err, &notFound) {
		return nil, app.Errorf(app.EInternal, "this cloud cannot draw PDF documents: %s is not installed (poppler-utils)", name)
	}
	if err != nil {
		why := firstLine(stderr.String())
		if why == "" {
			why = err.Error()
		}
		return nil, app.Errorf(app.EInvalid, "the PDF is damaged: %s", why)
	}
	return stdout.Bytes(), nil
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if len(l) > 200 {
				l = l[:200]
			}
			return l
		}
	}
	return ""
}

// readPGM reads the binary greymap (P5, maxval 255) pdftoppm -gray writes.
func readPGM(path string) (*image.Gray, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var magic string
	var w, h, maxval int
	if _, err := fmt.Fscan(br, &magic, &w, &h, &maxval); err != nil || magic != "P5" || maxval != 255 {
		return nil, app.Errorf(app.EInvalid, "the PDF is damaged: %s", "poppler drew an unreadable page")
	}
	if _, err := br.ReadByte(); err != nil || w <= 0 || h <= 0 || w*h > maxPixels {
		return nil, app.Errorf(app.EInvalid, "the PDF is damaged: %s", "poppler drew an unreadable page")
	}
	g := image.NewGray(image.Rect(0, 0, w, h))
	if _, err := io.ReadFull(br, g.Pix); err != nil {
		return nil, app.Errorf(app.EInvalid, "the PDF is damaged: %s", "poppler drew a short page")
	}
	return g, nil
}
