package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/sync/wire"
)

const (
	// pageSize is how many changes one changes message carries.
	pageSize = 1000
	// readLimit bounds one message from a terminal (a push of full orders).
	readLimit = 8 << 20
	writeWait = 10 * time.Second
)

var upgrader = websocket.Upgrader{
	ReadBufferSize:  32 << 10,
	WriteBufferSize: 64 << 10,
	// Terminals are native apps, not browsers; the bearer token is the auth.
	CheckOrigin: func(*http.Request) bool { return true },
}

// session is one terminal's websocket. The read loop handles hello, push
// and pull; the pump is the only writer, so results and changes never interleave mid-frame.
type session struct {
	srv  *syncServer
	ws   *websocket.Conn
	term *cloud.Terminal
	shop *cloud.Shop

	out  chan any
	wake chan struct{}
	done chan struct{}
	once sync.Once

	mu     sync.Mutex
	cursor uint64
	// gen counts pulls, so a page read before a pull cannot move the cursor after it.
	gen uint64
	// noHello closes the socket unless hello arrives in time.
	noHello *time.Timer
}

// serveSync authenticates the token before upgrading: an unknown or revoked
// token never gets a socket, and the terminal it names fixes the shop.
func (s *syncServer) serveSync(w http.ResponseWriter, r *http.Request) {
	if !s.edge.syncIP.allow(clientIP(r), time.Now()) {
		tooMany(w, "sync connections")
		return
	}
	tok := cloud.Bearer(r)
	if tok == "" {
		cloud.WriteJSON(w, http.StatusUnauthorized, apiError{Code: "unauthorized", Message: "Authorization: Bearer <terminal token> is required"})
		return
	}
	store := s.core.Store()
	term, err := store.TerminalByToken(cloud.HashToken(tok))
	if err != nil || term.Revoked {
		cloud.WriteJSON(w, http.StatusUnauthorized, apiError{Code: "unauthorized", Message: "unknown or revoked terminal token"})
		return
	}
	if !s.edge.syncShop.allow(term.Shop, time.Now()) {
		tooMany(w, "sync connections")
		return
	}
	shop, err := store.Shop(term.Shop)
	if err != nil {
		s.core.WriteError(w, err)
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader already replied
	}
	sess := &session{srv: s, ws: ws, term: term, shop: shop,
		out: make(chan any, 256), wake: make(chan struct{}, 1), done: make(chan struct{})}
	s.connections.Add(1)
	defer s.connections.Add(-1)
	// A socket that never says hello is closed, even if it answers pings.
	sess.noHello = time.AfterFunc(s.opt.HelloTimeout, func() { sess.closeWith(websocket.ClosePolicyViolation, "no hello") })
	go sess.pump()
	sess.readLoop()
	sess.closeWith(websocket.CloseNormalClosure, "")
	s.hubs.leave(sess)
}

// poke asks the pump to send whatever the log has past the cursor.
func (ss *session) poke() {
	select {
	case ss.wake <- struct{}{}:
	default:
	}
}

func (ss *session) sentCursor() uint64 {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.cursor
}

func (ss *session) closeWith(code int, reason string) {
	ss.once.Do(func() {
		close(ss.done)
		_ = ss.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
		_ = ss.ws.Close()
	})
}

// send queues a message for the pump; it gives up when the session is gone.
func (ss *session) send(v any) bool {
	select {
	case ss.out <- v:
		return true
	case <-ss.done:
		return false
	}
}

func (ss *session) fail(code, msg string) {
	ss.send(&wire.Error{Type: wire.TypeError, Code: code, Message: msg})
}

