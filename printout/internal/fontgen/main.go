// Command fontgen converts the X11 misc-fixed 12x24 PCF font (public domain)
// into the compact glyph table that package printout embeds, so that the
// preview and the raster fallback draw text in the same 12x24 cell as the
// printer's font A without needing a font library at run time.
//
// Glyphs the 12x24 font lacks (it covers Latin-1 only) come from the 10x20
// ISO 10646 font, centred in the 12x24 cell with its baseline 2 dots higher
// so that its descenders still fit.
//
// Usage: go run ./printout/internal/fontgen /usr/share/fonts/X11/misc/12x24.pcf.gz /usr/share/fonts/X11/misc/10x20.pcf.gz printout/font12x24.bin
package main

import (
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

const (
	pcfAccelerators    = 1 << 1
	pcfMetrics         = 1 << 2
	pcfBitmaps         = 1 << 3
	pcfBDFEncodings    = 1 << 5
	pcfBDFAccelerators = 1 << 8

	pcfCompressedMetrics = 0x100
	cellW, cellH         = 12, 24
)

// ranges limits the table to scripts a shop in the region prints; the rest of
// the font would only grow the binary.
var ranges = [][2]rune{
	{0x20, 0x7e}, {0xa0, 0x24f}, {0x370, 0x3ff}, {0x400, 0x4ff},
	{0x2000, 0x206f}, {0x20a0, 0x20cf}, {0x2100, 0x215f}, {0x2190, 0x21ff},
	{0x2200, 0x22ff}, {0x2500, 0x25ff}, {0x2610, 0x2613}, {0x2713, 0x2718},
	{0xfffd, 0xfffd},
}

type metric struct{ left, right, width, ascent, descent int }

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: fontgen PRIMARY.pcf.gz FALLBACK.pcf.gz OUT.bin")
		os.Exit(2)
	}
	primary, err := load(os.Args[1], 0, 0)
	if err == nil {
		var fallback map[rune][cellH]uint16
		fallback, err = load(os.Args[2], 1, 2)
		if err == nil {
			err = write(primary, fallback, os.Args[3])
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fontgen:", err)
		os.Exit(1)
	}
}

func write(primary, fallback map[rune][cellH]uint16, out string) error {
	for r, g := range fallback {
		if _, ok := primary[r]; !ok {
			primary[r] = g
		}
	}
	var runes []rune
	for r := range primary {
		for _, rg := range ranges {
			if r >= rg[0] && r <= rg[1] {
				runes = append(runes, r)
			}
		}
	}
	sort.Slice(runes, func(i, j int) bool { return runes[i] < runes[j] })
	var buf []byte
	for _, r := range runes {
		buf = binary.BigEndian.AppendUint32(buf, uint32(r))
		for _, row := range primary[r] {
			buf = binary.BigEndian.AppendUint16(buf, row)
		}
	}
	fmt.Printf("%d glyphs\n", len(runes))
	return os.WriteFile(out, buf, 0o644)
}

// load reads every glyph of a PCF font into 12x24 cells, shifted by dx, and
// with its baseline placed at row 22-dy.
func load(in string, dx, dy int) (map[rune][cellH]uint16, error) {
	f, err := os.Open(in)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(in, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		r = gz
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if string(data[:4]) != "\x01fcp" {
		return nil, fmt.Errorf("%s: not a PCF font", in)
	}
	n := int(binary.LittleEndian.Uint32(data[4:]))
	tables := map[uint32][]byte{}
	for i := 0; i < n; i++ {
		e := data[8+16*i:]
		typ := binary.LittleEndian.Uint32(e)
		size := binary.LittleEndian.Uint32(e[8:])
		off := binary.LittleEndian.Uint32(e[12:])
		tables[typ] = data[off : off+size]
	}
	metrics := readMetrics(tables[pcfMetrics])
	bitmaps, pad := readBitmaps(tables[pcfBitmaps])
	enc := readEncodings(tables[pcfBDFEncodings])

	out := map[rune][cellH]uint16{}
	for r, g := range enc {
		m := metrics[g]
		bits := bitmaps[g]
		rowBytes := ((m.right-m.left+7)/8 + pad - 1) / pad * pad
		var cell [cellH]uint16
		for y := 0; y < m.ascent+m.descent; y++ {
			cy := 22 - dy - m.ascent + y
			if cy < 0 || cy >= cellH {
				continue
			}
			for x := 0; x < m.right-m.left; x++ {
				cx := dx + m.left + x
				if cx < 0 || cx >= cellW {
					continue
				}
				if bits[y*rowBytes+x/8]&(0x80>>(x%8)) != 0 {
					cell[cy] |= 1 << (15 - cx)
				}
			}
		}
		out[r] = cell
	}
	return out, nil
}

// order reads a table's format word, which says the byte order of the rest.
func order(t []byte) binary.ByteOrder {
	if binary.LittleEndian.Uint32(t)&(1<<2) != 0 {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

func readMetrics(t []byte) []metric {
	bo := order(t)
	format := binary.LittleEndian.Uint32(t)
	var ms []metric
	if format&pcfCompressedMetrics != 0 {
		n := int(bo.Uint16(t[4:]))
		for i := 0; i < n; i++ {
			e := t[6+5*i:]
			ms = append(ms, metric{int(e[0]) - 0x80, int(e[1]) - 0x80, int(e[2]) - 0x80, int(e[3]) - 0x80, int(e[4]) - 0x80})
		}
		return ms
	}
	n := int(bo.Uint32(t[4:]))
	for i := 0; i < n; i++ {
		e := t[8+12*i:]
		v := func(k int) int { return int(int16(bo.Uint16(e[2*k:]))) }
		ms = append(ms, metric{v(0), v(1), v(2), v(3), v(4)})
	}
	return ms
}

func readBitmaps(t []byte) ([][]byte, int) {
	bo := order(t)
	format := binary.LittleEndian.Uint32(t)
	if format&(1<<3) == 0 {
		panic("fontgen: LSB-first bit order is not supported")
	}
	n := int(bo.Uint32(t[4:]))
	offs := make([]int, n)
	for i := range offs {
		offs[i] = int(bo.Uint32(t[8+4*i:]))
	}
	sizes := t[8+4*n:]
	size := int(bo.Uint32(sizes[4*(format&3):]))
	body := t[8+4*n+16:][:size]
	out := make([][]byte, n)
	for i, o := range offs {
		out[i] = body[o:]
	}
	return out, 1 << (format & 3)
}

func readEncodings(t []byte) map[rune]int {
	bo := order(t)
	min2, max2 := int(bo.Uint16(t[4:])), int(bo.Uint16(t[6:]))
	min1, max1 := int(bo.Uint16(t[8:])), int(bo.Uint16(t[10:]))
	out := map[rune]int{}
	i := 0
	for b1 := min1; b1 <= max1; b1++ {
		for b2 := min2; b2 <= max2; b2++ {
			g := bo.Uint16(t[14+2*i:])
			i++
			if g != 0xffff {
				out[rune(b1<<8|b2)] = int(g)
			}
		}
	}
	return out
}
