// Package stream reads an ESC/POS byte stream command by command, the way
// a printer does; the test printer and the decoding tests share it.
package stream

import "bytes"

const (
	esc = 0x1b
	gs  = 0x1d
	dle = 0x10
	eot = 0x04
)

// CommandLen returns the length of the ESC/POS command or text byte at the
// start of b, and false when b ends before the command does. It knows the
// commands this package sends; any other ESC or GS sequence is taken as two
// bytes, which is how a printer that ignores it would skip it too.
func CommandLen(b []byte) (int, bool) {
	if len(b) == 0 {
		return 0, false
	}
	need := func(n int) (int, bool) { return n, len(b) >= n }
	switch b[0] {
	case dle:
		if len(b) < 2 {
			return 0, false
		}
		if b[1] == eot {
			return need(3)
		}
		return 1, true
	case esc:
		if len(b) < 2 {
			return 0, false
		}
		switch b[1] {
		case '@', '2':
			return 2, true
		case 't', 'E', '-', 'V', '{', 'a', '3', 'd', 'J', '!', 'M', 'G':
			return need(3)
		case 'p': // ESC p m t1 t2: the drawer kick
			return need(5)
		}
		return 2, true
	case gs:
		if len(b) < 2 {
			return 0, false
		}
		if !bytes.ContainsRune([]byte("!BwhHfVk(v"), rune(b[1])) {
			return 2, true
		}
		if len(b) < 3 {
			return 0, false
		}
		switch b[1] {
		case '!', 'B', 'w', 'h', 'H', 'f':
			return 3, true
		case 'V':
			if b[2] == 65 || b[2] == 66 || b[2] == 97 || b[2] == 98 {
				return need(4)
			}
			return 3, true
		case 'k':
			m := b[2]
			if m <= 6 {
				if i := bytes.IndexByte(b[3:], 0); i >= 0 {
					return 3 + i + 1, true
				}
				return 0, false
			}
			if len(b) < 4 {
				return 0, false
			}
			return need(4 + int(b[3]))
		case '(':
			if len(b) < 5 {
				return 0, false
			}
			return need(5 + int(b[3]) + int(b[4])<<8)
		case 'v':
			if len(b) < 8 {
				return 0, false
			}
			x := int(b[4]) | int(b[5])<<8
			y := int(b[6]) | int(b[7])<<8
			return need(8 + x*y)
		}
		return 2, true
	}
	return 1, true
}
