package printer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseStatusByte(t *testing.T) {
	cases := []struct {
		n, b byte
		want Status
		bad  bool
	}{
		{StatusPrinter, 0x12, Status{Online: true}, false},
		{StatusPrinter, 0x1a, Status{}, false},
		{StatusOffline, 0x16, Status{Online: true, CoverOpen: true}, false},
		{StatusOffline, 0x32, Status{Online: true, PaperOut: true}, false},
		{StatusOffline, 0x52, Status{Online: true, Error: true}, false},
		{StatusPaper, 0x1e, Status{Online: true, PaperNearEnd: true}, false},
		{StatusPaper, 0x72, Status{Online: true, PaperOut: true}, false},
		{StatusPrinter, 0xff, Status{}, true}, // bit 7 and bit 0 set
		{StatusPrinter, 0x00, Status{}, true}, // bits 1 and 4 clear
		{StatusPrinter, 0x10, Status{}, true}, // bit 1 clear
		{StatusPrinter, 0x13, Status{}, true}, // bit 0 set
		{StatusPrinter, 0x92, Status{}, true}, // bit 7 set
		{StatusPrinter, '@', Status{}, true},  // an echoed command byte
		{3, 0x12, Status{}, true},             // a request this package never sends
	}
	for _, c := range cases {
		s := Status{Online: c.n != StatusPrinter}
		err := ParseStatusByte(c.n, c.b, &s)
		if c.bad {
			if err == nil {
				t.Errorf("DLE EOT %d reply 0x%02x accepted", c.n, c.b)
			}
			continue
		}
		if err != nil || s != c.want {
			t.Errorf("DLE EOT %d reply 0x%02x = %+v, %v; want %+v", c.n, c.b, s, err, c.want)
		}
	}
	if (Status{Online: true, PaperNearEnd: true}).Ready() != true {
		t.Errorf("paper near end must still print")
	}
}

func TestOpenURLs(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.bin")
	tr, err := Open("file://" + path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, s := range []string{"one", "two"} {
		if err := tr.Write(ctx, []byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	if b, _ := os.ReadFile(path); string(b) != "onetwo" {
		t.Errorf("file transport wrote %q, want appended writes", b)
	}
	for _, bad := range []string{"lpt://x", "tcp://", "usb://", "192.168.1.5:9100"} {
		if _, err := Open(bad); err == nil {
			t.Errorf("Open(%q) accepted", bad)
		}
	}
	tr, err = Open("usb://" + filepath.Join(dir, "no-such-lp0"))
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Write(ctx, []byte("x")); err == nil || !strings.Contains(err.Error(), "no-such-lp0") {
		t.Errorf("missing device: err = %v", err)
	}
}

func TestUSBPermissionMessage(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can open any file; the permission message needs an ordinary user")
	}
	dir := t.TempDir()
	dev := filepath.Join(dir, "lp0")
	if err := os.WriteFile(dev, nil, 0o000); err != nil {
		t.Fatal(err)
	}
	tr, _ := Open("usb://" + dev)
	err := tr.Write(context.Background(), []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "lp group") || !strings.Contains(err.Error(), "udev") {
		t.Errorf("err = %v, want advice about the lp group and udev", err)
	}
}

// FuzzParseStatusByte: any reply to any request either is refused, leaving
// the status as it was, or has Epson's fixed bits and changes only the
// fields its request reports.
func FuzzParseStatusByte(f *testing.F) {
	for _, seed := range [][2]byte{{1, 0x12}, {1, 0x1a}, {2, 0x16}, {2, 0x32}, {2, 0x52}, {4, 0x1e}, {4, 0x72}, {1, 0xff}, {3, 0x12}, {0, 0}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, n, b byte) {
		before := Status{Online: true, PaperNearEnd: true}
		s := before
		err := ParseStatusByte(n, b, &s)
		if err != nil {
			if s != before {
				t.Fatalf("refused reply 0x%02x to DLE EOT %d changed the status to %+v", b, n, s)
			}
			return
		}
		if b&statusFixedMask != statusFixedBits {
			t.Fatalf("reply 0x%02x accepted without Epson's fixed bits", b)
		}
		switch n {
		case StatusPrinter:
			if s.CoverOpen != before.CoverOpen || s.PaperOut != before.PaperOut || s.Error != before.Error || s.PaperNearEnd != before.PaperNearEnd {
				t.Fatalf("DLE EOT 1 changed more than online: %+v", s)
			}
		case StatusOffline, StatusPaper:
			if s.Online != before.Online {
				t.Fatalf("DLE EOT %d changed online", n)
			}
		default:
			t.Fatalf("DLE EOT %d is not a request this package sends, yet its reply was accepted", n)
		}
	})
}
