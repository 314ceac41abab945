package printer

import (
	"fmt"
	"strings"
)

// Status is the printer's condition from its DLE EOT 1, 2 and 4 replies.
type Status struct {
	// Online is false when DLE EOT 1 reports the printer offline.
	Online bool
	// CoverOpen is DLE EOT 2 bit 2.
	CoverOpen bool
	// PaperOut is DLE EOT 2 bit 5 (printing stopped by paper end) or DLE EOT 4 bits 5-6.
	PaperOut bool
	// PaperNearEnd is DLE EOT 4 bits 2-3: print, but tell someone to change the roll.
	PaperNearEnd bool
	// Error is DLE EOT 2 bit 6: a cutter jam, head overheating or similar.
	Error bool
}

// Ready reports whether a job can be sent and be expected to print whole.
func (s Status) Ready() bool { return s.Online && !s.CoverOpen && !s.PaperOut && !s.Error }

// String describes the status in the words shown to staff ("paper out, cover open").
func (s Status) String() string {
	var parts []string
	if !s.Online {
		parts = append(parts, "offline")
	}
	if s.CoverOpen {
		parts = append(parts, "cover open")
	}
	if s.PaperOut {
		parts = append(parts, "paper out")
	}
	if s.Error {
		parts = append(parts, "error")
	}
	if s.PaperNearEnd {
		parts = append(parts, "paper near end")
	}
	if len(parts) == 0 {
		return "ready"
	}
	return strings.Join(parts, ", ")
}

// Real-time status requests (DLE EOT n).
const (
	StatusPrinter = 1 // online/offline
	StatusOffline = 2 // cover, paper end stop, error
	StatusPaper   = 4 // roll paper sensor
)

// statusFixedMask and statusFixedBits are the bits Epson fixes in every
// DLE EOT reply: bit 0 = 0, bit 1 = 1, bit 4 = 1, bit 7 = 0. A reply that
// breaks them is not a status (an echo, a stray byte from an earlier
// command, a different protocol) and must not be trusted.
const (
	statusFixedMask = 0x93
	statusFixedBits = 0x12
)

// ParseStatusByte checks one DLE EOT n reply and applies it to s. It returns
// an error, and leaves s alone, when the byte is not a valid status reply.
func ParseStatusByte(n, b byte, s *Status) error {
	if b&statusFixedMask != statusFixedBits {
		return fmt.Errorf("reply 0x%02x to DLE EOT %d is not a status byte (bits 0,1,4,7 must be 0,1,1,0)", b, n)
	}
	switch n {
	case StatusPrinter:
		s.Online = b&0x08 == 0
	case StatusOffline:
		s.CoverOpen = b&0x04 != 0
		s.PaperOut = s.PaperOut || b&0x20 != 0
		s.Error = b&0x40 != 0
	case StatusPaper:
		s.PaperNearEnd = b&0x0c != 0
		s.PaperOut = s.PaperOut || b&0x60 != 0
	default:
		return fmt.Errorf("DLE EOT %d is not a status request this package sends", n)
	}
	return nil
}

// statusRequests is the order the three requests are sent in.
var statusRequests = [...]byte{StatusPrinter, StatusOffline, StatusPaper}
