package ui

import (
	"bytes"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"github.com/ebitengine/oto/v3"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/assets"
)

// notifier chimes, raises system notifications, and remembers which orders
// it already warned about so a nearing deadline notifies once per order.
type notifier struct {
	m      *Main
	mu     sync.Mutex
	warned map[string]bool
}

func newNotifier(m *Main) *notifier { return &notifier{m: m, warned: map[string]bool{}} }

// alert plays the chime (unless muted) and sends a system notification.
func (n *notifier) alert(title, body string) {
	if !n.m.prefs.Mute {
		playChime()
	}
	n.m.app.SendNotification(fyne.NewNotification(title, body))
}

// checkDeadlines looks for New orders inside the expiring window and warns
// once for each. It does its I/O on the calling goroutine: call it off the UI.
func (n *notifier) checkDeadlines() {
	svc := n.m.svc
	if svc == nil {
		return
	}
	pol := svc.CurrentPolicy()
	page, err := svc.Find(app.Filter{Statuses: []app.Status{app.StatusNew}, DeadlineWithin: pol.ExpiringWithin, Online: true, Limit: 100})
	if err != nil {
		fyne.LogError("deadline check", err)
		return
	}
	now := n.m.now()
	var fresh []*app.Order
	n.mu.Lock()
	for _, o := range page.Orders {
		if !n.warned[o.ID] {
			n.warned[o.ID] = true
			fresh = append(fresh, o)
		}
	}
	n.mu.Unlock()
	for _, o := range fresh {
		msg := lang.L("Order {{.Number}} must be accepted soon: {{.Left}}", map[string]any{"Number": o.Number, "Left": timeLeft(o.AcceptBy.Sub(now))})
		fyne.Do(func() {
			n.m.showBanner(msg)
			n.alert(lang.L("Order nearing its deadline"), msg)
		})
	}
}

// playChime plays the new-order sound. Tests replace it.
var playChime = func() { go chime.play() }

// chime owns the single oto context, made on first use. Without a sound
// device (or on any audio error) it stays silent for the rest of the run.
var chime sound

type sound struct {
	once sync.Once
	ctx  *oto.Context
	pcm  []byte
	mu   sync.Mutex
}

func (s *sound) init() {
	pcm, rate, ok := wavPCM(assets.Chime)
	if !ok {
		return
	}
	ctx, ready, err := oto.NewContext(&oto.NewContextOptions{SampleRate: rate, ChannelCount: 1, Format: oto.FormatSignedInt16LE})
	if err != nil {
		fyne.LogError("no sound device; new-order chime disabled", err)
		return
	}
	select {
	case <-ready:
	case <-time.After(3 * time.Second):
		fyne.LogError("sound device not ready; new-order chime disabled", nil)
		return
	}
	s.ctx, s.pcm = ctx, pcm
}

func (s *sound) play() {
	defer func() {
		if r := recover(); r != nil {
			fyne.LogError("chime", nil)
		}
	}()
	s.once.Do(s.init)
	if s.ctx == nil {
		return
	}
	s.mu.Lock() // one chime at a time
	defer s.mu.Unlock()
	p := s.ctx.NewPlayer(bytes.NewReader(s.pcm))
	p.Play()
	for p.IsPlaying() {
		time.Sleep(20 * time.Millisecond)
	}
}

// wavPCM finds the sample rate and the PCM data of a 16-bit mono WAV.
func wavPCM(b []byte) ([]byte, int, bool) {
	if len(b) < 44 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return nil, 0, false
	}
	rate := 0
	for i := 12; i+8 <= len(b); {
		id, size := string(b[i:i+4]), int(le32(b[i+4:]))
		body := i + 8
		if body+size > len(b) {
			size = len(b) - body
		}
		switch id {
		case "fmt ":
			if size >= 16 {
				rate = int(le32(b[body+4:]))
			}
		case "data":
			return b[body : body+size], rate, rate > 0
		}
		i = body + size + size%2
	}
	return nil, 0, false
}

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}
