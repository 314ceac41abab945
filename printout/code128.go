package printout

import (
	"errors"
	"fmt"
)

// Code128 is a CODE128 symbol worked out once, so the bytes a printer is
// sent and the preview's bars come from the same code-set choices.
type Code128 struct {
	text     string       // what the bars carry, also printed as HRI text
	values   []int        // start, data and code-set switches, check; stop excluded
	segments []Code128Run // the data split by code set, in order
	modules  int          // width in modules, quiet zones excluded
}

// Code128Run is a stretch of a CODE128 symbol's data in one code set: B
// (printable ASCII) or, when CodeC is set, C (pairs of digits).
type Code128Run struct {
	CodeC bool
	Data  string
}

// Runs returns the symbol's data split by code set, in order; a printer
// that draws CODE128 itself is told the same code sets the preview drew.
func (c *Code128) Runs() []Code128Run { return c.segments }

// Code128MaxBytes is the most data a thermal printer takes for one CODE128
// symbol, counting two bytes per code-set choice and a literal "{" twice:
// longer data is printed as text, on the preview as on the paper.
const Code128MaxBytes = 255

const (
	c128CodeC  = 99
	c128CodeB  = 100
	c128StartB = 104
	c128StartC = 105
	c128Stop   = 106
	// c128QuietModules is the blank margin a scanner needs on each side.
	c128QuietModules = 10
	// c128MinModuleDots is the narrowest bar most thermal printers (GS w 2) and scanners handle.
	c128MinModuleDots = 2
	c128MaxModuleDots = 4
)

// errCode128Charset is returned for data outside code set B (ASCII 32..126).
var errCode128Charset = errors.New("CODE128 code set B carries only printable ASCII")

// encodeCode128 chooses code set B, or C for even runs of digits, the way a
// label needs it: all-digit data of even length goes entirely in C (half the
// width), mixed data switches to C only where a digit run saves space.
func encodeCode128(s string) (*Code128, error) {
	if s == "" {
		return nil, errors.New("CODE128 data is empty")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 32 || s[i] > 126 {
			return nil, fmt.Errorf("%w: %q has %q at byte %d", errCode128Charset, s, s[i], i)
		}
	}
	var segs []Code128Run
	add := func(c bool, t string) {
		if t == "" {
			return
		}
		if n := len(segs); n > 0 && segs[n-1].CodeC == c {
			segs[n-1].Data += t
			return
		}
		segs = append(segs, Code128Run{c, t})
	}
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i {
			add(false, s[i:i+1])
			i++
			continue
		}
		run := s[i:j]
		atStart, atEnd := i == 0, j == len(s)
		worth := len(run) >= 6 || (len(run) >= 4 && (atStart || atEnd)) || (atStart && atEnd && len(run) >= 2)
		switch {
		case !worth:
			add(false, run)
		case len(run)%2 == 0:
			add(true, run)
		case atStart:
			// An odd run at the start keeps C for the leading pairs and
			// hands its last digit to the B segment that follows.
			add(true, run[:len(run)-1])
			add(false, run[len(run)-1:])
		default:
			add(false, run[:1])
			add(true, run[1:])
		}
		i = j
	}

	c := &Code128{text: s, segments: segs}
	size := 0 // what a printer is sent: a code-set choice is 2 bytes, a "{" is doubled
	for k, sg := range segs {
		size += 2
		switch {
		case k == 0 && sg.CodeC:
			c.values = append(c.values, c128StartC)
		case k == 0:
			c.values = append(c.values, c128StartB)
		case sg.CodeC:
			c.values = append(c.values, c128CodeC)
		default:
			c.values = append(c.values, c128CodeB)
		}
		if sg.CodeC {
			for p := 0; p+1 < len(sg.Data); p += 2 {
				c.values = append(c.values, int(sg.Data[p]-'0')*10+int(sg.Data[p+1]-'0'))
				size++
			}
			continue
		}
		for p := 0; p < len(sg.Data); p++ {
			ch := sg.Data[p]
			c.values = append(c.values, int(ch)-32)
			size++
			if ch == '{' {
				size++
			}
		}
	}
	sum := c.values[0]
	for i, v := range c.values[1:] {
		sum += (i + 1) * v
	}
	c.values = append(c.values, sum%103)
	c.modules = 11*len(c.values) + 13
	if size > Code128MaxBytes {
		return nil, fmt.Errorf("CODE128 data %q is %d bytes after encoding, printers take %d", s, size, Code128MaxBytes)
	}
	return c, nil
}

// moduleDots picks the widest bar module (GS w n) that keeps the symbol and
// its quiet zones inside widthDots, or reports that even the narrowest is too wide.
func (c *Code128) moduleDots(widthDots int) (int, error) {
	for w := c128MaxModuleDots; w >= c128MinModuleDots; w-- {
		if (c.modules+2*c128QuietModules)*w <= widthDots {
			return w, nil
		}
	}
	return 0, fmt.Errorf("CODE128 for %q needs %d dots at %d dots per module, the paper has %d",
		c.text, (c.modules+2*c128QuietModules)*c128MinModuleDots, c128MinModuleDots, widthDots)
}

// Code128Fits reports whether data can be printed as a CODE128 barcode on
// paper widthDots wide, and if not, why.
func Code128Fits(data string, widthDots int) error {
	c, err := encodeCode128(data)
	if err != nil {
		return err
	}
	_, err = c.moduleDots(widthDots)
	return err
}

// bars draws the symbol with bars h dots high, each module w dots wide.
func (c *Code128) bars(w, h int) *Bitmap {
	b := NewBitmap(c.modules*w, h)
	x := 0
	draw := func(pattern string) {
		for i := 0; i < len(pattern); i++ {
			n := int(pattern[i]-'0') * w
			if i%2 == 0 {
				b.fillRect(x, 0, n, h)
			}
			x += n
		}
	}
	for _, v := range c.values {
		draw(code128Patterns[v])
	}
	draw(code128Patterns[c128Stop])
	return b
}

// code128Patterns are the bar/space widths of symbol values 0..106 (ISO/IEC 15417).
var code128Patterns = [...]string{
	"212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
	"221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
	"221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
	"212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
	"231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
	"231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
	"314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
	"112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
	"111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
	"214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
	"114131", "311141", "411131", "211412", "211214", "211232", "2331112",
}