func (ss *session) readLoop() {
	ws, s := ss.ws, ss.srv
	ws.SetReadLimit(readLimit)
	_ = ws.SetReadDeadline(time.Now().Add(s.opt.ReadTimeout))
	ws.SetPongHandler(func(string) error { return ws.SetReadDeadline(time.Now().Add(s.opt.ReadTimeout)) })
	helloed := false
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		_ = ws.SetReadDeadline(time.Now().Add(s.opt.ReadTimeout))
		var env wire.Envelope
		if err := json.Unmarshal(data, &env); err != nil {
			ss.fail(wire.ECodeBadMessage, "message is not JSON: "+err.Error())
			continue
		}
		if !helloed && env.Type != wire.TypeHello {
			ss.fail(wire.ECodeNoHello, "the first message must be hello")
			continue
		}
		switch env.Type {
		case wire.TypeHello:
			if !ss.hello(data) {
				// Let the pump flush the error before the socket goes.
				time.Sleep(50 * time.Millisecond)
				return
			}
			helloed = true
			ss.noHello.Stop()
		case wire.TypePush:
			var p wire.Push
			if err := json.Unmarshal(data, &p); err != nil {
				ss.fail(wire.ECodeBadMessage, "push: "+err.Error())
				continue
			}
			if !ss.push(p.Mutations) {
				return
			}
		case wire.TypeQuarantine:
			ss.quarantine(data)
		case wire.TypeStaffCheck:
			ss.staffCheck(data)
		case wire.TypePull:
			var p wire.Pull
			if err := json.Unmarshal(data, &p); err != nil {
				ss.fail(wire.ECodeBadMessage, "pull.cursor: "+err.Error())
				continue
			}
			ss.mu.Lock()
			ss.cursor, ss.gen = p.Cursor, ss.gen+1
			ss.mu.Unlock()
			ss.poke()
		default:
			ss.fail(wire.ECodeBadMessage, "type: unknown message type "+jsonQuote(env.Type))
		}
	}
}

// jsonQuote quotes s as JSON does, for a message that names a value.
func jsonQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// hello checks the terminal is who its token says and starts catch-up.
func (ss *session) hello(data []byte) bool {
	var h wire.Hello
	if err := json.Unmarshal(data, &h); err != nil {
		ss.fail(wire.ECodeBadMessage, "hello: "+err.Error())
		return false
	}
	if h.Proto != wire.Proto {
		ss.fail(wire.ECodeProto, "proto: this cloud speaks version 1")
		return false
	}
	if h.Shop != "" && h.Shop != ss.term.Shop {
		ss.fail(wire.ECodeWrongShop, "shop: this token belongs to another shop")
		return false
	}
	if h.Terminal != "" && h.Terminal != ss.term.ID {
		ss.fail(wire.ECodeWrongShop, "terminal: this token belongs to another terminal")
		return false
	}
	welcome, resendFrom, resend, err := ss.srv.core.Greet(ss.term, h.LastAckedMid)
	if err != nil {
		ss.srv.log.Error("hello", "terminal", ss.term.ID, "err", err)
		ss.fail(wire.ECodeInternal, "Internal error")
		return false
	}
	cursor := h.Cursor
	if resend && resendFrom < cursor {
		cursor = resendFrom
	}
	ss.mu.Lock()
	ss.cursor = cursor
	ss.mu.Unlock()
	// The pump writes queued messages before changes, so the terminal reads
	// the welcome (and a resend) before the first page.
	ss.send(welcome)
	if cursor < h.Cursor {
		ss.srv.log.Info("resending quarantined changes", "terminal", ss.term.ID, "from", cursor)
		ss.send(&wire.Resend{Type: wire.TypeResend, Cursor: cursor})
	}
	ss.srv.hubs.join(ss).raise(welcome.ServerSeq)
	ss.poke()
	return true
}

// push applies mutations in mid order and queues one result per mid.
func (ss *session) push(muts []wire.Mutation) bool {
	results, gap, err := ss.srv.core.ApplyPush(ss.shop, ss.term, muts)
	for _, r := range results {
		if !ss.send(r) {
			return false
		}
	}
	if gap != nil {
		ss.send(gap)
	}
	if err != nil {
		ss.srv.log.Error("push", "terminal", ss.term.ID, "err", err)
		ss.fail(wire.ECodeInternal, "Internal error")
	}
	return true
}

func (ss *session) write(v any) error {
	_ = ss.ws.SetWriteDeadline(time.Now().Add(writeWait))
	return ss.ws.WriteJSON(v)
}

