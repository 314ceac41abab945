// Package printertest provides an ESC/POS network printer for tests, in the
// way net/http/httptest provides a server: it listens on 127.0.0.1, keeps
// and counts what it printed, answers status requests like an Epson
// printer, and can be switched into the states a real printer gets into.
package printertest

import (
	"net"
	"strings"
	"sync"

	"github.com/kasir/pos/printer"
	"github.com/kasir/pos/printer/internal/stream"
)

const (
	esc = 0x1b
	dle = 0x10
	eot = 0x04
)

// Printer is an ESC/POS network printer for tests: it listens on
// 127.0.0.1, keeps the bytes it "prints", answers DLE EOT 1/2/4 like an Epson
// printer, and can be switched offline, out of paper, cover open, mute, or
// into hanging once it has taken a document.
type Printer struct {
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
	// hangAfterData mutes the printer from the first document byte on.
	hangAfterData bool
}

// NewPrinter starts a test printer on a free loopback port.
func NewPrinter() (*Printer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &Printer{ln: ln, conns: map[net.Conn]bool{}}
	f.wg.Add(1)
	go f.accept()
	return f, nil
}

// URL is the printer's address for Open and the queue: tcp://127.0.0.1:PORT.
func (f *Printer) URL() string { return "tcp://" + f.ln.Addr().String() }

// SetOffline switches the printer offline (DLE EOT 1 bit 3).
func (f *Printer) SetOffline(v bool) { f.set(func(s *fakeState) { s.offline = v }) }

// SetPaperOut empties the roll: DLE EOT 2 bit 5, DLE EOT 4 bits 5-6, and offline.
func (f *Printer) SetPaperOut(v bool) { f.set(func(s *fakeState) { s.paperOut = v }) }

// SetPaperNearEnd reports a nearly empty roll (DLE EOT 4 bits 2-3); printing goes on.
func (f *Printer) SetPaperNearEnd(v bool) { f.set(func(s *fakeState) { s.paperNearEnd = v }) }

// SetCoverOpen opens the cover: DLE EOT 2 bit 2, and offline.
func (f *Printer) SetCoverOpen(v bool) { f.set(func(s *fakeState) { s.coverOpen = v }) }

// SetMute makes the printer ignore status requests, like one that is hung;
// SetMute(false) also ends a hang after printing.
func (f *Printer) SetMute(v bool) {
	f.set(func(s *fakeState) {
		s.mute = v
		if !v {
			s.hangAfterData = false
		}
	})
}

// SetHangAfterPrinting makes the printer take the next document and then
// stop answering status requests, like one that hung after the data
// arrived; SetMute(false) wakes it again.
func (f *Printer) SetHangAfterPrinting(v bool) { f.set(func(s *fakeState) { s.hangAfterData = v }) }

// SetGarbled makes the printer answer status requests with 0xFF, which is not a status byte.
func (f *Printer) SetGarbled(v bool) { f.set(func(s *fakeState) { s.garbled = v }) }

func (f *Printer) set(fn func(*fakeState)) {
	f.mu.Lock()
	fn(&f.state)
	f.mu.Unlock()
}

// Received returns a copy of every byte printed so far, status requests excluded.
func (f *Printer) Received() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]byte(nil), f.printed...)
}

// Documents splits what was printed into documents, each starting at ESC @.
func (f *Printer) Documents() [][]byte {
	data := f.Received()
	var docs [][]byte
	start := -1
	for i := 0; i < len(data); {
		n, ok := stream.CommandLen(data[i:])
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
func (f *Printer) Discarded() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.discarded
}

// Reset forgets what was printed.
func (f *Printer) Reset() {
	f.mu.Lock()
	f.printed, f.discarded = nil, 0
	f.mu.Unlock()
}

// Close stops listening and drops every connection.
func (f *Printer) Close() error {
	err := f.ln.Close()
	f.mu.Lock()
	for c := range f.conns {
		c.Close()
	}
	f.mu.Unlock()
	f.wg.Wait()
	return err
}

func (f *Printer) accept() {
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

func (f *Printer) serve(c net.Conn) {
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
				l, ok := stream.CommandLen(pending[i:])
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
					if f.state.hangAfterData {
						f.state.mute = true
					}
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

func (f *Printer) readyLocked() bool {
	s := f.state
	return !s.offline && !s.paperOut && !s.coverOpen
}

// statusFixedBits are the bits Epson fixes in every DLE EOT reply (bit 1
// and bit 4 set, bits 0 and 7 clear).
const statusFixedBits = 0x12

// statusByte builds the reply to DLE EOT n with Epson's fixed bits set.
func (f *Printer) statusByte(n byte) byte {
	s := f.state
	if s.garbled {
		return 0xff
	}
	b := byte(statusFixedBits)
	switch n {
	case printer.StatusPrinter:
		if !f.readyLocked() {
			b |= 0x08
		}
	case printer.StatusOffline:
		if s.coverOpen {
			b |= 0x04
		}
		if s.paperOut {
			b |= 0x20
		}
	case printer.StatusPaper:
		if s.paperNearEnd {
			b |= 0x0c
		}
		if s.paperOut {
			b |= 0x60
		}
	}
	return b
}

// Count is the number of documents printed so far.
func (f *Printer) Count() int { return len(f.Documents()) }

// Text returns the lines of text a printer prints natively from doc, in
// order. Bytes above ASCII come back as U+FFFD: the code page belongs to
// the profile, and tests look for words such as COPY that every page shares.
// Text drawn as a raster image is not read.
func Text(doc []byte) []string {
	var lines []string
	var line strings.Builder
	for i := 0; i < len(doc); {
		n, ok := stream.CommandLen(doc[i:])
		if !ok {
			break
		}
		c := doc[i]
		switch {
		case n == 1 && c == '\n':
			lines = append(lines, line.String())
			line.Reset()
		case n == 1 && c >= 0x20 && c < 0x80:
			line.WriteByte(c)
		case n == 1 && c >= 0x80:
			line.WriteRune('\uFFFD')
		}
		i += n
	}
	return lines
}

// HasLine reports whether a line of text that doc prints contains s.
func HasLine(doc []byte, s string) bool {
	for _, l := range Text(doc) {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}
