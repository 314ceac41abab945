package printer

import (
	"bytes"
	"net"
	"sync"
)

// FakePrinter is an ESC/POS network printer for tests: it listens on
// 127.0.0.1, keeps the bytes it "prints", answers DLE EOT 1/2/4 like an Epson
// printer, and can be switched offline, out of paper, cover open, or mute.
// It is exported so that tests of other packages can print to it.
type FakePrinter struct {
	ln net.Listener

	mu        sync.Mutex
	printed   []byte
	discarded int
	state     fakeState
	conns     map[net.Conn]bool
	wg        sync.WaitGroup
}

type fakeState struct {
	offline, paperOut, paperNearEnd, coverOpen, mute, garbled bool
}

// NewFakePrinter starts a fake printer on a free loopback port.
func NewFakePrinter() (*FakePrinter, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &FakePrinter{ln: ln, conns: map[net.Conn]bool{}}
	f.wg.Add(1)
	go f.accept()
	return f, nil
}

// URL is the printer's address for Open and the queue: tcp://127.0.0.1:PORT.
func (f *FakePrinter) URL() string { return "tcp://" + f.ln.Addr().String() }

// SetOffline switches the printer offline (DLE EOT 1 bit 3).
func (f *FakePrinter) SetOffline(v bool) { f.set(func(s *fakeState) { s.offline = v }) }

// SetPaperOut empties the roll: DLE EOT 2 bit 5, DLE EOT 4 bits 5-6, and offline.
func (f *FakePrinter) SetPaperOut(v bool) { f.set(func(s *fakeState) { s.paperOut = v }) }

// SetPaperNearEnd reports a nearly empty roll (DLE EOT 4 bits 2-3); printing goes on.
func (f *FakePrinter) SetPaperNearEnd(v bool) { f.set(func(s *fakeState) { s.paperNearEnd = v }) }

// SetCoverOpen opens the cover: DLE EOT 2 bit 2, and offline.
func (f *FakePrinter) SetCoverOpen(v bool) { f.set(func(s *fakeState) { s.coverOpen = v }) }

// SetMute makes the printer ignore status requests, like one that is hung.
func (f *FakePrinter) SetMute(v bool) { f.set(func(s *fakeState) { s.mute = v }) }

// SetGarbled makes the printer answer status requests with 0xFF, which is not a status byte.
func (f *FakePrinter) SetGarbled(v bool) { f.set(func(s *fakeState) { s.garbled = v }) }

func (f *FakePrinter) set(fn func(*fakeState)) {
	f.mu.Lock()
	fn(&f.state)
	f.mu.Unlock()
}

// Received returns a copy of every byte printed so far, status requests excluded.
func (f *FakePrinter) Received() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]byte(nil), f.printed...)
}

// Documents splits what was printed into documents, each starting at ESC @.
func (f *FakePrinter) Documents() [][]byte {
	data := f.Received()
	var docs [][]byte
	start := -1
	for i := 0; i < len(data); {
		n, ok := commandLen(data[i:])
		if !ok {
			break
		}
		if n == 2 && data[i] == esc && data[i+1] == '@' {
			if start >= 0 {
				docs = append(docs, data[start:i])
			}
			start = i
		}
		i += n
	}
	if start >= 0 {
		docs = append(docs, data[start:])
	}
	return docs
}

// Discarded is the number of bytes that arrived while the printer was not
// ready and so were not printed.
func (f *FakePrinter) Discarded() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.discarded
}

// Reset forgets what was printed.
func (f *FakePrinter) Reset() {
	f.mu.Lock()
	f.printed, f.discarded = nil, 0
	f.mu.Unlock()
}

// Close stops listening and drops every connection.
func (f *FakePrinter) Close() error {
	err := f.ln.Close()
	f.mu.Lock()
	for c := range f.conns {
		c.Close()
	}
	f.mu.Unlock()
	f.wg.Wait()
	return err
}

func (f *FakePrinter) accept() {
	defer f.wg.Done()
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		f.mu.Lock()
		f.conns[c] = true
		f.mu.Unlock()
		f.wg.Add(1)
		go f.serve(c)
	}
}

func (f *FakePrinter) serve(c net.Conn) {
	defer f.wg.Done()
	defer func() {
		f.mu.Lock()
		delete(f.conns, c)
		f.mu.Unlock()
		c.Close()
	}()
	var pending []byte
	buf := make([]byte, 64<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			pending = append(pending, buf[:n]...)
			var replies []byte
			i := 0
			f.mu.Lock()
			for i < len(pending) {
				l, ok := commandLen(pending[i:])
				if !ok {
					break
				}
				cmd := pending[i : i+l]
				i += l
				if l == 3 && cmd[0] == dle && cmd[1] == eot {
					if !f.state.mute {
						replies = append(replies, f.statusByte(cmd[2]))
					}
					continue
				}
				if f.readyLocked() {
					f.printed = append(f.printed, cmd...)
				} else {
					f.discarded += len(cmd)
				}
			}
			f.mu.Unlock()
			pending = append(pending[:0], pending[i:]...)
			if len(replies) > 0 {
				if _, err := c.Write(replies); err != nil {
					return
				}
			}
		}
		if err != nil {
			return
		}
	}
}

func (f *FakePrinter) readyLocked() bool {
	s := f.state
	return !s.offline && !s.paperOut && !s.coverOpen
}

// statusByte builds the reply to DLE EOT n with Epson's fixed bits set.
func (f *FakePrinter) statusByte(n byte) byte {
	s := f.state
	if s.garbled {
		return 0xff
	}
	b := byte(statusFixedBits)
	switch n {
	case StatusPrinter:
		if !f.readyLocked() {
			b |= 0x08
		}
	case StatusOffline:
		if s.coverOpen {
			b |= 0x04
		}
		if s.paperOut {
			b |= 0x20
		}
	case StatusPaper:
		if s.paperNearEnd {
			b |= 0x0c
		}
		if s.paperOut {
			b |= 0x60
		}
	}
	return b
}

// commandLen returns the length of the ESC/POS command or text byte at the
// start of b, and false when b ends before the command does. It knows the
// commands this package sends; any other ESC or GS sequence is taken as two
// bytes, which is how a printer that ignores it would skip it too.
func commandLen(b []byte) (int, bool) {
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