func (ss *session) pump() {
	ping := time.NewTicker(ss.srv.opt.PingInterval)
	defer ping.Stop()
	for {
		var err error
		// Queued messages go first: a welcome must precede the changes its
		// hello's poke asks for.
		select {
		case m := <-ss.out:
			err = ss.write(m)
		default:
			select {
			case <-ss.done:
				return
			case m := <-ss.out:
				err = ss.write(m)
			case <-ss.wake:
				err = ss.sendChanges()
			case <-ping.C:
				err = ss.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait))
			}
		}
		if err != nil {
			if !errors.Is(err, websocket.ErrCloseSent) {
				ss.srv.log.Debug("sync write", "terminal", ss.term.ID, "err", err)
			}
			ss.closeWith(websocket.CloseGoingAway, "write failed")
			return
		}
	}
}

// sendChanges pages the log from the cursor to the head. A cursor older than
// retention (or ahead of the head, after a restore) gets a snapshot instead.
func (ss *session) sendChanges() error {
	st := ss.srv.core.Store()
	for {
		ss.mu.Lock()
		cur, gen := ss.cursor, ss.gen
		ss.mu.Unlock()
		items, head, oldest, err := st.ChangesAfter(ss.term.Shop, cur, pageSize)
		if err != nil {
			return err
		}
		if (oldest > 0 && cur+1 < oldest) || cur > head {
			snap, err := ss.srv.core.ResetSnapshot(ss.term.Shop)
			if err != nil {
				return err
			}
			if err := ss.write(&wire.Reset{Type: wire.TypeReset, Snapshot: *snap}); err != nil {
				return err
			}
			ss.advance(gen, snap.Seq)
			continue
		}
		if len(items) == 0 {
			return nil
		}
		last := cur + uint64(len(items))
		if err := ss.writeChanges(cur+1, last, head, items); err != nil {
			return err
		}
		ss.advance(gen, last)
		if last >= head {
			return nil
		}
		// Results queued meanwhile go out between pages, so a long catch-up
		// does not hold back the answer to a tap.
		for drained := false; !drained; {
			select {
			case m := <-ss.out:
				if err := ss.write(m); err != nil {
					return err
				}
			default:
				drained = true
			}
		}
	}
}

// writeChanges frames stored items by hand: they are already valid JSON, and
// json.Marshal would rescan every byte of every item for every terminal.
func (ss *session) writeChanges(from, to, head uint64, items []json.RawMessage) error {
	n := 96
	for _, it := range items {
		n += len(it) + 1
	}
	buf := make([]byte, 0, n)
	buf = fmt.Appendf(buf, `{"type":%q,"from":%d,"to":%d,"head":%d,"items":[`, wire.TypeChanges, from, to, head)
	for i, it := range items {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, it...)
	}
	buf = append(buf, ']', '}')
	_ = ss.ws.SetWriteDeadline(time.Now().Add(writeWait))
	return ss.ws.WriteMessage(websocket.TextMessage, buf)
}

// advance moves the cursor unless a pull moved it meanwhile; the next page
// is then read from the pulled cursor.
func (ss *session) advance(gen, to uint64) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.gen == gen {
		ss.cursor = to
	}
}

// quarantine keeps a terminal's report of the changes it could not store.
func (ss *session) quarantine(data []byte) {
	var m wire.Quarantine
	if err := json.Unmarshal(data, &m); err != nil {
		ss.fail(wire.ECodeBadMessage, "quarantine: "+err.Error())
		return
	}
	if err := ss.srv.core.ReportQuarantine(ss.term, m.Items); err != nil {
		ss.srv.log.Error("quarantine report", "terminal", ss.term.ID, "err", err)
	}
}

// staffCheck answers a staff_check on this session.
func (ss *session) staffCheck(data []byte) {
	var req wire.StaffCheck
	if err := json.Unmarshal(data, &req); err != nil {
		ss.fail(wire.ECodeBadMessage, "staff_check: "+err.Error())
		return
	}
	ss.send(ss.srv.core.CheckSignIn(ss.term, req))
}
