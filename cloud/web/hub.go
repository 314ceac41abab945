package web

import (
	"sync"
	"sync/atomic"
)

// hubs holds one hub per shop. A hub only wakes sessions; each session then
// reads the log by sequence itself, so a slow tablet never holds up the others
// and a second instance (PostgreSQL) needs nothing but the wake-up.
type hubs struct {
	mu     sync.Mutex
	byShop map[string]*hub
}

// hub is the set of live sessions of one shop and the newest sequence seen.
type hub struct {
	head     atomic.Uint64
	mu       sync.Mutex
	sessions map[*session]struct{}
}

func newHubs() *hubs { return &hubs{byShop: map[string]*hub{}} }

func (h *hubs) get(shop string) *hub {
	h.mu.Lock()
	defer h.mu.Unlock()
	hb := h.byShop[shop]
	if hb == nil {
		hb = &hub{sessions: map[*session]struct{}{}}
		h.byShop[shop] = hb
	}
	return hb
}

func (h *hubs) join(s *session) *hub {
	hb := h.get(s.term.Shop)
	hb.mu.Lock()
	hb.sessions[s] = struct{}{}
	hb.mu.Unlock()
	return hb
}

func (h *hubs) leave(s *session) {
	hb := h.get(s.term.Shop)
	hb.mu.Lock()
	delete(hb.sessions, s)
	hb.mu.Unlock()
}

func (h *hubs) each(shop string, fn func(*session)) {
	hb := h.get(shop)
	hb.mu.Lock()
	list := make([]*session, 0, len(hb.sessions))
	for s := range hb.sessions {
		list = append(list, s)
	}
	hb.mu.Unlock()
	for _, s := range list {
		fn(s)
	}
}

// raise records a newer head of the shop's log; it never moves backwards.
func (hb *hub) raise(head uint64) {
	for {
		cur := hb.head.Load()
		if head <= cur || hb.head.CompareAndSwap(cur, head) {
			return
		}
	}
}

// notify raises the shop's head and wakes every session of that shop only.
func (h *hubs) notify(shop string, head uint64) {
	h.get(shop).raise(head)
	h.each(shop, func(s *session) { s.poke() })
}

func (h *hubs) closeAll() {
	h.mu.Lock()
	shops := make([]string, 0, len(h.byShop))
	for id := range h.byShop {
		shops = append(shops, id)
	}
	h.mu.Unlock()
	for _, id := range shops {
		h.each(id, func(s *session) { s.closeWith(1001, "server shutting down") })
	}
}

// lag reports the number of sessions and, for each, how far behind its shop's head it is.
func (h *hubs) lag() (sessions int, total, worst uint64) {
	h.mu.Lock()
	all := make([]*hub, 0, len(h.byShop))
	for _, hb := range h.byShop {
		all = append(all, hb)
	}
	h.mu.Unlock()
	for _, hb := range all {
		head := hb.head.Load()
		hb.mu.Lock()
		for s := range hb.sessions {
			sessions++
			c := s.sentCursor()
			if head > c {
				total += head - c
				worst = max(worst, head-c)
			}
		}
		hb.mu.Unlock()
	}
	return sessions, total, worst
}
