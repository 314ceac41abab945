package printer

import (
	"fmt"
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/kasir/pos/printer/internal/stream"
	"github.com/kasir/pos/printout"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

// decoded is an ESC/POS stream read back the way a printer would read it,
// with every parameter checked against the Epson command reference.
type decoded struct {
	lines    []string      // native text lines, decoded from the code page
	qrs      []string      // data of native QR codes (GS ( k fn 180)
	qrModule []int         // module sizes of native QR codes (fn 167)
	barcodes []string      // CODE128 data (GS k 73), code sets resolved
	rasters  []image.Image // raster images, consecutive GS v 0 bands joined
	cuts     int
	kicks    int // ESC p drawer pulses
}

// decodeStream parses data and reports every deviation from the spec with t.Errorf.
func decodeStream(t *testing.T, data []byte, p printout.Profile) decoded {
	t.Helper()
	var d decoded
	cp := codePageOf(p)
	var line []byte
	var raster [][]byte // rows of the raster being joined
	rasterW := 0
	flushRaster := func() {
		if len(raster) == 0 {
			return
		}
		img := image.NewGray(image.Rect(0, 0, rasterW*8, len(raster)))
		for y, row := range raster {
			for x := 0; x < rasterW*8; x++ {
				c := uint8(255)
				if row[x/8]&(0x80>>(x%8)) != 0 {
					c = 0
				}
				img.SetGray(x, y, color.Gray{c})
			}
		}
		d.rasters = append(d.rasters, img)
		raster, rasterW = nil, 0
	}
	barWidth, barHeight, hri := 0, 0, -1
	qrStep := 0 // functions seen for the QR symbol being built: 165, 167, 169, 180
	var qrData string
	if len(data) < 2 || data[0] != esc || data[1] != '@' {
		t.Errorf("stream does not start with ESC @")
	}
	sawCodePage := false
	for i := 0; i < len(data); {
		n, ok := stream.CommandLen(data[i:])
		if !ok {
			t.Errorf("byte %d: command 0x%02x truncated", i, data[i])
			break
		}
		c := data[i : i+n]
		at := i
		i += n
		isRaster := c[0] == gs && len(c) > 1 && c[1] == 'v'
		if !isRaster {
			flushRaster()
		}
		switch {
		case c[0] == '\n':
			d.lines = append(d.lines, cp.Decode(line))
			line = line[:0]
		case c[0] >= 0x20 && n == 1:
			line = append(line, c[0])
		case c[0] == esc:
			switch c[1] {
			case '@':
			case 't':
				sawCodePage = true
				if c[2] != cp.ESCt {
					t.Errorf("byte %d: ESC t %d, profile code page %s is %d", at, c[2], cp.Name, cp.ESCt)
				}
			case 'E', '-':
				if c[2] > 2 {
					t.Errorf("byte %d: ESC %c %d out of range 0..2", at, c[1], c[2])
				}
			case 'a':
				if c[2] > 2 && (c[2] < 48 || c[2] > 50) {
					t.Errorf("byte %d: ESC a %d out of range", at, c[2])
				}
			case '3', 'J', 'd':
			case 'p':
				// Epson: m is 0/48 (pin 2) or 1/49 (pin 5); t1 ≤ t2, both pulses in 2 ms units.
				if (c[2] > 1 && c[2] != 48 && c[2] != 49) || c[3] > c[4] {
					t.Errorf("byte %d: ESC p %d %d %d out of range", at, c[2], c[3], c[4])
				}
				d.kicks++
			default:
				t.Errorf("byte %d: unexpected ESC %q", at, c[1])
			}
		case c[0] == gs:
			switch c[1] {
			case '!':
				if c[2]&0x0f > 7 || c[2]>>4 > 7 {
					t.Errorf("byte %d: GS ! 0x%02x: size nibbles must be 0..7", at, c[2])
				}
			case 'B':
			case 'w':
				barWidth = int(c[2])
				if barWidth < 2 || barWidth > 6 {
					t.Errorf("byte %d: GS w %d out of range 2..6", at, barWidth)
				}
			case 'h':
				barHeight = int(c[2])
				if barHeight < 1 {
					t.Errorf("byte %d: GS h 0 is invalid", at)
				}
			case 'H':
				hri = int(c[2])
				if hri > 3 && (hri < 48 || hri > 51) {
					t.Errorf("byte %d: GS H %d out of range", at, hri)
				}
			case 'f':
			case 'V':
				if c[2] != 65 && c[2] != 66 {
					t.Errorf("byte %d: GS V %d: expected function B (65/66)", at, c[2])
				}
				d.cuts++
			case 'k':
				if c[2] != 73 {
					t.Errorf("byte %d: GS k %d, only CODE128 (73) is used", at, c[2])
					continue
				}
				if barWidth == 0 || barHeight == 0 || hri < 0 {
					t.Errorf("byte %d: CODE128 printed before GS w, GS h and GS H were set", at)
				}
				text, err := decodeCode128Data(c[4:])
				if err != nil {
					t.Errorf("byte %d: %v", at, err)
				}
				if int(c[3]) != len(c)-4 || c[3] < 2 {
					t.Errorf("byte %d: GS k 73 n=%d does not match %d data bytes", at, c[3], len(c)-4)
				}
				d.barcodes = append(d.barcodes, text)
			case '(':
				if c[2] != 'k' {
					t.Errorf("byte %d: GS ( %q not expected", at, c[2])
					continue
				}
				plen := int(c[3]) | int(c[4])<<8
				body := c[5:]
				if len(body) != plen || plen < 3 || body[0] != 49 {
					t.Errorf("byte %d: GS ( k pL pH=%d with cn=%d: malformed", at, plen, body[0])
					continue
				}
				switch fn := body[1]; fn {
				case 65:
					if plen != 4 || body[2] != 50 || body[3] != 0 {
						t.Errorf("byte %d: QR fn 165 must be 4 0 49 65 50 0 (model 2), got % x", at, c)
					}
					qrStep = 165
				case 67:
					if plen != 3 || body[2] < 1 || body[2] > 16 {
						t.Errorf("byte %d: QR fn 167 module size %d out of 1..16", at, body[2])
					}
					if qrStep != 165 {
						t.Errorf("byte %d: QR fn 167 before fn 165", at)
					}
					d.qrModule = append(d.qrModule, int(body[2]))
					qrStep = 167
				case 69:
					if plen != 3 || body[2] < 48 || body[2] > 51 {
						t.Errorf("byte %d: QR fn 169 error correction %d out of 48..51", at, body[2])
					}
					if qrStep != 167 {
						t.Errorf("byte %d: QR fn 169 out of order", at)
					}
					qrStep = 169
				case 80:
					if body[2] != 48 {
						t.Errorf("byte %d: QR fn 180 m=%d, must be 48", at, body[2])
					}
					if plen-3 < 1 || plen-3 > 7089 {
						t.Errorf("byte %d: QR fn 180 data length %d out of 1..7089", at, plen-3)
					}
					qrData = string(body[3:])
					if qrStep != 169 {
						t.Errorf("byte %d: QR fn 180 out of order", at)
					}
					qrStep = 180
				case 81:
					if plen != 3 || body[2] != 48 {
						t.Errorf("byte %d: QR fn 181 must be 3 0 49 81 48", at)
					}
					if qrStep != 180 {
						t.Errorf("byte %d: QR fn 181 printed without stored data", at)
					}
					d.qrs = append(d.qrs, qrData)
					qrStep = 0
				default:
					t.Errorf("byte %d: QR function %d not expected", at, fn)
				}
			case 'v':
				if c[2] != '0' || c[3] != 0 {
					t.Errorf("byte %d: GS v %q m=%d, expected GS v 0 0", at, c[2], c[3])
				}
				x := int(c[4]) | int(c[5])<<8
				y := int(c[6]) | int(c[7])<<8
				if x == 0 || y == 0 || y > 128 {
					t.Errorf("byte %d: raster band %d bytes x %d rows: must be non-empty and at most 128 rows", at, x, y)
				}
				if x*8 > p.WidthDots {
					t.Errorf("byte %d: raster %d dots wide, paper is %d", at, x*8, p.WidthDots)
				}
				if rasterW != 0 && rasterW != x {
					flushRaster()
				}
				rasterW = x
				for r := 0; r < y; r++ {
					raster = append(raster, c[8+r*x:8+(r+1)*x])
				}
			default:
				t.Errorf("byte %d: unexpected GS %q", at, c[1])
			}
		default:
			t.Errorf("byte %d: unexpected byte 0x%02x", at, c[0])
		}
	}
	flushRaster()
	if !sawCodePage {
		t.Errorf("stream never selects a code page with ESC t")
	}
	if len(line) > 0 {
		t.Errorf("text %q is never printed (no LF after it)", line)
	}
	return d
}

// decodeCode128Data reads GS k 73 data: "{B"/"{C" code-set switches, "{{" for
// "{", code set C bytes 0..99 standing for two digits each.
func decodeCode128Data(b []byte) (string, error) {
	if len(b) < 2 || b[0] != '{' || (b[1] != 'A' && b[1] != 'B' && b[1] != 'C') {
		return "", fmt.Errorf("CODE128 data must start with {A, {B or {C, got % x", b[:min(2, len(b))])
	}
	var sb strings.Builder
	set := byte(0)
	for i := 0; i < len(b); i++ {
		if b[i] == '{' && set != 'C' || (set == 'C' && b[i] == '{') {
			if i+1 >= len(b) {
				return "", fmt.Errorf("CODE128 data ends in a lone {")
			}
			switch b[i+1] {
			case 'A', 'B', 'C':
				set = b[i+1]
			case '{':
				if set != 'B' {
					return "", fmt.Errorf("{{ outside code set B")
				}
				sb.WriteByte('{')
			default:
				return "", fmt.Errorf("CODE128 {%c is not used by this package", b[i+1])
			}
			i++
			continue
		}
		switch set {
		case 'C':
			if b[i] > 99 {
				return "", fmt.Errorf("code set C byte %d is above 99", b[i])
			}
			fmt.Fprintf(&sb, "%02d", b[i])
		case 'B':
			if b[i] < 32 || b[i] > 127 {
				return "", fmt.Errorf("code set B byte 0x%02x out of range", b[i])
			}
			sb.WriteByte(b[i])
		default:
			return "", fmt.Errorf("code set A is not used")
		}
	}
	return sb.String(), nil
}

// decodeQRImage finds and decodes a QR code in img with a real decoder.
func decodeQRImage(img image.Image) (string, error) {
	// The raster carries no quiet zone of its own; the paper around it is white.
	b := img.Bounds()
	pad := image.NewGray(image.Rect(0, 0, b.Dx()+80, b.Dy()+80))
	for i := range pad.Pix {
		pad.Pix[i] = 255
	}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			pad.Set(x+40, y+40, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(pad)
	if err != nil {
		return "", err
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// rasterQRs decodes every raster image that holds a QR code.
func rasterQRs(d decoded) []string {
	var out []string
	for _, img := range d.rasters {
		if img.Bounds().Dy() < 40 {
			continue // a text line, not a symbol
		}
		if s, err := decodeQRImage(img); err == nil {
			out = append(out, s)
		}
	}
	return out
}
